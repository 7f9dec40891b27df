/* module: the policy module's descriptor. Its start hook collects every module's policy
 * definitions (a bad or duplicate one stops the server, naming the key) and loads the
 * store's values into the cache; it comes first in src/modules.c so the other modules'
 * start hooks may read policies. */
#include "platform/module.h"
#include "policy/internal.h"

static int64_t policy_ms_by_key(struct fk_db *db, const char *key, int64_t fallback)
{
	const struct fk_policy_def *d = fk_policy_find(key, NULL);

	return d ? fk_policy_ms(db, d, NULL) : fallback;
}

static int policy_init(struct fk_app *app, void **state, struct fk_err *err)
{
	struct fk_db *db;
	int rc = fk_policy_registry_load(app->modules, err);

	(void)state;
	if (rc < 0)
		return rc;
	fk_policy_cache_reset();
	app->policy_ms = policy_ms_by_key;
	db = fk_store_acquire(app->store);
	rc = fk_policy_cache_refresh(db, err);
	fk_store_release(app->store, db);
	return rc;
}

extern const struct fk_migration fk_migrations_policy[]; /* from schema/ */

const struct fk_module fk_module_policy = {
    .name = "policy",
    .routes = policy_routes,
    .migrations = fk_migrations_policy,
    .policies = policy_future_defs,
    .init = policy_init,
};
