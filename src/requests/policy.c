/* policy: the deadlines of requests by kind and urgency (SPEC §7; the reports' figures:
 * urgent medical care 30 minutes, medicine 4 hours, living supplies 24 hours), and the names
 * of kinds and urgencies as the hotline writes them (English or Chinese). */
#include <string.h>
#include "requests/internal.h"

const char *const rq_kinds[6] = {"medicine",	 "medical",   "supplies",
				 "elderly_help", "complaint", "other"};
static const char *const kinds_zh[6][3] = {
    {"购药", "买药", "药品"},	  {"就医", "医疗", "看病"},	{"生活物资", "物资", "生活"},
    {"助老", "老人帮扶", "帮扶"}, {"投诉", "投诉建议", "建议"}, {"其他", "其它", "咨询"},
};

int rq_kind_index(const char *kind)
{
	for (int i = 0; kind && i < 6; i++)
		if (strcmp(kind, rq_kinds[i]) == 0)
			return i;
	return -1;
}

const char *rq_kind_norm(const char *kind)
{
	int i = rq_kind_index(kind);

	if (i >= 0)
		return rq_kinds[i];
	for (i = 0; kind && i < 6; i++)
		for (int j = 0; j < 3; j++)
			if (strcmp(kind, kinds_zh[i][j]) == 0)
				return rq_kinds[i];
	return NULL;
}

const char *rq_urgency_norm(const char *urgency)
{
	if (!urgency)
		return NULL;
	if (strcmp(urgency, "normal") == 0 || strcmp(urgency, "一般") == 0 ||
	    strcmp(urgency, "普通") == 0)
		return "normal";
	if (strcmp(urgency, "urgent") == 0 || strcmp(urgency, "紧急") == 0 ||
	    strcmp(urgency, "加急") == 0)
		return "urgent";
	return NULL;
}

int64_t rq_deadline_pick(const int64_t normal_ms[6], int64_t medical_urgent_ms, int64_t urgent_ms,
			 const char *kind, const char *urgency)
{
	int i = rq_kind_index(kind);
	int64_t normal = normal_ms[i < 0 ? 5 : i];

	if (!urgency || strcmp(urgency, "urgent") != 0)
		return normal;
	if (i == 1)
		return medical_urgent_ms;
	return urgent_ms < normal ? urgent_ms : normal;
}

int64_t rq_deadline_ms(const struct fk_policy_snap *s, const char *kind, const char *urgency)
{
	static const int keys[6] = {RQ_POL_MEDICINE, RQ_POL_MEDICAL,   RQ_POL_SUPPLIES,
				    RQ_POL_ELDERLY,  RQ_POL_COMPLAINT, RQ_POL_OTHER};
	int64_t normal[6];

	for (int i = 0; i < 6; i++)
		normal[i] = fk_policy_snap_ms(s, &rq_policies[keys[i]]);
	return rq_deadline_pick(normal, fk_policy_snap_ms(s, &rq_policies[RQ_POL_MEDICAL_URGENT]),
				fk_policy_snap_ms(s, &rq_policies[RQ_POL_URGENT]), kind, urgency);
}

static int64_t minutes(json_t *values, const char *key, int per)
{
	return json_integer_value(json_object_get(values, key)) * per;
}

/* Urgent medical care is the shortest; medicine comes before supplies; normal medical care
 * is not shorter than urgent. */
static int check_deadlines(json_t *values, struct fk_err *err)
{
	int64_t urgent = minutes(values, "requests.medical_urgent_minutes", 1);
	int64_t medical = minutes(values, "requests.medical_hours", 60);
	int64_t medicine = minutes(values, "requests.medicine_hours", 60);
	int64_t supplies = minutes(values, "requests.supplies_hours", 60);

	if (urgent > medicine || medicine > supplies)
		return fk_err_set(err, FK_EUNPROC, "deadlines_out_of_order",
				  "requests.medicine_hours",
				  "期限须满足：紧急就医 ≤ 购药 ≤ 生活物资",
				  "deadlines must keep medical urgent <= medicine <= supplies");
	if (urgent > medical)
		return fk_err_set(err, FK_EUNPROC, "deadlines_out_of_order",
				  "requests.medical_hours", "一般就医期限不能短于紧急就医期限",
				  "normal medical care cannot be due before urgent medical care");
	return 0;
}

#define HOURS_DEF(k, d, zh, en)                                                                    \
	{                                                                                          \
		.key = "requests." k, .type = FK_POLICY_DURATION, .def = d, .min = 1, .max = 168,  \
		.unit = FK_POLICY_HOURS, .label_zh = zh, .label_en = en,                           \
		.help_zh = "超时未处理即上升一级",                                                 \
		.help_en = "Past it, the request escalates one level"                              \
	}

const struct fk_policy_def rq_policies[] = {
    [RQ_POL_MEDICAL_URGENT] = {.key = "requests.medical_urgent_minutes",
			       .type = FK_POLICY_DURATION,
			       .def = "30",
			       .min = 1,
			       .max = 1440,
			       .unit = FK_POLICY_MINUTES,
			       .label_zh = "紧急就医诉求处理时限",
			       .label_en = "Deadline: urgent medical care",
			       .help_zh = "超时未处理即上升一级",
			       .help_en = "Past it, the request escalates one level"},
    [RQ_POL_MEDICAL] =
	HOURS_DEF("medical_hours", "2", "一般就医诉求处理时限", "Deadline: medical care (normal)"),
    [RQ_POL_MEDICINE] = HOURS_DEF("medicine_hours", "4", "购药诉求处理时限", "Deadline: medicine"),
    [RQ_POL_SUPPLIES] =
	HOURS_DEF("supplies_hours", "24", "生活物资诉求处理时限", "Deadline: living supplies"),
    [RQ_POL_ELDERLY] =
	HOURS_DEF("elderly_help_hours", "24", "助老诉求处理时限", "Deadline: help for the elderly"),
    [RQ_POL_COMPLAINT] =
	HOURS_DEF("complaint_hours", "72", "投诉诉求处理时限", "Deadline: complaints"),
    [RQ_POL_OTHER] = HOURS_DEF("other_hours", "72", "其他诉求处理时限", "Deadline: other"),
    [RQ_POL_URGENT] = {.key = "requests.urgent_hours",
		       .type = FK_POLICY_DURATION,
		       .def = "2",
		       .min = 1,
		       .max = 168,
		       .unit = FK_POLICY_HOURS,
		       .label_zh = "紧急诉求处理时限（就医以外）",
		       .label_en = "Deadline: urgent requests (other than medical care)",
		       .help_zh = "紧急的购药、物资、助老等诉求取此时限与本类一般时限中较短者",
		       .help_en = "An urgent request of a kind other than medical care is due by "
				  "the shorter of this and its kind's own deadline",
		       .check = check_deadlines},
    FK_POLICIES_END,
};
