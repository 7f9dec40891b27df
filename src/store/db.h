/* db: the store interface. One API, two backends: SQLite (a file path, WAL, the default) and
 * PostgreSQL via libpq (a "postgres://" or "postgresql://" URL). Dialect differences live only
 * in sqlite.c and postgres.c.
 *
 * SQL is written once in the common dialect with '?' placeholders (translated to $1.. for
 * libpq). Every statement is prepared once per connection and cached by its SQL text, so pass
 * the same string each time (a string literal or a constant).
 *
 * A struct fk_db is one connection, used by one thread at a time. struct fk_store is a pool of
 * them for the server's threads.
 *
 * Values: integers as int64, text as UTF-8, doubles, NULL. Times are epoch ms in BIGINT. */
#ifndef FK_DB_H
#define FK_DB_H
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "base/err.h"

enum fk_db_kind { FK_DB_SQLITE = 1, FK_DB_POSTGRES = 2 };

struct fk_db;
struct fk_q;

/* Opens one connection. url: a file path (SQLite) or postgres://... The SQLite file is
 * created if missing. Does not migrate (see migrate.h). */
int fk_db_open(const char *url, struct fk_db **out, struct fk_err *err);

/* How far a commit has gone to disk when it returns (`serve --durability`). Both survive a
 * crash of the process: a commit is in the operating system's hands when it returns. On
 * SQLite (WAL) NORMAL syncs the log at checkpoints only, so a power cut may lose the last
 * commits (never corrupting the file); FULL syncs the log at every commit, so none is lost.
 * PostgreSQL keeps the server's own setting (synchronous_commit, on by default: every
 * commit flushed before it returns) for both. */
enum fk_durability { FK_DURABILITY_NORMAL = 0, FK_DURABILITY_FULL = 1 };

/* What fk_db_open_with and fk_store_open_with set on each connection they open; a NULL
 * opts, or one zeroed, is fk_db_open's: FK_DURABILITY_NORMAL. */
struct fk_db_opts {
	enum fk_durability durability;
};
int fk_db_open_with(const char *url, const struct fk_db_opts *opts, struct fk_db **out,
		    struct fk_err *err);
/* "normal" / "full", and back: 0, or -1 for a word that is neither. */
const char *fk_durability_name(enum fk_durability d);
int fk_durability_parse(const char *word, enum fk_durability *out);
void fk_db_close(struct fk_db *db);
enum fk_db_kind fk_db_kind(struct fk_db *db);
const char *fk_db_kind_name(struct fk_db *db); /* "sqlite" / "postgres" */

/* Runs one or more statements without parameters (DDL, migrations). */
int fk_db_exec(struct fk_db *db, const char *sql, struct fk_err *err);

/* Transactions. fk_db_begin takes the write lock at once on SQLite (BEGIN IMMEDIATE) so two
 * writers never deadlock; pass write=false for a read snapshot. Nested calls are an error.
 * On SQLite the write transactions of this process's connections to one file (the pool's and
 * the store's writer) take turns on one lock, so a writer sleeps until the last one ends;
 * one waiting longer than 10 s gets FK_ECONFLICT "retry". */
int fk_db_begin(struct fk_db *db, bool write, struct fk_err *err);
int fk_db_commit(struct fk_db *db, struct fk_err *err);
void fk_db_rollback(struct fk_db *db); /* safe to call when no transaction is open */
bool fk_db_in_tx(struct fk_db *db);

/* Join-or-begin: a write that may run alone or inside its caller's transaction.
 * fk_tx_begin joins the transaction open on db, or else opens a write one (fk_db_begin) that
 * tx then owns; <0 with err filled when it cannot be opened (tx is then closed, and
 * fk_tx_end on it returns rc unchanged). fk_tx_end, given the work's result rc, ends what
 * tx owns: commits when rc >= 0, rolls back when rc < 0; a joined transaction is left to its
 * owner. Returns rc, or the commit's negative code (err filled; the work is rolled back).
 * tx lives on the caller's stack; calls nest (an inner begin joins the outer one).
 *   struct fk_tx tx;
 *   int rc = fk_tx_begin(db, &tx, err);
 *   if (rc == 0)
 *           rc = write_things(db, err);
 *   return fk_tx_end(db, &tx, rc, err); */
struct fk_tx {
	bool open; /* between a successful fk_tx_begin and its fk_tx_end */
	bool own;  /* this tx opened the transaction and ends it */
};
int fk_tx_begin(struct fk_db *db, struct fk_tx *tx, struct fk_err *err);
int fk_tx_end(struct fk_db *db, struct fk_tx *tx, int rc, struct fk_err *err);

/* A named lock that keeps one holder at a time among every connection to the store, in this
 * process or another (one scheduled job on several servers). *got is true when this
 * connection now holds it (until fk_db_unlock, or until the connection closes), false when
 * someone else does: the caller then skips its work, it does not wait. On PostgreSQL it is an
 * advisory lock on a key derived from name; on SQLite, where the database file has one writer
 * at a time, it always succeeds and the caller's write transaction (fk_db_begin with write)
 * is what keeps two writers apart, so the caller must re-check its state inside one.
 * Returns 0 or FK_EDB.
 *   bool got;
 *   if (fk_db_try_lock(db, "job:purge", &got, err) < 0) return rc;
 *   if (got) { ...; fk_db_unlock(db, "job:purge", NULL); } */
int fk_db_try_lock(struct fk_db *db, const char *name, bool *got, struct fk_err *err);
int fk_db_unlock(struct fk_db *db, const char *name, struct fk_err *err);

/* Who uses the store, between processes: every `fangkong serve` holds the store's serving
 * mark shared for as long as it runs, and `fangkong restore` holds it alone while it replaces
 * the store, so that a restore refuses a store a server serves and a server does not start on
 * one being restored. fk_db_hold_store takes it on db, shared or alone, until db is closed;
 * *got is false when it is held the other way (alone: by anyone else). On PostgreSQL a
 * session advisory lock; on SQLite a flock(2) on the database file (SQLite's own locks are
 * fcntl(2) locks, which flock leaves alone). Returns 0 or FK_EDB.
 *   bool got;
 *   if (fk_db_hold_store(db, true, &got, err) == 0 && !got) die("a server serves it"); */
int fk_db_hold_store(struct fk_db *db, bool alone, bool *got, struct fk_err *err);

/* Work to do once the transaction open on db has committed: fn(arg) runs right after a
 * successful fk_db_commit, in the order added; a rollback, a failed commit or closing the
 * connection calls drop(arg) instead (drop may be NULL). With no transaction open fn(arg)
 * runs at once. For what must not be seen before the data is (an event about a write):
 *   fk_db_after_commit(db, announce, free, copy_of_what_changed); */
void fk_db_after_commit(struct fk_db *db, void (*fn)(void *arg), void (*drop)(void *arg),
			void *arg);

/* Counters bumped at the commit. A counter row that many writers bump (a building's figures
 * in a round, bumped by every scan there) is locked by its UPDATE until the transaction ends,
 * so on PostgreSQL two writer connections scanning neighbours each wait for the other's whole
 * batch. On a connection that defers (fk_db_defer_counts, the group commit's writers),
 * fk_db_count queues the deltas instead and the commit applies them first, summed per row
 * and in the order (kind's name, a, b): each row is held only for the commit, and any two
 * transactions take the rows they share in the same order. The transaction's own reads do
 * not see queued deltas. Elsewhere (the default) fk_db_count applies them at once.
 * counter must live as long as the program (a static). Returns 0 or <0 with err filled.
 *   static const struct fk_counter stats = {.name = "round_stats", .apply = stats_apply};
 *   rc = fk_db_count(db, &stats, round_id, building_id, (int64_t[FK_COUNT_N]){0, 0, 1}, err); */
#define FK_COUNT_N 5
struct fk_counter {
	const char *name; /* unique; orders the kinds' rows at the commit */
	/* Adds d to the row (a, b) now: 0, or <0 with err filled. */
	int (*apply)(struct fk_db *db, int64_t a, int64_t b, const int64_t d[FK_COUNT_N],
		     struct fk_err *err);
};
int fk_db_count(struct fk_db *db, const struct fk_counter *counter, int64_t a, int64_t b,
		const int64_t d[FK_COUNT_N], struct fk_err *err);
void fk_db_defer_counts(struct fk_db *db, bool on);
/* For a savepoint: how many deltas are queued; rolled back to it, back to that many. */
size_t fk_db_counts_mark(struct fk_db *db);
void fk_db_counts_rewind(struct fk_db *db, size_t mark);
/* Applies what is queued now (the commit does it first, a rollback drops it); the queue is
 * empty afterwards either way. 0, or <0 with err filled (a lock wait lost: FK_ECONFLICT
 * "retry", the transaction to be rolled back). */
int fk_db_counts_flush(struct fk_db *db, struct fk_err *err);

/* Notifications between connections, in this process or another (PostgreSQL LISTEN and
 * NOTIFY), on a connection kept for listening alone. fk_db_listen subscribes db to channel
 * (a plain SQL name). fk_db_wait waits up to timeout_ms for a notification on db, or for
 * wake_fd (-1: none) to become readable (it is not read); returns 1 when notifications
 * came (all of them are consumed), 0 on a timeout or a wake, FK_EDB when the connection
 * broke (close it and open another). A notification sent inside a transaction arrives
 * when it commits. On SQLite both are FK_EINTERNAL "unsupported": one process has no one
 * else to tell. */
int fk_db_listen(struct fk_db *db, const char *channel, struct fk_err *err);
int fk_db_wait(struct fk_db *db, int wake_fd, int timeout_ms, struct fk_err *err);

/* Queries. fk_db_query returns a reset, cached statement; bind parameters (1-based), then
 * call fk_q_step until it returns 0. Always end with fk_q_done (also after errors).
 *   struct fk_q *q;
 *   if (fk_db_query(db, &q, "SELECT name FROM areas WHERE id = ?", err) < 0) goto fail;
 *   fk_q_bind_i64(q, 1, id);
 *   while ((rc = fk_q_step(q, err)) > 0) use(fk_q_text(q, 0));
 *   fk_q_done(q);
 * Column getters are valid until the next fk_q_step or fk_q_done. */
int fk_db_query(struct fk_db *db, struct fk_q **out, const char *sql, struct fk_err *err);
void fk_q_bind_i64(struct fk_q *q, int idx, int64_t v);
void fk_q_bind_double(struct fk_q *q, int idx, double v);
void fk_q_bind_text(struct fk_q *q, int idx, const char *s); /* NULL binds NULL; copied */
void fk_q_bind_null(struct fk_q *q, int idx);
/* 1 = a row is ready, 0 = done, <0 = error (err filled; unique violations are FK_ECONFLICT). */
int fk_q_step(struct fk_q *q, struct fk_err *err);
int fk_q_columns(struct fk_q *q);
bool fk_q_isnull(struct fk_q *q, int col);
int64_t fk_q_i64(struct fk_q *q, int col);	/* NULL -> 0 */
double fk_q_double(struct fk_q *q, int col);	/* NULL -> 0 */
const char *fk_q_text(struct fk_q *q, int col); /* NULL -> NULL */
int64_t fk_q_changes(struct fk_q *q);		/* rows changed by the last step of a write */
void fk_q_done(struct fk_q *q);
/* Steps q to its end, filling one record of elem bytes per row (zeroed, then row(q, rec)) in a
 * growing array, then fk_q_done(q). *out (malloc'd, the caller frees; NULL when no row) and
 * *n get them. For lists whose records are then completed or rendered with queries of their
 * own, which may not run while q is open. 0, or the step's error (nothing left to free). */
int fk_q_collect(struct fk_q *q, size_t elem, void (*row)(struct fk_q *q, void *rec), void **out,
		 int *n, struct fk_err *err);
/* Steps q once, letting row(q, rec) fill rec when a row is ready (rec is not zeroed), then
 * fk_q_done(q): for a read by key. 1 = a row was read, 0 = none, <0 = the step's error. */
int fk_q_first(struct fk_q *q, void (*row)(struct fk_q *q, void *rec), void *rec,
	       struct fk_err *err);

/* Pages of rows for an export (the exports module's contract; see fk_people_export_page in
 * people.h). Each row's columns 0..ncols-1 are given to row as text: NULL as "", a column whose
 * bit is set in times (epoch ms) as ISO 8601. next gets the row's cursor: the text of the
 * key columns (their indexes, e.g. {path column, 1, 0}) joined by the byte 0x1f.
 * fk_q_page_rows steps q to its end (or row's first error), then fk_q_done(q); 0, the step's
 * error or row's. fk_cursor_split cuts a cursor back into at most n parts, each copied into
 * parts[i] (truncated to FK_CURSOR_PART_MAX - 1 bytes); returns how many (0 for NULL or ""). */
#define FK_PAGE_COLS_MAX   32
#define FK_CURSOR_PART_MAX 1024
struct fk_page_cols {
	int ncols;	/* <= FK_PAGE_COLS_MAX */
	unsigned times; /* bit i: column i is epoch ms */
	int key[3];	/* the cursor's columns */
	int nkey;
};
int fk_q_page_rows(struct fk_q *q, const struct fk_page_cols *c,
		   int (*row)(void *ctx, const char *const *v, int n), void *ctx, char *next,
		   size_t next_size, struct fk_err *err);
int fk_cursor_split(const char *after, char parts[][FK_CURSOR_PART_MAX], int n);

/* Shorthands for one-shot statements. fk_db_run executes a write with the given binds
 * described by fmt: 'i' int64, 't' text (NULL = NULL), 'd' double, 'n' NULL; returns rows
 * changed (>= 0) or <0. fk_db_one_i64 reads the first column of the first row into *out;
 * returns 1 if a row was found, 0 if none. */
int64_t fk_db_run(struct fk_db *db, struct fk_err *err, const char *sql, const char *fmt, ...);
int fk_db_one_i64(struct fk_db *db, struct fk_err *err, int64_t *out, const char *sql,
		  const char *fmt, ...);
/* fk_db_one_i64 for n columns: the first row's columns 0..n-1 into out[0..n-1] (all 0 when
 * there is no row), e.g. a COUNT and a SUM read together. 1 = a row, 0 = none, or <0. */
int fk_db_one_row(struct fk_db *db, struct fk_err *err, int64_t *out, int n, const char *sql,
		  const char *fmt, ...);
/* fk_db_run for a caller that needs no count: 0, or the negative code (err filled). */
int fk_db_write(struct fk_db *db, struct fk_err *err, const char *sql, const char *fmt, ...);

/* Pool of connections for concurrent use; thread-safe. acquire blocks when all `max` are in
 * use. The store owns its connections; release returns one (rolling back an open tx). On
 * SQLite an open store checkpoints the WAL in the background (see pool.c). */
struct fk_store;
int fk_store_open(const char *url, int max, struct fk_store **out, struct fk_err *err);
/* fk_store_open whose connections (the pool's, the writer, the checkpointer) are opened with
 * opts; NULL is fk_store_open. */
int fk_store_open_with(const char *url, int max, const struct fk_db_opts *opts,
		       struct fk_store **out, struct fk_err *err);
/* A connection of the caller's own, outside the pool, opened as the store's are (a long
 * export's); the caller closes it with fk_db_close. */
int fk_store_connect(struct fk_store *s, struct fk_db **out, struct fk_err *err);
struct fk_db *fk_store_acquire(struct fk_store *s);
void fk_store_release(struct fk_store *s, struct fk_db *db);
/* The store's one writer connection (opened at the first call, reopened when broken), for a
 * caller that serializes every use of it itself; NULL with err when it cannot be opened.
 * Closed by fk_store_close. */
struct fk_db *fk_store_writer(struct fk_store *s, struct fk_err *err);
/* How many writer connections the store's kind puts to use (fk_store_writer_at): 1 on
 * SQLite (one writer at a time), FK_STORE_WRITERS on PostgreSQL, where writers overlap their
 * round trips and row locks sort them out. */
#define FK_STORE_WRITERS 4
int fk_store_writers(struct fk_store *s);
/* Writer connection i (0 <= i < fk_store_writers(s)); 0 is fk_store_writer's. */
struct fk_db *fk_store_writer_at(struct fk_store *s, int i, struct fk_err *err);
const char *fk_store_url(struct fk_store *s);
void fk_store_close(struct fk_store *s);

/* Turns "prefix" into the exclusive upper bound of a prefix range: rows with
 * col >= prefix AND col < upper are exactly those starting with prefix (byte order; the
 * PostgreSQL database must use the C collation, which fangkong checks at open). out must hold
 * strlen(prefix) + 5 bytes. */
char *fk_prefix_upper(const char *prefix, char *out);

#endif
