/* test_donations: the donations module's amount rule — yuan, 0 or more, at most two decimals,
 * kept in fen without a rounding error, bounded; anything else refused naming amount_yuan. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>
#include "donations/internal.h"

static int64_t fen_of(double yuan, int *rc)
{
	struct fk_err err = {0};
	json_t *v = json_real(yuan);
	int64_t fen = -1;

	*rc = dn_amount_fen(v, &fen, &err);
	json_decref(v);
	return fen;
}

static void test_amounts(void **state)
{
	int rc;

	(void)state;
	assert_int_equal(fen_of(10000.0, &rc), 1000000);
	assert_int_equal(rc, 0);
	assert_int_equal(fen_of(0.1 + 0.2, &rc), 30); /* 0.30000000000000004 */
	assert_int_equal(rc, 0);
	assert_int_equal(fen_of(19.99, &rc), 1999);
	assert_int_equal(fen_of(0, &rc), 0);
	assert_int_equal(rc, 0);
	fen_of(-0.01, &rc);
	assert_int_equal(rc, FK_EINVAL);
	fen_of(1.234, &rc);
	assert_int_equal(rc, FK_EINVAL);
	fen_of(2e12, &rc);
	assert_int_equal(rc, FK_EINVAL);
}

static void test_not_a_number(void **state)
{
	struct fk_err err = {0};
	int64_t fen = 0;
	json_t *s = json_string("100");

	(void)state;
	assert_int_equal(dn_amount_fen(s, &fen, &err), FK_EINVAL);
	assert_string_equal(err.field, "amount_yuan");
	assert_string_equal(err.key, "invalid_amount");
	assert_int_equal(dn_amount_fen(NULL, &fen, &err), FK_EINVAL);
	json_decref(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_amounts),
	    cmocka_unit_test(test_not_a_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
