/* signal: the listeners of one module's facts in the others (signal.h), and the zone rule
 * hook (zone_rule.h): the two ways a module follows one that comes after it in the list. */
#include <string.h>
#include "platform/module.h"
#include "platform/signal.h"
#include "platform/zone_rule.h"

int fk_signal(struct fk_app *app, struct fk_db *db, const char *name, const json_t *payload,
	      struct fk_err *err)
{
	if (!app || !app->modules)
		return 0;
	for (int i = 0; app->modules[i]; i++) {
		const struct fk_listener *l = app->modules[i]->listeners;
		for (; l && l->signal; l++) {
			int rc;
			if (strcmp(l->signal, name) != 0)
				continue;
			rc = l->fn(app, db, payload, err);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

int fk_zone_of(struct fk_app *app, struct fk_db *db, const char *area_path,
	       struct fk_zone_rule *out, struct fk_err *err)
{
	memset(out, 0, sizeof(*out));
	if (!app || !app->zone_of || !area_path)
		return 0;
	return app->zone_of(app, db, area_path, out, err);
}

int fk_zone_door_paths(struct fk_app *app, struct fk_db *db, const char *under, json_t *paths,
		       struct fk_err *err)
{
	if (!app || !app->zone_door_paths || !under)
		return 0;
	return app->zone_door_paths(app, db, under, paths, err);
}
