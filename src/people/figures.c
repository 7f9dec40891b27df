/* figures: the residents counters (people_counts) every write of a person moves, and the
 * dashboard's read of them. */
#include <string.h>
#include "people/internal.h"

int pp_count_add(struct fk_db *db, int64_t area_id, const char *area_path, int delta,
		 struct fk_err *err)
{
	return fk_db_write(db, err,
			   "INSERT INTO people_counts (area_id, area_path, n) VALUES (?, ?, ?) "
			   "ON CONFLICT (area_id) DO UPDATE SET n = people_counts.n + excluded.n",
			   "iti", area_id, area_path, (int64_t)delta);
}

int pp_count_moved(struct fk_db *db, const struct fk_person *old, const struct fk_person *now,
		   struct fk_err *err)
{
	int rc;

	if (old->area_id == now->area_id)
		return 0;
	rc = pp_count_add(db, old->area_id, old->area_path, -1, err);
	return rc < 0 ? rc : pp_count_add(db, now->area_id, now->area_path, 1, err);
}

int fk_people_count_under(struct fk_db *db, const char *path, int64_t *out, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	int rc;

	*out = 0;
	if (strlen(path) >= FK_AREA_PATH_MAX)
		return fk_err_set(err, FK_EINVAL, "too_long", "area_path", "区域路径过长",
				  "the area path is too long");
	rc = fk_db_one_i64(db, err, out,
			   "SELECT COALESCE(SUM(n), 0) FROM people_counts "
			   "WHERE area_path >= ? AND area_path < ?",
			   "tt", path, fk_prefix_upper(path, upper));
	return rc < 0 ? rc : 0;
}
