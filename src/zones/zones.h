/* zones: zones drawn over areas (SPEC §4) — sealed/controlled/precaution, high/medium/low or
 * high/low as the policy zones.scheme says — their history, the lift and downgrade rule with
 * its proposals, and the answer to "which zone is this area in" for every module
 * (platform/zone_rule.h: the module installs app->zone_of and app->zone_paths at its init).
 *
 * Other modules follow zones through platform/zone_rule.h, not this header; the routes of the
 * module answer over HTTP. */
#ifndef FK_ZONES_H
#define FK_ZONES_H
#include <stdint.h>
#include "base/err.h"
#include "platform/module.h"
#include "store/db.h"

extern const struct fk_module fk_module_zones;

/* ---- figures (dashboard) ---- */

/* The zones in force drawn over areas at or under path: total, and per level (level[3]
 * sealed/high, level[2] controlled/medium, level[1] precaution/low; level[0] unused). No
 * scope check. 0 or the store's error. */
struct fk_zone_figures {
	int64_t total, level[4];
};
int fk_zone_figures(struct fk_db *db, const char *path, struct fk_zone_figures *out,
		    struct fk_err *err);

#endif
