/* health: health reports of people under a placement (SPEC §6) — temperature and symptoms
 * morning and evening (times by policy), filed by the person on their phone or by a worker
 * for them, one per half-day (a retry is the same report); a fever or a report missed by the
 * deadline raises an alert to the person's grid worker; the half-day list of who has not
 * reported, per grid.
 *
 * Other modules reach it only through its descriptor: its routes answer over HTTP. */
#ifndef FK_HEALTH_H
#define FK_HEALTH_H
#include "platform/module.h"

extern const struct fk_module fk_module_health;

#endif
