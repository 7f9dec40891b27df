/* backup: what `fangkong backup` and `fangkong restore` share: the manifest written beside a
 * backup file (FILE.manifest.json), the file's own checksum, and running PostgreSQL's
 * pg_dump / pg_restore. The helpers die with a message naming the file at fault. */
#ifndef FK_CMD_BACKUP_H
#define FK_CMD_BACKUP_H
#include <jansson.h>
#include <stddef.h>
#include "base/buf.h"
#include "store/digest.h"

#define BACKUP_FORMAT "fangkong-backup 1"

struct manifest {
	char store[16];	     /* "sqlite" / "postgres" */
	char created_at[32]; /* ISO 8601 */
	int64_t bytes;	     /* the backup file's size and checksum */
	char blake2b[FK_DIGEST_HEX];
	json_t *schema; /* {"module": version} from module_migrations */
	struct fk_table_digest *tables;
	int ntables;
};

/* FILE.manifest.json into out. */
void manifest_path(const char *file, char *out, size_t size);
/* Writes m as JSON to path (through path.part and a rename). */
void manifest_write(const char *path, const struct manifest *m);
/* Reads path into *m (the caller calls manifest_release). */
void manifest_read(const char *path, struct manifest *m);
void manifest_release(struct manifest *m);
/* The size and BLAKE2b-256 (hex) of the file at path. */
void file_blake2b(const char *path, int64_t *bytes, char hex[FK_DIGEST_HEX]);
/* The store's module versions, {"area": 1, ...}. */
json_t *schema_versions(struct fk_db *db);
/* Whether url names a PostgreSQL store. */
bool url_is_postgres(const char *url);
/* The manifest entry named name, or NULL. */
const struct fk_table_digest *manifest_table(const struct manifest *m, const char *name);

/* Finds the program name (pg_dump, pg_restore) in dir when given, else in the newest
 * /usr/lib/postgresql/N/bin, else on PATH; dies saying where it looked. */
void pgtool_find(const char *name, const char *dir, char *out, size_t size);
/* Runs argv (argv[0] a path; no shell), its stdout to /dev/null and its stderr into errtext;
 * returns the exit status, or -1 when it did not exit normally. */
int pgtool_run(char *const argv[], struct fk_buf *errtext);

#endif
