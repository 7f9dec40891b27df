/* paths: the copies of area paths that modules keep in their own tables, as their descriptors
 * declare them (struct fk_area_path in platform/module.h). A move rewrites every declared
 * column inside its transaction; a delete is refused while declared rows lie under the area;
 * the residents column counts residents. Caches of paths compare fk_area_moves(). */
#include <stdatomic.h>
#include <string.h>
#include "area/area_int.h"
#include "platform/module.h"

static atomic_uint_fast64_t moves;

uint64_t fk_area_moves(void)
{
	return atomic_load(&moves);
}

void area_moves_bump(void)
{
	atomic_fetch_add(&moves, 1);
}

static int too_long(struct fk_err *err)
{
	return fk_err_set(err, FK_EINTERNAL, "path_too_long", NULL, "区域路径过长",
			  "area path too long");
}

int area_paths_moved(struct fk_db *db, const char *old_prefix, const char *new_prefix,
		     struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	const struct fk_path_decl *d;
	int n = fk_modules_paths(&d);

	if (strlen(old_prefix) >= FK_AREA_PATH_MAX)
		return too_long(err);
	fk_prefix_upper(old_prefix, upper);
	for (int i = 0; i < n; i++) {
		int64_t rc = fk_db_run(db, err, d[i].move_sql, "titt", new_prefix,
				       (int64_t)strlen(old_prefix) + 1, old_prefix, upper);
		if (rc < 0)
			return (int)rc;
	}
	return 0;
}

static int count_under(struct fk_db *db, const struct fk_path_decl *d, const char *path,
		       int64_t *count, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	int rc;

	*count = 0;
	if (strlen(path) >= FK_AREA_PATH_MAX)
		return too_long(err);
	rc = fk_db_one_i64(db, err, count, d->count_sql, "tt", path, fk_prefix_upper(path, upper));
	return rc < 0 ? rc : 0;
}

int fk_area_residents_count(struct fk_db *db, const char *path, int64_t *out, struct fk_err *err)
{
	const struct fk_path_decl *d;
	int n = fk_modules_paths(&d);

	*out = 0;
	for (int i = 0; i < n; i++)
		if (d[i].path->residents)
			return count_under(db, &d[i], path, out, err);
	return 0;
}

int area_paths_blocking(struct fk_db *db, const char *path, int64_t *count, const char **what,
			struct fk_err *err)
{
	const struct fk_path_decl *d;
	int n = fk_modules_paths(&d);

	*count = 0;
	*what = NULL;
	for (int i = 0; i < n; i++) {
		int rc;
		if (!d[i].path->blocks_delete)
			continue;
		rc = count_under(db, &d[i], path, count, err);
		if (rc < 0 || *count > 0) {
			*what = d[i].path->blocks_delete;
			return rc;
		}
	}
	return 0;
}
