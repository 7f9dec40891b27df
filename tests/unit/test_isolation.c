/* test_isolation: the isolation module's pure rules — the calendar arithmetic of placements
 * (days added across months, years and leap days; differences; today in China Standard Time by
 * the test clock; invalid days refused) and the stages a policy gives (one per kind with days,
 * in order, test days renumbered per stage, the first stage's kind replaced, no days refused),
 * the reasons, kinds and their policies, and the policy's own check of its test days. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "base/clock.h"
#include "isolation/internal.h"

static void test_day_add(void **state)
{
	char out[IS_DAY];

	(void)state;
	assert_int_equal(is_day_add("2026-12-07", 7, out), 0);
	assert_string_equal(out, "2026-12-14");
	assert_int_equal(is_day_add("2026-12-28", 7, out), 0);
	assert_string_equal(out, "2027-01-04");
	assert_int_equal(is_day_add("2028-02-27", 2, out), 0);
	assert_string_equal(out, "2028-02-29");
	assert_int_equal(is_day_add("2027-02-27", 2, out), 0);
	assert_string_equal(out, "2027-03-01");
	assert_int_equal(is_day_add("2026-03-01", -1, out), 0);
	assert_string_equal(out, "2026-02-28");
	assert_int_equal(is_day_add("2026-12-07", 0, out), 0);
	assert_string_equal(out, "2026-12-07");
	assert_int_equal(is_day_add("2026-02-30", 1, out), FK_EINVAL);
	assert_int_equal(is_day_add("2026-1-07", 1, out), FK_EINVAL);
}

static void test_day_valid_and_diff(void **state)
{
	(void)state;
	assert_true(is_day_valid("2028-02-29"));
	assert_false(is_day_valid("2027-02-29"));
	assert_false(is_day_valid("2026-12-07 "));
	assert_false(is_day_valid("20261207"));
	assert_false(is_day_valid(NULL));
	assert_int_equal(is_day_diff("2026-12-14", "2026-12-07"), 7);
	assert_int_equal(is_day_diff("2026-12-07", "2026-12-14"), -7);
	assert_int_equal(is_day_diff("2027-01-01", "2026-12-31"), 1);
	assert_int_equal(is_day_diff("2029-01-01", "2028-01-01"), 366);
}

/* The calendar day turns at 16:00 UTC, midnight in China. */
static void test_day_today(void **state)
{
	char out[IS_DAY];
	int64_t t = 0;

	(void)state;
	fk_clock_test_enable();
	assert_int_equal(fk_iso8601_parse("2026-12-06T15:59:59Z", &t), 0);
	assert_int_equal(fk_clock_set_ms(t), 0);
	is_day_today(out);
	assert_string_equal(out, "2026-12-06");
	assert_int_equal(fk_clock_set_ms(t + 2000), 0);
	is_day_today(out);
	assert_string_equal(out, "2026-12-07");
}

static json_t *policy(const struct fk_policy_def *d)
{
	return json_loads(d->def, 0, NULL);
}

static void assert_days(const struct is_stage *s, const int64_t *want, int n)
{
	assert_int_equal(s->ntests, n);
	for (int i = 0; i < n; i++)
		assert_int_equal(s->test_days[i], want[i]);
}

static void test_plan_close_contact(void **state)
{
	json_t *p = policy(&is_policies[IS_POL_CLOSE]);
	struct is_plan plan;

	(void)state;
	assert_int_equal(is_plan_from(p, NULL, &plan, NULL), 0);
	assert_int_equal(plan.n, 2);
	assert_string_equal(plan.st[0].kind, "centralised");
	assert_int_equal(plan.st[0].days, 7);
	assert_days(&plan.st[0], (const int64_t[]){1, 2, 3, 5, 7}, 5);
	assert_string_equal(plan.st[1].kind, "home_monitoring");
	assert_int_equal(plan.st[1].days, 3);
	assert_days(&plan.st[1], (const int64_t[]){3}, 1);
	assert_int_equal(is_plan_from(p, "home_isolation", &plan, NULL), 0);
	assert_string_equal(plan.st[0].kind, "home_isolation");
	assert_string_equal(plan.st[1].kind, "home_monitoring");
	json_decref(p);
}

/* Test days over centralised + home isolation fall to the stage they land in. */
static void test_plan_split(void **state)
{
	json_t *p = json_pack("{s:i, s:i, s:i, s:[i,i,i,i], s:[]}", "centralised_days", 3,
			      "home_isolation_days", 4, "home_monitoring_days", 0, "test_days", 1,
			      3, 4, 7, "home_test_days");
	struct is_plan plan;

	(void)state;
	assert_int_equal(is_plan_from(p, NULL, &plan, NULL), 0);
	assert_int_equal(plan.n, 2);
	assert_string_equal(plan.st[0].kind, "centralised");
	assert_days(&plan.st[0], (const int64_t[]){1, 3}, 2);
	assert_string_equal(plan.st[1].kind, "home_isolation");
	assert_int_equal(plan.st[1].days, 4);
	assert_days(&plan.st[1], (const int64_t[]){1, 4}, 2);
	json_decref(p);
}

static void test_plan_secondary_and_none(void **state)
{
	json_t *p = policy(&is_policies[IS_POL_SECONDARY]);
	json_t *none = json_pack("{s:i, s:i, s:i, s:[]}", "centralised_days", 0,
				 "home_isolation_days", 0, "home_monitoring_days", 0, "test_days");
	struct is_plan plan;
	struct fk_err err;

	(void)state;
	assert_int_equal(is_plan_from(p, NULL, &plan, NULL), 0);
	assert_int_equal(plan.n, 1);
	assert_string_equal(plan.st[0].kind, "home_isolation");
	assert_days(&plan.st[0], (const int64_t[]){1, 4, 7}, 3);
	assert_int_equal(is_plan_from(none, NULL, &plan, &err), FK_EUNPROC);
	assert_string_equal(err.key, "no_days");
	json_decref(p);
	json_decref(none);
}

static void test_reasons_and_kinds(void **state)
{
	(void)state;
	assert_true(is_reason_valid("close_contact"));
	assert_true(is_reason_valid("positive_pool"));
	assert_false(is_reason_valid("flu"));
	assert_false(is_reason_valid(NULL));
	assert_true(is_kind_valid("home_monitoring"));
	assert_false(is_kind_valid("hotel"));
	assert_true(is_kind_home("home_isolation"));
	assert_false(is_kind_home("centralised"));
	assert_ptr_equal(is_reason_policy("inbound"), &is_policies[IS_POL_CLOSE]);
	assert_ptr_equal(is_reason_policy("other"), &is_policies[IS_POL_CLOSE]);
	assert_ptr_equal(is_reason_policy("secondary_contact"), &is_policies[IS_POL_SECONDARY]);
	assert_ptr_equal(is_reason_policy("high_risk_arrival"), &is_policies[IS_POL_HIGH]);
	assert_ptr_equal(is_reason_policy("medium_risk_arrival"), &is_policies[IS_POL_MEDIUM]);
}

/* The policies' cross-field rule: a test day outside its days is refused naming the policy. */
static void test_policy_check(void **state)
{
	int (*check)(json_t *, struct fk_err *) = is_policies[IS_POL_MEDIUM].check;
	json_t *values = json_object();
	struct fk_err err;

	(void)state;
	assert_non_null(check);
	for (int i = 0; i < IS_POL_COUNT; i++)
		json_object_set_new(values, is_policies[i].key, policy(&is_policies[i]));
	assert_int_equal(check(values, &err), 0);
	json_array_append_new(
	    json_object_get(json_object_get(values, "isolation.close_contact"), "home_test_days"),
	    json_integer(4));
	assert_int_equal(check(values, &err), FK_EUNPROC);
	assert_string_equal(err.field, "isolation.close_contact");
	json_decref(values);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_day_add),
	    cmocka_unit_test(test_day_valid_and_diff),
	    cmocka_unit_test(test_day_today),
	    cmocka_unit_test(test_plan_close_contact),
	    cmocka_unit_test(test_plan_split),
	    cmocka_unit_test(test_plan_secondary_and_none),
	    cmocka_unit_test(test_reasons_and_kinds),
	    cmocka_unit_test(test_policy_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
