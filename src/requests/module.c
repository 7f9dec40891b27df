/* module: the requests module's descriptor — its deadline policies, routes, area paths and
 * the escalation job.
 *
 * It reads other modules' tables in its own SQL where a list or a choice needs them: the
 * people module's people (a request's person, by name and ID number), the area module's
 * areas (names, the level areas above a person) and the users module's accounts and scopes
 * (which level areas have someone to receive a request). Everything else goes through
 * headers: a person in scope (people.h), alerts and events (events.h). */
#include "platform/jobs.h"
#include "requests/internal.h"

extern const struct fk_migration fk_migrations_requests[]; /* from schema/ */

#define RQ_STAFF  FK_ROLES_PEOPLE
#define RQ_READ	  (FK_ROLES_PEOPLE | FK_R(RESIDENT))
#define RQ_IMPORT (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY))

#define ACTION(name, who, what)                                                                    \
	{                                                                                          \
		.method = "POST", .path = "/api/v1/requests/{id}/" name, .fn = rq_api_action,      \
		.roles = who, .body = rq_body_note, .summary = what                                \
	}

static const struct fk_route rq_routes[] = {
    {.method = "POST",
     .path = "/api/v1/requests",
     .fn = rq_api_raise,
     .roles = RQ_READ,
     .body = rq_body_raise,
     .summary = "Raise a request (medicine, medical care, supplies, elderly help, complaint, "
		"other): a resident for themself, staff for a person in scope; idempotent by "
		"client_key"},
    {.method = "GET",
     .path = "/api/v1/requests",
     .fn = rq_api_list,
     .roles = RQ_READ,
     .summary = "Requests in the caller's scope, newest first (?area_id&status&kind&level&"
		"overdue=1&mine=1&limit&cursor); a resident's own"},
    {.method = "GET",
     .path = "/api/v1/requests/counts",
     .fn = rq_api_counts,
     .roles = RQ_STAFF,
     .summary = "Requests by level, kind and day, open and overdue, in scope "
		"(?area_id&from&to)"},
    {.method = "POST",
     .path = "/api/v1/requests/import",
     .fn = rq_api_import,
     .roles = RQ_IMPORT,
     .flags = FK_RF_RAW_BODY,
     .max_body = 8u << 20,
     .summary =
	 "Import hotline tickets from CSV (text/csv, UTF-8 or GBK): all rows or none; a ticket "
	 "imported before is a duplicate"},
    {.method = "GET",
     .path = "/api/v1/requests/{id}",
     .fn = rq_api_one,
     .roles = RQ_READ,
     .summary = "One request with its log (staff: audited)"},
    ACTION("accept", RQ_STAFF, "Accept a request (open to accepted)"),
    ACTION("done", RQ_STAFF, "Mark a request done, with a note; the resident confirms"),
    ACTION("close", RQ_STAFF, "Close a request with the worker's reason (required)"),
    ACTION("confirm", RQ_READ,
	   "The resident confirms their request is met: closed (staff: 403, someone else's: 404)"),
    ACTION("reopen", RQ_READ, "Reopen a done or closed request (the resident's own, or staff)"),
    ACTION("escalate", RQ_STAFF,
	   "Escalate a request one level up by hand, with a reason (required)"),
    FK_ROUTES_END,
};

static const struct fk_job rq_jobs[] = {
    {.name = "requests.escalate", .every_ms = 60 * 1000, .run = rq_escalate_job},
    FK_JOBS_END,
};

const struct fk_module fk_module_requests = {
    .name = "requests",
    .routes = rq_routes,
    .migrations = fk_migrations_requests,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "requests", .column = "area_path"},
	    {.table = "requests", .column = "level_area_path"},
	    {.table = "request_log", .column = "area_path"},
	    {0},
	},
    .policies = rq_policies,
    .jobs = rq_jobs,
};
