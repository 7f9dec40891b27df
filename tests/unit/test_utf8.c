/* Unit tests for base/utf8: strict validation, counting, trimming, repair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/utf8.h"

static bool valid(const char *s)
{
	return fk_utf8_valid(s, strlen(s));
}

static void test_valid(void **state)
{
	(void)state;
	assert_true(valid(""));
	assert_true(valid("hello, world 0123456789"));
	assert_true(valid("张三"));
	assert_true(valid("\xF0\x9F\x98\x80"));	 /* U+1F600 */
	assert_true(valid("\xF4\x8F\xBF\xBF"));	 /* U+10FFFF */
	assert_true(valid("\xEF\xBF\xBF"));	 /* U+FFFF */
	assert_false(valid("\xC0\xAF"));	 /* overlong '/' */
	assert_false(valid("\xE0\x80\xAF"));	 /* overlong */
	assert_false(valid("\xF0\x80\x80\xAF")); /* overlong */
	assert_false(valid("\xED\xA0\x80"));	 /* surrogate U+D800 */
	assert_false(valid("\xF4\x90\x80\x80")); /* above U+10FFFF */
	assert_false(valid("\xF5\x80\x80\x80"));
	assert_false(valid("\x80"));				 /* lone continuation */
	assert_false(valid("abc\xE5\xBC"));			 /* truncated */
	assert_false(valid("\xD5\xC5\xC8\xFD"));		 /* 张三 in GBK */
	assert_false(fk_utf8_valid("abcdefgh\xE5\xBC\xA0", 10)); /* cut by len */
	assert_int_equal(fk_utf8_valid_prefix("abcdefghij\xFFxyz", 14), 10);
	assert_int_equal(fk_utf8_valid_prefix("张三", 6), 6);
}

static void test_chars(void **state)
{
	(void)state;
	assert_int_equal(fk_utf8_chars(""), 0);
	assert_int_equal(fk_utf8_chars("abc"), 3);
	assert_int_equal(fk_utf8_chars("张三丰"), 3);
	assert_int_equal(fk_utf8_chars("a张\xF0\x9F\x98\x80"), 3);
}

static void test_trim(void **state)
{
	char a[] = "  张三 \t", b[] = "\xE3\x80\x80李四\xE3\x80\x80 ", c[] = " \xE3\x80\x80 ",
	     d[] = "王 五", e[] = "";

	(void)state;
	assert_string_equal(fk_utf8_trim(a), "张三");
	assert_string_equal(fk_utf8_trim(b), "李四");
	assert_string_equal(fk_utf8_trim(c), "");
	assert_string_equal(fk_utf8_trim(d), "王 五");
	assert_string_equal(fk_utf8_trim(e), "");
	assert_null(fk_utf8_trim(NULL));
}

static void test_repair(void **state)
{
	char s[] = "a\xFF张\xE5\xBC";

	(void)state;
	assert_string_equal(fk_utf8_repair(s), "a?张??");
	assert_true(valid(s));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid),
	    cmocka_unit_test(test_chars),
	    cmocka_unit_test(test_trim),
	    cmocka_unit_test(test_repair),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
