/* calls: follow-up calls 电话随访 (SPEC §7) — each grid worker's list of whom to call today
 * (returnees and key persons on their plan's days, the elderly living alone, people under a
 * placement), every call logged with its outcome (reached, no answer, wrong number, needs help:
 * a request raised in the same transaction), counts per worker and per day.
 *
 * Other modules reach it through its descriptor and the daily figures below. */
#ifndef FK_CALLS_H
#define FK_CALLS_H
#include <stdint.h>
#include "base/err.h"
#include "platform/module.h"
#include "store/db.h"

extern const struct fk_module fk_module_calls;

/* ---- figures (daily report) ---- */

/* The follow-up calls logged on day ("YYYY-MM-DD", China Standard Time) to people at or
 * under area path `under`: *made, every call; *answered, those reached or needing help.
 * Reads only; 0 or a store error. */
int fk_calls_day_figures(struct fk_db *db, const char *under, const char *day, int64_t *made,
			 int64_t *answered, struct fk_err *err);

#endif
