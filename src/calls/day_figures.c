/* day_figures: the calls module's per-day figures for the daily report (calls.h): the follow-up
 * calls logged on one day in an area's subtree, and those answered (calls_day covers it). */
#include "area/area.h"
#include "calls/calls.h"

int fk_calls_day_figures(struct fk_db *db, const char *under, const char *day, int64_t *made,
			 int64_t *answered, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	int rc;

	*made = *answered = 0;
	if ((rc = fk_area_upper(under, upper, err)) < 0)
		return rc;
	rc = fk_db_one_i64(db, err, made,
			   "SELECT COUNT(*) FROM calls WHERE day = ? AND area_path >= ? AND "
			   "area_path < ?",
			   "ttt", day, under, upper);
	if (rc >= 0)
		rc =
		    fk_db_one_i64(db, err, answered,
				  "SELECT COUNT(*) FROM calls WHERE day = ? AND area_path >= ? AND "
				  "area_path < ? AND outcome IN ('reached', 'needs_help')",
				  "ttt", day, under, upper);
	return rc < 0 ? rc : 0;
}
