/* deliveries: living supplies carried to sealed households (SPEC §9) — a run per building with
 * its list of households (from the zone over the building where there is one, else chosen),
 * each household signed off on a volunteer's phone (delivered, nobody home, refused; a photo
 * optional), offline-safe with client keys, the run's progress live.
 *
 * Other modules reach it only through its descriptor: its routes answer over HTTP. */
#ifndef FK_DELIVERIES_H
#define FK_DELIVERIES_H
#include <stdint.h>
#include "base/err.h"
#include "platform/module.h"
#include "store/db.h"

extern const struct fk_module fk_module_deliveries;

/* ---- figures (dashboard) ---- */

/* The delivery runs of day ("YYYY-MM-DD") to buildings at or under path: runs, their
 * households, and those signed off (delivered, nobody home or refused). No scope check.
 * 0 or the store's error. */
struct fk_delivery_figures {
	int64_t runs, households, done;
};
int fk_delivery_figures(struct fk_db *db, const char *path, const char *day,
			struct fk_delivery_figures *out, struct fk_err *err);

/* ---- figures (daily report) ---- */

/* The households at or under area path `under` signed off as delivered over [from, to)
 * (epoch ms) into *delivered. Reads only; 0 or a store error. */
int fk_deliveries_day_delivered(struct fk_db *db, const char *under, int64_t from, int64_t to,
				int64_t *delivered, struct fk_err *err);

#endif
