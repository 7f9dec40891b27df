/* module: the isolation module's descriptor — its routes, its policies (the days and test days
 * of a placement for each reason, 9th edition defaults), area paths, and the job that ends
 * placements on their day.
 *
 * It reads other modules' tables in its own SQL only for display and scoped lists: people
 * (name, ID number, phone, household, area) and areas (name) beside placements, transfers,
 * tests and room occupants, and the area of a facility. Everything else goes through headers:
 * people (fk_person_get), areas and scopes (area.h), contacts and cases (trace.h), alerts
 * (events.h). */
#include <jansson.h>
#include "platform/jobs.h"
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
    [IS_POL_CLOSE] =
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
    [IS_POL_SECONDARY] =
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
    [IS_POL_HIGH] =
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
    [IS_POL_MEDIUM] =
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
    [IS_POL_COUNT] = FK_POLICIES_END,
};

static const struct fk_route is_routes[] = {
    {.method = "GET",
     .path = "/api/v1/facilities",
     .fn = is_api_facility_list,
     .roles = IS_ROLES_MANAGE,
     .summary = "Isolation facilities in or above the caller's scope, with capacity and "
		"occupancy"},
    {.method = "POST",
     .path = "/api/v1/facilities",
     .fn = is_api_facility_create,
     .roles = IS_ROLES_FACILITY,
     .body = is_body_facility_create,
     .summary = "Create an isolation facility (隔离场所) in an area of the caller's scope"},
    {.method = "GET",
     .path = "/api/v1/facilities/{id}",
     .fn = is_api_facility_get,
     .roles = IS_ROLES_MANAGE,
     .summary = "One isolation facility with capacity and occupancy"},
    {.method = "PATCH",
     .path = "/api/v1/facilities/{id}",
     .fn = is_api_facility_update,
     .roles = IS_ROLES_FACILITY,
     .body = is_body_facility_update,
     .summary = "Change an isolation facility"},
    {.method = "POST",
     .path = "/api/v1/facilities/{id}/rooms",
     .fn = is_api_rooms_add,
     .roles = IS_ROLES_FACILITY,
     .body = is_body_rooms,
     .summary = "Add rooms [{number, capacity}] to a facility"},
    {.method = "PATCH",
     .path = "/api/v1/rooms/{id}",
     .fn = is_api_room_update,
     .roles = IS_ROLES_FACILITY,
     .body = is_body_room_update,
     .summary = "Change a room's capacity (not below its occupants) or take it out of use"},
    {.method = "GET",
     .path = "/api/v1/facilities/{id}/board",
     .fn = is_api_board,
     .roles = IS_ROLES_MANAGE,
     .summary = "A facility's board: rooms with occupants, the next days' occupancy, today's "
		"arrivals and releases (?days=7)"},
    {.method = "POST",
     .path = "/api/v1/placements",
     .fn = is_api_place,
     .roles = IS_ROLES_MANAGE,
     .body = is_body_place,
     .summary = "Place a person (person_id, reason) or a contact (contact_id) for the stages of "
		"the reason's policy"},
    {.method = "GET",
     .path = "/api/v1/placements",
     .fn = is_api_placement_list,
     .roles = IS_ROLES_READ,
     .summary = "Placements in the caller's scope, newest first (area_id, status, kind, "
		"facility_id, reason, person_id, limit, cursor)"},
    {.method = "GET",
     .path = "/api/v1/placements/{id}",
     .fn = is_api_placement_get,
     .roles = IS_ROLES_READ,
     .summary = "One placement with its tests"},
    {.method = "POST",
     .path = "/api/v1/placements/{id}/end-day",
     .fn = is_api_end_day,
     .roles = IS_ROLES_MANAGE,
     .body = is_body_end_day,
     .summary = "Extend or shorten a placement to end_day, with a reason (audited)"},
    {.method = "POST",
     .path = "/api/v1/placements/{id}/release",
     .fn = is_api_release,
     .roles = IS_ROLES_MANAGE,
     .body = is_body_release,
     .summary = "Release a placement by hand, with a reason (an overdue one once tested)"},
    {.method = "POST",
     .path = "/api/v1/placements/{id}/room",
     .fn = is_api_room,
     .roles = IS_ROLES_MANAGE,
     .body = is_body_room,
     .summary = "Put a centralised placement in a room (never over its capacity)"},
    {.method = "POST",
     .path = "/api/v1/placements/{id}/transfers",
     .fn = is_api_transfer_add,
     .roles = IS_ROLES_MANAGE,
     .body = is_body_transfer,
     .summary = "A transfer (转运) of a placed person to a facility: vehicle, escort, departure"},
    {.method = "POST",
     .path = "/api/v1/transfers/{id}/arrive",
     .fn = is_api_transfer_arrive,
     .roles = IS_ROLES_MANAGE,
     .body = is_body_arrive,
     .summary = "A transfer arrives; room_id puts the person in a room"},
    {.method = "GET",
     .path = "/api/v1/transfers",
     .fn = is_api_transfer_list,
     .roles = IS_ROLES_MANAGE,
     .summary = "Transfers in the caller's scope (facility_id, day)"},
    {.method = "GET",
     .path = "/api/v1/isolation/releases",
     .fn = is_api_releases,
     .roles = IS_ROLES_READ,
     .summary = "Placements in the caller's scope whose end day is day (today)"},
    {.method = "GET",
     .path = "/api/v1/isolation/tests",
     .fn = is_api_tests_due,
     .roles = IS_ROLES_READ,
     .summary = "Tests due while placed on day (today) in the caller's scope (area_id, door)"},
    {.method = "POST",
     .path = "/api/v1/isolation/tests/{id}",
     .fn = is_api_test_record,
     .roles = IS_ROLES_TESTS,
     .body = is_body_test,
     .summary = "Record a test while placed: sampled, negative or positive (a positive is a "
		"case)"},
    FK_ROUTES_END,
};

/* Every few minutes on the clock: a placement ends on its day, not a day late. */
static const struct fk_job is_jobs[] = {
    {.name = "isolation.release", .every_ms = 5 * 60 * 1000, .run = is_job_release},
    FK_JOBS_END,
};

const struct fk_module fk_module_isolation = {
    .name = "isolation",
    .routes = is_routes,
    .jobs = is_jobs,
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
