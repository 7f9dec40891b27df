/* module: the events module's descriptor. Alerts keep the path of the area they are about,
 * which follows area moves. On a PostgreSQL store init starts the relay and the listener
 * (relay.c, listen.c) and a job prunes the stored events. */
#include "events/internal.h"
#include "platform/jobs.h"
#include "platform/module.h"

static const struct fk_job ev_jobs[] = {
    {.name = "events.prune", .every_ms = 10 * 60 * 1000, .run = ev_prune},
    FK_JOBS_END,
};

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
    .jobs = ev_jobs,
    .init = ev_relay_start,
    .fini = ev_relay_stop,
};
