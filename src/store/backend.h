/* backend: the private contract between the store's common layer (common.c: statement cache,
 * dispatch, pool) and its two backends (sqlite.c, postgres.c). Not for other modules; unit
 * tests of the store may include it.
 *
 * A backend's connection embeds struct fk_db as its first member and its statement embeds
 * struct fk_q first, so common code and backend code cast between them. */
#ifndef FK_STORE_BACKEND_H
#define FK_STORE_BACKEND_H
#include <stdint.h>
#include "store/db.h"

#define FK_QCACHE_BUCKETS 1024
#define FK_QCACHE_MAX	  512

struct fk_q {
	struct fk_db *db;
	char *sql; /* the cache key, owned */
	size_t len;
	uint64_t hash;
	bool busy;   /* handed out by fk_db_query, not yet given back by fk_q_done */
	bool cached; /* false for a one-off twin made while the cached one was busy */
	int bind_rc; /* first failed bind (bad index), reported by the next step */
	struct fk_q *hnext;
	struct fk_q *lru_prev, *lru_next; /* most recently used first */
};

struct fk_backend {
	enum fk_db_kind kind;
	const char *name;
	void (*close)(struct fk_db *db);
	int (*exec)(struct fk_db *db, const char *sql, struct fk_err *err);
	int (*begin)(struct fk_db *db, bool write, struct fk_err *err);
	int (*commit)(struct fk_db *db, struct fk_err *err);
	void (*rollback)(struct fk_db *db);
	/* Serializes schema changes between processes for the current transaction. */
	int (*lock_schema)(struct fk_db *db, struct fk_err *err);
	int (*has_table)(struct fk_db *db, const char *name, bool *out, struct fk_err *err);
	/* A lock between connections (and processes) on key, held by this connection until
	 * unlock or until it closes; *got is false when another connection holds it. */
	int (*try_lock)(struct fk_db *db, int64_t key, bool *got, struct fk_err *err);
	int (*unlock)(struct fk_db *db, int64_t key, struct fk_err *err);
	/* fk_db_hold_store, on the lock key it derives. */
	int (*hold_store)(struct fk_db *db, int64_t key, bool alone, bool *got, struct fk_err *err);
	/* False once the connection is unusable (the pool then drops it). */
	bool (*healthy)(struct fk_db *db);
	/* Makes a new statement; common code fills the fk_q header fields it owns. */
	int (*prepare)(struct fk_db *db, const char *sql, struct fk_q **out, struct fk_err *err);
	void (*finalize)(struct fk_q *q);
	void (*reset)(struct fk_q *q); /* back to unexecuted, binds cleared */
	int (*bind_i64)(struct fk_q *q, int idx, int64_t v);
	int (*bind_double)(struct fk_q *q, int idx, double v);
	int (*bind_text)(struct fk_q *q, int idx, const char *s);
	int (*bind_null)(struct fk_q *q, int idx);
	int (*step)(struct fk_q *q, struct fk_err *err);
	int (*columns)(struct fk_q *q);
	bool (*isnull)(struct fk_q *q, int col);
	int64_t (*col_i64)(struct fk_q *q, int col);
	double (*col_double)(struct fk_q *q, int col);
	const char *(*col_text)(struct fk_q *q, int col);
	int64_t (*changes)(struct fk_q *q);
	/* SQLite only (NULL on PostgreSQL): copies the WAL into the database file as far as
	 * readers allow; all = also wait for writers and truncate the WAL (at close). */
	void (*checkpoint)(struct fk_db *db, bool all);
	/* SQLite only: whether the connection checkpoints by itself after its commits. */
	void (*set_autocheckpoint)(struct fk_db *db, bool on);
	/* Settings for a store's writer connection (fk_store_writer); may be NULL. */
	void (*tune_writer)(struct fk_db *db);
	/* PostgreSQL only (NULL on SQLite): fk_db_listen and fk_db_wait. */
	int (*listen)(struct fk_db *db, const char *channel, struct fk_err *err);
	int (*wait)(struct fk_db *db, int wake_fd, int timeout_ms, struct fk_err *err);
	/* The catalog, for digest.c: the store's own tables (one text column, the name, in byte
	 * order), a table's columns in their order (name, and 1 for a column of doubles else 0)
	 * and its primary key's columns in key order (each with the table's name as
	 * parameter 1). */
	const char *tables_sql;
	const char *columns_sql;
	const char *pkey_sql;
};

#define FK_CHECKPOINT_MS 100 /* background checkpoints of a SQLite store */

struct fk_db {
	const struct fk_backend *be;
	bool in_tx;
	int nq;	   /* cached statements */
	int nbusy; /* statements handed out and not done */
	struct fk_q *lru_head, *lru_tail;
	struct fk_q *buckets[FK_QCACHE_BUCKETS];
	struct fk_db *pool_next;
	struct fk_db_hook *hooks, **hooks_tail; /* fk_db_after_commit, in order */
	struct fk_counts *counts;		/* fk_db_count's queue; NULL until it defers */
};

/* Sets up the common part of a freshly allocated connection. */
void fk_db_init(struct fk_db *db, const struct fk_backend *be);
/* Frees fk_db_count's queue (closing the connection). */
void fk_db_counts_free(struct fk_db *db);
/* Finalizes every cached statement (a backend's close calls it first). */
void fk_db_cache_clear(struct fk_db *db);

int fk_sqlite_open(const char *path, const struct fk_db_opts *opts, struct fk_db **out,
		   struct fk_err *err);
int fk_pg_open(const char *url, struct fk_db **out, struct fk_err *err);
/* How long a SQLite connection's statements wait for another process's lock before they fail
 * with FK_ECONFLICT "retry" (10 s by default); for tests. FK_EINTERNAL on PostgreSQL. */
int fk_sqlite_busy_timeout(struct fk_db *db, int ms);

/* Rewrites '?' placeholders as $1, $2, ... for libpq, leaving '?' inside single-quoted
 * strings, double-quoted identifiers and comments alone. Returns a malloc'd string and sets
 * *nparams to the number of placeholders. */
char *fk_sql_dollar_params(const char *sql, int *nparams);

/* The common error for a failed store call: FK_EDB, key "db". */
int fk_db_fail(struct fk_err *err, const char *what, const char *msg);

#endif
