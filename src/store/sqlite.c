/* sqlite: the embedded store backend. One file in WAL mode; each connection is used by one
 * thread at a time (SQLITE_OPEN_NOMUTEX). Writers take the lock at BEGIN (IMMEDIATE) so two
 * writing transactions wait for each other instead of failing with SQLITE_BUSY half-way.
 *
 * SQLite has one writer per file. Within this process the writers of one file queue on that
 * file's writers' lock (writers.c) before BEGIN IMMEDIATE, so that each waits its turn and is
 * woken when the last one ends, instead of sleeping in SQLite's busy handler and polling.
 *
 * A commit syncs the WAL as the connection was opened (fk_db_opts): at checkpoints only
 * (synchronous=NORMAL, the default) or at every commit (FULL, `serve --durability full`). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sqlite3.h>
#include "base/log.h"
#include "base/xmalloc.h"
#include "store/backend.h"
#include "store/writers.h"

#define BUSY_TIMEOUT_MS 10000

struct sq_db {
	struct fk_db base;
	sqlite3 *h;
	struct fk_writers *writers; /* of the file; NULL for an in-memory database */
	bool holds_writers;	    /* between a write BEGIN and its COMMIT or ROLLBACK */
	int store_fd;		    /* the file, flocked by fk_db_hold_store; -1 */
};

struct sq_q {
	struct fk_q base;
	sqlite3_stmt *st;
	int64_t changes;
};

static const struct fk_backend sq_backend;

static sqlite3 *sq_handle(struct fk_db *db)
{
	return ((struct sq_db *)db)->h;
}

static sqlite3_stmt *sq_stmt(struct fk_q *q)
{
	return ((struct sq_q *)q)->st;
}

/* Unique violations are the caller's business (409); the rest is a store failure. */
static int sq_fail(sqlite3 *h, int rc, const char *what, struct fk_err *err)
{
	const char *msg = sqlite3_errmsg(h);
	const char *col;
	int code;

	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		code = fk_err_set(err, FK_ECONFLICT, "duplicate", NULL, "记录重复：%s",
				  "duplicate: %s", msg);
		/* "UNIQUE constraint failed: table.column[, table.column]" */
		col = strchr(msg, '.');
		if (err && col) {
			size_t n = strcspn(col + 1, ",");
			if (n >= sizeof(err->field))
				n = sizeof(err->field) - 1;
			memcpy(err->field, col + 1, n);
			err->field[n] = '\0';
		}
		return code;
	}
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return fk_err_set(err, FK_ECONFLICT, "retry", NULL, "数据库繁忙，请重试：%s",
				  "the store is busy, try again: %s", msg);
	return fk_db_fail(err, what, msg);
}

static int sq_exec(struct fk_db *db, const char *sql, struct fk_err *err)
{
	sqlite3 *h = sq_handle(db);
	int rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(h, sqlite3_extended_errcode(h), "exec", err);
	return 0;
}

static const char *const sq_pragmas = "PRAGMA journal_mode=WAL;"
				      "PRAGMA foreign_keys=ON;"
				      "PRAGMA temp_store=MEMORY;"
				      "PRAGMA cache_size=-65536;";

/* When a commit syncs the WAL (db.h, enum fk_durability): NORMAL at checkpoints only, FULL at
 * every commit. A setting of the connection, so every connection the store opens gets it. */
static const char *sync_pragma(const struct fk_db_opts *opts)
{
	return opts->durability == FK_DURABILITY_FULL ? "PRAGMA synchronous=FULL"
						      : "PRAGMA synchronous=NORMAL";
}

/* Before the library starts: no global count of SQLite's memory, which would take a
 * process-wide mutex on every allocation of every connection. */
static void library_config(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int fk_sqlite_open(const char *path, const struct fk_db_opts *opts, struct fk_db **out,
		   struct fk_err *err)
{
	static pthread_once_t configured = PTHREAD_ONCE_INIT;
	int flags =
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
	struct sq_db *db = fk_xcalloc(1, sizeof(*db));
	int rc;

	*out = NULL;
	pthread_once(&configured, library_config);
	fk_db_init(&db->base, &sq_backend);
	db->store_fd = -1;
	rc = sqlite3_open_v2(path, &db->h, flags, NULL);
	if (rc != SQLITE_OK) {
		rc = fk_err_set(err, FK_EDB, "db_open", "db", "无法打开数据库 %s：%s",
				"cannot open the store %s: %s", path,
				db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, BUSY_TIMEOUT_MS);
	rc = sq_exec(&db->base, sq_pragmas, err);
	if (rc == 0)
		rc = sq_exec(&db->base, sync_pragma(opts), err);
	if (rc < 0)
		goto fail;
	db->writers = fk_writers_get(sqlite3_db_filename(db->h, "main"));
	*out = &db->base;
	return 0;
fail:
	sqlite3_close_v2(db->h);
	free(db);
	return rc;
}

static void writers_leave(struct sq_db *db)
{
	if (!db->holds_writers)
		return;
	db->holds_writers = false;
	fk_writers_unlock(db->writers);
}

static void sq_close(struct fk_db *db)
{
	struct sq_db *sq = (struct sq_db *)db;

	fk_db_cache_clear(db);
	sqlite3_close_v2(sq->h);
	if (sq->store_fd >= 0)
		close(sq->store_fd);
	writers_leave(sq);
	fk_writers_put(sq->writers);
	free(db);
}

/* A writer waits for the other writers of this process first. A thread that already writes
 * to the file through another connection would wait for itself: it goes to SQLite directly,
 * whose busy handler times out (FK_ECONFLICT "retry") as it always did. */
static int writers_enter(struct sq_db *db, struct fk_err *err)
{
	int rc;

	if (!db->writers || fk_writers_mine(db->writers))
		return 0;
	rc = fk_writers_lock(db->writers, BUSY_TIMEOUT_MS);
	if (rc < 0)
		return fk_err_set(err, FK_ECONFLICT, "retry", NULL, "数据库繁忙，请重试：%s",
				  "the store is busy, try again: %s", "waited too long to write");
	db->holds_writers = true;
	return 0;
}

static int sq_begin(struct fk_db *db, bool write, struct fk_err *err)
{
	struct sq_db *sq = (struct sq_db *)db;
	int rc;

	if (!write)
		return sq_exec(db, "BEGIN", err);
	rc = writers_enter(sq, err);
	if (rc == 0)
		rc = sq_exec(db, "BEGIN IMMEDIATE", err);
	if (rc < 0)
		writers_leave(sq);
	return rc;
}

/* A failed COMMIT leaves the transaction open: the rollback that follows lets go of the lock. */
static int sq_commit(struct fk_db *db, struct fk_err *err)
{
	int rc = sq_exec(db, "COMMIT", err);

	if (rc == 0)
		writers_leave((struct sq_db *)db);
	return rc;
}

/* Some errors (SQLITE_FULL, IOERR, NOMEM) have already rolled back. */
static void sq_rollback(struct fk_db *db)
{
	sqlite3 *h = sq_handle(db);
	if (!sqlite3_get_autocommit(h))
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	writers_leave((struct sq_db *)db);
}

int fk_sqlite_busy_timeout(struct fk_db *db, int ms)
{
	if (fk_db_kind(db) != FK_DB_SQLITE)
		return FK_EINTERNAL;
	return sqlite3_busy_timeout(sq_handle(db), ms) == SQLITE_OK ? 0 : FK_EINTERNAL;
}

/* BEGIN IMMEDIATE already keeps other writers out. */
static int sq_lock_schema(struct fk_db *db, struct fk_err *err)
{
	(void)db;
	(void)err;
	return 0;
}

/* One writer at a time per file: the caller's write transaction is the lock. */
static int sq_try_lock(struct fk_db *db, int64_t key, bool *got, struct fk_err *err)
{
	(void)db, (void)key, (void)err;
	*got = true;
	return 0;
}

static int sq_unlock(struct fk_db *db, int64_t key, struct fk_err *err)
{
	(void)db, (void)key, (void)err;
	return 0;
}

/* A flock on a descriptor of the file's own, closed with the connection. */
static int sq_hold_store(struct fk_db *db, int64_t key, bool alone, bool *got, struct fk_err *err)
{
	struct sq_db *sq = (struct sq_db *)db;
	const char *path = sqlite3_db_filename(sq->h, "main");
	int fd;

	(void)key;
	*got = !path || !*path; /* an in-memory database: nobody else's */
	if (*got)
		return 0;
	if (sq->store_fd >= 0)
		return fk_err_set(err, FK_EINTERNAL, "db", "db", "此连接已持有存储",
				  "this connection holds the store already");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fk_err_set(err, FK_EDB, "db", "db", "无法打开 %s：%s", "cannot open %s: %s",
				  path, strerror(errno));
	if (flock(fd, (alone ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0) {
		sq->store_fd = fd;
		*got = true;
		return 0;
	}
	int e = errno;
	close(fd);
	if (e == EWOULDBLOCK)
		return 0;
	return fk_err_set(err, FK_EDB, "db", "db", "无法锁定 %s：%s", "cannot lock %s: %s", path,
			  strerror(e));
}

static int sq_has_table(struct fk_db *db, const char *name, bool *found, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, name);
	rc = fk_q_step(q, err);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	*found = rc > 0;
	return 0;
}

static bool sq_healthy(struct fk_db *db)
{
	(void)db;
	return true;
}

static bool only_space(const char *s)
{
	for (; *s; s++)
		if (!strchr(" \t\r\n;", *s))
			return false;
	return true;
}

static int sq_prepare(struct fk_db *db, const char *sql, struct fk_q **out, struct fk_err *err)
{
	sqlite3 *h = sq_handle(db);
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	struct sq_q *q;
	int rc = sqlite3_prepare_v3(h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, &tail);

	if (rc != SQLITE_OK)
		return sq_fail(h, sqlite3_extended_errcode(h), "prepare", err);
	if (!st || (tail && !only_space(tail))) {
		sqlite3_finalize(st);
		return fk_err_set(err, FK_EINTERNAL, "sql", NULL, "一次只能准备一条 SQL 语句：%s",
				  "prepare takes exactly one statement: %s", sql);
	}
	q = fk_xcalloc(1, sizeof(*q));
	q->st = st;
	*out = &q->base;
	return 0;
}

static void sq_finalize(struct fk_q *q)
{
	sqlite3_finalize(sq_stmt(q));
	free(q);
}

static void sq_reset(struct fk_q *q)
{
	sqlite3_stmt *st = sq_stmt(q);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	((struct sq_q *)q)->changes = 0;
}

static int bind_rc(int rc)
{
	return rc == SQLITE_OK ? 0 : FK_EINTERNAL;
}

static int sq_bind_i64(struct fk_q *q, int idx, int64_t v)
{
	return bind_rc(sqlite3_bind_int64(sq_stmt(q), idx, v));
}

static int sq_bind_double(struct fk_q *q, int idx, double v)
{
	return bind_rc(sqlite3_bind_double(sq_stmt(q), idx, v));
}

static int sq_bind_text(struct fk_q *q, int idx, const char *s)
{
	return bind_rc(sqlite3_bind_text(sq_stmt(q), idx, s, -1, SQLITE_TRANSIENT));
}

static int sq_bind_null(struct fk_q *q, int idx)
{
	return bind_rc(sqlite3_bind_null(sq_stmt(q), idx));
}

static int sq_step(struct fk_q *q, struct fk_err *err)
{
	struct sq_q *sq = (struct sq_q *)q;
	sqlite3 *h;
	int rc = sqlite3_step(sq->st);

	if (rc == SQLITE_ROW)
		return 1;
	h = sqlite3_db_handle(sq->st);
	if (rc == SQLITE_DONE) {
		sq->changes = sqlite3_stmt_readonly(sq->st) ? 0 : sqlite3_changes64(h);
		return 0;
	}
	return sq_fail(h, sqlite3_extended_errcode(h), "step", err);
}

static int sq_columns(struct fk_q *q)
{
	return sqlite3_column_count(sq_stmt(q));
}

static bool sq_isnull(struct fk_q *q, int col)
{
	return sqlite3_column_type(sq_stmt(q), col) == SQLITE_NULL;
}

static int64_t sq_i64(struct fk_q *q, int col)
{
	return sqlite3_column_int64(sq_stmt(q), col);
}

static double sq_double(struct fk_q *q, int col)
{
	return sqlite3_column_double(sq_stmt(q), col);
}

static const char *sq_text(struct fk_q *q, int col)
{
	return (const char *)sqlite3_column_text(sq_stmt(q), col);
}

/* After a write's last step; RETURNING rows arrive before the count is known. */
static int64_t sq_changes(struct fk_q *q)
{
	return ((struct sq_q *)q)->changes;
}

static void sq_checkpoint(struct fk_db *db, bool all)
{
	sqlite3 *h = sq_handle(db);
	int rc = sqlite3_wal_checkpoint_v2(
	    h, NULL, all ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		fk_warn("msg=\"checkpoint failed\" error=\"%s\"", sqlite3_errmsg(h));
}

static void sq_set_autocheckpoint(struct fk_db *db, bool on)
{
	sqlite3_wal_autocheckpoint(sq_handle(db), on ? 1000 : 0);
}

/* WAL frames past which the writer, after its commit, finishes the checkpoint itself and
 * lets the log start again from its beginning. The checkpoint thread copies pages without
 * waiting for anyone, so under a steady stream of commits it never catches up, and only the
 * writer can stop writing for the moment it takes to copy the few frames left. */
#define RESTART_FRAMES 16384

static int writer_wal_hook(void *arg, sqlite3 *h, const char *name, int frames)
{
	(void)arg;
	if (frames > RESTART_FRAMES)
		sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_RESTART, NULL, NULL);
	return SQLITE_OK;
}

/* Every commit walks the connection's whole page cache (to drop pages past the end of the
 * file), so the connection that commits all the time keeps a small one: what it reads is the
 * last pages of the tables it appends to and one index path per row. */
static void sq_tune_writer(struct fk_db *db)
{
	sqlite3_exec(sq_handle(db), "PRAGMA cache_size=-8192", NULL, NULL, NULL);
	sqlite3_wal_hook(sq_handle(db), writer_wal_hook, NULL);
}

static const struct fk_backend sq_backend = {
    .kind = FK_DB_SQLITE,
    .name = "sqlite",
    .close = sq_close,
    .exec = sq_exec,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .lock_schema = sq_lock_schema,
    .has_table = sq_has_table,
    .try_lock = sq_try_lock,
    .unlock = sq_unlock,
    .hold_store = sq_hold_store,
    .healthy = sq_healthy,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .bind_i64 = sq_bind_i64,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .columns = sq_columns,
    .isnull = sq_isnull,
    .col_i64 = sq_i64,
    .col_double = sq_double,
    .col_text = sq_text,
    .changes = sq_changes,
    .checkpoint = sq_checkpoint,
    .set_autocheckpoint = sq_set_autocheckpoint,
    .tune_writer = sq_tune_writer,
    .tables_sql = "SELECT name FROM sqlite_schema WHERE type = 'table' "
		  "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    .columns_sql = "SELECT name, upper(type) LIKE '%REAL%' OR upper(type) LIKE '%FLOA%' OR "
		   "upper(type) LIKE '%DOUB%' FROM pragma_table_info(?) ORDER BY cid",
    .pkey_sql = "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk",
};
