/* figures: what the dashboard reads of requests — the open ones (open or accepted) under a
 * path and those past their deadline. It reads open rows only, through requests_path. */
#include "requests/internal.h"

int fk_request_figures(struct fk_db *db, const char *path, int64_t now,
		       struct fk_request_figures *out, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	int64_t v[2] = {0};
	int rc = fk_area_upper(path, upper, err);

	if (rc == 0)
		rc = fk_db_one_row(
		    db, err, v, 2,
		    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_at <= ? THEN 1 ELSE 0 "
		    "END), 0) FROM requests WHERE area_path >= ? AND area_path < ? AND "
		    "status IN ('open', 'accepted')",
		    "itt", now, path, upper);
	out->open = v[0];
	out->overdue = v[1];
	return rc < 0 ? rc : 0;
}
