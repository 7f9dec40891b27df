/* platform: the descriptor of what every module stands on, listed first in src/modules.c: its
 * tables (the replies of keyed writes, the jobs and their runs), the jobs list route, the job
 * that purges old keys, the retention job over every module's declared personal data and, at
 * the end, the group commit's threads. */
#include "platform/jobs.h"
#include "platform/keyed.h"
#include "platform/module.h"
#include "platform/platform.h"

extern const struct fk_migration fk_migrations_platform[]; /* from schema/ */

static void platform_fini(struct fk_app *app, void *state)
{
	(void)app, (void)state;
	fk_batch_stop();
}

static const struct fk_job platform_jobs[] = {
    {.name = "platform.purge_client_keys", .every_ms = 3600 * 1000, .run = fk_keyed_purge_job},
    {.name = "retention.purge", .at = "03:30", .run = fk_retention_job, .max_ms = 10 * 60 * 1000},
    FK_JOBS_END,
};

const struct fk_module fk_module_platform = {
    .name = "platform",
    .routes = fk_platform_routes,
    .migrations = fk_migrations_platform,
    .jobs = platform_jobs,
    .fini = platform_fini,
};
