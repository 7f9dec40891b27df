/* hooks: what the area module calls back into testing for (see area.h). A moved subtree
 * rewrites the copied area paths of the rounds part's tables (and the coverage pulse forgets
 * the paths it keeps); an area a round or a site still names, or that a site serves, cannot
 * be deleted. */
#include <string.h>
#include "testing/internal.h"

static const char *const moved_sql[] = {
    "UPDATE round_areas SET area_path = ? || substr(area_path, ?) "
    "WHERE area_path >= ? AND area_path < ?",
    "UPDATE round_exempt SET area_path = ? || substr(area_path, ?) "
    "WHERE area_path >= ? AND area_path < ?",
    "UPDATE round_stats SET area_path = ? || substr(area_path, ?) "
    "WHERE area_path >= ? AND area_path < ?",
    "UPDATE callups SET area_path = ? || substr(area_path, ?) "
    "WHERE area_path >= ? AND area_path < ?",
    "UPDATE sites SET area_path = ? || substr(area_path, ?) "
    "WHERE area_path >= ? AND area_path < ?",
    "UPDATE site_areas SET area_path = ? || substr(area_path, ?) "
    "WHERE area_path >= ? AND area_path < ?",
};

int tr_area_moved(struct fk_db *db, const char *old_prefix, const char *new_prefix,
		  struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];

	if (strlen(old_prefix) >= FK_AREA_PATH_MAX)
		return fk_err_set(err, FK_EINTERNAL, "path_too_long", NULL, "区域路径过长",
				  "area path too long");
	tr_upper(old_prefix, upper);
	for (size_t i = 0; i < sizeof(moved_sql) / sizeof(moved_sql[0]); i++) {
		int rc = fk_db_write(db, err, moved_sql[i], "titt", new_prefix,
				     (int64_t)strlen(old_prefix) + 1, old_prefix, upper);
		if (rc < 0)
			return rc;
	}
	tr_coverage_pulse_forget();
	return 0;
}

int tr_area_blocking(struct fk_db *db, const char *path, int64_t *count, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	int rc;

	*count = 0;
	if (strlen(path) >= FK_AREA_PATH_MAX)
		return 0;
	tr_upper(path, upper);
	rc = fk_db_one_i64(db, err, count,
			   "SELECT (SELECT COUNT(*) FROM round_areas WHERE area_path >= ? AND "
			   "area_path < ?) + (SELECT COUNT(*) FROM sites WHERE area_path >= ? AND "
			   "area_path < ?) + (SELECT COUNT(*) FROM site_areas WHERE area_path >= ? "
			   "AND area_path < ?)",
			   "tttttt", path, upper, path, upper, path, upper);
	return rc < 0 ? rc : 0;
}
