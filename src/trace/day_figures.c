/* day_figures: the trace module's per-day figures for the daily report (trace.h): the cases made
 * in an area's subtree over one day (cases_path covers the read). */
#include "area/area.h"
#include "trace/trace.h"

int fk_trace_day_cases(struct fk_db *db, const char *under, int64_t from, int64_t to,
		       int64_t *cases, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	int rc;

	*cases = 0;
	if ((rc = fk_area_upper(under, upper, err)) < 0)
		return rc;
	rc = fk_db_one_i64(db, err, cases,
			   "SELECT COUNT(*) FROM cases WHERE area_path >= ? AND area_path < ? "
			   "AND created_at >= ? AND created_at < ?",
			   "ttii", under, upper, from, to);
	return rc < 0 ? rc : 0;
}
