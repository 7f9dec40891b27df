/* module: the isolation module's descriptor — its policies (the days and test days of a
 * placement for each reason, 9th edition defaults), and soon its routes, area paths and the
 * job that ends placements on their day. */
#include <jansson.h>
#include "isolation/internal.h"

extern const struct fk_migration fk_migrations_isolation[]; /* from schema/ */

static int over_days(json_t *o, const char *list, int64_t days)
{
	json_t *x;
	size_t i;

	json_array_foreach(json_object_get(o, list), i,
			   x) if (json_integer_value(x) < 1 ||
				  json_integer_value(x) > days) return 1;
	return 0;
}

/* A placement's test days fall on days of the placement: isolation tests within the
 * centralised + home isolation days, home tests within the home monitoring days. */
static int check_placements(json_t *values, struct fk_err *err)
{
	static const char *const keys[] = {"isolation.close_contact", "isolation.secondary_contact",
					   "isolation.high_risk_arrival",
					   "isolation.medium_risk_arrival"};

	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		json_t *o = json_object_get(values, keys[i]);
		int64_t iso = json_integer_value(json_object_get(o, "centralised_days")) +
			      json_integer_value(json_object_get(o, "home_isolation_days"));
		int64_t home = json_integer_value(json_object_get(o, "home_monitoring_days"));
		if (over_days(o, "test_days", iso) || over_days(o, "home_test_days", home))
			return fk_err_set(err, FK_EUNPROC, "test_day_outside", keys[i],
					  "检测日须在隔离或居家监测的天数之内",
					  "test days must fall within the days of isolation or "
					  "home monitoring");
	}
	return 0;
}

const struct fk_policy_def is_policies[] = {
    {.key = "isolation.close_contact",
     .type = FK_POLICY_OBJECT,
     .def = "{\"centralised_days\":7,\"home_isolation_days\":0,\"home_monitoring_days\":3,"
	    "\"test_days\":[1,2,3,5,7],\"home_test_days\":[3]}",
     .min = 0,
     .max = 60,
     .label_zh = "密切接触者、入境人员管控",
     .label_en = "Close contacts and inbound travellers",
     .help_zh = "集中隔离天数、居家隔离天数、居家健康监测天数、隔离期检测日、居家检测日",
     .help_en = "Days of centralised isolation, home isolation and home health monitoring; "
		"test days in isolation and at home"},
    {.key = "isolation.secondary_contact",
     .type = FK_POLICY_OBJECT,
     .def = "{\"centralised_days\":0,\"home_isolation_days\":7,\"home_monitoring_days\":0,"
	    "\"test_days\":[1,4,7]}",
     .min = 0,
     .max = 60,
     .label_zh = "密接的密接管控",
     .label_en = "Secondary contacts",
     .help_zh = "居家隔离天数及检测日",
     .help_en = "Days of home isolation and its test days"},
    {.key = "isolation.high_risk_arrival",
     .type = FK_POLICY_OBJECT,
     .def = "{\"centralised_days\":7,\"home_isolation_days\":0,\"home_monitoring_days\":0,"
	    "\"test_days\":[1,2,3,5,7]}",
     .min = 0,
     .max = 60,
     .label_zh = "7 天内有高风险区旅居史人员",
     .label_en = "Arrivals from a high-risk zone (last 7 days)",
     .help_zh = "集中隔离天数及检测日",
     .help_en = "Days of centralised isolation and its test days"},
    {.key = "isolation.medium_risk_arrival",
     .type = FK_POLICY_OBJECT,
     .def = "{\"centralised_days\":0,\"home_isolation_days\":7,\"home_monitoring_days\":0,"
	    "\"test_days\":[1,4,7]}",
     .min = 0,
     .max = 60,
     .label_zh = "7 天内有中风险区旅居史人员",
     .label_en = "Arrivals from a medium-risk zone (last 7 days)",
     .help_zh = "居家隔离天数及检测日",
     .help_en = "Days of home isolation and its test days",
     .check = check_placements},
    FK_POLICIES_END,
};

const struct fk_module fk_module_isolation = {
    .name = "isolation",
    .migrations = fk_migrations_isolation,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "facilities", .column = "area_path", .blocks_delete = "facilities"},
	    {.table = "placements", .column = "area_path"},
	    {.table = "transfers", .column = "area_path"},
	    {.table = "placement_tests", .column = "area_path"},
	    {0},
	},
    .policies = is_policies,
};
