/* figures: what the dashboard reads of deliveries — the runs of one day at or under a path and
 * their households signed off, summed from the counters each run keeps (delivery_runs_area is
 * (area_path, day)). */
#include <string.h>
#include "area/area.h"
#include "deliveries/deliveries.h"

int fk_delivery_figures(struct fk_db *db, const char *path, const char *day,
			struct fk_delivery_figures *out, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	struct fk_q *q;
	int rc;

	memset(out, 0, sizeof(*out));
	if (strlen(path) >= FK_AREA_PATH_MAX)
		return fk_err_set(err, FK_EINVAL, "too_long", "area_path", "区域路径过长",
				  "the area path is too long");
	rc = fk_db_query(db, &q,
			 "SELECT COUNT(*), COALESCE(SUM(total), 0), COALESCE(SUM(done), 0) FROM "
			 "delivery_runs WHERE area_path >= ? AND area_path < ? AND day = ?",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, path);
	fk_q_bind_text(q, 2, fk_prefix_upper(path, upper));
	fk_q_bind_text(q, 3, day);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		out->runs = fk_q_i64(q, 0);
		out->households = fk_q_i64(q, 1);
		out->done = fk_q_i64(q, 2);
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
