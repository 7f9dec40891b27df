/* zones: zones drawn over areas (SPEC §4) — sealed/controlled/precaution, high/medium/low or
 * high/low as the policy zones.scheme says — their history, the lift and downgrade rule with
 * its proposals, and the answer to "which zone is this area in" for every module
 * (platform/zone_rule.h: the module installs app->zone_of and app->zone_paths at its init).
 *
 * Other modules follow zones through platform/zone_rule.h, not this header; the routes of the
 * module answer over HTTP. */
#ifndef FK_ZONES_H
#define FK_ZONES_H
#include "platform/module.h"

extern const struct fk_module fk_module_zones;

#endif
