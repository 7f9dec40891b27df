/* platform: the descriptor of what every module stands on, listed first in src/modules.c: its
 * tables (the replies of keyed writes) and, at the end, the group commit's threads. */
#include "platform/keyed.h"
#include "platform/module.h"
#include "platform/platform.h"

extern const struct fk_migration fk_migrations_platform[]; /* from schema/ */

static void platform_fini(struct fk_app *app, void *state)
{
	(void)app, (void)state;
	fk_batch_stop();
}

const struct fk_module fk_module_platform = {
    .name = "platform",
    .migrations = fk_migrations_platform,
    .fini = platform_fini,
};
