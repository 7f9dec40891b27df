/* module: the testing module's descriptor and its one route table — rounds, exemptions, sites,
 * call-ups, coverage and door-to-door (rounds part) followed by tubes, boxes, lab results and
 * retests (tubes part). The area hooks keep the module's copied area paths right when an area
 * moves, and refuse deleting an area a round or a site still names; fini stops the writer
 * thread of the group commit. */
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
    {"GET", "/api/v1/rounds", tr_api_round_list, ROLES_ROUND_READ, 0, NULL, 0,
     "Testing rounds that meet the caller's scope, newest first: status, before, limit"},
    {"POST", "/api/v1/rounds", tr_api_round_create, ROLES_ROUND_WRITE, 0, tr_round_create_body, 0,
     "Create a testing round over areas of the caller's scope (planned)"},
    {"GET", "/api/v1/rounds/{id}", tr_api_round_get, ROLES_ROUND_READ, 0, NULL, 0,
     "One round with its areas, deadline and the guideline targets"},
    {"PATCH", "/api/v1/rounds/{id}", tr_api_round_update, ROLES_ROUND_WRITE, 0,
     tr_round_update_body, 0, "Change a round (areas and pool size only while planned)"},
    {"POST", "/api/v1/rounds/{id}/open", tr_api_round_open, ROLES_ROUND_WRITE, 0, NULL, 0,
     "Open a planned round: counters for every building in its areas"},
    {"POST", "/api/v1/rounds/{id}/close", tr_api_round_close, ROLES_ROUND_WRITE, 0, NULL, 0,
     "Close an open round: no more sampling"},
    {"GET", "/api/v1/rounds/{id}/plan", tr_api_round_plan, ROLES_ROUND_WRITE | FK_R(COMMUNITY), 0,
     NULL, 0, "The round plan: people per site, sites and desks short of the rules"},
    {"GET", "/api/v1/rounds/{id}/exemptions", tr_api_exempt_list, FK_ROLES_PEOPLE, 0, NULL, 0,
     "People exempt from the round in the caller's scope, with reasons (audited)"},
    {"POST", "/api/v1/rounds/{id}/exemptions", tr_api_exempt_add, ROLES_EXEMPT, 0, tr_exempt_body,
     0, "Exempt a person from the round with a reason"},
    {"DELETE", "/api/v1/rounds/{id}/exemptions/{person_id}", tr_api_exempt_remove, ROLES_EXEMPT, 0,
     NULL, 0, "Withdraw a person's exemption"},
    {"GET", "/api/v1/rounds/{id}/coverage", tr_api_coverage, FK_ROLES_PEOPLE, 0, NULL, 0,
     "Live coverage per child area (or per descendant of kind): expected, exempt, sampled, "
     "resulted, positive, missing; totals; deadline and targets"},
    {"GET", "/api/v1/rounds/{id}/missing", tr_api_missing, FK_ROLES_PEOPLE, 0, NULL, 0,
     "People of an area not yet sampled nor exempt, by building (paged, audited)"},
    {"GET", "/api/v1/rounds/{id}/door-to-door", tr_api_door, FK_ROLES_PEOPLE, 0, NULL, 0,
     "Per building, people for home sampling still missing (paged, audited)"},
    {"GET", "/api/v1/rounds/{id}/turnaround", tr_api_turnaround, ROLES_TURNAROUND, 0, NULL, 0,
     "Turnaround percentiles of the round's tubes: sampled, received, resulted"},
    {"GET", "/api/v1/rounds/{id}/summary", tr_api_summary, FK_ROLES_PEOPLE, 0, NULL, 0,
     "The round's figure: \"N tested, all negative\" in zh and en"},
    {"GET", "/api/v1/rounds/{id}/callups", tr_api_callup_list, FK_ROLES_PEOPLE, 0, NULL, 0,
     "Call-up slots of buildings in the caller's scope, with their counters"},
    {"PUT", "/api/v1/rounds/{id}/callups", tr_api_callup_set, ROLES_CALLUP_SET, 0, tr_callups_body,
     0, "Set call-up time slots per building"},
    {"POST", "/api/v1/rounds/{id}/callups/{area_id}/done", tr_api_callup_done, FK_ROLES_PEOPLE, 0,
     NULL, 0, "Mark a building's call-up done"},
    {"GET", "/api/v1/sites", tr_api_site_list, ROLES_SITE_READ, 0, NULL, 0,
     "Sampling sites in the caller's scope (a registrar: the sites it is bound to)"},
    {"POST", "/api/v1/sites", tr_api_site_create, ROLES_SITE_WRITE, 0, tr_site_create_body, 0,
     "Create a sampling site in an area of the caller's scope"},
    {"GET", "/api/v1/sites/{id}", tr_api_site_get, ROLES_SITE_READ, 0, NULL, 0,
     "One site with its assigned areas and registrars"},
    {"PATCH", "/api/v1/sites/{id}", tr_api_site_update, ROLES_SITE_WRITE, 0, tr_site_update_body, 0,
     "Change a site"},
    {"PUT", "/api/v1/sites/{id}/areas", tr_api_site_areas, ROLES_SITE_WRITE, 0, tr_site_areas_body,
     0, "Set the buildings and grids a site serves"},
    {"PUT", "/api/v1/sites/{id}/registrars", tr_api_site_registrars, ROLES_SITE_WRITE, 0,
     tr_site_registrars_body, 0, "Set the registrars bound to a site, by usernames or user ids"},
    {"GET", "/api/v1/sites/{id}/registrar-candidates", tr_api_site_candidates, ROLES_SITE_WRITE, 0,
     NULL, 0,
     "Registrar accounts that may be bound to the site (id, username, display name): q, cursor, "
     "limit"},
    /* ---- tubes part ---- */
    TB_ROUTES,
    FK_ROUTES_END,
};

__attribute__((constructor)) static void testing_hooks(void)
{
	fk_area_on_move(tr_area_moved);
	fk_area_on_delete_check(tr_area_blocking);
}

/* The module's state: the sampling-code key, kept once read. */
static int testing_init(struct fk_app *app, struct fk_err *err)
{
	(void)err;
	app->testing = tb_code_key_new();
	return 0;
}

/* The group commit's writer thread ends with the server. */
static void testing_fini(struct fk_app *app)
{
	tb_batch_stop();
	tb_code_key_free(app->testing);
	app->testing = NULL;
}

const struct fk_module fk_module_testing = {
    .name = "testing",
    .routes = tr_routes,
    .policies = tr_policies,
    .init = testing_init,
    .fini = testing_fini,
};
