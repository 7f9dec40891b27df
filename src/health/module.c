/* module: the health module's descriptor — its policies (the morning and evening report
 * times), and soon its routes, area paths and the job that alerts missed reports. */
#include <jansson.h>
#include "health/internal.h"

extern const struct fk_migration fk_migrations_health[]; /* from schema/ */

static int minutes_of(json_t *values, const char *key)
{
	const char *s = json_string_value(json_object_get(values, key));

	return s ? ((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 + (s[4] - '0') : 0;
}

static int check_reports(json_t *values, struct fk_err *err)
{
	if (minutes_of(values, "health.report_morning") >=
	    minutes_of(values, "health.report_evening"))
		return fk_err_set(err, FK_EUNPROC, "morning_after_evening", "health.report_evening",
				  "晚间报告时间须晚于早间报告时间",
				  "the evening report must come after the morning report");
	return 0;
}

const struct fk_policy_def hl_policies[] = {
    {.key = "health.report_morning",
     .type = FK_POLICY_TIME,
     .def = "\"08:00\"",
     .label_zh = "早间健康报告时间",
     .label_en = "Morning health report",
     .help_zh = "隔离和监测人员上报早间体温与症状的时间，逾时未报提醒网格员",
     .help_en = "When people in isolation or monitoring report their morning temperature and "
		"symptoms; a missing report alerts the grid worker"},
    {.key = "health.report_evening",
     .type = FK_POLICY_TIME,
     .def = "\"20:00\"",
     .label_zh = "晚间健康报告时间",
     .label_en = "Evening health report",
     .help_zh = "上报晚间体温与症状的时间",
     .help_en = "When the evening temperature and symptoms are reported",
     .check = check_reports},
    FK_POLICIES_END,
};

const struct fk_module fk_module_health = {
    .name = "health",
    .migrations = fk_migrations_health,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "health_reports", .column = "area_path"},
	    {.table = "health_misses", .column = "area_path"},
	    {0},
	},
    .policies = hl_policies,
};
