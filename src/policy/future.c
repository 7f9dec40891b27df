/* future: policies of the modules to come (requests, retention, and zone rules
 * of the 9th edition), declared here under their future module's prefix so an administrator can set
 * them now; each moves to its module's own table when that module arrives. Defaults are the
 * 9th-edition protocol's (June 2022) and the reports' (SPEC §4-§7, §12). */
#include <string.h>
#include "policy/internal.h"

/* The medical urgent deadline is the shortest; medicine comes before supplies. */
static int check_deadlines(json_t *values, struct fk_err *err)
{
	int64_t urgent =
	    json_integer_value(json_object_get(values, "requests.medical_urgent_minutes"));
	int64_t medicine = json_integer_value(json_object_get(values, "requests.medicine_hours"));
	int64_t supplies = json_integer_value(json_object_get(values, "requests.supplies_hours"));

	if (urgent > medicine * 60 || medicine > supplies)
		return fk_err_set(err, FK_EUNPROC, "deadlines_out_of_order",
				  "requests.medicine_hours",
				  "期限须满足：紧急就医 ≤ 购药 ≤ 生活物资",
				  "deadlines must keep medical urgent <= medicine <= supplies");
	return 0;
}

const struct fk_policy_def policy_future_defs[] = {
    {.key = "zones.kinds",
     .type = FK_POLICY_OBJECT,
     .def = "{\"high\":{\"zh\":\"高风险区\",\"en\":\"high risk\"},"
	    "\"medium\":{\"zh\":\"中风险区\",\"en\":\"medium risk\"},"
	    "\"low\":{\"zh\":\"低风险区\",\"en\":\"low risk\"}}",
     .open_keys = true,
     .label_zh = "风险区类型",
     .label_en = "Zone kinds",
     .help_zh = "可划定的区域类型及其中英文名称（2022 年 6 月第九版方案：高、中、低风险区）",
     .help_en = "The kinds of zone that may be drawn, with their names (9th edition, June "
		"2022: high, medium, low risk)"},
    {.key = "zones.high_to_medium_days",
     .type = FK_POLICY_DURATION,
     .def = "7",
     .min = 0,
     .max = 60,
     .unit = FK_POLICY_DAYS,
     .label_zh = "高风险区降为中风险区（天）",
     .label_en = "High to medium risk (days)",
     .help_zh = "连续此天数无新增感染且第 7 天全员核酸阴性，高风险区降为中风险区",
     .help_en = "Days with no new infection, and an all-negative round on the last day, before "
		"a high-risk zone becomes medium"},
    {.key = "zones.medium_after_high_days",
     .type = FK_POLICY_DURATION,
     .def = "3",
     .min = 0,
     .max = 60,
     .unit = FK_POLICY_DAYS,
     .label_zh = "由高风险降级的中风险区降为低风险区（天）",
     .label_en = "Medium (from high) to low risk (days)",
     .help_zh = "由高风险区降级而来的中风险区，再经此天数降为低风险区",
     .help_en = "Further days before a zone downgraded from high to medium becomes low"},
    {.key = "zones.medium_to_low_days",
     .type = FK_POLICY_DURATION,
     .def = "7",
     .min = 0,
     .max = 60,
     .unit = FK_POLICY_DAYS,
     .label_zh = "中风险区降为低风险区（天）",
     .label_en = "Medium to low risk (days)",
     .help_zh = "中风险区连续此天数无新增感染，降为低风险区",
     .help_en = "Days with no new infection before a medium-risk zone becomes low"},
    {.key = "zones.high_to_low_days",
     .type = FK_POLICY_DURATION,
     .def = "5",
     .min = 0,
     .max = 60,
     .unit = FK_POLICY_DAYS,
     .label_zh = "高风险区直接解除（天，2022 年 11 月方案）",
     .label_en = "High to low risk, Nov 2022 scheme (days)",
     .help_zh = "只划高、低风险区时，高风险区连续此天数无新增感染且核酸阴性即降为低风险区",
     .help_en = "Where only high and low zones are drawn: days with no new infection and a "
		"negative round before a high-risk zone becomes low"},
    {.key = "requests.medical_urgent_minutes",
     .type = FK_POLICY_DURATION,
     .def = "30",
     .min = 1,
     .max = 1440,
     .unit = FK_POLICY_MINUTES,
     .label_zh = "紧急就医诉求处理时限",
     .label_en = "Deadline: urgent medical care",
     .help_zh = "超时未处理即上升一级",
     .help_en = "Past it, the request escalates one level"},
    {.key = "requests.medicine_hours",
     .type = FK_POLICY_DURATION,
     .def = "4",
     .min = 1,
     .max = 168,
     .unit = FK_POLICY_HOURS,
     .label_zh = "购药诉求处理时限",
     .label_en = "Deadline: medicine",
     .help_zh = "超时未处理即上升一级",
     .help_en = "Past it, the request escalates one level"},
    {.key = "requests.supplies_hours",
     .type = FK_POLICY_DURATION,
     .def = "24",
     .min = 1,
     .max = 168,
     .unit = FK_POLICY_HOURS,
     .label_zh = "生活物资诉求处理时限",
     .label_en = "Deadline: living supplies",
     .help_zh = "超时未处理即上升一级",
     .help_en = "Past it, the request escalates one level",
     .check = check_deadlines},
    {.key = "retention.personal_data_days",
     .type = FK_POLICY_DURATION,
     .def = "180",
     .min = 1,
     .max = 3650,
     .unit = FK_POLICY_DAYS,
     .label_zh = "个人信息保存期限",
     .label_en = "Personal data retention",
     .help_zh = "防控结束后个人信息保存的天数，到期清除（个人信息保护法）",
     .help_en = "Days personal data is kept once no longer needed, then purged (PIPL)"},
    {.key = "retention.client_key_days",
     .type = FK_POLICY_DURATION,
     .def = "7",
     .min = 1,
     .max = 365,
     .unit = FK_POLICY_DAYS,
     .label_zh = "重试键保存期限",
     .label_en = "Retry key retention",
     .help_zh = "手机重试所用的客户端键及其应答保存的天数",
     .help_en = "Days the client keys that make a phone's retry safe, and their replies, are "
		"kept"},
    FK_POLICIES_END,
};
