/* figures: what the dashboard reads of requests — the open ones (open or accepted) under a
 * path and those past their deadline. It reads open rows only, through requests_path. */
#include <string.h>
#include "requests/internal.h"

int fk_request_figures(struct fk_db *db, const char *path, int64_t now,
		       struct fk_request_figures *out, struct fk_err *err)
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
	    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_at <= ? THEN 1 ELSE 0 END), 0) "
	    "FROM requests WHERE area_path >= ? AND area_path < ? AND "
	    "status IN ('open', 'accepted')",
	    err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, now);
	fk_q_bind_text(q, 2, path);
	fk_q_bind_text(q, 3, fk_prefix_upper(path, upper));
	rc = fk_q_step(q, err);
	if (rc > 0) {
		out->open = fk_q_i64(q, 0);
		out->overdue = fk_q_i64(q, 1);
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
