/* duty: shifts (SPEC §8) — who serves where and when at sampling sites, checkpoints and
 * isolation facilities: a roster per place and week, who is on duty where now, a person never
 * on two overlapping shifts, a place short of its rule (the policy's staff per desk, per gate)
 * shown as short.
 *
 * Other modules reach it only through its descriptor: its routes answer over HTTP. */
#ifndef FK_DUTY_H
#define FK_DUTY_H
#include <stdint.h>
#include "base/err.h"
#include "platform/module.h"
#include "store/db.h"

extern const struct fk_module fk_module_duty;

/* ---- figures (dashboard) ---- */

/* At epoch ms at, over the active sites, checkpoints and facilities at or under path:
 * places, staff on duty (one per shift in force) and the places short of their rule. No
 * scope check. 0 or the store's error. */
struct fk_duty_figures {
	int64_t places, on_duty, short_places;
};
int fk_duty_figures(struct fk_db *db, const char *path, int64_t at, struct fk_duty_figures *out,
		    struct fk_err *err);

/* ---- figures (daily report) ---- */

/* The workers with a shift over [from, to) (epoch ms) at a place at or under area path
 * `under`, each counted once, into *staff. Reads only; 0 or a store error. */
int fk_duty_day_staff(struct fk_db *db, const char *under, int64_t from, int64_t to, int64_t *staff,
		      struct fk_err *err);

#endif
