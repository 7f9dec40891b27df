/* Unit tests for base/phone: mobile and landline normalisation and refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/phone.h"

static void expect_ok(const char *in, const char *want)
{
	char out[24];
	struct fk_err err;

	fk_err_clear(&err);
	assert_int_equal(fk_phone_normalize(in, out, &err), 0);
	assert_string_equal(out, want);
}

static void expect_bad(const char *in)
{
	char out[24];
	struct fk_err err;

	fk_err_clear(&err);
	assert_int_equal(fk_phone_normalize(in, out, &err), FK_EINVAL);
	assert_string_equal(err.key, "phone_invalid");
	assert_string_equal(err.field, "phone");
	assert_string_equal(out, "");
}

static void test_mobile(void **state)
{
	(void)state;
	expect_ok("13812345678", "13812345678");
	expect_ok(" 138 1234 5678 ", "13812345678");
	expect_ok("138-1234-5678", "13812345678");
	expect_ok("+86 138 1234 5678", "13812345678");
	expect_ok("+8613812345678", "13812345678");
	expect_ok("8613812345678", "13812345678");
	expect_ok("19912345678", "19912345678");
}

static void test_landline(void **state)
{
	(void)state;
	expect_ok("0532-88886666", "0532-88886666");
	expect_ok("053288886666", "0532-88886666");
	expect_ok("0532 8888 6666", "0532-88886666");
	expect_ok("(0532)88886666", "0532-88886666");
	expect_ok("010-12345678", "010-12345678");
	expect_ok("01062345678", "010-62345678");
	expect_ok("021-6234567", "021-6234567");
	expect_ok("0532-88886666-123", "0532-88886666-123");
	expect_ok("0532-8888666-12", "0532-8888666-12");
	expect_ok("+86 532 8888 6666", "0532-88886666");
}

static void test_refused(void **state)
{
	(void)state;
	expect_bad("");
	expect_bad(NULL);
	expect_bad("12812345678");  /* 12x is no mobile prefix */
	expect_bad("1381234567");   /* 10 digits */
	expect_bad("138123456789"); /* 12 digits */
	expect_bad("138 1234 567a");
	expect_bad("+1 650 555 1234");
	expect_bad("0532-123456");    /* 6-digit subscriber */
	expect_bad("0532-123456789"); /* 9-digit subscriber */
	expect_bad("0532-08886666");
	expect_bad("88886666"); /* no area code */
	expect_bad("1381234567812345678901234567890");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mobile),
	    cmocka_unit_test(test_landline),
	    cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
