/* day_figures: the isolation module's per-day figures for the daily report (isolation.h): the
 * people under a placement on one day in an area's subtree (placements_path covers it). */
#include "area/area.h"
#include "isolation/isolation.h"

int fk_isolation_day_placed(struct fk_db *db, const char *under, const char *day, int64_t *placed,
			    struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	int rc;

	*placed = 0;
	if ((rc = fk_area_upper(under, upper, err)) < 0)
		return rc;
	/* end_day is the day of release, the first day free. */
	rc = fk_db_one_i64(db, err, placed,
			   "SELECT COUNT(DISTINCT person_id) FROM placements WHERE area_path >= ? "
			   "AND area_path < ? AND status <> 'cancelled' AND start_day <= ? AND "
			   "end_day > ?",
			   "tttt", under, upper, day, day);
	return rc < 0 ? rc : 0;
}
