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

#define SIGNUP(name, what)                                                                         \
	{                                                                                          \
		.method = "POST", .path = "/api/v1/signups/{id}/" name, .fn = wf_api_signup_act,   \
		.roles = WF_WRITE, .body = wf_body_dispatch, .summary = what                       \
	}

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
    {.method = "POST",
     .path = "/api/v1/workers/import",
     .fn = wf_api_worker_import,
     .roles = WF_WRITE,
     .flags = FK_RF_RAW_BODY,
     .max_body = 8u << 20,
     .summary = "Import people who serve from CSV (text/csv, UTF-8 or GBK, ?area_id= for rows "
		"without area_code) or JSON rows ({rows:[{header: value}]}): all rows or none, "
		"matched by phone"},
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
    {.method = "POST",
     .path = "/api/v1/callouts",
     .fn = wf_api_callout_create,
     .roles = WF_WRITE,
     .body = wf_body_callout_create,
     .summary = "Create a call-out (title, area, skills, wanted, place, times) with its public "
		"sign-up link"},
    {.method = "GET",
     .path = "/api/v1/callouts",
     .fn = wf_api_callout_list,
     .roles = WF_READ,
     .summary = "Call-outs in scope (?area_id), newest first, with their counts"},
    {.method = "GET",
     .path = "/api/v1/callouts/{id}",
     .fn = wf_api_callout_get,
     .roles = WF_READ,
     .summary = "One call-out with its link and counts"},
    {.method = "PATCH",
     .path = "/api/v1/callouts/{id}",
     .fn = wf_api_callout_update,
     .roles = WF_WRITE,
     .body = wf_body_callout_update,
     .summary = "Change a call-out; status closed stops its sign-ups"},
    {.method = "GET",
     .path = "/api/v1/callouts/{id}/qr.svg",
     .fn = wf_api_callout_qr,
     .roles = WF_READ,
     .summary = "The QR code (SVG) of the call-out's public sign-up link (?origin=)"},
    {.method = "GET",
     .path = "/api/v1/callouts/{id}/signups",
     .fn = wf_api_signup_list,
     .roles = WF_READ,
     .summary = "The sign-ups of a call-out with their workers"},
    {.method = "GET",
     .path = "/api/v1/public/callouts/{token}",
     .fn = wf_api_public_get,
     .summary = "A call-out by its public link's token (no login)"},
    {.method = "POST",
     .path = "/api/v1/public/callouts/{token}",
     .fn = wf_api_public_post,
     .flags = FK_RF_NO_CSRF,
     .body = wf_body_signup,
     .summary = "Sign up to a call-out (no login; throttled per address; idempotent by "
		"client_key): 409 callout_full past the number wanted, 409 callout_closed"},
    SIGNUP("accept", "Accept a sign-up"),
    SIGNUP("decline", "Decline a sign-up (its place is free again)"),
    SIGNUP("dispatch", "Dispatch an accepted sign-up's worker to an area in scope (area_id)"),
    {.method = "POST",
     .path = "/api/v1/batches",
     .fn = wf_api_batch_create,
     .roles = WF_WRITE,
     .body = wf_body_batch,
     .summary = "Record a dispatch batch: the cadres an organisation sent to a community on "
		"a day"},
    {.method = "GET",
     .path = "/api/v1/batches",
     .fn = wf_api_batch_list,
     .roles = WF_READ,
     .summary = "Dispatch batches in scope (?area_id), newest day first"},
    {.method = "POST",
     .path = "/api/v1/teams",
     .fn = wf_api_team_create,
     .roles = WF_WRITE,
     .body = wf_body_team_create,
     .summary = "Create a team (assault 突击队, volunteer 志愿服务队, vanguard_post 先锋岗) "
		"with its members and a leader among them"},
    {.method = "GET",
     .path = "/api/v1/teams",
     .fn = wf_api_team_list,
     .roles = WF_READ,
     .summary = "Teams in scope (?area_id) with their members"},
    {.method = "GET",
     .path = "/api/v1/teams/{id}",
     .fn = wf_api_team_get,
     .roles = WF_READ,
     .summary = "One team with its members"},
    {.method = "PATCH",
     .path = "/api/v1/teams/{id}",
     .fn = wf_api_team_update,
     .roles = WF_WRITE,
     .body = wf_body_team_update,
     .summary = "Change a team; member_ids replaces its members"},
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
