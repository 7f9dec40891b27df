/* module: the notify module's descriptor — the outbox table, its screen's route and the job
 * that hands queued messages to the notifier. */
#include "platform/jobs.h"
#include "notify/internal.h"

extern const struct fk_migration fk_migrations_notify[]; /* from schema/ */

static const struct fk_route nt_routes[] = {
    {.method = "GET",
     .path = "/api/v1/outbox",
     .fn = nt_api_outbox,
     .roles = FK_R(ADMIN),
     .summary = "Messages to phones (login codes, notices), newest first (?to, limit, cursor; "
		"audited)"},
    FK_ROUTES_END,
};

static const struct fk_job nt_jobs[] = {
    {.name = "notify.deliver", .every_ms = 5000, .run = nt_deliver_job},
    FK_JOBS_END,
};

const struct fk_module fk_module_notify = {
    .name = "notify",
    .routes = nt_routes,
    .migrations = fk_migrations_notify,
    .jobs = nt_jobs,
    /* phone numbers and message texts sent or given up, past retention (retention.c) */
    .purges =
	(const struct fk_purge[]){
	    {.table = "outbox", .time_column = "created_at", .where = "status <> 'queued'"},
	    {0},
	},
};
