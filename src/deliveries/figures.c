/* figures: what the dashboard reads of deliveries — the runs of one day at or under a path and
 * their households signed off, summed from the counters each run keeps (delivery_runs_area is
 * (area_path, day)). */
#include "area/area.h"
#include "deliveries/deliveries.h"

int fk_delivery_figures(struct fk_db *db, const char *path, const char *day,
			struct fk_delivery_figures *out, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	int64_t v[3] = {0};
	int rc = fk_area_upper(path, upper, err);

	if (rc == 0)
		rc = fk_db_one_row(
		    db, err, v, 3,
		    "SELECT COUNT(*), COALESCE(SUM(total), 0), COALESCE(SUM(done), 0) "
		    "FROM delivery_runs WHERE area_path >= ? AND area_path < ? AND day = ?",
		    "ttt", path, upper, day);
	out->runs = v[0];
	out->households = v[1];
	out->done = v[2];
	return rc < 0 ? rc : 0;
}
