/* snapshot: SQLite online backup (sqlite3_backup_*) between a store and a backup file. */
#include <sqlite3.h>
#include <string.h>
#include "store/snapshot.h"

#define STEP_PAGES    256   /* pages per sqlite3_backup_step: 1 MB at 4 KB pages */
#define BUSY_MS	      10000 /* how long to wait for another connection's lock */
#define BUSY_SLEEP_MS 10

static int fail(sqlite3 *h, const char *what, const char *path, struct fk_err *err)
{
	return fk_err_set(err, FK_EDB, "sqlite_copy", NULL, "%s %s 失败：%s", "%s %s failed: %s",
			  what, path, h ? sqlite3_errmsg(h) : "out of memory");
}

static int open_file(const char *path, int flags, sqlite3 **h, struct fk_err *err)
{
	if (sqlite3_open_v2(path, h, flags, NULL) != SQLITE_OK) {
		int rc = fail(*h, "opening", path, err);
		sqlite3_close(*h);
		*h = NULL;
		return rc;
	}
	sqlite3_busy_timeout(*h, BUSY_MS);
	return 0;
}

/* Copies src's main database into dst's in steps; the transaction src holds (if any) fixes
 * the moment copied. */
static int copy(sqlite3 *src, sqlite3 *dst, const char *dst_path, int64_t *pages,
		struct fk_err *err)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc;

	if (!b)
		return fail(dst, "starting the copy into", dst_path, err);
	do {
		rc = sqlite3_backup_step(b, STEP_PAGES);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(BUSY_SLEEP_MS);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	if (pages)
		*pages = sqlite3_backup_pagecount(b);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return fk_err_set(err, FK_EDB, "sqlite_copy", NULL, "复制到 %s 失败：%s",
				  "copying into %s failed: %s", dst_path, sqlite3_errstr(rc));
	return 0;
}

/* A read transaction on src: every step then copies the same moment of the database. */
static int hold_read(sqlite3 *src, const char *path, struct fk_err *err)
{
	if (sqlite3_exec(src, "BEGIN; SELECT COUNT(*) FROM sqlite_schema;", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return fail(src, "reading", path, err);
	return 0;
}

int fk_sqlite_snapshot(const char *src_path, const char *dst_path, int64_t *pages,
		       struct fk_err *err)
{
	sqlite3 *src = NULL, *dst = NULL;
	int rc = open_file(src_path, SQLITE_OPEN_READWRITE, &src, err);

	if (rc == 0)
		rc = open_file(dst_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, err);
	if (rc == 0)
		rc = hold_read(src, src_path, err);
	if (rc == 0)
		rc = copy(src, dst, dst_path, pages, err);
	if (src)
		sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(src);
	if (dst && sqlite3_close(dst) != SQLITE_OK && rc == 0)
		rc = fail(NULL, "closing", dst_path, err);
	return rc;
}

int fk_sqlite_seal(const char *path, struct fk_err *err)
{
	sqlite3 *h = NULL;
	int rc = open_file(path, SQLITE_OPEN_READWRITE, &h, err);

	if (rc == 0 && sqlite3_exec(h, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
		rc = fail(h, "sealing", path, err);
	if (h && sqlite3_close(h) != SQLITE_OK && rc == 0)
		rc = fail(NULL, "closing", path, err);
	return rc;
}

int fk_sqlite_restore(const char *src_path, const char *dst_path, struct fk_err *err)
{
	sqlite3 *src = NULL, *dst = NULL;
	int rc = open_file(src_path, SQLITE_OPEN_READONLY, &src, err);

	if (rc == 0)
		rc = open_file(dst_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, err);
	if (rc == 0)
		rc = copy(src, dst, dst_path, NULL, err);
	sqlite3_close(src);
	sqlite3_close(dst);
	return rc;
}

static int check_rows(sqlite3 *h, const char *path, struct fk_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL);
	const char *first;

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = fk_err_set(err, FK_EUNPROC, "integrity", NULL,
				"%s 不是完好的 SQLite 数据库：%s",
				"%s is not a sound SQLite database: %s", path, sqlite3_errmsg(h));
		sqlite3_finalize(st);
		return rc;
	}
	first = (const char *)sqlite3_column_text(st, 0);
	rc = first && strcmp(first, "ok") == 0
		 ? 0
		 : fk_err_set(err, FK_EUNPROC, "integrity", NULL, "%s 未通过完整性检查：%s",
			      "%s fails its integrity check: %s", path, first ? first : "?");
	sqlite3_finalize(st);
	return rc;
}

int fk_sqlite_integrity(const char *path, struct fk_err *err)
{
	sqlite3 *h = NULL;
	int rc = open_file(path, SQLITE_OPEN_READONLY, &h, err);

	if (rc == 0)
		rc = check_rows(h, path, err);
	sqlite3_close(h);
	return rc;
}
