/* test_zone_rule: the zones module's pure rule (src/zones/rule.c) — the kinds and levels of
 * the three schemes, what a level asks of its people, the change the lift rule leads to, days
 * remaining (rounded up, 0 once met), when a proposal is due (the days passed and an
 * all-negative last day; a later positive restarts the count) and the first screening's
 * deadline. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "zones/internal.h"

static const struct zn_days days = {.level3 = 7,
				    .level2 = 7,
				    .high_2211 = 5,
				    .first3_ms = 24 * 3600000LL,
				    .first2_ms = 48 * 3600000LL};

static void test_kinds(void **state)
{
	(void)state;
	assert_int_equal(zn_kind_level(ZN_SCHEME_2204, "sealed"), 3);
	assert_int_equal(zn_kind_level(ZN_SCHEME_2204, "precaution"), 1);
	assert_int_equal(zn_kind_level(ZN_SCHEME_2204, "high"), 0);
	assert_int_equal(zn_kind_level(ZN_SCHEME_2206, "medium"), 2);
	assert_int_equal(zn_kind_level(ZN_SCHEME_2211, "medium"), 0);
	assert_int_equal(zn_kind_level(ZN_SCHEME_2211, "low"), 1);
	assert_int_equal(zn_kind_level(202205, "high"), 0);
	assert_int_equal(zn_kind_level(ZN_SCHEME_2206, NULL), 0);
	assert_false(zn_scheme_valid(202205));
	assert_string_equal(zn_kind_at(ZN_SCHEME_2204, 2), "controlled");
	assert_null(zn_kind_at(ZN_SCHEME_2211, 2));
}

static void test_rule_of_level(void **state)
{
	struct fk_zone_rule r = {0};

	(void)state;
	zn_rule_of(3, false, &r);
	assert_true(r.single_tube && r.door_to_door && r.stay_home && r.no_entry);
	assert_false(r.per_household);
	zn_rule_of(3, true, &r);
	assert_true(r.per_household);
	zn_rule_of(2, true, &r);
	assert_false(r.single_tube || r.per_household || r.door_to_door || r.no_entry);
	assert_true(r.stay_home);
	zn_rule_of(1, false, &r);
	assert_false(r.single_tube || r.door_to_door || r.stay_home || r.no_entry);
}

static void test_lift_days(void **state)
{
	const char *to;

	(void)state;
	assert_int_equal(zn_lift_days(&days, ZN_SCHEME_2206, 3, &to), 7);
	assert_string_equal(to, "medium");
	assert_int_equal(zn_lift_days(&days, ZN_SCHEME_2204, 2, &to), 7);
	assert_string_equal(to, "precaution");
	assert_int_equal(zn_lift_days(&days, ZN_SCHEME_2211, 3, &to), 5);
	assert_null(to); /* lifted */
	assert_int_equal(zn_lift_days(&days, ZN_SCHEME_2206, 1, &to), 0);
}

static void test_days_remaining_and_due(void **state)
{
	const int64_t t0 = 1650000000000LL, day = ZN_DAY_MS;

	(void)state;
	assert_int_equal(zn_days_remaining(t0, 7, t0), 7);
	assert_int_equal(zn_days_remaining(t0, 7, t0 + 1), 7);
	assert_int_equal(zn_days_remaining(t0, 7, t0 + 6 * day + day / 2), 1);
	assert_int_equal(zn_days_remaining(t0, 7, t0 + 7 * day), 0);
	assert_int_equal(zn_days_remaining(t0, 7, t0 + 9 * day), 0);
	assert_int_equal(zn_days_remaining(t0, 0, t0), -1);
	assert_int_equal(zn_last_day_from(t0, 7), t0 + 6 * day);
	/* Day 7 with an all-negative last day: due; without it, or a day early: not. */
	assert_true(zn_proposal_due(t0, 7, t0 + 7 * day, true));
	assert_false(zn_proposal_due(t0, 7, t0 + 7 * day, false));
	assert_false(zn_proposal_due(t0, 7, t0 + 7 * day - 1, true));
	assert_false(zn_proposal_due(t0, 0, t0 + 70 * day, true));
	/* A positive on day 6 restarts the count: on day 7 six days remain. */
	int64_t start = zn_count_start(t0, t0 + 5 * day + day / 2);
	assert_int_equal(start, t0 + 5 * day + day / 2);
	assert_false(zn_proposal_due(start, 7, t0 + 7 * day, true));
	assert_int_equal(zn_days_remaining(start, 7, t0 + 7 * day), 6);
	assert_int_equal(zn_count_start(t0, 0), t0);
	assert_int_equal(zn_count_start(t0, t0 - day), t0);
}

static void test_first_screening(void **state)
{
	(void)state;
	assert_int_equal(zn_first_screening_due(&days, 3, 1000), 1000 + 24 * 3600000LL);
	assert_int_equal(zn_first_screening_due(&days, 2, 1000), 1000 + 48 * 3600000LL);
	assert_int_equal(zn_first_screening_due(&days, 1, 1000), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kinds),	    cmocka_unit_test(test_rule_of_level),
	    cmocka_unit_test(test_lift_days),	    cmocka_unit_test(test_days_remaining_and_due),
	    cmocka_unit_test(test_first_screening),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
