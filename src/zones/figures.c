/* figures: what the dashboard reads of zones — the zones in force drawn at or under a path,
 * per level (zones_status is (status, area_path)). */
#include <string.h>
#include "area/area.h"
#include "zones/zones.h"

int fk_zone_figures(struct fk_db *db, const char *path, struct fk_zone_figures *out,
		    struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	struct fk_q *q;
	int rc = fk_area_upper(path, upper, err);

	memset(out, 0, sizeof(*out));
	if (rc == 0)
		rc = fk_db_query(db, &q,
				 "SELECT level, COUNT(*) FROM zones WHERE status = 'active' AND "
				 "area_path >= ? AND area_path < ? GROUP BY level",
				 err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, path);
	fk_q_bind_text(q, 2, upper);
	while ((rc = fk_q_step(q, err)) > 0) {
		int64_t level = fk_q_i64(q, 0), n = fk_q_i64(q, 1);
		if (level >= 1 && level <= 3)
			out->level[level] += n;
		out->total += n;
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
