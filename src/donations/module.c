/* module: the donations module's descriptor — its routes, the community path its donations
 * keep, and the public summary's throttle. It reads the supplies module's item names
 * (stock_items) in its own SQL for the goods it lists; stock moves go through supplies.h. */
#include <stdlib.h>
#include "base/xmalloc.h"
#include "donations/internal.h"

extern const struct fk_migration fk_migrations_donations[]; /* from schema/ */

static const struct fk_route dn_routes[] = {
    {.method = "POST",
     .path = "/api/v1/donations",
     .fn = dn_api_create,
     .roles = DN_ROLES,
     .body = dn_body_create,
     .summary = "Record a pledged donation of money or goods for a community"},
    {.method = "GET",
     .path = "/api/v1/donations",
     .fn = dn_api_list,
     .roles = DN_ROLES,
     .summary = "Donations in scope (?area_id&status&kind), newest first"},
    {.method = "GET",
     .path = "/api/v1/donations/{id}",
     .fn = dn_api_get,
     .roles = DN_ROLES,
     .summary = "A donation with its goods and their stock moves"},
    {.method = "PATCH",
     .path = "/api/v1/donations/{id}",
     .fn = dn_api_patch,
     .roles = DN_ROLES,
     .body = dn_body_patch,
     .summary = "Change a donation's donor, use note, or a pledged amount"},
    {.method = "POST",
     .path = "/api/v1/donations/{id}/receive",
     .fn = dn_api_receive,
     .roles = DN_ROLES,
     .body = dn_body_receive,
     .summary = "Receive a pledged donation; goods become stock receipts at place_id"},
    {.method = "GET",
     .path = "/api/v1/public/donations/{area_code}",
     .fn = dn_api_public,
     .roles = 0,
     .summary = "A community's donations for the public: totals, goods, donors (anonymous as "
		"匿名), no phones; throttled per client address"},
    FK_ROUTES_END,
};

static int dn_init(struct fk_app *app, void **state, struct fk_err *err)
{
	struct dn_state *st = fk_xcalloc(1, sizeof(*st));

	(void)app;
	(void)err;
	fk_throttle_init(&st->throttle, DN_PUBLIC_PER_MIN);
	*state = st;
	return 0;
}

static void dn_fini(struct fk_app *app, void *state)
{
	struct dn_state *st = state;

	(void)app;
	if (!st)
		return;
	fk_throttle_destroy(&st->throttle);
	free(st);
}

const struct fk_module fk_module_donations = {
    .name = "donations",
    .routes = dn_routes,
    .migrations = fk_migrations_donations,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "donations", .column = "area_path", .blocks_delete = "donations"},
	    {0},
	},
    .init = dn_init,
    .fini = dn_fini,
};
