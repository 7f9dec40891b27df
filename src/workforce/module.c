/* module: the workforce module's descriptor — its routes, area paths and the throttle of the
 * public sign-up.
 *
 * It reads other modules' tables in its own SQL only for display: the areas table (the name
 * of the area a worker serves) and the users table (a linked account's username, and that it
 * exists). Everything else goes through headers: areas and scopes (area.h), QR codes
 * (tubes.h). */
#include <stdlib.h>
#include "base/xmalloc.h"
#include "workforce/internal.h"

extern const struct fk_migration fk_migrations_workforce[]; /* from schema/ */

#define WF_SIGNUPS_PER_MIN 10 /* public sign-ups from one address */

static const struct fk_route wf_routes[] = {
    {.method = "POST",
     .path = "/api/v1/workers",
     .fn = wf_api_worker_create,
     .roles = WF_WRITE,
     .body = wf_body_worker_create,
     .summary = "Add a person who serves (staff, party member, cadre, volunteer) in scope"},
    {.method = "GET",
     .path = "/api/v1/workers",
     .fn = wf_api_worker_list,
     .roles = WF_READ,
     .summary = "People who serve in scope (?area_id&kind&skill), by name"},
    {.method = "GET",
     .path = "/api/v1/workers/{id}",
     .fn = wf_api_worker_get,
     .roles = WF_READ,
     .summary = "One person who serves"},
    {.method = "PATCH",
     .path = "/api/v1/workers/{id}",
     .fn = wf_api_worker_update,
     .roles = WF_WRITE,
     .body = wf_body_worker_update,
     .summary = "Change a person who serves"},
    FK_ROUTES_END,
};

static int wf_init(struct fk_app *app, void **state, struct fk_err *err)
{
	struct wf_state *st = fk_xcalloc(1, sizeof(*st));

	(void)app;
	(void)err;
	fk_throttle_init(&st->throttle, WF_SIGNUPS_PER_MIN);
	*state = st;
	return 0;
}

static void wf_fini(struct fk_app *app, void *state)
{
	struct wf_state *st = state;

	(void)app;
	if (!st)
		return;
	fk_throttle_destroy(&st->throttle);
	free(st);
}

const struct fk_module fk_module_workforce = {
    .name = "workforce",
    .routes = wf_routes,
    .migrations = fk_migrations_workforce,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "workers", .column = "area_path", .blocks_delete = "workers"},
	    {.table = "callouts", .column = "area_path"},
	    {.table = "callout_signups", .column = "area_path"},
	    {.table = "worker_batches", .column = "area_path"},
	    {.table = "teams", .column = "area_path"},
	    {0},
	},
    .init = wf_init,
    .fini = wf_fini,
};
