/* backup: `fangkong backup --out FILE [--db URL] [--pg-bin DIR]`: a consistent copy of the
 * store while servers keep using it. SQLite: the online backup API into FILE, then
 * PRAGMA integrity_check on the copy. PostgreSQL: pg_dump --format=custom of a snapshot this
 * command holds open. Beside FILE, FILE.manifest.json: the store kind, the schema versions,
 * each table's row count and checksum at the backup's moment (store/digest.h), and the file's
 * own size and checksum. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "base/clock.h"
#include "cmd/backup.h"
#include "cmd/cmd.h"
#include "store/snapshot.h"

struct backup_args {
	const char *out;
	const char *pg_bin;
};

#define USAGE "usage: fangkong backup --out FILE [--db URL] [--pg-bin DIR]"

static void parse_args(int argc, char **argv, struct backup_args *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = cmd_opt_value(argc, argv, &i, "--out")))
			a->out = v;
		else if ((v = cmd_opt_value(argc, argv, &i, "--pg-bin")))
			a->pg_bin = v;
		else
			die("unknown argument '%s'; " USAGE, argv[i]);
	}
	if (!a->out || !*a->out)
		die("--out is required (the backup file to write); " USAGE);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The digest and schema versions of db, in the transaction open on it (if any). */
static void describe(struct fk_db *db, struct manifest *m)
{
	struct fk_err err = {0};

	if (fk_store_digest(db, &m->tables, &m->ntables, &err) < 0)
		die_err("reading the tables", &err);
	m->schema = schema_versions(db);
}

static void backup_sqlite(const char *url, const char *out, const char *part, struct manifest *m)
{
	struct fk_err err = {0};
	struct fk_db *db = NULL;
	int64_t pages = 0;

	struct stat st_db, st_out;

	if (access(url, R_OK) < 0 || stat(url, &st_db) < 0)
		die("--db %s: %s (no SQLite store there)", url, strerror(errno));
	if (stat(out, &st_out) == 0 && st_out.st_dev == st_db.st_dev &&
	    st_out.st_ino == st_db.st_ino)
		die("--out %s is the store itself; name another file", out);
	if (fk_sqlite_snapshot(url, part, &pages, &err) < 0) {
		unlink(part);
		die_err(url, &err);
	}
	if (fk_db_open(part, &db, &err) < 0)
		die_err(part, &err);
	describe(db, m);
	fk_db_close(db);
	if (fk_sqlite_seal(part, &err) < 0 || fk_sqlite_integrity(part, &err) < 0) {
		unlink(part);
		die_err(part, &err);
	}
	snprintf(m->store, sizeof(m->store), "sqlite");
}

/* A snapshot of the store's present, held open on db until the caller ends the transaction:
 * pg_dump --snapshot dumps exactly what the digest then reads. */
static void export_snapshot(struct fk_db *db, char *out, size_t size)
{
	struct fk_err err = {0};
	struct fk_q *q;

	if (fk_db_begin(db, false, &err) < 0 ||
	    fk_db_query(db, &q, "SELECT pg_export_snapshot()", &err) < 0)
		die_err("pg_export_snapshot", &err);
	if (fk_q_step(q, &err) <= 0) {
		fk_q_done(q);
		die_err("pg_export_snapshot", &err);
	}
	fk_copy_text(out, size, fk_q_text(q, 0));
	fk_q_done(q);
}

static void backup_postgres(const char *url, const char *part, const char *pg_bin,
			    struct manifest *m)
{
	struct fk_err err = {0};
	struct fk_db *db = NULL;
	struct fk_buf errtext;
	char tool[1024], snap[128], file_arg[4300], snap_arg[160], db_arg[4200];
	int status;

	pgtool_find("pg_dump", pg_bin, tool, sizeof(tool));
	if (fk_db_open(url, &db, &err) < 0)
		die_err(url, &err);
	export_snapshot(db, snap, sizeof(snap));
	snprintf(file_arg, sizeof(file_arg), "--file=%s", part);
	snprintf(snap_arg, sizeof(snap_arg), "--snapshot=%s", snap);
	snprintf(db_arg, sizeof(db_arg), "--dbname=%s", url);
	char *argv[] = {tool, "--format=custom", file_arg, snap_arg, db_arg, NULL};
	fk_buf_init(&errtext, FK_BUF_TEXT_MAX);
	status = pgtool_run(argv, &errtext);
	while (errtext.len && errtext.data[errtext.len - 1] == '\n')
		errtext.data[--errtext.len] = '\0';
	if (status != 0) {
		unlink(part);
		die("pg_dump failed (%s %d): %s", status < 0 ? "signal or" : "exit status", status,
		    errtext.len ? errtext.data : "(no message)");
	}
	fk_buf_release(&errtext);
	describe(db, m);
	fk_db_rollback(db);
	fk_db_close(db);
	snprintf(m->store, sizeof(m->store), "postgres");
}

static int64_t rows_of(const struct manifest *m, const char *name)
{
	const struct fk_table_digest *t = manifest_table(m, name);
	return t ? t->rows : 0;
}

static void report(const char *out, const char *mpath, const struct manifest *m, double secs)
{
	int64_t rows = 0;

	for (int i = 0; i < m->ntables; i++)
		rows += m->tables[i].rows;
	printf("%s: %lld bytes, %s store, %d tables, %lld rows (people %lld, areas %lld, users "
	       "%lld, samples %lld, audit %lld) in %.2f s\n",
	       out, (long long)m->bytes, m->store, m->ntables, (long long)rows,
	       (long long)rows_of(m, "people"), (long long)rows_of(m, "areas"),
	       (long long)rows_of(m, "users"), (long long)rows_of(m, "samples"),
	       (long long)rows_of(m, "audit"), secs);
	printf("%s: row counts and checksums of every table\n", mpath);
}

int cmd_backup(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct backup_args a;
	struct manifest m = {0};
	struct timespec t0;
	char part[4200], mpath[4200];

	parse_args(argc, argv, &a);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	manifest_path(a.out, mpath, sizeof(mpath));
	snprintf(part, sizeof(part), "%s.part", a.out);
	unlink(part);
	fk_iso8601(fk_now_ms(), m.created_at);
	if (url_is_postgres(ctx->db_url))
		backup_postgres(ctx->db_url, part, a.pg_bin, &m);
	else
		backup_sqlite(ctx->db_url, a.out, part, &m);
	file_blake2b(part, &m.bytes, m.blake2b);
	if (rename(part, a.out) < 0)
		die("%s: %s", a.out, strerror(errno));
	manifest_write(mpath, &m);
	report(a.out, mpath, &m, seconds_since(&t0));
	manifest_release(&m);
	return 0;
}
