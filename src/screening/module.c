/* module: the screening module's descriptor — campaigns, registrations (public and by a
 * worker) and monitoring plans; its routes, area paths and the public form's throttle.
 *
 * It reads other modules' tables in its own SQL where it must see past a caller's scope or
 * show names: the people module's people (the registry's match by ID number, a person's home
 * area for a plan, names in the lists) and the area module's areas (the public form's address
 * picker, names). A new person is registered through people.h; the QR code of the public link
 * comes from tubes.h. */
#include "base/xmalloc.h"
#include "screening/internal.h"

extern const struct fk_migration fk_migrations_screening[]; /* from schema/ */

static const struct fk_route sc_routes[] = {
    {.method = "POST",
     .path = "/api/v1/screening/campaigns",
     .fn = sc_api_campaign_create,
     .roles = SC_ROLES_WRITE,
     .body = sc_body_campaign_create,
     .summary = "Create a screening campaign over an area in scope (its public link's token is "
		"made at random)"},
    {.method = "GET",
     .path = "/api/v1/screening/campaigns",
     .fn = sc_api_campaign_list,
     .roles = SC_ROLES_READ,
     .summary = "The campaigns over or inside the caller's areas, newest first"},
    {.method = "GET",
     .path = "/api/v1/screening/campaigns/{id}",
     .fn = sc_api_campaign_get,
     .roles = SC_ROLES_REGISTER, /* a building lead registering for it reads it too */
     .summary = "One campaign with its counts"},
    {.method = "PATCH",
     .path = "/api/v1/screening/campaigns/{id}",
     .fn = sc_api_campaign_patch,
     .roles = SC_ROLES_WRITE,
     .body = sc_body_campaign_patch,
     .summary = "Change a campaign (name, area, criteria, days, active)"},
    {.method = "GET",
     .path = "/api/v1/screening/campaigns/{id}/qr.svg",
     .fn = sc_api_campaign_qr,
     .roles = SC_ROLES_READ,
     .summary = "The QR code of the campaign's public link (?origin: the address it starts "
		"with)"},
    {.method = "POST",
     .path = "/api/v1/screening/campaigns/{id}/registrations",
     .fn = sc_api_register,
     .roles = SC_ROLES_REGISTER,
     .body = sc_body_registration,
     .summary = "Register a person for a campaign as a worker (an address in scope); keyed by "
		"client_key"},
    {.method = "GET",
     .path = "/api/v1/screening/campaigns/{id}/registrations",
     .fn = sc_api_registrations,
     .roles = SC_ROLES_READ,
     .summary = "A campaign's registrations in the caller's scope (?area_id, key=1: key "
		"persons; audited)"},
    {.method = "POST",
     .path = "/api/v1/screening/registrations/{id}/plan",
     .fn = sc_api_plan,
     .roles = SC_ROLES_READ,
     .body = sc_body_plan,
     .summary = "Set a key person's monitoring plan: {call_days:[day]} or {days:n} from today"},
    {.method = "GET",
     .path = "/api/v1/public/screening/{token}",
     .fn = sc_api_public_get,
     .roles = 0,
     .summary = "The public form of a campaign by its link's token (no login): name, criteria, "
		"the addresses to choose from"},
    {.method = "POST",
     .path = "/api/v1/public/screening/{token}",
     .fn = sc_api_public_post,
     .roles = 0,
     .flags = FK_RF_NO_CSRF,
     .body = sc_body_registration,
     .max_body = 16 * 1024,
     .summary = "Register oneself through a campaign's public link (no login; keyed by "
		"client_key; throttled per client address)"},
    FK_ROUTES_END,
};

static int sc_init(struct fk_app *app, void **state, struct fk_err *err)
{
	struct sc_state *st = fk_xmalloc(sizeof(*st));

	(void)app;
	(void)err;
	fk_throttle_init(&st->throttle, SC_PUBLIC_PER_MIN);
	*state = st;
	return 0;
}

static void sc_fini(struct fk_app *app, void *state)
{
	struct sc_state *st = state;

	(void)app;
	if (!st)
		return;
	fk_throttle_destroy(&st->throttle);
	free(st);
}

const struct fk_module fk_module_screening = {
    .name = "screening",
    .routes = sc_routes,
    .migrations = fk_migrations_screening,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "screening_campaigns", .column = "area_path", .blocks_delete = "campaigns"},
	    {.table = "screening_registrations", .column = "area_path"},
	    {.table = "screening_plans", .column = "area_path"},
	    {.table = "screening_call_days", .column = "area_path"},
	    {0},
	},
    .init = sc_init,
    .fini = sc_fini,
    /* where people came from and their travel codes, past retention (platform/retention.c);
     * a key person's registration stays with the monitoring plan made from it */
    .purges =
	(const struct fk_purge[]){
	    {.table = "screening_registrations",
	     .time_column = "created_at",
	     .where = "key_person = 0"},
	    {0},
	},
};
