/* Unit tests for base/idcard: GB 11643 check digits, every refusal key, types. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "base/clock.h"
#include "base/idcard.h"

static void test_check_digit(void **state)
{
	(void)state;
	assert_int_equal(fk_idcard_check_digit("11010519491231002"), 'X');
	assert_int_equal(fk_idcard_check_digit("37021219900307123"), '6');
	assert_int_equal(fk_idcard_check_digit("44030419850101001"), '3');
	assert_int_equal(fk_idcard_check_digit("51010820121231999"), '4');
}

static void test_valid_resident(void **state)
{
	struct fk_idcard c;
	struct fk_err err;

	(void)state;
	assert_int_equal(fk_idcard_parse(FK_IDT_RESIDENT, " 11010519491231002x ", &c, &err), 0);
	assert_string_equal(c.number, "11010519491231002X");
	assert_string_equal(c.birth, "1949-12-31");
	assert_string_equal(c.region, "110105");
	assert_int_equal(c.sex, 'F'); /* digit 17 is 2: even */
	assert_int_equal(c.type, FK_IDT_RESIDENT);

	assert_int_equal(fk_idcard_parse(FK_IDT_RESIDENT, "370212199003071236", &c, &err), 0);
	assert_int_equal(c.sex, 'M');
	assert_string_equal(c.birth, "1990-03-07");
	assert_string_equal(c.region, "370212");
	/* 2000 is a leap year. */
	assert_int_equal(fk_idcard_parse(FK_IDT_RESIDENT, "370202200002290026", &c, &err), 0);
	assert_string_equal(c.birth, "2000-02-29");
}

static void expect_key(enum fk_id_type t, const char *num, const char *key)
{
	struct fk_err err;
	struct fk_idcard c;

	memset(&c, 0x55, sizeof(c));
	fk_err_clear(&err);
	assert_int_equal(fk_idcard_parse(t, num, &c, &err), FK_EINVAL);
	assert_int_equal(err.code, FK_EINVAL);
	assert_string_equal(err.key, key);
	assert_string_equal(err.field, "id_number");
	assert_true(err.zh[0] != '\0');
	assert_true(err.en[0] != '\0');
	assert_int_equal((unsigned char)c.number[0], 0x55); /* out untouched on error */
}

static void test_refusals(void **state)
{
	struct fk_err err;

	(void)state;
	expect_key(FK_IDT_RESIDENT, "110105194912310021", "id_number_check");
	expect_key(FK_IDT_RESIDENT, "11010519491231002", "id_number_length");
	expect_key(FK_IDT_RESIDENT, "1101051949123100211", "id_number_length");
	expect_key(FK_IDT_RESIDENT, "", "id_number_length");
	expect_key(FK_IDT_RESIDENT, NULL, "id_number_length");
	expect_key(FK_IDT_RESIDENT, "1101051949123100A2", "id_number_chars");
	expect_key(FK_IDT_RESIDENT, "11010519491231002Y", "id_number_chars");
	expect_key(FK_IDT_RESIDENT, "010105194912310021", "id_number_region");
	/* 1900-02-29 does not exist (1900 is not a leap year): check digit made valid. */
	expect_key(FK_IDT_RESIDENT, "110105190002290025", "id_number_birth");
	expect_key(FK_IDT_RESIDENT, "110105189912310023", "id_number_birth");
	expect_key(FK_IDT_RESIDENT, "110105199013010026", "id_number_birth");
	expect_key(FK_IDT_RESIDENT, "110105299912310020", "id_number_birth");
	/* The check-digit message must not reveal the expected digit. */
	fk_idcard_parse(FK_IDT_RESIDENT, "110105194912310021", NULL, &err);
	assert_null(strchr(err.en, 'X'));
	assert_null(strchr(err.zh, 'X'));
}

/* A valid resident number of someone born on y-m-d. */
static const char *make_id(int y, int m, int d)
{
	static char num[64];
	size_t n;

	n = (size_t)snprintf(num, sizeof(num), "370212%04d%02d%02d002", y, m, d);
	assert_int_equal(n, 17);
	num[17] = fk_idcard_check_digit(num);
	num[18] = '\0';
	return num;
}

static void test_birth_today_bound(void **state)
{
	int y, m, d;
	struct fk_idcard c;

	(void)state;
	fk_date_today(&y, &m, &d);
	assert_int_equal(fk_idcard_parse(FK_IDT_RESIDENT, make_id(y, m, d), &c, NULL), 0);
	expect_key(FK_IDT_RESIDENT, make_id(y + 1, m, d == 29 ? 28 : d), "id_number_birth");
}

static void test_other_types(void **state)
{
	struct fk_idcard c;

	(void)state;
	assert_int_equal(fk_idcard_parse(FK_IDT_PASSPORT, "  e12345678 ", &c, NULL), 0);
	assert_string_equal(c.number, "E12345678");
	assert_string_equal(c.birth, "");
	assert_string_equal(c.region, "");
	assert_int_equal(c.sex, 0);
	assert_int_equal(fk_idcard_parse(FK_IDT_HKMO, "H1234567890", &c, NULL), 0);
	assert_int_equal(fk_idcard_parse(FK_IDT_TW, "12345678", &c, NULL), 0);
	expect_key(FK_IDT_PASSPORT, "E123", "id_number_chars");
	expect_key(FK_IDT_PASSPORT, "E1234-5678", "id_number_chars");
	expect_key(FK_IDT_OTHER, "A12345678901234567890", "id_number_chars");
	expect_key(FK_IDT_TW, "A1234567890123456789012345678901234567890123", "id_number_chars");
	assert_int_equal(fk_idcard_parse((enum fk_id_type)9, "E12345678", &c, NULL), FK_EINVAL);
}

static void test_type_names(void **state)
{
	(void)state;
	assert_int_equal(fk_idtype_parse(""), FK_IDT_RESIDENT);
	assert_int_equal(fk_idtype_parse(NULL), FK_IDT_RESIDENT);
	assert_int_equal(fk_idtype_parse("resident"), FK_IDT_RESIDENT);
	assert_int_equal(fk_idtype_parse("身份证"), FK_IDT_RESIDENT);
	assert_int_equal(fk_idtype_parse("居民身份证"), FK_IDT_RESIDENT);
	assert_int_equal(fk_idtype_parse("Passport"), FK_IDT_PASSPORT);
	assert_int_equal(fk_idtype_parse(" 护照 "), FK_IDT_PASSPORT);
	assert_int_equal(fk_idtype_parse("港澳通行证"), FK_IDT_HKMO);
	assert_int_equal(fk_idtype_parse("港澳居民居住证"), FK_IDT_HKMO);
	assert_int_equal(fk_idtype_parse("hkmo"), FK_IDT_HKMO);
	assert_int_equal(fk_idtype_parse("台胞证"), FK_IDT_TW);
	assert_int_equal(fk_idtype_parse("台湾通行证"), FK_IDT_TW);
	assert_int_equal(fk_idtype_parse("台湾居民居住证"), FK_IDT_TW);
	assert_int_equal(fk_idtype_parse("tw"), FK_IDT_TW);
	assert_int_equal(fk_idtype_parse("其他"), FK_IDT_OTHER);
	assert_int_equal(fk_idtype_parse("other"), FK_IDT_OTHER);
	assert_int_equal(fk_idtype_parse("驾驶证"), -1);
	assert_int_equal(fk_idtype_parse("resident2"), -1);
	for (int t = FK_IDT_RESIDENT; t <= FK_IDT_OTHER; t++)
		assert_int_equal(fk_idtype_parse(fk_idtype_name((enum fk_id_type)t)), t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check_digit), cmocka_unit_test(test_valid_resident),
	    cmocka_unit_test(test_refusals),	cmocka_unit_test(test_birth_today_bound),
	    cmocka_unit_test(test_other_types), cmocka_unit_test(test_type_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
