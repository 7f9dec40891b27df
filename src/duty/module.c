/* module: the duty module's descriptor — its routes, its policies (staff needed per desk,
 * per checkpoint, per facility) and the area path of its shifts.
 *
 * It reads a worker through workforce.h and its places through testing.h, gates.h and
 * isolation.h; its own SQL touches only its own tables. */
#include "duty/internal.h"

extern const struct fk_migration fk_migrations_duty[]; /* from schema/ */

#define DU_WRITE (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY))
#define DU_READ	 (DU_WRITE | FK_R(GRID) | FK_R(BUILDING) | FK_R(REGISTRAR) | FK_R(VOLUNTEER))

static const struct fk_route du_routes[] = {
    {.method = "POST",
     .path = "/api/v1/shifts",
     .fn = du_api_create,
     .roles = DU_WRITE,
     .body = du_body_shift,
     .summary = "Put a worker on a shift at a site, checkpoint or facility in scope; 409 "
		"shift_overlap when it overlaps the worker's other shift"},
    {.method = "GET",
     .path = "/api/v1/shifts",
     .fn = du_api_roster,
     .roles = DU_READ,
     .summary = "The shifts of a week (?week=YYYY-Www or a day, place_kind&place_id, "
		"worker_id, area_id, mine=1; a volunteer's own)"},
    {.method = "DELETE",
     .path = "/api/v1/shifts/{id}",
     .fn = du_api_delete,
     .roles = DU_WRITE,
     .summary = "Remove a shift in scope"},
    {.method = "GET",
     .path = "/api/v1/duty/now",
     .fn = du_api_now,
     .roles = DU_READ,
     .summary = "Who is on duty where now, per place in scope (?area_id), with need and short"},
    FK_ROUTES_END,
};

const struct fk_module fk_module_duty = {
    .name = "duty",
    .routes = du_routes,
    .migrations = fk_migrations_duty,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "shifts", .column = "area_path"},
	    {0},
	},
    .policies = du_policies,
};
