/* day_figures: the deliveries module's per-day figures for the daily report (deliveries.h): the
 * households signed off as delivered during one day in an area's subtree. */
#include "area/area.h"
#include "deliveries/deliveries.h"

int fk_deliveries_day_delivered(struct fk_db *db, const char *under, int64_t from, int64_t to,
				int64_t *delivered, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	int rc;

	*delivered = 0;
	if ((rc = fk_area_upper(under, upper, err)) < 0)
		return rc;
	rc = fk_db_one_i64(db, err, delivered,
			   "SELECT COUNT(*) FROM delivery_households h JOIN delivery_runs r ON "
			   "r.id = h.run_id WHERE r.area_path >= ? AND r.area_path < ? AND "
			   "h.outcome = 'delivered' AND h.signed_at >= ? AND h.signed_at < ?",
			   "ttii", under, upper, from, to);
	return rc < 0 ? rc : 0;
}
