/* test_retention: the platform's purge of declared personal event data (fk_retention_purge,
 * platform/module.h) on SQLite and, with FK_PG_URL, PostgreSQL: rows older than the cut-off
 * go in batches of 1,000, younger ones and those the declaration's condition keeps stay; a
 * key other than id; declarations with names that are not plain SQL refused; and every
 * declaration of the real modules runs against their schema. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#define FK_TEST_NAME "test_retention"
#pragma GCC diagnostic ignored "-Wunused-function"
#include "area_env.h"
#include "platform/module.h"

#define CUT 1000000

static const struct fk_module ret_mod = {
    .name = "ret",
    .purges =
	(const struct fk_purge[]){
	    {.table = "t_ret", .time_column = "at", .where = "status <> 'open'"},
	    {.table = "t_ret_code", .time_column = "made", .key = "code"},
	    {0},
	},
};
static const struct fk_module *const ret_mods[] = {&ret_mod, NULL};

static void must_exec(struct fk_db *db, const char *sql)
{
	struct fk_err err = {0};

	area_must(fk_db_exec(db, sql, &err), &err);
}

static int64_t count(struct fk_db *db, const char *sql)
{
	struct fk_err err = {0};
	int64_t n = -1;

	area_must(fk_db_one_i64(db, &err, &n, sql, ""), &err);
	return n;
}

static int tables(void **state)
{
	struct fk_db *db = area_env_db(state);

	must_exec(db, "DROP TABLE IF EXISTS t_ret; DROP TABLE IF EXISTS t_ret_code; "
		      "CREATE TABLE t_ret (id BIGINT PRIMARY KEY, at BIGINT NOT NULL, "
		      "status TEXT NOT NULL); "
		      "CREATE TABLE t_ret_code (code TEXT PRIMARY KEY, made BIGINT NOT NULL)");
	return 0;
}

/* n rows from id first, at time at, with status. */
static void rows(struct fk_db *db, int64_t first, int n, int64_t at, const char *status)
{
	struct fk_err err = {0};

	area_must(
	    fk_db_run(db, &err,
		      "INSERT INTO t_ret (id, at, status) WITH RECURSIVE c(x) AS (SELECT 0 "
		      "UNION ALL SELECT x + 1 FROM c WHERE x + 1 < ?) SELECT ? + x, ?, ? FROM c",
		      "iiit", (int64_t)n, first, at, status),
	    &err);
}

static void test_old_rows_go_in_batches(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	int64_t n = -1;

	rows(db, 1, 2500, CUT - 1, "done");
	rows(db, 5001, 10, CUT - 5000, "open");
	rows(db, 6001, 20, CUT, "done");
	must_exec(db, "INSERT INTO t_ret_code (code, made) VALUES ('old', 5), ('new', 2000000)");
	area_must(fk_retention_purge(db, ret_mods, CUT, &n, &err), &err);
	assert_int_equal(n, 2501);
	assert_int_equal(
	    count(db, "SELECT COUNT(*) FROM t_ret WHERE at < 1000000 AND status = 'done'"), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM t_ret WHERE status = 'open'"), 10);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM t_ret WHERE at = 1000000"), 20);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM t_ret_code WHERE code = 'new'"), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM t_ret_code"), 1);
	/* again: nothing left to go */
	area_must(fk_retention_purge(db, ret_mods, CUT, &n, &err), &err);
	assert_int_equal(n, 0);
}

static void test_bad_declarations_refused(void **state)
{
	static const struct fk_purge bad[][2] = {
	    {{.table = "t; DROP TABLE people", .time_column = "at"}, {0}},
	    {{.table = "t_ret", .time_column = NULL}, {0}},
	    {{.table = "t_ret", .time_column = "at", .key = "id, at"}, {0}},
	};
	struct fk_err err = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct fk_module m = {.name = "ret", .purges = bad[i]};
		const struct fk_module *const mods[] = {&m, NULL};

		memset(&err, 0, sizeof(err));
		assert_int_equal(fk_modules_use(mods, &err), FK_EINTERNAL);
		assert_string_equal(err.key, "bad_purge");
		assert_non_null(strstr(err.en, "module ret"));
	}
	area_must(fk_modules_use(fk_modules, &err), &err);
}

static void test_real_declarations_fit_the_schema(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	int64_t n = -1;
	int declared = 0;

	for (int i = 0; fk_modules[i]; i++)
		for (const struct fk_purge *p = fk_modules[i]->purges; p && p->table; p++)
			declared++;
	assert_true(declared >= 6);
	area_must(fk_retention_purge(db, fk_modules, INT64_MAX, &n, &err), &err);
	assert_true(n >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_old_rows_go_in_batches, tables),
	    cmocka_unit_test(test_bad_declarations_refused),
	    cmocka_unit_test(test_real_declarations_fit_the_schema),
	};

	return area_env_run("test_retention", tests, sizeof(tests) / sizeof(tests[0]));
}
