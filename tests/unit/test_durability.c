/* test_durability: the store's durability option (db.h, `serve --durability`). On SQLite every
 * connection a store opens reads back the PRAGMA synchronous asked for (NORMAL = 1, FULL = 2):
 * one opened alone, the pool's, the writer and one of the caller's own. On PostgreSQL (when
 * FK_PG_URL is set) the option leaves the server's synchronous_commit as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "store/db.h"
#include "lite_file.h"
#include "pg_required.h"

#define SYNC_NORMAL 1
#define SYNC_FULL   2

static char lite_url[256];

static void must(int rc, const struct fk_err *err)
{
	if (rc < 0)
		fail_msg("%s", err->en);
}

static int64_t synchronous(struct fk_db *db)
{
	struct fk_err err = {0};
	int64_t v = -1;

	assert_int_equal(fk_db_one_i64(db, &err, &v, "PRAGMA synchronous", ""), 1);
	return v;
}

static void test_words(void **state)
{
	enum fk_durability d = FK_DURABILITY_FULL;

	(void)state;
	assert_int_equal(fk_durability_parse("normal", &d), 0);
	assert_int_equal(d, FK_DURABILITY_NORMAL);
	assert_int_equal(fk_durability_parse("full", &d), 0);
	assert_int_equal(d, FK_DURABILITY_FULL);
	assert_int_equal(fk_durability_parse("FULL", &d), -1);
	assert_int_equal(fk_durability_parse("extra", &d), -1);
	assert_int_equal(fk_durability_parse("", &d), -1);
	assert_int_equal(fk_durability_parse(NULL, &d), -1);
	assert_string_equal(fk_durability_name(FK_DURABILITY_NORMAL), "normal");
	assert_string_equal(fk_durability_name(FK_DURABILITY_FULL), "full");
}

static void test_sqlite_connection(void **state)
{
	const struct fk_db_opts full = {.durability = FK_DURABILITY_FULL};
	const struct fk_db_opts normal = {.durability = FK_DURABILITY_NORMAL};
	struct fk_err err = {0};
	struct fk_db *db;

	(void)state;
	must(fk_db_open(lite_url, &db, &err), &err);
	assert_int_equal(synchronous(db), SYNC_NORMAL);
	fk_db_close(db);
	must(fk_db_open_with(lite_url, NULL, &db, &err), &err);
	assert_int_equal(synchronous(db), SYNC_NORMAL);
	fk_db_close(db);
	must(fk_db_open_with(lite_url, &normal, &db, &err), &err);
	assert_int_equal(synchronous(db), SYNC_NORMAL);
	fk_db_close(db);
	must(fk_db_open_with(lite_url, &full, &db, &err), &err);
	assert_int_equal(synchronous(db), SYNC_FULL);
	fk_db_close(db);
}

/* Every connection of the store: the pool's first and a second one opened on demand, the
 * writer, and one opened beside the pool. */
static void check_store(const struct fk_db_opts *opts, int64_t want)
{
	struct fk_err err = {0};
	struct fk_store *s;
	struct fk_db *a, *b, *own;

	must(fk_store_open_with(lite_url, 2, opts, &s, &err), &err);
	a = fk_store_acquire(s);
	b = fk_store_acquire(s);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(synchronous(a), want);
	assert_int_equal(synchronous(b), want);
	fk_store_release(s, b);
	fk_store_release(s, a);
	assert_non_null(fk_store_writer(s, &err));
	assert_int_equal(synchronous(fk_store_writer(s, &err)), want);
	must(fk_store_connect(s, &own, &err), &err);
	assert_int_equal(synchronous(own), want);
	fk_db_close(own);
	fk_store_close(s);
}

static void test_sqlite_store(void **state)
{
	const struct fk_db_opts full = {.durability = FK_DURABILITY_FULL};
	struct fk_err err = {0};
	struct fk_store *s;
	struct fk_db *db;

	(void)state;
	check_store(&full, SYNC_FULL);
	check_store(NULL, SYNC_NORMAL);
	must(fk_store_open(lite_url, 1, &s, &err), &err);
	db = fk_store_acquire(s);
	assert_int_equal(synchronous(db), SYNC_NORMAL);
	fk_store_release(s, db);
	fk_store_close(s);
}

static void pg_setting(const char *url, const struct fk_db_opts *opts, char *out, size_t cap)
{
	struct fk_err err = {0};
	struct fk_db *db;
	struct fk_q *q;

	must(fk_db_open_with(url, opts, &db, &err), &err);
	must(fk_db_query(db, &q, "SELECT current_setting('synchronous_commit')", &err), &err);
	assert_int_equal(fk_q_step(q, &err), 1);
	snprintf(out, cap, "%s", fk_q_text(q, 0));
	fk_q_done(q);
	fk_db_close(db);
}

/* The server's setting, whatever it is (the tests' cluster runs with it off). */
static void test_pg_keeps_server_setting(void **state)
{
	const struct fk_db_opts full = {.durability = FK_DURABILITY_FULL};
	char plain[32], with_full[32];

	(void)state;
	pg_setting(pg_url(), NULL, plain, sizeof(plain));
	pg_setting(pg_url(), &full, with_full, sizeof(with_full));
	assert_true(plain[0] != '\0');
	assert_string_equal(with_full, plain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_words),
	    cmocka_unit_test(test_sqlite_connection),
	    cmocka_unit_test(test_sqlite_store),
	};
	const struct CMUnitTest pg_tests[] = {
	    cmocka_unit_test(test_pg_keeps_server_setting),
	};
	int failed;

	snprintf(lite_url, sizeof(lite_url), "/tmp/fk_unit_durability_%d.db", (int)getpid());
	failed = cmocka_run_group_tests_name("sqlite", tests, NULL, NULL);
	remove_lite_store(lite_url);
	if (pg_url())
		failed += cmocka_run_group_tests_name("postgres", pg_tests, NULL, NULL);
	else
		failed += pg_missing("test_durability");
	return failed;
}
