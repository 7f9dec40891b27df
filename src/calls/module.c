/* module: the calls module's descriptor — the day's call list, call logs and counts.
 *
 * It reads other modules' tables in its own SQL where the list is made of them (today.c): the
 * screening module's screening_call_days (the days of key persons' plans), the people
 * module's people and person_tags (names, the tags key_person and elderly_alone), the
 * isolation module's placements (who is under one on the day), the area module's areas and
 * the users module's users (names). A person in scope comes from people.h; a needs_help
 * call's request from requests.h. */
#include "calls/internal.h"

extern const struct fk_migration fk_migrations_calls[]; /* from schema/ */

static const struct fk_route cl_routes[] = {
    {.method = "GET",
     .path = "/api/v1/calls/today",
     .fn = cl_api_today,
     .roles = CL_ROLES,
     .summary = "Whom to call on a day in the caller's scope and why (?day, today by default; "
		"area_id), with the day's calls; audited"},
    {.method = "POST",
     .path = "/api/v1/calls",
     .fn = cl_api_call,
     .roles = CL_ROLES,
     .body = cl_body_call,
     .summary = "Log a call to a person in scope with its outcome; needs_help raises a "
		"request in the same transaction; keyed by client_key"},
    {.method = "GET",
     .path = "/api/v1/calls/counts",
     .fn = cl_api_counts,
     .roles = CL_ROLES_COUNTS,
     .summary = "Calls per worker and per day by outcome (?from&to, the last 7 days by "
		"default; area_id); a grid worker counts its own"},
    FK_ROUTES_END,
};

const struct fk_module fk_module_calls = {
    .name = "calls",
    .routes = cl_routes,
    .migrations = fk_migrations_calls,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "calls", .column = "area_path"},
	    {0},
	},
    /* the outcomes and notes of calls, past retention (platform/retention.c) */
    .purges =
	(const struct fk_purge[]){
	    {.table = "calls", .time_column = "at"},
	    {0},
	},
};
