/* plan: the stages of a placement from the policy of its reason (SPEC §6, 9th edition): days
 * of centralised isolation, then home isolation, then home health monitoring, each a
 * placement of its own, with the test days that fall on it. */
#include <stdio.h>
#include <string.h>
#include "isolation/internal.h"

static const char *const reasons[] = {
    "close_contact",	   "secondary_contact", "inbound", "high_risk_arrival",
    "medium_risk_arrival", "positive_pool",	"other",   NULL,
};
static const char *const kinds[] = {"centralised", "home_isolation", "home_monitoring", NULL};

static bool among(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

bool is_reason_valid(const char *s)
{
	return among(reasons, s);
}

bool is_kind_valid(const char *s)
{
	return among(kinds, s);
}

bool is_kind_home(const char *kind)
{
	return strcmp(kind, "centralised") != 0;
}

/* Inbound travellers share the close contacts' policy (its label says so); a positive pool
 * awaiting its retest and any other reason take the strictest, the same. */
const struct fk_policy_def *is_reason_policy(const char *reason)
{
	if (strcmp(reason, "secondary_contact") == 0)
		return &is_policies[IS_POL_SECONDARY];
	if (strcmp(reason, "high_risk_arrival") == 0)
		return &is_policies[IS_POL_HIGH];
	if (strcmp(reason, "medium_risk_arrival") == 0)
		return &is_policies[IS_POL_MEDIUM];
	return &is_policies[IS_POL_CLOSE];
}

/* The test days of list that fall in (from, from + days], renumbered from 1. */
static void stage_tests(json_t *list, int64_t from, struct is_stage *s)
{
	json_t *x;
	size_t i;

	json_array_foreach(list, i, x)
	{
		int64_t d = json_integer_value(x) - from;
		if (d >= 1 && d <= s->days && s->ntests < IS_TESTS_MAX)
			s->test_days[s->ntests++] = d;
	}
}

static void add_stage(struct is_plan *p, const char *kind, int64_t days, json_t *tests,
		      int64_t from)
{
	struct is_stage *s = &p->st[p->n];

	if (days <= 0)
		return;
	memset(s, 0, sizeof(*s));
	snprintf(s->kind, sizeof(s->kind), "%s", kind);
	s->days = days;
	stage_tests(tests, from, s);
	p->n++;
}

int is_plan_from(json_t *policy, const char *kind, struct is_plan *out, struct fk_err *err)
{
	int64_t c = json_integer_value(json_object_get(policy, "centralised_days"));
	int64_t h = json_integer_value(json_object_get(policy, "home_isolation_days"));
	int64_t m = json_integer_value(json_object_get(policy, "home_monitoring_days"));
	json_t *tests = json_object_get(policy, "test_days");

	memset(out, 0, sizeof(*out));
	add_stage(out, "centralised", c, tests, 0);
	add_stage(out, "home_isolation", h, tests, c);
	add_stage(out, "home_monitoring", m, json_object_get(policy, "home_test_days"), 0);
	if (out->n == 0)
		return fk_err_set(err, FK_EUNPROC, "no_days", "reason", "该原因的管控政策没有天数",
				  "the policy of this reason gives no day");
	if (kind)
		snprintf(out->st[0].kind, sizeof(out->st[0].kind), "%s", kind);
	return 0;
}
