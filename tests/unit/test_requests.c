/* test_requests: the requests module's pure rules — the kinds and urgencies as the hotline
 * writes them (English or Chinese), the deadline by kind and urgency (urgent medical care its
 * own, other urgent kinds the shorter of theirs and the urgent one), the depth of a path,
 * the level a request sits at (the lowest staffed one, above a depth for an escalation) and
 * the staffed area above a level area that the job moves a request to. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "requests/internal.h"

#define MIN  (60 * 1000LL)
#define HOUR (60 * MIN)

static void test_kinds(void **state)
{
	(void)state;
	assert_string_equal(rq_kind_norm("medicine"), "medicine");
	assert_string_equal(rq_kind_norm("购药"), "medicine");
	assert_string_equal(rq_kind_norm("就医"), "medical");
	assert_string_equal(rq_kind_norm("生活物资"), "supplies");
	assert_string_equal(rq_kind_norm("助老"), "elderly_help");
	assert_string_equal(rq_kind_norm("投诉"), "complaint");
	assert_string_equal(rq_kind_norm("其他"), "other");
	assert_null(rq_kind_norm("pizza"));
	assert_null(rq_kind_norm(NULL));
	assert_null(rq_kind_norm("Medicine"));
	assert_string_equal(rq_urgency_norm("紧急"), "urgent");
	assert_string_equal(rq_urgency_norm("一般"), "normal");
	assert_string_equal(rq_urgency_norm("normal"), "normal");
	assert_null(rq_urgency_norm("soon"));
	assert_int_equal(rq_kind_index("other"), 5);
	assert_int_equal(rq_kind_index("x"), -1);
}

static void test_deadlines(void **state)
{
	/* medicine, medical, supplies, elderly_help, complaint, other */
	const int64_t normal[6] = {4 * HOUR, 2 * HOUR, 24 * HOUR, 24 * HOUR, 72 * HOUR, 72 * HOUR};

	(void)state;
	assert_int_equal(rq_deadline_pick(normal, 30 * MIN, 2 * HOUR, "medical", "urgent"),
			 30 * MIN);
	assert_int_equal(rq_deadline_pick(normal, 30 * MIN, 2 * HOUR, "medical", "normal"),
			 2 * HOUR);
	assert_int_equal(rq_deadline_pick(normal, 30 * MIN, 2 * HOUR, "medicine", "normal"),
			 4 * HOUR);
	assert_int_equal(rq_deadline_pick(normal, 30 * MIN, 2 * HOUR, "medicine", "urgent"),
			 2 * HOUR);
	assert_int_equal(rq_deadline_pick(normal, 30 * MIN, 2 * HOUR, "supplies", "normal"),
			 24 * HOUR);
	assert_int_equal(rq_deadline_pick(normal, 30 * MIN, 2 * HOUR, "complaint", "urgent"),
			 2 * HOUR);
	/* urgent never later than normal: an urgent deadline longer than the kind's own */
	assert_int_equal(rq_deadline_pick(normal, 30 * MIN, 8 * HOUR, "medicine", "urgent"),
			 4 * HOUR);
}

static struct rq_cand cand(int64_t id, const char *kind, const char *path, bool staffed)
{
	struct rq_cand c = {.id = id, .staffed = staffed};

	snprintf(c.kind, sizeof(c.kind), "%s", kind);
	snprintf(c.path, sizeof(c.path), "%s", path);
	c.depth = rq_path_depth(path);
	return c;
}

static void test_level_pick(void **state)
{
	struct rq_cand c[5];

	(void)state;
	assert_int_equal(rq_path_depth("/1/"), 1);
	assert_int_equal(rq_path_depth("/1/12/305/"), 3);
	c[0] = cand(1, "district", "/1/", true);
	c[1] = cand(2, "street", "/1/2/", false);
	c[2] = cand(3, "community", "/1/2/3/", true);
	c[3] = cand(4, "grid", "/1/2/3/4/", false);
	c[4] = cand(5, "building", "/1/2/3/4/5/", true);
	/* the lowest staffed: the building */
	assert_int_equal(rq_level_pick(c, 5, RQ_MAX_DEPTH + 1), 4);
	/* from the building, one staffed level up: the community (the grid has no one) */
	assert_int_equal(rq_level_pick(c, 5, c[4].depth), 2);
	/* from the community: the district (the street has no one) */
	assert_int_equal(rq_level_pick(c, 5, c[2].depth), 0);
	/* from the district: none */
	assert_int_equal(rq_level_pick(c, 5, c[0].depth), -1);
	c[4].staffed = false;
	assert_int_equal(rq_level_pick(c, 5, RQ_MAX_DEPTH + 1), 2);
	assert_int_equal(rq_level_pick(c, 0, RQ_MAX_DEPTH + 1), -1);
	assert_true(rq_level_kind("grid"));
	assert_false(rq_level_kind("unit"));
	assert_string_equal(rq_level_role("street"), "commander");
	assert_string_equal(rq_level_role("district"), "commander");
	assert_string_equal(rq_level_role("building"), "building");
}

static void test_staffed_above(void **state)
{
	struct rq_cand s[3];

	(void)state;
	s[0] = cand(1, "district", "/1/", true);
	s[1] = cand(3, "community", "/1/2/3/", true);
	s[2] = cand(5, "building", "/1/2/3/4/5/", true);
	qsort(s, 3, sizeof(s[0]), rq_cand_cmp);
	assert_int_equal(rq_staffed_above(s, 3, "/1/2/3/4/5/")->id, 3);
	assert_int_equal(rq_staffed_above(s, 3, "/1/2/3/4/")->id, 3);
	assert_int_equal(rq_staffed_above(s, 3, "/1/2/3/")->id, 1);
	assert_null(rq_staffed_above(s, 3, "/1/"));
	/* a sibling path that merely starts alike is not above */
	assert_int_equal(rq_staffed_above(s, 3, "/1/2/33/")->id, 1);
	assert_null(rq_staffed_above(s, 0, "/1/2/"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kinds),
	    cmocka_unit_test(test_deadlines),
	    cmocka_unit_test(test_level_pick),
	    cmocka_unit_test(test_staffed_above),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
