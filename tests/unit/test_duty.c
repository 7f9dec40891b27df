/* test_duty: the duty module's pure rules (src/duty/span.c) — place kinds, a shift's bounds
 * (after its start, at most a day), overlap of two shifts (touching ends do not), the week a
 * roster asks for (ISO weeks and days, Monday 00:00 China Standard Time, weeks 1 and 53 at
 * the turn of a year) and what a place needs by the policies. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "base/clock.h"
#include "duty/internal.h"

static int64_t t(const char *iso)
{
	int64_t ms = 0;

	assert_int_equal(fk_iso8601_parse(iso, &ms), 0);
	return ms;
}

static void test_kinds(void **state)
{
	(void)state;
	assert_int_equal(du_kind_parse("site"), DU_SITE);
	assert_int_equal(du_kind_parse("checkpoint"), DU_CHECKPOINT);
	assert_int_equal(du_kind_parse("facility"), DU_FACILITY);
	assert_int_equal(du_kind_parse("Site"), -1);
	assert_int_equal(du_kind_parse(""), -1);
	assert_int_equal(du_kind_parse(NULL), -1);
	assert_string_equal(du_kind_name(DU_CHECKPOINT), "checkpoint");
}

static void test_span(void **state)
{
	struct fk_err err;
	int64_t s = t("2026-12-09T08:00:00+08:00");

	(void)state;
	assert_int_equal(du_span_check(s, s + 1, &err), 0);
	assert_int_equal(du_span_check(s, s + DU_DAY_MS, &err), 0);
	assert_int_equal(du_span_check(s, s + DU_DAY_MS + 1, &err), FK_EINVAL);
	assert_string_equal(err.key, "shift_too_long");
	assert_string_equal(err.field, "ends_at");
	assert_int_equal(du_span_check(s, s, &err), FK_EINVAL);
	assert_string_equal(err.key, "invalid_span");
	assert_int_equal(du_span_check(s, s - 1, &err), FK_EINVAL);
}

static void test_overlap(void **state)
{
	(void)state;
	assert_true(du_overlaps(8, 12, 11, 15));  /* the later starts inside */
	assert_true(du_overlaps(11, 15, 8, 12));  /* either order */
	assert_true(du_overlaps(6, 20, 8, 12));	  /* one holds the other */
	assert_true(du_overlaps(8, 12, 8, 12));	  /* the same */
	assert_false(du_overlaps(8, 12, 12, 16)); /* touching ends */
	assert_false(du_overlaps(12, 16, 8, 12));
	assert_false(du_overlaps(8, 9, 10, 11));
}

static void week_is(const char *s, const char *monday)
{
	struct fk_err err;
	int64_t from = 0, to = 0;

	assert_int_equal(du_week_range(s, "week", &from, &to, &err), 0);
	assert_int_equal(from, t(monday));
	assert_int_equal(to - from, 7 * DU_DAY_MS);
}

static void week_bad(const char *s)
{
	struct fk_err err;
	int64_t from = 0, to = 0;

	assert_int_equal(du_week_range(s, "week", &from, &to, &err), FK_EINVAL);
	assert_string_equal(err.key, "invalid_week");
	assert_string_equal(err.field, "week");
}

static void test_weeks(void **state)
{
	(void)state;
	week_is("2026-W50", "2026-12-07T00:00:00+08:00");
	week_is("2026-12-07", "2026-12-07T00:00:00+08:00"); /* a Monday */
	week_is("2026-12-13", "2026-12-07T00:00:00+08:00"); /* a Sunday */
	week_is("2026-12-14", "2026-12-14T00:00:00+08:00");
	week_is("2026-W01", "2025-12-29T00:00:00+08:00"); /* 4 January 2026 is a Sunday */
	week_is("2026-01-01", "2025-12-29T00:00:00+08:00");
	week_is("2020-W53", "2020-12-28T00:00:00+08:00"); /* 2020 has 53 weeks */
	week_is("2026-W53", "2026-12-28T00:00:00+08:00");
	week_is("2024-02-29", "2024-02-26T00:00:00+08:00");
	week_bad("2025-W53"); /* 52 weeks */
	week_bad("2021-W53");
	week_bad("2026-W00");
	week_bad("2026-W5");
	week_bad("2026W50");
	week_bad("2026-W5x");
	week_bad("2026-W 5");
	week_bad("2026-W+5");
	week_bad("2026-02-30");
	week_bad("");
	week_bad(NULL);
}

static void test_week_of(void **state)
{
	int64_t monday = t("2026-12-07T00:00:00+08:00");
	int64_t from, to;

	(void)state;
	du_week_of(monday, &from, &to);
	assert_int_equal(from, monday);
	assert_int_equal(to, monday + 7 * DU_DAY_MS);
	du_week_of(monday - 1, &from, &to); /* Sunday 23:59:59.999 in China */
	assert_int_equal(from, monday - 7 * DU_DAY_MS);
	du_week_of(t("2026-12-13T15:59:59Z"), &from, &to); /* Sunday 23:59:59 in China */
	assert_int_equal(from, monday);
	du_week_of(t("1970-01-01T00:00:00Z"), &from, &to); /* a Thursday */
	assert_int_equal(from, t("1969-12-29T00:00:00+08:00"));
}

static void test_need(void **state)
{
	(void)state;
	assert_int_equal(du_need(DU_SITE, 3, 2, 5, 7), 6);
	assert_int_equal(du_need(DU_SITE, 0, 2, 5, 7), 2); /* a site has at least one desk */
	assert_int_equal(du_need(DU_CHECKPOINT, 3, 2, 5, 7), 5);
	assert_int_equal(du_need(DU_FACILITY, 3, 2, 5, 7), 7);
	assert_int_equal(du_need(DU_SITE, 4, 0, 5, 7), 0);
}

static void test_paths(void **state)
{
	const char *const p[] = {"/1/2/", "/1/", "/1/3/", "/1/", "/4/", "/1/22/"};

	(void)state;
	assert_true(du_path_covered(p, 6, 0));	/* under /1/ */
	assert_false(du_path_covered(p, 6, 1)); /* the first /1/ */
	assert_true(du_path_covered(p, 6, 2));
	assert_true(du_path_covered(p, 6, 3)); /* /1/ again */
	assert_false(du_path_covered(p, 6, 4));
	assert_true(du_path_covered(p, 6, 5));
	assert_false(du_path_covered(p, 2, 1));
	assert_false(du_path_covered(p + 4, 2, 1)); /* /1/22/ is not under /4/ */
	assert_false(du_path_covered(p, 1, 0));
	assert_false(du_path_covered((const char *const[]){"/1/2/", "/1/22/"}, 2, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kinds),   cmocka_unit_test(test_span),
	    cmocka_unit_test(test_overlap), cmocka_unit_test(test_weeks),
	    cmocka_unit_test(test_week_of), cmocka_unit_test(test_need),
	    cmocka_unit_test(test_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
