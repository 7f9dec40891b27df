/* figures: what the dashboard reads of cases — an indexed count under a path (cases are few
 * beside residents, and cases_path orders them by area). */
#include "area/area.h"
#include "trace/trace.h"

int fk_trace_case_figures(struct fk_db *db, const char *path, struct fk_case_figures *out,
			  struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	int64_t v[2] = {0};
	int rc = fk_area_upper(path, upper, err);

	if (rc == 0)
		rc = fk_db_one_row(
		    db, err, v, 2,
		    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status <> 'recovered' THEN "
		    "1 ELSE 0 END), 0) FROM cases WHERE area_path >= ? AND area_path < ?",
		    "tt", path, upper);
	out->total = v[0];
	out->active = v[1];
	return rc < 0 ? rc : 0;
}
