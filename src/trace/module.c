/* module: the trace module's descriptor — its routes and the listener that makes a settled
 * positive retest a case.
 *
 * Its SQL reads the people module's people (the person of a case or contact, with name, ID
 * number and phone, and a person's home area path when the system makes a case) and the area
 * module's areas (the person's area name), joined where a call through their headers would
 * cost one store read per row. */
#include "base/id.h"
#include "tubes/tubes.h"
#include "trace/internal.h"

extern const struct fk_migration fk_migrations_trace[]; /* from schema/ */

int tc_on_positive_retest(struct fk_app *app, struct fk_db *db, const json_t *payload,
			  struct fk_err *err)
{
	int64_t person = 0, retest = 0;

	(void)app;
	if (!fk_id_parse(json_string_value(json_object_get(payload, "person_id")), &person) ||
	    !fk_id_parse(json_string_value(json_object_get(payload, "retest_id")), &retest))
		return fk_err_set(err, FK_EINTERNAL, "bad_signal", NULL, "复核阳性信号内容不全",
				  "the positive retest signal lacks its ids");
	return tc_case_found_retest(db, person, retest, NULL, NULL, err);
}

const struct fk_route tc_routes[] = {
    {.method = "POST",
     .path = "/api/v1/cases",
     .fn = tc_api_case_create,
     .roles = TC_ROLES_WRITE,
     .body = tc_body_case_create,
     .summary = "Enter a case by hand: a person of the registry or one registered in full"},
    {.method = "GET",
     .path = "/api/v1/cases",
     .fn = tc_api_case_list,
     .roles = TC_ROLES_READ,
     .summary = "Cases in the caller's scope, newest first (area_id, status, limit, cursor)"},
    {.method = "GET",
     .path = "/api/v1/cases/{id}",
     .fn = tc_api_case_get,
     .roles = TC_ROLES_READ,
     .summary = "A case with its person, contact counts and proposed move-ups (audited)"},
    {.method = "PATCH",
     .path = "/api/v1/cases/{id}",
     .fn = tc_api_case_patch,
     .roles = TC_ROLES_WRITE,
     .body = tc_body_case_patch,
     .summary = "Change a case's status, onset day, place found or note"},
    {.method = "GET",
     .path = "/api/v1/cases/{id}/contacts",
     .fn = tc_api_contact_list,
     .roles = TC_ROLES_READ,
     .summary = "A case's close and secondary contacts (audited)"},
    {.method = "POST",
     .path = "/api/v1/cases/{id}/contacts",
     .fn = tc_api_contact_create,
     .roles = TC_ROLES_WRITE,
     .body = tc_body_contact,
     .summary = "List a close or secondary contact of a case, with place, time and exposure"},
    {.method = "POST",
     .path = "/api/v1/cases/{id}/promote",
     .fn = tc_api_promote,
     .roles = TC_ROLES_WRITE,
     .body = tc_body_empty,
     .summary = "Move the source case's secondary contacts through this case's person up to "
		"close contacts of this case, in one transaction"},
    {.method = "GET",
     .path = "/api/v1/cases/{id}/graph",
     .fn = tc_api_graph_case,
     .roles = TC_ROLES_READ,
     .summary = "The transmission graph of the chain a case is in, one node per person"},
    {.method = "GET",
     .path = "/api/v1/trace/graph",
     .fn = tc_api_graph_area,
     .roles = TC_ROLES_READ,
     .summary = "The transmission graph of the cases under an area (area_id) in scope"},
    FK_ROUTES_END,
};

const struct fk_module fk_module_trace = {
    .name = "trace",
    .routes = tc_routes,
    .migrations = fk_migrations_trace,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "cases", .column = "area_path"},
	    {.table = "contacts", .column = "area_path"},
	    {0},
	},
    .listeners =
	(const struct fk_listener[]){
	    {.signal = FK_SIGNAL_POSITIVE_RETEST, .fn = tc_on_positive_retest},
	    {0},
	},
};
