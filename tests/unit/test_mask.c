/* Unit tests for base/mask: what restricted roles see of ID numbers and phones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/mask.h"

static void test_mask_id(void **state)
{
	char out[40];

	(void)state;
	assert_string_equal(fk_mask_id("370202199001011234", out, sizeof(out)),
			    "370202********1234");
	assert_string_equal(fk_mask_id("11010519491231002X", out, sizeof(out)),
			    "110105********002X");
	assert_string_equal(fk_mask_id("E12345678", out, sizeof(out)), "E*******8");
	assert_string_equal(fk_mask_id("12345678901", out, sizeof(out)), "123456*8901");
	assert_string_equal(fk_mask_id("AB", out, sizeof(out)), "**");
	assert_string_equal(fk_mask_id("", out, sizeof(out)), "");
	assert_string_equal(fk_mask_id(NULL, out, sizeof(out)), "");
}

static void test_mask_phone(void **state)
{
	char out[24];

	(void)state;
	assert_string_equal(fk_mask_phone("13812345678", out, sizeof(out)), "138****5678");
	assert_string_equal(fk_mask_phone("0532-88886666", out, sizeof(out)), "053******6666");
	assert_string_equal(fk_mask_phone("1234567", out, sizeof(out)), "1*****7");
	assert_string_equal(fk_mask_phone(NULL, out, sizeof(out)), "");
	assert_string_equal(fk_mask_phone("", out, sizeof(out)), "");
}

static void test_truncation(void **state)
{
	char out[8];

	(void)state;
	memset(out, 'Z', sizeof(out));
	fk_mask_id("370202199001011234", out, sizeof(out));
	assert_string_equal(out, "370202*");
	memset(out, 'Z', sizeof(out));
	fk_mask_phone("13812345678", out, 1);
	assert_int_equal(out[0], '\0');
	assert_int_equal(out[1], 'Z');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mask_id),
	    cmocka_unit_test(test_mask_phone),
	    cmocka_unit_test(test_truncation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
