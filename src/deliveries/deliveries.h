/* deliveries: living supplies carried to sealed households (SPEC §9) — a run per building with
 * its list of households (from the zone over the building where there is one, else chosen),
 * each household signed off on a volunteer's phone (delivered, nobody home, refused; a photo
 * optional), offline-safe with client keys, the run's progress live.
 *
 * Other modules reach it only through its descriptor: its routes answer over HTTP. */
#ifndef FK_DELIVERIES_H
#define FK_DELIVERIES_H
#include "platform/module.h"

extern const struct fk_module fk_module_deliveries;

/* ---- figures (daily report) ---- */
#include <stdint.h>
#include "base/err.h"
#include "store/db.h"

/* The households at or under area path `under` signed off as delivered over [from, to)
 * (epoch ms) into *delivered. Reads only; 0 or a store error. */
int fk_deliveries_day_delivered(struct fk_db *db, const char *under, int64_t from, int64_t to,
				int64_t *delivered, struct fk_err *err);

#endif
