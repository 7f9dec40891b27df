/* figures: what the dashboard reads of alerts — the ones not yet acknowledged under a path,
 * of one kind or all (alerts_area orders them by area). */
#include <string.h>
#include "area/area.h"
#include "events/internal.h"

int fk_alerts_open_count(struct fk_db *db, const char *path, const char *kind, int64_t *out,
			 struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	int rc;

	*out = 0;
	if (strlen(path) >= FK_AREA_PATH_MAX)
		return fk_err_set(err, FK_EINVAL, "too_long", "area_path", "区域路径过长",
				  "the area path is too long");
	rc = fk_db_one_i64(db, err, out,
			   "SELECT COUNT(*) FROM alerts WHERE area_path >= ? AND area_path < ? AND "
			   "acked_at IS NULL AND (CAST(? AS TEXT) IS NULL OR kind = ?)",
			   "tttt", path, fk_prefix_upper(path, upper), kind, kind);
	return rc < 0 ? rc : 0;
}
