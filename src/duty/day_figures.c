/* day_figures: the duty module's per-day figures for the daily report (duty.h): the workers on a
 * shift during one day at places in an area's subtree. */
#include "area/area.h"
#include "duty/duty.h"

int fk_duty_day_staff(struct fk_db *db, const char *under, int64_t from, int64_t to, int64_t *staff,
		      struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	int rc;

	*staff = 0;
	if ((rc = fk_area_upper(under, upper, err)) < 0)
		return rc;
	rc = fk_db_one_i64(db, err, staff,
			   "SELECT COUNT(DISTINCT worker_id) FROM shifts WHERE area_path >= ? AND "
			   "area_path < ? AND starts_at < ? AND ends_at > ?",
			   "ttii", under, upper, to, from);
	return rc < 0 ? rc : 0;
}
