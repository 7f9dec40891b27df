/* Unit tests for base/clock: ISO 8601 text, calendar dates, parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/clock.h"
#include "base/err.h"

static void test_iso8601(void **state)
{
	char s[32];

	(void)state;
	assert_string_equal(fk_iso8601(0, s), "1970-01-01T00:00:00.000Z");
	assert_string_equal(fk_iso8601(1795690014123LL, s), "2026-11-26T10:46:54.123Z");
	assert_string_equal(fk_iso8601(951782400000LL, s), "2000-02-29T00:00:00.000Z");
	assert_string_equal(fk_iso8601(-1, s), "1969-12-31T23:59:59.999Z");
	assert_int_equal(strlen(fk_iso8601(fk_now_ms(), s)), 24);
}

static void test_iso8601_parse(void **state)
{
	int64_t ms = 0;

	(void)state;
	assert_int_equal(fk_iso8601_parse("2026-11-26T10:46:54.123Z", &ms), 0);
	assert_true(ms == 1795690014123LL);
	assert_int_equal(fk_iso8601_parse("2026-11-26T18:46:54.123+08:00", &ms), 0);
	assert_true(ms == 1795690014123LL);
	assert_int_equal(fk_iso8601_parse("2026-11-26 18:46:54+0800", &ms), 0);
	assert_true(ms == 1795690014000LL);
	assert_int_equal(fk_iso8601_parse("2026-11-26T10:46:54.5Z", &ms), 0);
	assert_true(ms == 1795690014500LL);
	assert_int_equal(fk_iso8601_parse("2026-11-26T10:46:54", &ms), FK_EINVAL);
	assert_int_equal(fk_iso8601_parse("2026-02-30T10:46:54Z", &ms), FK_EINVAL);
	assert_int_equal(fk_iso8601_parse("2026-11-26T24:00:00Z", &ms), FK_EINVAL);
	assert_int_equal(fk_iso8601_parse("2026-11-26T10:46:54.Z", &ms), FK_EINVAL);
	assert_int_equal(fk_iso8601_parse("2026-11-26T10:46:54Zx", &ms), FK_EINVAL);
}

static void test_dates(void **state)
{
	int y, m, d;

	(void)state;
	assert_true(fk_date_valid(2000, 2, 29));
	assert_true(fk_date_valid(2024, 2, 29));
	assert_false(fk_date_valid(1900, 2, 29));
	assert_false(fk_date_valid(2023, 2, 29));
	assert_false(fk_date_valid(2023, 4, 31));
	assert_false(fk_date_valid(2023, 13, 1));
	assert_false(fk_date_valid(2023, 0, 1));
	assert_false(fk_date_valid(2023, 1, 0));
	assert_true(fk_date_valid(2023, 12, 31));
	assert_int_equal(fk_date_parse("1990-03-07", &y, &m, &d), 0);
	assert_int_equal(y * 10000 + m * 100 + d, 19900307);
	assert_int_equal(fk_date_parse("1990-3-07", &y, &m, &d), FK_EINVAL);
	assert_int_equal(fk_date_parse("1990-03-07x", &y, &m, &d), FK_EINVAL);
	assert_int_equal(fk_date_parse("2023-02-29", NULL, NULL, NULL), FK_EINVAL);
	assert_int_equal(fk_date_parse(NULL, NULL, NULL, NULL), FK_EINVAL);
	assert_int_equal(fk_date_days(1970, 1, 1), 0);
	assert_int_equal(fk_date_days(2024, 1, 1), 19723);
	assert_int_equal(fk_date_days(1969, 12, 31), -1);
	assert_int_equal(fk_age_years(1990, 3, 7, 2026, 3, 6), 35);
	assert_int_equal(fk_age_years(1990, 3, 7, 2026, 3, 7), 36);
	fk_date_today(&y, &m, &d);
	assert_true(fk_date_valid(y, m, d));
	assert_true(y >= 2024);
}

static void test_clocks(void **state)
{
	uint64_t a, b;

	(void)state;
	a = fk_mono_ns();
	b = fk_mono_ns();
	assert_true(b >= a);
	assert_true(fk_now_ms() > 1704067200000LL);
}

static void test_duration_parse(void **state)
{
	int64_t ms = -1;

	(void)state;
	assert_int_equal(fk_duration_parse("PT3H", &ms), 0);
	assert_true(ms == 3 * 3600000LL);
	assert_int_equal(fk_duration_parse("PT11M", &ms), 0);
	assert_true(ms == 11 * 60000LL);
	assert_int_equal(fk_duration_parse("P1DT2H30M15S", &ms), 0);
	assert_true(ms == 86400000LL + 2 * 3600000LL + 30 * 60000LL + 15000LL);
	assert_int_equal(fk_duration_parse("P2W", &ms), 0);
	assert_true(ms == 14 * 86400000LL);
	assert_int_equal(fk_duration_parse("PT0S", &ms), 0);
	assert_true(ms == 0);
	const char *bad[] = {
	    NULL,  "",	  "P",	 "PT",	  "3H",	   "PT3",  "PT3H2H",	    "PT2M3H",
	    "P1H", "P1M", "P1Y", "PT-3H", "PT3H ", "pt3h", "PT1234567890S", "P1DT"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (fk_duration_parse(bad[i], &ms) != FK_EINVAL)
			fail_msg("\"%s\" was taken", bad[i] ? bad[i] : "(null)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_iso8601),	   cmocka_unit_test(test_iso8601_parse),
	    cmocka_unit_test(test_duration_parse), cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_clocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
