/* test_store: the store interface (store/db.h, migrate.h) on SQLite in a temp file, and on
 * PostgreSQL too when FK_PG_URL is set (in a database made for the run and dropped after).
 * Every case runs unchanged on both: that is the promise of the interface. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "base/clock.h"
#include "store/backend.h"
#include "store/db.h"
#include "store/migrate.h"
#include "modules.h"
#include "pg_required.h"

struct env {
	char url[512];
	char admin_url[512];
	char dbname[64];
	struct fk_db *db;
};

static struct env sqlite_env, pg_env;
/* A store of its own for one case (a file beside the env's, or a database on the server). */
static void fresh_store(struct env *e, const char *suffix, char *url, size_t cap);
static void drop_store(struct env *e, const char *suffix, const char *url);

/* ---- setup ---- */

static int setup_sqlite(void **state)
{
	struct fk_err err = {0};
	struct env *e = &sqlite_env;
	snprintf(e->url, sizeof(e->url), "/tmp/fk_unit_%d.db", (int)getpid());
	if (fk_db_open(e->url, &e->db, &err) < 0) {
		fprintf(stderr, "open %s: %s\n", e->url, err.en);
		return -1;
	}
	*state = e;
	return 0;
}

static int teardown_sqlite(void **state)
{
	struct env *e = *state;
	char path[600];
	fk_db_close(e->db);
	unlink(e->url);
	snprintf(path, sizeof(path), "%s-wal", e->url);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", e->url);
	unlink(path);
	return 0;
}

/* postgres://user@host:port/dbname?opts -> the same URL naming another database. */
static void url_with_db(const char *url, const char *db, char *out, size_t cap)
{
	const char *host = strstr(url, "://");
	const char *path = host ? strchr(host + 3, '/') : NULL;
	const char *query = strchr(url, '?');
	int head = path ? (int)(path - url) : (query ? (int)(query - url) : (int)strlen(url));
	snprintf(out, cap, "%.*s/%s%s", head, url, db, query ? query : "");
}

static int admin_exec(const char *url, const char *sql)
{
	struct fk_err err = {0};
	struct fk_db *db;
	int rc = fk_db_open(url, &db, &err);
	if (rc == 0) {
		rc = fk_db_exec(db, sql, &err);
		fk_db_close(db);
	}
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", sql, err.en);
	return rc;
}

static int setup_pg(void **state)
{
	struct fk_err err = {0};
	struct env *e = &pg_env;
	char sql[256];

	snprintf(e->admin_url, sizeof(e->admin_url), "%s", getenv("FK_PG_URL"));
	snprintf(e->dbname, sizeof(e->dbname), "fk_unit_%d", (int)getpid());
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", e->dbname);
	admin_exec(e->admin_url, sql);
	snprintf(sql, sizeof(sql),
		 "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' "
		 "LC_CTYPE 'C'",
		 e->dbname);
	if (admin_exec(e->admin_url, sql) < 0)
		return -1;
	url_with_db(e->admin_url, e->dbname, e->url, sizeof(e->url));
	if (fk_db_open(e->url, &e->db, &err) < 0) {
		fprintf(stderr, "open %s: %s\n", e->url, err.en);
		return -1;
	}
	*state = e;
	return 0;
}

static int teardown_pg(void **state)
{
	struct env *e = *state;
	char sql[256];
	fk_db_close(e->db);
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", e->dbname);
	return admin_exec(e->admin_url, sql) < 0 ? -1 : 0;
}

static struct fk_db *env_db(void **state)
{
	return ((struct env *)*state)->db;
}

static void must(int64_t rc, const struct fk_err *err)
{
	if (rc < 0)
		fail_msg("store call failed: %s [%s]", err->en, err->key);
}

static void reset_table(struct fk_db *db, const char *create)
{
	struct fk_err err = {0};
	must(fk_db_exec(db, "DROP TABLE IF EXISTS t_items", &err), &err);
	must(fk_db_exec(db, create, &err), &err);
}

static const char items_sql[] = "CREATE TABLE t_items (id BIGINT PRIMARY KEY, name TEXT UNIQUE, "
				"score DOUBLE PRECISION, note TEXT)";

static int64_t count_items(struct fk_db *db)
{
	struct fk_err err = {0};
	int64_t n = -1;
	must(fk_db_one_i64(db, &err, &n, "SELECT COUNT(*) FROM t_items", ""), &err);
	return n;
}

/* ---- cases ---- */

static void test_kind(void **state)
{
	struct env *e = *state;
	if (e == &sqlite_env) {
		assert_int_equal(fk_db_kind(e->db), FK_DB_SQLITE);
		assert_string_equal(fk_db_kind_name(e->db), "sqlite");
	} else {
		assert_int_equal(fk_db_kind(e->db), FK_DB_POSTGRES);
		assert_string_equal(fk_db_kind_name(e->db), "postgres");
	}
}

static void test_roundtrip(void **state)
{
	struct fk_db *db = env_db(state);
	struct fk_err err = {0};
	struct fk_q *q;
	int64_t big = INT64_C(9007199254740993);
	int rc;

	reset_table(db, items_sql);
	assert_int_equal(fk_db_run(db, &err, "INSERT INTO t_items VALUES (?, ?, ?, ?)", "itdn", big,
				   "张三 O'Neil", 0.1 + 0.2),
			 1);
	assert_int_equal(fk_db_run(db, &err, "INSERT INTO t_items VALUES (?, ?, ?, ?)", "itnt",
				   INT64_C(-5), NULL, "备注"),
			 1);
	must(
	    fk_db_query(db, &q, "SELECT id, name, score, note FROM t_items ORDER BY id DESC", &err),
	    &err);
	assert_int_equal(fk_q_step(q, &err), 1);
	assert_int_equal(fk_q_columns(q), 4);
	assert_true(fk_q_i64(q, 0) == big);
	assert_string_equal(fk_q_text(q, 1), "张三 O'Neil");
	assert_true(fk_q_double(q, 2) == 0.1 + 0.2);
	assert_true(fk_q_isnull(q, 3));
	assert_null(fk_q_text(q, 3));
	assert_int_equal(fk_q_step(q, &err), 1);
	assert_true(fk_q_i64(q, 0) == -5);
	assert_null(fk_q_text(q, 1));
	assert_int_equal(fk_q_i64(q, 1), 0);
	assert_true(fk_q_double(q, 2) == 0);
	assert_string_equal(fk_q_text(q, 3), "备注");
	rc = fk_q_step(q, &err);
	assert_int_equal(rc, 0);
	fk_q_done(q);
}

static void test_duplicate(void **state)
{
	struct fk_db *db = env_db(state);
	struct fk_err err = {0};

	reset_table(db, items_sql);
	assert_int_equal(fk_db_run(db, &err, "INSERT INTO t_items (id, name) VALUES (?, ?)", "it",
				   INT64_C(1), "a"),
			 1);
	assert_int_equal(fk_db_run(db, &err, "INSERT INTO t_items (id, name) VALUES (?, ?)", "it",
				   INT64_C(1), "b"),
			 FK_ECONFLICT);
	assert_string_equal(err.key, "duplicate");
	assert_string_equal(err.field, "id");
	assert_int_equal(fk_db_run(db, &err, "INSERT INTO t_items (id, name) VALUES (?, ?)", "it",
				   INT64_C(2), "a"),
			 FK_ECONFLICT);
	assert_string_equal(err.field, "name");
	assert_int_equal(count_items(db), 1);
}

static void test_tx(void **state)
{
	struct fk_db *db = env_db(state);
	struct fk_err err = {0};
	static const char ins[] = "INSERT INTO t_items (id) VALUES (?)";

	reset_table(db, items_sql);
	fk_db_rollback(db); /* no transaction: harmless */
	assert_false(fk_db_in_tx(db));
	must(fk_db_begin(db, true, &err), &err);
	assert_true(fk_db_in_tx(db));
	assert_int_equal(fk_db_begin(db, true, &err), FK_EINTERNAL);
	assert_int_equal(fk_db_run(db, &err, ins, "i", INT64_C(1)), 1);
	fk_db_rollback(db);
	assert_false(fk_db_in_tx(db));
	assert_int_equal(count_items(db), 0);

	must(fk_db_begin(db, true, &err), &err);
	assert_int_equal(fk_db_run(db, &err, ins, "i", INT64_C(2)), 1);
	must(fk_db_commit(db, &err), &err);
	assert_int_equal(count_items(db), 1);

	must(fk_db_begin(db, false, &err), &err);
	assert_int_equal(count_items(db), 1);
	must(fk_db_commit(db, &err), &err);
}

/* After a failed statement a transaction either commits the rest (SQLite) or refuses as a
 * whole (PostgreSQL); either way no transaction is left open. */
static void test_tx_after_error(void **state)
{
	struct fk_db *db = env_db(state);
	struct fk_err err = {0};
	static const char ins[] = "INSERT INTO t_items (id) VALUES (?)";
	int rc;

	reset_table(db, items_sql);
	must(fk_db_begin(db, true, &err), &err);
	assert_int_equal(fk_db_run(db, &err, ins, "i", INT64_C(1)), 1);
	assert_int_equal(fk_db_run(db, &err, ins, "i", INT64_C(1)), FK_ECONFLICT);
	rc = fk_db_commit(db, &err);
	assert_false(fk_db_in_tx(db));
	if (fk_db_kind(db) == FK_DB_POSTGRES) {
		assert_int_equal(rc, FK_EDB);
		assert_int_equal(count_items(db), 0);
	} else {
		assert_int_equal(rc, 0);
		assert_int_equal(count_items(db), 1);
	}
}

/* fk_tx: a helper's transaction of its own, or its caller's joined. */
static void test_tx_join_or_begin(void **state)
{
	struct fk_db *db = env_db(state);
	struct fk_err err = {0};
	struct fk_tx outer, inner;
	static const char ins[] = "INSERT INTO t_items (id) VALUES (?)";

	reset_table(db, items_sql);
	/* alone: its own, committed */
	must(fk_tx_begin(db, &outer, &err), &err);
	assert_true(outer.own && fk_db_in_tx(db));
	assert_int_equal(fk_db_run(db, &err, ins, "i", INT64_C(1)), 1);
	assert_int_equal(fk_tx_end(db, &outer, 0, &err), 0);
	assert_false(fk_db_in_tx(db));
	assert_int_equal(count_items(db), 1);
	/* alone and failing: rolled back, its rc returned */
	must(fk_tx_begin(db, &outer, &err), &err);
	assert_int_equal(fk_db_run(db, &err, ins, "i", INT64_C(2)), 1);
	assert_int_equal(fk_tx_end(db, &outer, FK_EUNPROC, &err), FK_EUNPROC);
	assert_false(fk_db_in_tx(db));
	assert_int_equal(count_items(db), 1);
	/* nested: the inner joins, and ends nothing, even when it fails */
	must(fk_tx_begin(db, &outer, &err), &err);
	must(fk_tx_begin(db, &inner, &err), &err);
	assert_false(inner.own);
	assert_int_equal(fk_db_run(db, &err, ins, "i", INT64_C(3)), 1);
	assert_int_equal(fk_tx_end(db, &inner, 0, &err), 0);
	assert_true(fk_db_in_tx(db));
	must(fk_tx_begin(db, &inner, &err), &err);
	assert_int_equal(fk_tx_end(db, &inner, FK_ENOTFOUND, &err), FK_ENOTFOUND);
	assert_true(fk_db_in_tx(db));
	assert_int_equal(fk_tx_end(db, &outer, 0, &err), 0);
	assert_false(fk_db_in_tx(db));
	assert_int_equal(count_items(db), 2);
	/* a positive rc is a success: committed and returned as is */
	must(fk_tx_begin(db, &outer, &err), &err);
	assert_int_equal(fk_db_run(db, &err, ins, "i", INT64_C(4)), 1);
	assert_int_equal(fk_tx_end(db, &outer, 1, &err), 1);
	assert_int_equal(count_items(db), 3);
}

/* A commit refused by the store (a deferred foreign key checked at COMMIT) is the result. */
static void test_tx_failing_commit(void **state)
{
	struct fk_db *db = env_db(state);
	struct fk_err err = {0};
	struct fk_tx tx;
	int rc;

	must(fk_db_exec(db, "DROP TABLE IF EXISTS t_child", &err), &err);
	reset_table(db, items_sql);
	must(fk_db_exec(db,
			"CREATE TABLE t_child (id BIGINT PRIMARY KEY, item_id BIGINT REFERENCES "
			"t_items (id) DEFERRABLE INITIALLY DEFERRED)",
			&err),
	     &err);
	must(fk_tx_begin(db, &tx, &err), &err);
	assert_int_equal(fk_db_run(db, &err, "INSERT INTO t_child VALUES (1, 99)", ""), 1);
	memset(&err, 0, sizeof(err));
	rc = fk_tx_end(db, &tx, 0, &err);
	assert_true(rc < 0);
	assert_int_equal(rc, err.code);
	assert_true(err.en[0] != '\0');
	assert_false(fk_db_in_tx(db));
	assert_false(tx.open);
	must(fk_db_one_i64(db, &err, NULL, "SELECT 1 FROM t_child", ""), &err);
	assert_int_equal(fk_db_one_i64(db, &err, NULL, "SELECT 1 FROM t_child", ""), 0);
	/* the connection writes again afterwards (and, on SQLite, the writers' lock is free) */
	must(fk_tx_begin(db, &tx, &err), &err);
	assert_int_equal(fk_tx_end(db, &tx, 0, &err), 0);
	must(fk_db_exec(db, "DROP TABLE t_child", &err), &err);
}

/* After-commit hooks run in order after a commit, are dropped by a rollback (and a failed
 * commit), and run at once with no transaction open. */
static char hook_log[64];

static void hook_ran(void *arg)
{
	size_t n = strlen(hook_log);

	snprintf(hook_log + n, sizeof(hook_log) - n, "%s", (const char *)arg);
}

static void hook_dropped(void *arg)
{
	size_t n = strlen(hook_log);

	snprintf(hook_log + n, sizeof(hook_log) - n, "-%s", (const char *)arg);
}

static void test_after_commit(void **state)
{
	struct fk_db *db = env_db(state);
	struct fk_err err = {0};

	hook_log[0] = '\0';
	fk_db_after_commit(db, hook_ran, hook_dropped, "a"); /* no transaction: now */
	assert_string_equal(hook_log, "a");
	must(fk_db_begin(db, true, &err), &err);
	fk_db_after_commit(db, hook_ran, hook_dropped, "b");
	fk_db_after_commit(db, hook_ran, hook_dropped, "c");
	assert_string_equal(hook_log, "a");
	must(fk_db_commit(db, &err), &err);
	assert_string_equal(hook_log, "abc");
	must(fk_db_begin(db, true, &err), &err);
	fk_db_after_commit(db, hook_ran, hook_dropped, "d");
	fk_db_after_commit(db, hook_ran, NULL, "e");
	fk_db_rollback(db);
	assert_string_equal(hook_log, "abc-d");
	must(fk_db_begin(db, true, &err), &err);
	must(fk_db_commit(db, &err), &err); /* nothing left over from the rollback */
	assert_string_equal(hook_log, "abc-d");
}

/* LISTEN/NOTIFY: a notification sent in a transaction arrives at its commit; a wake ends the
 * wait at once; SQLite has none. */
static void test_listen(void **state)
{
	struct env *e = *state;
	struct fk_err err = {0};
	struct fk_db *l, *n = env_db(state);
	int wake[2];
	uint64_t t0;

	must(fk_db_open(e->url, &l, &err), &err);
	if (fk_db_kind(l) == FK_DB_SQLITE) {
		assert_int_equal(fk_db_listen(l, "fk_test", &err), FK_EINTERNAL);
		assert_string_equal(err.key, "unsupported");
		assert_int_equal(fk_db_wait(l, -1, 10, &err), FK_EINTERNAL);
		fk_db_close(l);
		return;
	}
	must(fk_db_listen(l, "fk_test", &err), &err);
	must(fk_db_begin(n, true, &err), &err);
	must(fk_db_exec(n, "NOTIFY fk_test", &err), &err);
	assert_int_equal(fk_db_wait(l, -1, 100, &err), 0); /* not committed yet */
	must(fk_db_commit(n, &err), &err);
	assert_int_equal(fk_db_wait(l, -1, 5000, &err), 1);
	assert_int_equal(fk_db_wait(l, -1, 50, &err), 0); /* consumed */
	assert_int_equal(pipe(wake), 0);
	assert_int_equal(write(wake[1], "x", 1), 1);
	t0 = fk_mono_ns();
	assert_int_equal(fk_db_wait(l, wake[0], 5000, &err), 0);
	assert_true(fk_mono_ns() - t0 < 1000000000u);
	close(wake[0]);
	close(wake[1]);
	fk_db_close(l);
}

/* fk_tx joins whatever transaction is open (a read one too) and ends none of it; an end on a
 * tx that never opened (its begin failed) returns rc as it is and touches nothing. */
static void test_tx_join_read_and_closed(void **state)
{
	struct fk_db *db = env_db(state);
	struct fk_err err = {0};
	struct fk_tx tx = {.open = true, .own = true};

	must(fk_db_begin(db, false, &err), &err);
	must(fk_tx_begin(db, &tx, &err), &err);
	assert_false(tx.own);
	assert_int_equal(fk_tx_end(db, &tx, FK_EINVAL, &err), FK_EINVAL);
	assert_true(fk_db_in_tx(db));
	fk_db_rollback(db);
	tx = (struct fk_tx){0};
	assert_int_equal(fk_tx_end(db, &tx, FK_EINVAL, &err), FK_EINVAL);
	assert_int_equal(fk_tx_end(db, &tx, 0, &err), 0);
	assert_false(fk_db_in_tx(db));
}

#define WRITES_EACH 300

struct writer_arg {
	const char *url;
	int64_t first;
	int failed;
	struct fk_err err;
};

/* One thread's writes on a connection of its own, with SQLite's busy handler off: a write
 * that found the file locked would fail at once with FK_ECONFLICT "retry". */
static void *write_many(void *p)
{
	struct writer_arg *a = p;
	struct fk_db *db = NULL;

	if (fk_db_open(a->url, &db, &a->err) < 0 || fk_sqlite_busy_timeout(db, 0) < 0) {
		a->failed = WRITES_EACH;
		fk_db_close(db);
		return NULL;
	}
	for (int64_t i = 0; i < WRITES_EACH; i++) {
		struct fk_tx tx;
		int rc = fk_tx_begin(db, &tx, &a->err);
		if (rc == 0) {
			int64_t n = fk_db_run(db, &a->err, "INSERT INTO t_items (id) VALUES (?)",
					      "i", a->first + i);
			rc = fk_tx_end(db, &tx, n < 0 ? (int)n : 0, &a->err);
		}
		a->failed += rc < 0;
	}
	fk_db_close(db);
	return NULL;
}

/* SQLite: two threads writing to one file through two connections wait for each other on
 * the file's writers' lock; neither meets SQLITE_BUSY. */
static void test_sqlite_writers_queue(void **state)
{
	struct env *e = *state;
	struct writer_arg a = {.url = e->url, .first = 1}, b = {.url = e->url, .first = 100001};
	pthread_t ta, tb;

	if (e != &sqlite_env)
		skip();
	reset_table(e->db, items_sql);
	assert_int_equal(pthread_create(&ta, NULL, write_many, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, write_many, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	if (a.failed || b.failed)
		fail_msg("writes refused: %d and %d (%s / %s)", a.failed, b.failed, a.err.en,
			 b.err.en);
	assert_int_equal(count_items(e->db), 2 * WRITES_EACH);
}

static void test_changes(void **state)
{
	struct fk_db *db = env_db(state);
	struct fk_err err = {0};
	struct fk_q *q;
	int64_t id = 0;

	reset_table(db, items_sql);
	for (int64_t i = 1; i <= 5; i++)
		assert_int_equal(fk_db_run(db, &err,
					   "INSERT INTO t_items (id, score) VALUES (?, ?)", "id", i,
					   (double)i),
				 1);
	assert_int_equal(
	    fk_db_run(db, &err, "UPDATE t_items SET note = ? WHERE score > ?", "td", "x", 2.5), 3);
	assert_int_equal(fk_db_run(db, &err, "DELETE FROM t_items WHERE id = ?", "i", INT64_C(99)),
			 0);
	must(fk_db_query(db, &q, "DELETE FROM t_items WHERE id = ? RETURNING id", &err), &err);
	fk_q_bind_i64(q, 1, 4);
	assert_int_equal(fk_q_step(q, &err), 1);
	id = fk_q_i64(q, 0);
	assert_int_equal(fk_q_step(q, &err), 0);
	assert_int_equal(fk_q_changes(q), 1);
	fk_q_done(q);
	assert_int_equal(id, 4);
	assert_int_equal(
	    fk_db_one_i64(db, &err, &id, "SELECT id FROM t_items WHERE id = ?", "i", INT64_C(4)),
	    0);
	assert_int_equal(fk_db_one_i64(db, &err, &id,
				       "SELECT EXISTS (SELECT 1 FROM t_items WHERE id = ?)", "i",
				       INT64_C(5)),
			 1);
	assert_int_equal(id, 1);
}

/* Pages of text rows with a keyset cursor: NULL as "", epoch ms as ISO 8601, the cursor the
 * key columns joined by 0x1f and cut back into its parts. */
struct page_rows {
	int n;
	char first[3][64];
};

static int page_row(void *ctx, const char *const *v, int n)
{
	struct page_rows *r = ctx;

	assert_int_equal(n, 3);
	if (r->n++ == 0)
		for (int i = 0; i < 3; i++)
			snprintf(r->first[i], sizeof(r->first[i]), "%s", v[i]);
	return r->n == 3 ? FK_ELIMIT : 0; /* a row's error stops the page */
}

static void test_page_rows(void **state)
{
	struct fk_db *db = env_db(state);
	static const struct fk_page_cols cols = {
	    .ncols = 3, .times = 1u << 2, .key = {1, 0}, .nkey = 2};
	char next[128] = "", parts[3][FK_CURSOR_PART_MAX];
	struct page_rows r = {0};
	struct fk_err err = {0};
	struct fk_q *q;

	reset_table(db, items_sql);
	for (int64_t i = 1; i <= 4; i++)
		must(fk_db_run(db, &err, "INSERT INTO t_items (id, name, score) VALUES (?, ?, ?)",
			       "itd", i,
			       i == 1	? "甲"
			       : i == 2 ? "乙"
			       : i == 3 ? "丙"
					: "丁",
			       i == 1 ? 0.0 : 1.0),
		     &err);
	must(fk_db_query(db, &q,
			 "SELECT id, name, CASE WHEN id = 1 THEN 1670000000000 END FROM t_items "
			 "ORDER BY id",
			 &err),
	     &err);
	assert_int_equal(fk_q_page_rows(q, &cols, page_row, &r, next, sizeof(next), &err),
			 FK_ELIMIT);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.first[0], "1");
	assert_string_equal(r.first[1], "甲");
	assert_string_equal(r.first[2], "2022-12-02T16:53:20.000Z");
	assert_string_equal(next, "丙\x1f"
				  "3");
	assert_int_equal(fk_cursor_split(next, parts, 3), 2);
	assert_string_equal(parts[0], "丙");
	assert_string_equal(parts[1], "3");
	assert_int_equal(fk_cursor_split(NULL, parts, 3), 0);
	assert_int_equal(fk_cursor_split("a\x1f"
					 "b\x1f"
					 "c\x1f"
					 "d",
					 parts, 3),
			 3);
	assert_string_equal(parts[2], "c");
}

/* The same SQL used again while its first use is still iterating. */
static void test_nested_same_sql(void **state)
{
	struct fk_db *db = env_db(state);
	struct fk_err err = {0};
	static const char sel[] = "SELECT id FROM t_items WHERE id >= ? ORDER BY id";
	struct fk_q *outer, *inner;
	int rows = 0, inner_rows;

	reset_table(db, items_sql);
	for (int64_t i = 1; i <= 3; i++)
		assert_int_equal(fk_db_run(db, &err, "INSERT INTO t_items (id) VALUES (?)", "i", i),
				 1);
	must(fk_db_query(db, &outer, sel, &err), &err);
	fk_q_bind_i64(outer, 1, 1);
	while (fk_q_step(outer, &err) > 0) {
		int64_t from = fk_q_i64(outer, 0);
		must(fk_db_query(db, &inner, sel, &err), &err);
		assert_ptr_not_equal(inner, outer);
		fk_q_bind_i64(inner, 1, from);
		inner_rows = 0;
		while (fk_q_step(inner, &err) > 0)
			inner_rows++;
		fk_q_done(inner);
		assert_int_equal(inner_rows, 4 - from);
		rows++;
	}
	fk_q_done(outer);
	assert_int_equal(rows, 3);
}

/* More distinct statements than the cache holds, built in one reused buffer. */
static void test_cache_overflow(void **state)
{
	struct fk_db *db = env_db(state);
	struct fk_err err = {0};
	char sql[64];
	int64_t v;

	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 700; i++) {
			snprintf(sql, sizeof(sql), "SELECT %d + ?", i);
			v = -1;
			must(fk_db_one_i64(db, &err, &v, sql, "i", INT64_C(1)), &err);
			assert_int_equal(v, i + 1);
		}
	}
}

static void test_placeholder_text(void **state)
{
	struct fk_db *db = env_db(state);
	struct fk_err err = {0};
	struct fk_q *q;

	must(fk_db_query(db, &q,
			 "SELECT 'a?b' /* ? */, ? -- ?\n"
			 ", 'it''s?'",
			 &err),
	     &err);
	fk_q_bind_text(q, 1, "值?");
	assert_int_equal(fk_q_step(q, &err), 1);
	assert_string_equal(fk_q_text(q, 0), "a?b");
	assert_string_equal(fk_q_text(q, 1), "值?");
	assert_string_equal(fk_q_text(q, 2), "it's?");
	fk_q_done(q);
}

static void test_errors(void **state)
{
	struct fk_db *db = env_db(state);
	struct fk_err err = {0};
	struct fk_q *q;

	assert_int_equal(fk_db_query(db, &q, "SELEC nothing", &err), FK_EDB);
	assert_null(q);
	assert_string_equal(err.key, "db");
	assert_int_equal(fk_db_exec(db, "CREATE TABLE (", &err), FK_EDB);
	must(fk_db_query(db, &q, "SELECT ?", &err), &err);
	fk_q_bind_i64(q, 3, 1);
	assert_int_equal(fk_q_step(q, &err), FK_EINTERNAL);
	fk_q_done(q);
	/* the statement is usable again after the failed bind */
	must(fk_db_query(db, &q, "SELECT ?", &err), &err);
	fk_q_bind_text(q, 1, "ok");
	assert_int_equal(fk_q_step(q, &err), 1);
	assert_string_equal(fk_q_text(q, 0), "ok");
	fk_q_done(q);
}

static void test_prefix(void **state)
{
	struct fk_db *db = env_db(state);
	static const char *names[] = {"/1/", "/1/2/", "/1/2/3/", "/1/20/", "/10/", "/1/2",
				      "张",  "张三",  "张三丰",	 "张四",   "李三"};
	static const struct {
		const char *prefix;
		int64_t n;
	} cases[] = {{"/1/2/", 2}, {"/1/", 5}, {"/1", 6}, {"张三", 2}, {"张", 4}, {"", 11}};
	struct fk_err err = {0};
	char upper[64];
	int64_t n;

	reset_table(db, items_sql);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_int_equal(fk_db_run(db, &err, "INSERT INTO t_items (id, name) VALUES (?, ?)",
					   "it", (int64_t)i, names[i]),
				 1);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fk_prefix_upper(cases[i].prefix, upper);
		must(fk_db_one_i64(db, &err, &n,
				   "SELECT COUNT(*) FROM t_items WHERE name >= ? AND name < ?",
				   "tt", cases[i].prefix, upper),
		     &err);
		assert_int_equal(n, cases[i].n);
	}
}

/* On SQLite every table of the schema keyed by a BIGINT id keeps the id as its rowid (INTEGER
 * PRIMARY KEY), not in an index beside it. (The t_ tables are this test's own.) */
static void ids_are_rowids(struct fk_db *db)
{
	static const char sql[] =
	    "SELECT COUNT(*) FROM sqlite_master m, pragma_table_info(m.name) c "
	    "WHERE m.type = 'table' AND m.name NOT LIKE 't!_%%' ESCAPE '!' "
	    "AND c.pk = 1 AND c.name = 'id' AND c.type %s 'INTEGER'";
	struct fk_err err = {0};
	char q[300];
	int64_t n = -1;

	snprintf(q, sizeof(q), sql, "=");
	must(fk_db_one_i64(db, &err, &n, q, ""), &err);
	assert_true(n >= 10);
	snprintf(q, sizeof(q), sql, "<>");
	must(fk_db_one_i64(db, &err, &n, q, ""), &err);
	assert_int_equal(n, 0);
}

static int all_migrations(void)
{
	int n = 0;

	for (int i = 0; fk_modules[i]; i++)
		n += fk_migration_count(fk_modules[i]->migrations);
	return n;
}

static void test_migrate(void **state)
{
	struct fk_db *db = env_db(state);
	struct fk_err err = {0};
	int applied = -1, version = -1;

	must(fk_migrate_version(db, "testing", &version, &err), &err);
	assert_int_equal(version, 0);
	must(fk_modules_migrate(db, fk_modules, &applied, &err), &err);
	assert_true(applied >= 7);
	assert_int_equal(applied, all_migrations());
	must(fk_migrate_version(db, "testing", &version, &err), &err);
	assert_true(version >= 3);
	must(fk_migrate_version(db, "area", &version, &err), &err);
	assert_int_equal(version, 1);
	must(fk_modules_migrate(db, fk_modules, &applied, &err), &err);
	assert_int_equal(applied, 0);
	if (fk_db_kind(db) == FK_DB_SQLITE)
		ids_are_rowids(db);
}

/* Two modules each number their migrations from 1; a list out of order runs nothing. */
static void test_migrate_per_module(void **state)
{
	static const struct fk_migration a[] = {
	    {1, "001_a.sql", "CREATE TABLE mig_a (id BIGINT PRIMARY KEY)"},
	    {2, "002_a.sql", "ALTER TABLE mig_a ADD COLUMN note TEXT"},
	    {0},
	};
	static const struct fk_migration b[] = {
	    {1, "001_b.sql", "CREATE TABLE mig_b (id BIGINT PRIMARY KEY)"},
	    {0},
	};
	static const struct fk_migration bad[] = {
	    {2, "002_c.sql", "CREATE TABLE mig_c (id BIGINT PRIMARY KEY)"},
	    {1, "001_c.sql", "CREATE TABLE mig_d (id BIGINT PRIMARY KEY)"},
	    {0},
	};
	const struct fk_migration_set sets[] = {{"mig_a", a}, {"mig_b", b}, {"mig_c", bad}};
	struct fk_db *db = env_db(state);
	struct fk_err err = {0};
	int applied = -1, version = -1;
	int64_t n = -1;

	must(fk_migrate(db, sets, 2, &applied, &err), &err);
	assert_int_equal(applied, 3);
	must(fk_migrate_version(db, "mig_a", &version, &err), &err);
	assert_int_equal(version, 2);
	must(fk_migrate_version(db, "mig_b", &version, &err), &err);
	assert_int_equal(version, 1);
	assert_int_equal(fk_migrate(db, sets, 3, &applied, &err), FK_EINTERNAL);
	assert_string_equal(err.key, "bad_migrations");
	assert_non_null(strstr(err.en, "mig_c"));
	assert_int_equal(applied, 0);
	must(fk_db_one_i64(db, &err, &n, "SELECT COUNT(*) FROM module_migrations WHERE module = ?",
			   "t", "mig_c"),
	     &err);
	assert_int_equal(n, 0);
	fk_db_exec(db, "DROP TABLE mig_a; DROP TABLE mig_b", &err);
	fk_db_run(db, &err, "DELETE FROM module_migrations WHERE module LIKE 'mig_%'", "");
}

/* Runs module's migration version as an old binary did, outside the module bookkeeping. */
static void run_old(struct fk_db *db, const char *module, int version)
{
	struct fk_err err = {0};

	for (int i = 0; fk_modules[i]; i++)
		for (const struct fk_migration *l = fk_modules[i]->migrations; l && l->sql; l++)
			if (strcmp(fk_modules[i]->name, module) == 0 && l->version == version) {
				char *sql = fk_migration_sql(l, fk_db_kind(db));
				must(fk_db_exec(db, sql, &err), &err);
				free(sql);
				return;
			}
	fail_msg("no migration %s/%d", module, version);
}

/* A store made when one numbered list served every module (schema_migrations 1..7) carries
 * its history over, gets what came since, and keeps its scan keys (now client_keys). */
static void test_migrate_carry_over(void **state)
{
	static const struct {
		const char *module;
		int version;
	} old[] = {{"audit", 1},   {"area", 1},	   {"users", 1}, {"people", 1},
		   {"testing", 1}, {"testing", 2}, {"events", 1}};
	struct env *e = *state;
	struct fk_err err = {0};
	struct fk_db *db;
	char url[512];
	int applied = -1, version = -1;
	int64_t n = 0;

	fresh_store(e, "old", url, sizeof(url));
	must(fk_db_open(url, &db, &err), &err);
	for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++)
		run_old(db, old[i].module, old[i].version);
	must(fk_db_exec(db,
			"CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, "
			"name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
			&err),
	     &err);
	for (int v = 1; v <= 7; v++)
		assert_true(fk_db_run(db, &err, "INSERT INTO schema_migrations VALUES (?, ?, ?)",
				      "iti", (int64_t)v, "old.sql", (int64_t)1) == 1);
	assert_true(fk_db_run(db, &err,
			      "INSERT INTO scan_keys (client_key, user_id, op, status, reply, at) "
			      "VALUES ('key-00000001', 7, 'tube.scan', 200, '{}', 5)",
			      "") == 1);
	must(fk_modules_migrate(db, fk_modules, &applied, &err), &err);
	assert_int_equal(applied, all_migrations() - 7);
	must(fk_migrate_version(db, "testing", &version, &err), &err);
	assert_true(version >= 3);
	must(fk_migrate_version(db, "events", &version, &err), &err);
	assert_int_equal(version, 2); /* 001 carried over, 002 (the event log) applied */
	must(fk_db_one_i64(db, &err, &n,
			   "SELECT COUNT(*) FROM module_migrations WHERE module = 'people' AND "
			   "version = 1 AND name = '001_people.sql'",
			   ""),
	     &err);
	assert_int_equal(n, 1);
	must(fk_db_one_i64(db, &err, &n,
			   "SELECT user_id FROM client_keys WHERE client_key = 'key-00000001'", ""),
	     &err);
	assert_int_equal(n, 7);
	assert_true(fk_db_exec(db, "SELECT 1 FROM schema_migrations", NULL) < 0);
	assert_true(fk_db_exec(db, "SELECT 1 FROM scan_keys", NULL) < 0);
	fk_db_close(db);
	drop_store(e, "old", url);
}

#define POOL_THREADS 6
#define POOL_ROWS    40

struct worker {
	struct fk_store *store;
	int n;
	int failed;
};

static void *pool_worker(void *arg)
{
	struct worker *w = arg;
	struct fk_err err = {0};
	for (int i = 0; i < POOL_ROWS; i++) {
		struct fk_db *db = fk_store_acquire(w->store);
		int64_t id = (int64_t)w->n * 1000 + i;
		if (!db || fk_db_begin(db, true, &err) < 0 ||
		    fk_db_run(db, &err, "INSERT INTO t_items (id, note) VALUES (?, ?)", "it", id,
			      "pool") != 1 ||
		    fk_db_commit(db, &err) < 0)
			w->failed++;
		fk_store_release(w->store, db);
	}
	return NULL;
}

static void test_pool(void **state)
{
	struct env *e = *state;
	struct fk_err err = {0};
	struct fk_store *s;
	pthread_t th[POOL_THREADS];
	struct worker w[POOL_THREADS];
	struct fk_db *db;

	reset_table(e->db, items_sql);
	must(fk_store_open(e->url, 3, &s, &err), &err);
	assert_string_equal(fk_store_url(s), e->url);
	for (int i = 0; i < POOL_THREADS; i++) {
		w[i] = (struct worker){.store = s, .n = i};
		assert_int_equal(pthread_create(&th[i], NULL, pool_worker, &w[i]), 0);
	}
	for (int i = 0; i < POOL_THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].failed, 0);
	}
	/* a connection given back inside a transaction comes back clean */
	db = fk_store_acquire(s);
	must(fk_db_begin(db, true, &err), &err);
	fk_store_release(s, db);
	db = fk_store_acquire(s);
	assert_false(fk_db_in_tx(db));
	fk_store_release(s, db);
	fk_store_close(s);
	assert_int_equal(count_items(e->db), POOL_THREADS * POOL_ROWS);
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* The writer connection is one, apart from the pool, and its writes are everyone's. On
 * SQLite the WAL is checkpointed by the store's thread, not by the connections; it does not
 * grow without end under the writer's commits, and is empty once the store is closed. */
static void test_writer_and_checkpoints(void **state)
{
	struct env *e = *state;
	struct fk_err err = {0};
	struct fk_store *s;
	struct fk_db *w, *db;
	char wal[600];
	int64_t n = 0;

	reset_table(e->db, items_sql);
	must(fk_store_open(e->url, 2, &s, &err), &err);
	w = fk_store_writer(s, &err);
	assert_non_null(w);
	assert_ptr_equal(fk_store_writer(s, &err), w);
	db = fk_store_acquire(s);
	assert_ptr_not_equal(db, w);
	must(fk_db_begin(w, true, &err), &err);
	for (int i = 0; i < 3000; i++) {
		char name[32];
		snprintf(name, sizeof(name), "w%d", i);
		assert_true(fk_db_run(w, &err, "INSERT INTO t_items (id, name) VALUES (?, ?)", "it",
				      (int64_t)i + 1, name) == 1);
	}
	must(fk_db_commit(w, &err), &err);
	assert_int_equal(fk_db_one_i64(db, &err, &n, "SELECT COUNT(*) FROM t_items", ""), 1);
	assert_int_equal(n, 3000);
	fk_store_release(s, db);
	snprintf(wal, sizeof(wal), "%s-wal", e->url);
	if (e == &sqlite_env) {
		/* Commit after commit, as the writer does on a busy day, with no connection
		 * checkpointing by itself: the store's checkpoints keep the log from growing
		 * (each commit adds 2 or more 4 KiB frames; 6000 of them unchecked would be over
		 * 48 MB). */
		for (int i = 0; i < 6000; i++)
			assert_true(fk_db_run(w, &err, "UPDATE t_items SET score = ? WHERE id = ?",
					      "di", (double)i, (int64_t)(i % 3000) + 1) == 1);
		assert_true(file_size(wal) > 0);
		assert_true(file_size(wal) < (24L << 20));
	}
	fk_store_close(s);
	if (e == &sqlite_env)
		assert_true(file_size(wal) <= 0); /* truncated (or gone with the last connection) */
}

/* A new, empty store beside the test's own: a second SQLite file or PostgreSQL database. */
static void fresh_store(struct env *e, const char *suffix, char *url, size_t cap)
{
	char sql[256], name[96];
	if (e == &sqlite_env) {
		snprintf(url, cap, "%.400s.%.16s", e->url, suffix);
		unlink(url);
		return;
	}
	snprintf(name, sizeof(name), "%s_%s", e->dbname, suffix);
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", name);
	assert_int_equal(admin_exec(e->admin_url, sql), 0);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE template0 LC_COLLATE 'C'", name);
	assert_int_equal(admin_exec(e->admin_url, sql), 0);
	url_with_db(e->admin_url, name, url, cap);
}

static void drop_store(struct env *e, const char *suffix, const char *url)
{
	char sql[256], path[600];
	if (e == &sqlite_env) {
		unlink(url);
		snprintf(path, sizeof(path), "%s-wal", url);
		unlink(path);
		snprintf(path, sizeof(path), "%s-shm", url);
		unlink(path);
		return;
	}
	snprintf(sql, sizeof(sql), "DROP DATABASE %s_%s WITH (FORCE)", e->dbname, suffix);
	assert_int_equal(admin_exec(e->admin_url, sql), 0);
}

#define MIGRATORS 4

struct migrator {
	const char *url;
	int applied, rc;
	char msg[320];
};

static void *migrate_worker(void *arg)
{
	struct migrator *m = arg;
	struct fk_err err = {0};
	struct fk_db *db;
	m->rc = fk_db_open(m->url, &db, &err);
	if (m->rc == 0) {
		m->rc = fk_modules_migrate(db, fk_modules, &m->applied, &err);
		fk_db_close(db);
	}
	snprintf(m->msg, sizeof(m->msg), "%s", err.en);
	return NULL;
}

/* Servers starting together on one empty store: each migration runs exactly once. */
static void test_migrate_concurrent(void **state)
{
	struct env *e = *state;
	struct migrator m[MIGRATORS];
	pthread_t th[MIGRATORS];
	char url[512];
	int total = 0;

	fresh_store(e, "mig", url, sizeof(url));
	for (int i = 0; i < MIGRATORS; i++) {
		m[i] = (struct migrator){.url = url};
		assert_int_equal(pthread_create(&th[i], NULL, migrate_worker, &m[i]), 0);
	}
	for (int i = 0; i < MIGRATORS; i++) {
		pthread_join(th[i], NULL);
		if (m[i].rc < 0)
			fail_msg("migrate: %s", m[i].msg);
		total += m[i].applied;
	}
	assert_int_equal(total, all_migrations());
	drop_store(e, "mig", url);
}

/* SQLite: a server starting while another process writes to the store (here a child holding
 * a write transaction for 300 ms, the starting server's lock wait cut to 50 ms) waits again
 * rather than fail its migration. */
static void test_migrate_waits_for_writer(void **state)
{
	struct env *e = *state;
	struct fk_err err = {0};
	struct fk_db *db;
	int fds[2], applied = -1, status = 0;
	char url[512], c = 0;

	if (e != &sqlite_env)
		skip();
	fresh_store(e, "busy", url, sizeof(url));
	must(fk_db_open(url, &db, &err), &err);
	assert_int_equal(pipe(fds), 0);
	pid_t child = fork();
	if (child == 0) {
		struct fk_db *w;
		int ok = fk_db_open(url, &w, &err) == 0 && fk_db_begin(w, true, &err) == 0 &&
			 fk_db_exec(w, "CREATE TABLE held (x INTEGER)", &err) == 0;
		ok = ok && write(fds[1], "x", 1) == 1;
		usleep(300000);
		_exit(ok && fk_db_commit(w, &err) == 0 ? 0 : 1);
	}
	assert_int_equal(read(fds[0], &c, 1), 1);
	assert_int_equal(fk_sqlite_busy_timeout(db, 50), 0);
	must(fk_modules_migrate(db, fk_modules, &applied, &err), &err);
	assert_int_equal(applied, all_migrations());
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fds[0]);
	close(fds[1]);
	fk_db_close(db);
	drop_store(e, "busy", url);
}

/* Takes the serving mark on db; on PostgreSQL a closed connection's lock goes a moment after
 * the close, so a take that should succeed is tried for up to a second. */
static bool hold(struct fk_db *db, bool alone, bool want)
{
	struct fk_err err = {0};
	bool got = false;

	for (int i = 0; i < 100; i++) {
		must(fk_db_hold_store(db, alone, &got, &err), &err);
		if (got || !want)
			break;
		usleep(10000);
	}
	return got;
}

/* The serving mark between connections (as between processes): shared beside shared, alone
 * beside nobody; a closed connection's is free again. */
static void test_hold_store(void **state)
{
	struct env *e = *state;
	struct fk_err err = {0};
	struct fk_db *a, *b, *c;

	must(fk_db_open(e->url, &a, &err), &err);
	must(fk_db_open(e->url, &b, &err), &err);
	must(fk_db_open(e->url, &c, &err), &err);
	assert_true(hold(a, false, true));
	assert_true(hold(b, false, true));
	assert_false(hold(c, true, false)); /* a restore beside two servers */
	fk_db_close(a);
	fk_db_close(b);
	assert_true(hold(c, true, true)); /* the servers gone */
	must(fk_db_open(e->url, &a, &err), &err);
	assert_false(hold(a, false, false)); /* a server while a restore runs */
	assert_false(hold(a, true, false));
	fk_db_close(c);
	assert_true(hold(a, false, true));
	fk_db_close(a);
}

static void test_prefix_upper(void **state)
{
	char out[16];
	(void)state;
	assert_string_equal(fk_prefix_upper("/1/", out), "/1/\xF4\x8F\xBF\xBF");
	assert_string_equal(fk_prefix_upper("", out), "\xF4\x8F\xBF\xBF");
}

/* Prefix ranges need byte order, so a database with another collation is refused. */
static void test_pg_collation(void **state)
{
	struct env *e = *state;
	struct fk_err err = {0};
	struct fk_db *db = NULL;
	char sql[256], url[512], name[80];

	snprintf(name, sizeof(name), "%s_coll", e->dbname);
	snprintf(sql, sizeof(sql),
		 "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
		 "LC_CTYPE 'C.UTF-8'",
		 name);
	if (admin_exec(e->admin_url, sql) < 0)
		skip();
	url_with_db(e->admin_url, name, url, sizeof(url));
	assert_int_equal(fk_db_open(url, &db, &err), FK_EDB);
	assert_null(db);
	assert_string_equal(err.key, "collation");
	assert_non_null(strstr(err.en, "LC_COLLATE 'C'"));
	snprintf(sql, sizeof(sql), "DROP DATABASE %s", name);
	assert_int_equal(admin_exec(e->admin_url, sql), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kind),
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_duplicate),
	    cmocka_unit_test(test_tx),
	    cmocka_unit_test(test_tx_after_error),
	    cmocka_unit_test(test_tx_join_or_begin),
	    cmocka_unit_test(test_tx_failing_commit),
	    cmocka_unit_test(test_after_commit),
	    cmocka_unit_test(test_listen),
	    cmocka_unit_test(test_tx_join_read_and_closed),
	    cmocka_unit_test(test_sqlite_writers_queue),
	    cmocka_unit_test(test_changes),
	    cmocka_unit_test(test_page_rows),
	    cmocka_unit_test(test_nested_same_sql),
	    cmocka_unit_test(test_cache_overflow),
	    cmocka_unit_test(test_placeholder_text),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_prefix),
	    cmocka_unit_test(test_prefix_upper),
	    cmocka_unit_test(test_migrate),
	    cmocka_unit_test(test_migrate_per_module),
	    cmocka_unit_test(test_migrate_carry_over),
	    cmocka_unit_test(test_migrate_concurrent),
	    cmocka_unit_test(test_migrate_waits_for_writer),
	    cmocka_unit_test(test_hold_store),
	    cmocka_unit_test(test_pool),
	    cmocka_unit_test(test_writer_and_checkpoints),
	};
	int failed = cmocka_run_group_tests_name("sqlite", tests, setup_sqlite, teardown_sqlite);
	const struct CMUnitTest pg_tests[] = {
	    cmocka_unit_test(test_pg_collation),
	};
	if (pg_url()) {
		failed += cmocka_run_group_tests_name("postgres", tests, setup_pg, teardown_pg);
		failed +=
		    cmocka_run_group_tests_name("postgres only", pg_tests, setup_pg, teardown_pg);
	} else {
		failed += pg_missing("store");
	}
	return failed ? 1 : 0;
}
