/* snapshot: whole-file copies of a SQLite store with SQLite's online backup API, for
 * `fangkong backup` and `fangkong restore`. A copy reads the source in one read transaction
 * (one consistent moment) in small steps; in WAL mode a server on the source keeps writing
 * all along. PostgreSQL's counterpart is pg_dump / pg_restore (src/cmd/pgtool.c). */
#ifndef FK_STORE_SNAPSHOT_H
#define FK_STORE_SNAPSHOT_H
#include <stdint.h>
#include "base/err.h"

/* Copies the live store at src into dst (a new file; the caller removes one left by a failed
 * run). *pages gets the pages copied. */
int fk_sqlite_snapshot(const char *src, const char *dst, int64_t *pages, struct fk_err *err);

/* Switches the copy at path to a rollback journal, so that it is one self-contained file
 * that opens read-only anywhere (a WAL-mode file needs its -shm beside it). */
int fk_sqlite_seal(const char *path, struct fk_err *err);

/* Copies the backup file src over the store at dst (created when missing) in one write
 * transaction of dst: a failure leaves dst as it was. No server may use dst meanwhile. */
int fk_sqlite_restore(const char *src, const char *dst, struct fk_err *err);

/* Opens path read-only and runs PRAGMA integrity_check: 0 when it answers "ok", else
 * FK_EUNPROC "integrity" with SQLite's first complaint (or "not a database"). */
int fk_sqlite_integrity(const char *path, struct fk_err *err);

#endif
