/* module: the testing module's descriptor and its one route table — rounds, exemptions, sites,
 * call-ups, coverage and door-to-door (rounds part) followed by tubes, boxes, lab results and
 * retests (tubes part). It declares the columns where it keeps area paths (the area module
 * keeps them right on a move and refuses deleting an area a round or a site still names);
 * init keeps the sampling-code key, fini lets it go. */
#include "platform/module.h"
#include "testing/internal.h"

#define ROLES_ROUND_WRITE (FK_R(ADMIN) | FK_R(COMMANDER))
#define ROLES_ROUND_READ  (FK_ROLES_PEOPLE | FK_R(REGISTRAR) | FK_R(LAB))
#define ROLES_EXEMPT	  (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY))
#define ROLES_SITE_WRITE  (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY))
#define ROLES_SITE_READ	  (FK_ROLES_PEOPLE | FK_R(REGISTRAR))
#define ROLES_CALLUP_SET  (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY))
#define ROLES_TURNAROUND  (FK_ROLES_PEOPLE | FK_R(LAB))

const struct fk_route tr_routes[] = {
    /* ---- rounds part ---- */
    {.method = "GET",
     .path = "/api/v1/rounds",
     .fn = tr_api_round_list,
     .roles = ROLES_ROUND_READ,
     .summary = "Testing rounds that meet the caller's scope, newest first: status, before, limit"},
    {.method = "POST",
     .path = "/api/v1/rounds",
     .fn = tr_api_round_create,
     .roles = ROLES_ROUND_WRITE,
     .body = tr_round_create_body,
     .summary = "Create a testing round over areas of the caller's scope (planned)"},
    {.method = "GET",
     .path = "/api/v1/rounds/{id}",
     .fn = tr_api_round_get,
     .roles = ROLES_ROUND_READ,
     .summary = "One round with its areas, deadline and the guideline targets"},
    {.method = "PATCH",
     .path = "/api/v1/rounds/{id}",
     .fn = tr_api_round_update,
     .roles = ROLES_ROUND_WRITE,
     .body = tr_round_update_body,
     .summary = "Change a round (areas and pool size only while planned)"},
    {.method = "POST",
     .path = "/api/v1/rounds/{id}/open",
     .fn = tr_api_round_open,
     .roles = ROLES_ROUND_WRITE,
     .summary = "Open a planned round: counters for every building in its areas"},
    {.method = "POST",
     .path = "/api/v1/rounds/{id}/close",
     .fn = tr_api_round_close,
     .roles = ROLES_ROUND_WRITE,
     .summary = "Close an open round: no more sampling"},
    {.method = "GET",
     .path = "/api/v1/rounds/{id}/plan",
     .fn = tr_api_round_plan,
     .roles = ROLES_ROUND_WRITE | FK_R(COMMUNITY),
     .summary = "The round plan: people per site, sites and desks short of the rules"},
    {.method = "GET",
     .path = "/api/v1/rounds/{id}/exemptions",
     .fn = tr_api_exempt_list,
     .roles = FK_ROLES_PEOPLE,
     .summary = "People exempt from the round in the caller's scope, with reasons (audited)"},
    {.method = "POST",
     .path = "/api/v1/rounds/{id}/exemptions",
     .fn = tr_api_exempt_add,
     .roles = ROLES_EXEMPT,
     .body = tr_exempt_body,
     .summary = "Exempt a person from the round with a reason"},
    {.method = "DELETE",
     .path = "/api/v1/rounds/{id}/exemptions/{person_id}",
     .fn = tr_api_exempt_remove,
     .roles = ROLES_EXEMPT,
     .summary = "Withdraw a person's exemption"},
    {.method = "GET",
     .path = "/api/v1/rounds/{id}/coverage",
     .fn = tr_api_coverage,
     .roles = FK_ROLES_PEOPLE,
     .summary =
	 "Live coverage per child area (or per descendant of kind): expected, exempt, sampled, "
	 "resulted, positive, missing; totals; deadline and targets"},
    {.method = "GET",
     .path = "/api/v1/rounds/{id}/missing",
     .fn = tr_api_missing,
     .roles = FK_ROLES_PEOPLE,
     .summary = "People of an area not yet sampled nor exempt, by building (paged, audited)"},
    {.method = "GET",
     .path = "/api/v1/rounds/{id}/door-to-door",
     .fn = tr_api_door,
     .roles = FK_ROLES_PEOPLE,
     .summary = "Per building, people for home sampling still missing (paged, audited)"},
    {.method = "GET",
     .path = "/api/v1/rounds/{id}/turnaround",
     .fn = tr_api_turnaround,
     .roles = ROLES_TURNAROUND,
     .summary = "Turnaround percentiles of the round's tubes: sampled, received, resulted"},
    {.method = "GET",
     .path = "/api/v1/rounds/{id}/summary",
     .fn = tr_api_summary,
     .roles = FK_ROLES_PEOPLE,
     .summary = "The round's figure: \"N tested, all negative\" in zh and en"},
    {.method = "GET",
     .path = "/api/v1/rounds/{id}/callups",
     .fn = tr_api_callup_list,
     .roles = FK_ROLES_PEOPLE,
     .summary = "Call-up slots of buildings in the caller's scope, with their counters"},
    {.method = "PUT",
     .path = "/api/v1/rounds/{id}/callups",
     .fn = tr_api_callup_set,
     .roles = ROLES_CALLUP_SET,
     .body = tr_callups_body,
     .summary = "Set call-up time slots per building"},
    {.method = "POST",
     .path = "/api/v1/rounds/{id}/callups/{area_id}/done",
     .fn = tr_api_callup_done,
     .roles = FK_ROLES_PEOPLE,
     .summary = "Mark a building's call-up done"},
    {.method = "GET",
     .path = "/api/v1/sites",
     .fn = tr_api_site_list,
     .roles = ROLES_SITE_READ,
     .summary = "Sampling sites in the caller's scope (a registrar: the sites it is bound to)"},
    {.method = "POST",
     .path = "/api/v1/sites",
     .fn = tr_api_site_create,
     .roles = ROLES_SITE_WRITE,
     .body = tr_site_create_body,
     .summary = "Create a sampling site in an area of the caller's scope"},
    {.method = "GET",
     .path = "/api/v1/sites/{id}",
     .fn = tr_api_site_get,
     .roles = ROLES_SITE_READ,
     .summary = "One site with its assigned areas and registrars"},
    {.method = "PATCH",
     .path = "/api/v1/sites/{id}",
     .fn = tr_api_site_update,
     .roles = ROLES_SITE_WRITE,
     .body = tr_site_update_body,
     .summary = "Change a site"},
    {.method = "PUT",
     .path = "/api/v1/sites/{id}/areas",
     .fn = tr_api_site_areas,
     .roles = ROLES_SITE_WRITE,
     .body = tr_site_areas_body,
     .summary = "Set the buildings and grids a site serves"},
    {.method = "PUT",
     .path = "/api/v1/sites/{id}/registrars",
     .fn = tr_api_site_registrars,
     .roles = ROLES_SITE_WRITE,
     .body = tr_site_registrars_body,
     .summary = "Set the registrars bound to a site, by usernames or user ids"},
    {.method = "GET",
     .path = "/api/v1/sites/{id}/registrar-candidates",
     .fn = tr_api_site_candidates,
     .roles = ROLES_SITE_WRITE,
     .summary = "Registrar accounts that may be bound to the site (id, username, display name): q, "
		"cursor, "
		"limit"},
    /* ---- tubes part ---- */
    TB_ROUTES,
    FK_ROUTES_END,
};

/* The module's state: the sampling-code key, kept once read. */
static int testing_init(struct fk_app *app, void **state, struct fk_err *err)
{
	(void)app, (void)err;
	*state = tb_code_key_new();
	return 0;
}

static void testing_fini(struct fk_app *app, void *state)
{
	(void)app;
	tb_code_key_free(state);
}

extern const struct fk_migration fk_migrations_testing[]; /* from schema/ */

/* Where the module keeps area paths: they follow moves; rounds and sites that name an area,
 * or that a site serves, keep it from being deleted. */
static const struct fk_area_path tr_area_paths[] = {
    {.table = "round_areas", .column = "area_path", .blocks_delete = "rounds"},
    {.table = "sites", .column = "area_path", .blocks_delete = "sites"},
    {.table = "site_areas", .column = "area_path", .blocks_delete = "sites"},
    {.table = "round_exempt", .column = "area_path"},
    {.table = "round_stats", .column = "area_path"},
    {.table = "callups", .column = "area_path"},
    {.table = "samples", .column = "area_path"},
    {.table = "retests", .column = "area_path"},
    {0},
};

const struct fk_module fk_module_testing = {
    .name = "testing",
    .routes = tr_routes,
    .migrations = fk_migrations_testing,
    .area_paths = tr_area_paths,
    .policies = tr_policies,
    .init = testing_init,
    .fini = testing_fini,
};
