/* test_sqlparam: the '?' -> $n rewrite used for PostgreSQL (store/sqlparam.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>
#include "store/backend.h"

static void expect_sql(const char *in, const char *want, int want_n)
{
	int n = -1;
	char *out = fk_sql_dollar_params(in, &n);
	assert_string_equal(out, want);
	assert_int_equal(n, want_n);
	free(out);
}

static void test_plain(void **state)
{
	(void)state;
	expect_sql("", "", 0);
	expect_sql("SELECT 1", "SELECT 1", 0);
	expect_sql("SELECT ?", "SELECT $1", 1);
	expect_sql("UPDATE t SET a = ?, b = ? WHERE id = ?",
		   "UPDATE t SET a = $1, b = $2 WHERE id = $3", 3);
	expect_sql("VALUES (?,?)", "VALUES ($1,$2)", 2);
}

static void test_many(void **state)
{
	(void)state;
	expect_sql("?,?,?,?,?,?,?,?,?,?,?,?", "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12", 12);
}

static void test_strings(void **state)
{
	(void)state;
	expect_sql("SELECT '?'", "SELECT '?'", 0);
	expect_sql("SELECT 'it''s ?' = ?", "SELECT 'it''s ?' = $1", 1);
	expect_sql("name LIKE ? || '%?'", "name LIKE $1 || '%?'", 1);
	expect_sql("SELECT '张三?', ?", "SELECT '张三?', $1", 1);
}

static void test_identifiers(void **state)
{
	(void)state;
	expect_sql("SELECT \"odd?name\" FROM t WHERE x = ?",
		   "SELECT \"odd?name\" FROM t WHERE x = $1", 1);
	expect_sql("SELECT \"a\"\"?\" = ?", "SELECT \"a\"\"?\" = $1", 1);
}

static void test_comments(void **state)
{
	(void)state;
	expect_sql("SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2);
	expect_sql("SELECT /* ? */ ?", "SELECT /* ? */ $1", 1);
	expect_sql("SELECT 2-1, ?/2", "SELECT 2-1, $1/2", 1);
	expect_sql("-- trailing ?", "-- trailing ?", 0);
}

static void test_unterminated(void **state)
{
	(void)state;
	expect_sql("SELECT ?, 'open ?", "SELECT $1, 'open ?", 1);
	expect_sql("SELECT ? /* open ?", "SELECT $1 /* open ?", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain),    cmocka_unit_test(test_many),
	    cmocka_unit_test(test_strings),  cmocka_unit_test(test_identifiers),
	    cmocka_unit_test(test_comments), cmocka_unit_test(test_unterminated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
