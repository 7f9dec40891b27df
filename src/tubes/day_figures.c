/* day_figures: the tubes module's per-day figures for the daily report (tubes.h): samples scanned
 * and positive results in an area's subtree over one day. */
#include "area/area.h"
#include "tubes/tubes.h"

int fk_tubes_day_figures(struct fk_db *db, const char *under, int64_t from, int64_t to,
			 int64_t *tested, int64_t *positives, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	int rc;

	*tested = *positives = 0;
	if ((rc = fk_area_upper(under, upper, err)) < 0)
		return rc;
	rc = fk_db_one_i64(db, err, tested,
			   "SELECT COUNT(*) FROM samples WHERE area_path >= ? AND area_path < ? "
			   "AND scanned_at >= ? AND scanned_at < ? AND voided = 0",
			   "ttii", under, upper, from, to);
	if (rc >= 0)
		rc = fk_db_one_i64(
		    db, err, positives,
		    "SELECT COUNT(*) FROM samples s JOIN tubes t ON t.id = s.tube_id "
		    "WHERE s.area_path >= ? AND s.area_path < ? AND "
		    "t.resulted_at >= ? AND t.resulted_at < ? AND s.result = 'positive'",
		    "ttii", under, upper, from, to);
	return rc < 0 ? rc : 0;
}
