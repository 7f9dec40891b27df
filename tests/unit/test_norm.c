/* Unit tests for base/norm: full-width forms folded, spaces dropped or kept as one gap, other
 * characters left for the validators, and output that does not fit refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/idcard.h"
#include "base/norm.h"
#include "base/phone.h"

static void expect_id(const char *in, const char *want)
{
	char out[40];
	struct fk_err err;

	fk_err_clear(&err);
	assert_int_equal(fk_norm_id_number(in, out, sizeof(out), &err), 0);
	assert_string_equal(out, want);
}

static void expect_phone(const char *in, const char *want)
{
	char out[40];

	assert_int_equal(fk_norm_phone(in, out, sizeof(out), NULL), 0);
	assert_string_equal(out, want);
}

static void test_full_width_digits_and_x(void **state)
{
	(void)state;
	expect_id("３７０２０２１９９００１０１１２３４", "370202199001011234");
	expect_id("３７０２０２１９９００１０１１２３ｘ", "37020219900101123X");
	expect_id("３７０２０２１９９００１０１１２３Ｘ", "37020219900101123X");
	expect_id("37020219900101123x", "37020219900101123X");
	expect_id("3702０２19900101123４", "370202199001011234");
}

static void test_every_full_width_form(void **state)
{
	char in[94 * 3 + 1], want[95], out[95];
	size_t n = 0;

	(void)state;
	/* U+FF01..U+FF5E, in order, and what each is in ASCII. */
	for (unsigned cp = 0xFF01; cp <= 0xFF5E; cp++) {
		in[n++] = (char)(0xE0 | (cp >> 12));
		in[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		in[n++] = (char)(0x80 | (cp & 0x3F));
		want[cp - 0xFF01] = (char)(cp - 0xFF01 + 0x21);
	}
	in[n] = '\0';
	want[94] = '\0';
	assert_int_equal(fk_norm_ascii(in, out, sizeof(out), "x", NULL), 0);
	assert_string_equal(out, want);
	/* The ends of the range: U+FF00 and U+FF5F are not ASCII forms and stay. */
	assert_int_equal(fk_norm_ascii("\xEF\xBC\x80\xEF\xBD\x9F", out, sizeof(out), "x", NULL), 0);
	assert_string_equal(out, "\xEF\xBC\x80\xEF\xBD\x9F");
	expect_id("ｅ１２３４５６７８", "E12345678");
	expect_phone("＋８６　１３８－００１３－８０００", "+86 138-0013-8000");
}

static void test_spaces(void **state)
{
	(void)state;
	expect_id(" 3702 0219 9001 0112 34 ", "370202199001011234");
	expect_id("\t370202\xC2\xA0"
		  "19900101\xE3\x80\x80"
		  "1234\r\n",
		  "370202199001011234");
	expect_id("\xE3\x80\x80\xE3\x80\x80", "");
	expect_id(NULL, "");
	expect_phone(" 138 0013 8000 ", "138 0013 8000");
	expect_phone("138\xC2\xA0\xC2\xA0"
		     "0013\t\xE3\x80\x80"
		     "8000",
		     "138 0013 8000");
	expect_phone("\xE3\x80\x80１３８００１３８０００\xE3\x80\x80", "13800138000");
}

/* A character that is no ASCII form is kept, so the validator refuses the number. */
static void test_others_left_for_the_validator(void **state)
{
	char out[40];
	struct fk_err err;

	(void)state;
	expect_id("37020219900101123号", "37020219900101123号");
	expect_id("3702021990010112\xF0\x9F\x98\x80", "3702021990010112\xF0\x9F\x98\x80");
	expect_id("3702\xFF", "3702\xFF");
	/* A sequence cut short by the end of the text is copied, never read past its NUL. */
	expect_id("12\xEF\xBC", "12\xEF\xBC");
	expect_id("12\xE3\x80", "12\xE3\x80");
	expect_phone("12\xC2", "12\xC2");
	expect_phone("１３８一二三４５６７８", "138一二三45678");
	fk_err_clear(&err);
	assert_int_equal(
	    fk_idcard_parse(FK_IDT_RESIDENT, "３７０２０２１９９００１０１号", NULL, &err),
	    FK_EINVAL);
	assert_string_equal(err.key, "id_number_length");
	assert_int_equal(fk_phone_normalize("１３８００１３８０００😀", out, &err), FK_EINVAL);
	assert_string_equal(err.key, "phone_invalid");
}

static void test_too_long(void **state)
{
	char out[5];
	struct fk_err err;

	(void)state;
	fk_err_clear(&err);
	/* Four folded characters fit in five bytes, five do not; spaces cost nothing. */
	assert_int_equal(fk_norm_id_number(" １ ２ ３ ４ ", out, sizeof(out), &err), 0);
	assert_string_equal(out, "1234");
	assert_int_equal(fk_norm_id_number("１２３４５", out, sizeof(out), &err), FK_EINVAL);
	assert_string_equal(out, "");
	assert_string_equal(err.key, "too_long");
	assert_string_equal(err.field, "id_number");
	assert_non_null(strstr(err.en, "at most 4 bytes"));
	/* A phone's inner gap takes a byte. */
	assert_int_equal(fk_norm_phone("12 34", out, sizeof(out), &err), FK_EINVAL);
	assert_string_equal(err.field, "phone");
	assert_int_equal(fk_norm_phone(" 1　 23 ", out, sizeof(out), &err), 0);
	assert_string_equal(out, "1 23");
	assert_int_equal(fk_norm_ascii("ab", out, 1, "code", &err), FK_EINVAL);
	assert_string_equal(err.field, "code");
	assert_string_equal(out, "");
}

/* The validators take what people type: the same answer as for the ASCII form. */
static void test_validators_fold(void **state)
{
	struct fk_idcard card;
	char phone[24];
	struct fk_err err;

	(void)state;
	fk_err_clear(&err);
	assert_int_equal(fk_idcard_parse(FK_IDT_RESIDENT, " １１０１０５ １９４９１００１ ００４ｘ",
					 &card, &err),
			 0);
	assert_string_equal(card.number, "11010519491001004X");
	assert_int_equal(fk_phone_normalize("１３８ ００１３ ８０００", phone, &err), 0);
	assert_string_equal(phone, "13800138000");
	assert_int_equal(fk_phone_normalize("０５３２－８８８８６６６６　１２３", phone, &err), 0);
	assert_string_equal(phone, "0532-88886666-123");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full_width_digits_and_x),
	    cmocka_unit_test(test_every_full_width_form),
	    cmocka_unit_test(test_spaces),
	    cmocka_unit_test(test_others_left_for_the_validator),
	    cmocka_unit_test(test_too_long),
	    cmocka_unit_test(test_validators_fold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
