/* query: the subtree a list's query string chooses (?area_id=), read once here for every
 * module's lists: a malformed id is bad input, an area missing or outside the caller's scope
 * reads alike; and the range of rows under a subtree's path that such reads take. */
#include <string.h>
#include "area/area_int.h"
#include "base/arena.h"
#include "base/id.h"

int fk_req_area_under(struct fk_req *req, const char *name, const char **under, struct fk_err *err)
{
	const char *s = fk_req_query(req, name);
	struct fk_area a = {0};
	int64_t id;
	int rc;

	*under = NULL;
	if (!s || !*s)
		return 0;
	if (!fk_id_parse(s, &id))
		return fk_err_set(err, FK_EINVAL, "invalid_id", name, "%s 不是有效的编号",
				  "%s is not a valid id", name);
	rc = fk_area_get_in_scope(req->db, req->who, id, name, &a, err);
	if (rc == 0)
		*under = fk_arena_strdup(req->arena, a.path);
	fk_area_release(&a);
	return rc;
}

int fk_area_upper(const char *path, char upper[FK_AREA_PATH_MAX + 5], struct fk_err *err)
{
	if (strlen(path) >= FK_AREA_PATH_MAX)
		return fk_err_set(err, FK_EINVAL, "too_long", "area_path", "区域路径过长",
				  "the area path is too long");
	fk_prefix_upper(path, upper);
	return 0;
}
