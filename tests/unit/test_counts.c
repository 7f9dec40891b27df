/* test_counts: counters bumped at the commit (fk_db_count, db.h). On a connection that does
 * not defer a delta is applied at once; on one that defers it waits for the commit, summed per
 * row and applied in row order, a savepoint's rewind and a rollback drop it, and an apply that
 * fails fails the commit and leaves nothing. On PostgreSQL (FK_PG_URL): while a deferring
 * transaction has bumped a row, another connection updates that row and commits without
 * waiting for it — the lock the deferral spares. */
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

static char lite_url[256];
static const char *url; /* the store of the group being run */

/* The rows applied, in order, and whether the next apply fails. */
static int64_t applied[16][2];
static int napplied;
static bool fail_next;

static void must(int rc, const struct fk_err *err)
{
	if (rc < 0)
		fail_msg("%s", err->en);
}

static int apply_row(struct fk_db *db, int64_t a, int64_t b, const int64_t d[FK_COUNT_N],
		     struct fk_err *err)
{
	if (fail_next) {
		fail_next = false;
		return fk_err_set(err, FK_EDB, "db", NULL, "失败", "the apply failed");
	}
	if (napplied < 16) {
		applied[napplied][0] = a;
		applied[napplied][1] = b;
	}
	napplied++;
	int64_t n =
	    fk_db_run(db, err, "UPDATE count_rows SET v = v + ?, w = w + ? WHERE a = ? AND b = ?",
		      "iiii", d[0], d[1], a, b);
	if (n != 0)
		return n < 0 ? (int)n : 0;
	return fk_db_write(db, err, "INSERT INTO count_rows (a, b, v, w) VALUES (?, ?, ?, ?)",
			   "iiii", a, b, d[0], d[1]);
}

static const struct fk_counter rows = {.name = "count_rows", .apply = apply_row};

static int count(struct fk_db *db, int64_t a, int64_t b, int64_t v, int64_t w)
{
	struct fk_err err = {0};
	const int64_t d[FK_COUNT_N] = {v, w};
	int rc = fk_db_count(db, &rows, a, b, d, &err);

	must(rc, &err);
	return rc;
}

/* v of the row (a, b) as db sees it, -1 when there is none. */
static int64_t value(struct fk_db *db, int64_t a, int64_t b)
{
	struct fk_err err = {0};
	int64_t v = -1;

	assert_true(fk_db_one_i64(db, &err, &v, "SELECT v FROM count_rows WHERE a = ? AND b = ?",
				  "ii", a, b) >= 0);
	return v;
}

static int setup(void **state)
{
	struct fk_err err = {0};
	struct fk_db *db;

	must(fk_db_open(url, &db, &err), &err);
	must(fk_db_exec(db,
			"DROP TABLE IF EXISTS count_rows; CREATE TABLE count_rows (a BIGINT NOT "
			"NULL, b BIGINT NOT NULL, v BIGINT NOT NULL, w BIGINT NOT NULL, PRIMARY "
			"KEY (a, b))",
			&err),
	     &err);
	napplied = 0;
	fail_next = false;
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	struct fk_err err = {0};

	must(fk_db_exec(*state, "DROP TABLE count_rows", &err), &err);
	fk_db_close(*state);
	return 0;
}

static void test_at_once_by_default(void **state)
{
	struct fk_db *db = *state;
	struct fk_err err = {0};

	must(fk_db_begin(db, true, &err), &err);
	count(db, 1, 1, 5, 0);
	assert_int_equal(value(db, 1, 1), 5);
	must(fk_db_commit(db, &err), &err);
	count(db, 1, 1, 2, 0); /* no transaction: at once too */
	assert_int_equal(value(db, 1, 1), 7);
}

static void test_deferred_summed_in_order(void **state)
{
	struct fk_db *db = *state;
	struct fk_err err = {0};
	int64_t w = 0;

	fk_db_defer_counts(db, true);
	must(fk_db_begin(db, true, &err), &err);
	count(db, 2, 9, 1, 0);
	count(db, 1, 3, 1, 1);
	count(db, 2, 9, 1, 2);
	count(db, 1, 2, 4, 0);
	count(db, 2, 9, -1, 0);
	count(db, 3, 1, 0, 0); /* nothing to add: not applied */
	assert_int_equal(value(db, 2, 9), -1);
	assert_int_equal(napplied, 0);
	must(fk_db_commit(db, &err), &err);
	assert_int_equal(napplied, 3);
	const int64_t order[3][2] = {{1, 2}, {1, 3}, {2, 9}};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(applied[i][0], order[i][0]);
		assert_int_equal(applied[i][1], order[i][1]);
	}
	assert_int_equal(value(db, 2, 9), 1);
	assert_int_equal(
	    fk_db_one_i64(db, &err, &w, "SELECT w FROM count_rows WHERE a = 2 AND b = 9", ""), 1);
	assert_int_equal(w, 2);
	assert_int_equal(value(db, 1, 2), 4);
	assert_int_equal(value(db, 3, 1), -1);
	fk_db_defer_counts(db, false);
}

static void test_rewind_and_rollback_drop(void **state)
{
	struct fk_db *db = *state;
	struct fk_err err = {0};

	fk_db_defer_counts(db, true);
	must(fk_db_begin(db, true, &err), &err);
	count(db, 1, 1, 1, 0);
	size_t mark = fk_db_counts_mark(db);
	count(db, 1, 1, 10, 0);
	count(db, 4, 4, 10, 0);
	fk_db_counts_rewind(db, mark);
	must(fk_db_commit(db, &err), &err);
	assert_int_equal(value(db, 1, 1), 1);
	assert_int_equal(value(db, 4, 4), -1);

	must(fk_db_begin(db, true, &err), &err);
	count(db, 1, 1, 100, 0);
	fk_db_rollback(db);
	must(fk_db_begin(db, true, &err), &err);
	must(fk_db_commit(db, &err), &err);
	assert_int_equal(value(db, 1, 1), 1);
	fk_db_defer_counts(db, false);
}

static void test_failed_apply_fails_commit(void **state)
{
	struct fk_db *db = *state;
	struct fk_err err = {0};

	fk_db_defer_counts(db, true);
	must(fk_db_begin(db, true, &err), &err);
	must(fk_db_write(db, &err, "INSERT INTO count_rows (a, b, v, w) VALUES (7, 7, 7, 7)", ""),
	     &err);
	count(db, 1, 1, 1, 0);
	count(db, 2, 2, 1, 0);
	fail_next = true;
	assert_true(fk_db_commit(db, &err) < 0);
	assert_string_equal(err.en, "the apply failed");
	assert_false(fk_db_in_tx(db));
	assert_int_equal(value(db, 7, 7), -1);
	assert_int_equal(value(db, 1, 1), -1);
	must(fk_db_begin(db, true, &err), &err); /* the queue left empty */
	must(fk_db_commit(db, &err), &err);
	assert_int_equal(value(db, 2, 2), -1);
	fk_db_defer_counts(db, false);
}

/* PostgreSQL: the row a deferring transaction bumped stays free until its commit. */
static void test_pg_row_free_until_commit(void **state)
{
	struct fk_db *a = *state, *b;
	struct fk_err err = {0};

	count(a, 1, 1, 1, 0);
	must(fk_db_open(url, &b, &err), &err);
	must(fk_db_exec(b, "SET lock_timeout = '2s'", &err), &err);
	fk_db_defer_counts(a, true);
	must(fk_db_begin(a, true, &err), &err);
	count(a, 1, 1, 10, 0);
	must(fk_db_begin(b, true, &err), &err);
	count(b, 1, 1, 100, 0); /* would wait 2 s and fail were the row locked */
	must(fk_db_commit(b, &err), &err);
	must(fk_db_commit(a, &err), &err);
	assert_int_equal(value(b, 1, 1), 111);
	fk_db_defer_counts(a, false);
	fk_db_close(b);
}

#define CASES                                                                                      \
	cmocka_unit_test_setup_teardown(test_at_once_by_default, setup, teardown),                 \
	    cmocka_unit_test_setup_teardown(test_deferred_summed_in_order, setup, teardown),       \
	    cmocka_unit_test_setup_teardown(test_rewind_and_rollback_drop, setup, teardown),       \
	    cmocka_unit_test_setup_teardown(test_failed_apply_fails_commit, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {CASES};
	const struct CMUnitTest pg_tests[] = {
	    CASES,
	    cmocka_unit_test_setup_teardown(test_pg_row_free_until_commit, setup, teardown),
	};
	int failed;

	snprintf(lite_url, sizeof(lite_url), "/tmp/fk_unit_counts_%d.db", (int)getpid());
	url = lite_url;
	failed = cmocka_run_group_tests_name("sqlite", tests, NULL, NULL);
	remove_lite_store(lite_url);
	url = pg_url();
	if (url)
		failed += cmocka_run_group_tests_name("postgres", pg_tests, NULL, NULL);
	else
		failed += pg_missing("test_counts");
	return failed;
}
