/* module: the health module's descriptor — its policies (the morning and evening report
 * times, the grace before a report is missed, the fever threshold), its routes, area paths
 * and the job that records and alerts missed reports.
 *
 * It reads other modules' tables in its own SQL where a list filters on them (missing.c):
 * the isolation module's placements (who is under one on a day), the people module's people
 * (name, ID number, area) and the area module's areas (names, and the grids above people's
 * areas for the job's alerts). Everything else goes through headers: a person in scope
 * (people.h), the placement covering a day (isolation.h), alerts (events.h). */
#include <jansson.h>
#include "platform/jobs.h"
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
    [HL_POL_MORNING] =
	{.key = "health.report_morning",
	 .type = FK_POLICY_TIME,
	 .def = "\"08:00\"",
	 .label_zh = "早间健康报告时间",
	 .label_en = "Morning health report",
	 .help_zh = "隔离和监测人员上报早间体温与症状的时间，逾时未报提醒网格员",
	 .help_en = "When people in isolation or monitoring report their morning temperature and "
		    "symptoms; a missing report alerts the grid worker"},
    [HL_POL_EVENING] = {.key = "health.report_evening",
			.type = FK_POLICY_TIME,
			.def = "\"20:00\"",
			.label_zh = "晚间健康报告时间",
			.label_en = "Evening health report",
			.help_zh = "上报晚间体温与症状的时间",
			.help_en = "When the evening temperature and symptoms are reported",
			.check = check_reports},
    [HL_POL_FEVER] = {.key = "health.fever_celsius",
		      .type = FK_POLICY_NUMBER,
		      .def = "37.3",
		      .min = 36.0,
		      .max = 40.0,
		      .label_zh = "健康报告发热体温（℃）",
		      .label_en = "Fever in a health report (°C)",
		      .help_zh = "健康报告体温达到此温度即为发热，提醒本人所在网格",
		      .help_en = "A reported temperature at or above it is a fever and alerts the "
				 "person's grid"},
    [HL_POL_GRACE] = {.key = "health.report_grace_hours",
		      .type = FK_POLICY_DURATION,
		      .def = "4",
		      .min = 1,
		      .max = 11,
		      .unit = FK_POLICY_HOURS,
		      .label_zh = "健康报告宽限（小时）",
		      .label_en = "Grace before a report is missed (hours)",
		      .help_zh =
			  "报告时间过后多少小时仍未上报即为漏报，提醒网格员（默认 4 小时：早间 "
			  "08:00 的报告 12:00 截止，晚间 20:00 的报告次日 00:00 截止）",
		      .help_en =
			  "How many hours after the report time a missing report is missed "
			  "and alerts the grid worker (4 by default: the 08:00 report is due "
			  "by 12:00, the 20:00 one by midnight)"},
    FK_POLICIES_END,
};

#define HL_ROLES_FILE (FK_ROLES_PEOPLE | FK_R(RESIDENT))

static const struct fk_route hl_routes[] = {
    {.method = "POST",
     .path = "/api/v1/health/reports",
     .fn = hl_api_report,
     .roles = HL_ROLES_FILE,
     .body = hl_body_report,
     .summary = "File a health report (temperature, symptoms) for a half-day, by the resident "
		"or a worker for a person in scope; idempotent by client_key"},
    {.method = "GET",
     .path = "/api/v1/health/reports",
     .fn = hl_api_reports,
     .roles = FK_ROLES_PEOPLE,
     .summary = "A person's health reports, newest first (?person_id; audited)"},
    {.method = "GET",
     .path = "/api/v1/health/missing",
     .fn = hl_api_missing,
     .roles = FK_ROLES_PEOPLE,
     .summary = "Who under a placement has not reported a half-day, in the caller's scope "
		"(?day&half, the current one; area_id, limit, cursor)"},
    {.method = "GET",
     .path = "/api/v1/health/me",
     .fn = hl_api_me,
     .roles = FK_R(RESIDENT),
     .summary = "The resident's placement today and today's two reports"},
    FK_ROUTES_END,
};

static const struct fk_job hl_jobs[] = {
    {.name = "health.missed", .every_ms = 5 * 60 * 1000, .run = hl_missed_job},
    FK_JOBS_END,
};

const struct fk_module fk_module_health = {
    .name = "health",
    .routes = hl_routes,
    .migrations = fk_migrations_health,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "health_reports", .column = "area_path"},
	    {.table = "health_misses", .column = "area_path"},
	    {0},
	},
    .policies = hl_policies,
    .jobs = hl_jobs,
    /* temperatures and symptoms, past retention (platform/retention.c) */
    .purges =
	(const struct fk_purge[]){
	    {.table = "health_reports", .time_column = "reported_at"},
	    {0},
	},
};
