/* module: the events module's descriptor. Alerts keep the path of the area they are about,
 * which follows area moves. */
#include "events/internal.h"
#include "platform/module.h"

extern const struct fk_migration fk_migrations_events[]; /* from schema/ */

const struct fk_module fk_module_events = {
    .name = "events",
    .routes = ev_routes,
    .migrations = fk_migrations_events,
    .area_paths =
	(const struct fk_area_path[]){
	    {.table = "alerts", .column = "area_path"},
	    {0},
	},
};
