/* module: the deliveries module's descriptor — its routes (runs, sign-off, progress) and the
 * building path its runs keep. It reads the people table for a building's households (run.c)
 * and follows zones through platform/zone_rule.h. */
#include "deliveries/internal.h"

extern const struct fk_migration fk_migrations_deliveries[]; /* from schema/ */

static const struct fk_route dl_routes[] = {
    {.method = "POST",
     .path = "/api/v1/deliveries/runs",
     .fn = dl_api_run_create,
     .roles = DL_ROLES_WRITE,
     .body = dl_body_run,
     .summary = "Make a delivery run for a building and day: its households (the building's, "
		"those a zone inside it covers, or those chosen)"},
    {.method = "GET",
     .path = "/api/v1/deliveries/runs",
     .fn = dl_api_runs,
     .roles = DL_ROLES_READ,
     .summary = "Delivery runs in scope or assigned to the caller (?area_id&day), newest first"},
    {.method = "GET",
     .path = "/api/v1/deliveries/runs/{id}",
     .fn = dl_api_run,
     .roles = DL_ROLES_READ,
     .summary = "A delivery run with its households and progress"},
    {.method = "POST",
     .path = "/api/v1/deliveries/runs/{id}/households/{key}",
     .fn = dl_api_signoff,
     .roles = DL_ROLES_SIGN,
     .body = dl_body_signoff,
     .max_body = 512 << 10,
     .summary = "Sign off a household (delivered, nobody_home, refused; a photo optional); "
		"idempotent by client_key, the same outcome again unchanged"},
    {.method = "GET",
     .path = "/api/v1/deliveries/runs/{id}/households/{key}/photo",
     .fn = dl_api_photo,
     .roles = DL_ROLES_READ,
     .summary = "The photo taken with a household's sign-off (image/jpeg)"},
    FK_ROUTES_END,
};

const struct fk_module fk_module_deliveries = {
    .name = "deliveries",
    .routes = dl_routes,
    .migrations = fk_migrations_deliveries,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "delivery_runs", .column = "area_path", .blocks_delete = "delivery runs"},
	    {0},
	},
};
