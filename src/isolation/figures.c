/* figures: what the dashboard reads of placements — an indexed count of the placements in
 * force under a path (placements_path is (area_path, status)). */
#include <string.h>
#include "area/area.h"
#include "isolation/isolation.h"

int fk_placement_figures(struct fk_db *db, const char *path, struct fk_placement_figures *out,
			 struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	struct fk_q *q;
	int rc;

	memset(out, 0, sizeof(*out));
	if (strlen(path) >= FK_AREA_PATH_MAX)
		return fk_err_set(err, FK_EINVAL, "too_long", "area_path", "区域路径过长",
				  "the area path is too long");
	rc = fk_db_query(db, &q,
			 "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'overdue' THEN 1 ELSE 0 "
			 "END), 0) FROM placements WHERE area_path >= ? AND area_path < ? AND "
			 "status IN ('active', 'overdue')",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, path);
	fk_q_bind_text(q, 2, fk_prefix_upper(path, upper));
	rc = fk_q_step(q, err);
	if (rc > 0) {
		out->under = fk_q_i64(q, 0);
		out->overdue = fk_q_i64(q, 1);
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
