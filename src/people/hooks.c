/* hooks: what the area module calls back into people for (see area.h): a moved subtree
 * rewrites the copied area paths of its residents (person_tags holds area ids, which a move
 * does not change), and counting residents under a path feeds residents_count and refuses
 * deleting an area that still has some. */
#include <string.h>
#include "people/internal.h"

static int people_area_moved(struct fk_db *db, const char *old_prefix, const char *new_prefix,
			     struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	int64_t rc;

	if (strlen(old_prefix) >= FK_AREA_PATH_MAX)
		return fk_err_set(err, FK_EINTERNAL, "path_too_long", NULL, "区域路径过长",
				  "area path too long");
	/* Before and after: a lookup racing the move must not keep the old path. */
	pp_cache_invalidate();
	rc = fk_db_run(db, err,
		       "UPDATE people SET area_path = ? || substr(area_path, ?) "
		       "WHERE area_path >= ? AND area_path < ?",
		       "titt", new_prefix, (int64_t)strlen(old_prefix) + 1, old_prefix,
		       fk_prefix_upper(old_prefix, upper));
	pp_cache_invalidate();
	return rc < 0 ? (int)rc : 0;
}

static int people_count_under(struct fk_db *db, const char *path, int64_t *count,
			      struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	int rc;

	*count = 0;
	if (strlen(path) >= FK_AREA_PATH_MAX)
		return 0;
	rc = fk_db_one_i64(db, err, count,
			   "SELECT COUNT(*) FROM people WHERE area_path >= ? AND area_path < ?",
			   "tt", path, fk_prefix_upper(path, upper));
	return rc < 0 ? rc : 0;
}

void pp_hooks_register(void)
{
	fk_area_on_move(people_area_moved);
	fk_area_set_residents_counter(people_count_under);
}
