/* figures: what the dashboard reads of cases — an indexed count under a path (cases are few
 * beside residents, and cases_path orders them by area). */
#include <string.h>
#include "area/area.h"
#include "trace/trace.h"

int fk_trace_case_figures(struct fk_db *db, const char *path, struct fk_case_figures *out,
			  struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	struct fk_q *q;
	int rc;

	memset(out, 0, sizeof(*out));
	if (strlen(path) >= FK_AREA_PATH_MAX)
		return fk_err_set(err, FK_EINVAL, "too_long", "area_path", "区域路径过长",
				  "the area path is too long");
	rc = fk_db_query(
	    db, &q,
	    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status <> 'recovered' THEN 1 ELSE 0 "
	    "END), 0) FROM cases WHERE area_path >= ? AND area_path < ?",
	    err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, path);
	fk_q_bind_text(q, 2, fk_prefix_upper(path, upper));
	rc = fk_q_step(q, err);
	if (rc > 0) {
		out->total = fk_q_i64(q, 0);
		out->active = fk_q_i64(q, 1);
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
