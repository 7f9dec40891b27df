/* figures: what the dashboard reads of placements — an indexed count of the placements in
 * force under a path (placements_path is (area_path, status)). */
#include "area/area.h"
#include "isolation/isolation.h"

int fk_placement_figures(struct fk_db *db, const char *path, struct fk_placement_figures *out,
			 struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	int64_t v[2] = {0};
	int rc = fk_area_upper(path, upper, err);

	if (rc == 0)
		rc = fk_db_one_row(
		    db, err, v, 2,
		    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'overdue' THEN 1 "
		    "ELSE 0 END), 0) FROM placements WHERE area_path >= ? AND "
		    "area_path < ? AND status IN ('active', 'overdue')",
		    "tt", path, upper);
	out->under = v[0];
	out->overdue = v[1];
	return rc < 0 ? rc : 0;
}
