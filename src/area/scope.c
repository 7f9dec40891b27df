/* scope: a principal's jurisdiction as path ranges — the filter every people query carries
 * (fk_scope_sql/bind), the read/write rules of the area API, and the overlap rule of hints
 * about a whole subtree, and an area read for a caller. An empty scope path never matches: it would
 * otherwise be a prefix of every path. */
#include <string.h>
#include "area/area_int.h"

static bool usable(const struct fk_principal *who, int i)
{
	return who->scope_paths[i][0] == '/';
}

static int nscopes(const struct fk_principal *who)
{
	if (!who || who->nscopes < 0)
		return 0;
	return who->nscopes < FK_MAX_SCOPES ? who->nscopes : FK_MAX_SCOPES;
}

bool fk_scope_covers(const struct fk_principal *who, const char *path)
{
	int n = nscopes(who);

	for (int i = 0; path && i < n; i++) {
		const char *p = who->scope_paths[i];
		if (usable(who, i) && strncmp(path, p, strlen(p)) == 0)
			return true;
	}
	return false;
}

bool fk_scope_overlaps(const struct fk_principal *who, const char *path)
{
	size_t len = path ? strlen(path) : 0;
	int n = nscopes(who);

	if (fk_scope_covers(who, path))
		return true;
	for (int i = 0; len && i < n; i++)
		if (usable(who, i) && strncmp(who->scope_paths[i], path, len) == 0)
			return true;
	return false;
}

int fk_scope_sql(const struct fk_principal *who, const char *col, struct fk_buf *sql)
{
	int n = nscopes(who), added = 0, rc = 0;

	for (int i = 0; rc == 0 && i < n; i++) {
		if (!usable(who, i))
			continue;
		rc = fk_buf_printf(sql, "%s(%s >= ? AND %s < ?)", added ? " OR " : "(", col, col);
		added += 2;
	}
	if (rc == 0)
		rc = fk_buf_puts(sql, added ? ")" : "(1 = 0)");
	return rc < 0 ? rc : added;
}

int fk_scope_bind(const struct fk_principal *who, struct fk_q *q, int first)
{
	char upper[sizeof(who->scope_paths[0]) + 8];
	int n = nscopes(who);

	for (int i = 0; i < n; i++) {
		if (!usable(who, i))
			continue;
		fk_q_bind_text(q, first++, who->scope_paths[i]);
		fk_q_bind_text(q, first++, fk_prefix_upper(who->scope_paths[i], upper));
	}
	return first;
}

bool area_may_read(const struct fk_principal *who, const struct fk_area *a)
{
	return fk_scope_covers(who, a->path);
}

bool area_may_write(const struct fk_principal *who, const struct fk_area *a)
{
	int n = nscopes(who);

	if (!who)
		return true;
	if (who->role == FK_ROLE_ADMIN)
		return fk_scope_covers(who, a->path);
	/* Strictly inside a scope: the parent is covered too. */
	for (int i = 0; i < n; i++) {
		const char *p = who->scope_paths[i];
		size_t len = strlen(p);
		if (usable(who, i) && strncmp(a->path, p, len) == 0 && a->path[len] != '\0')
			return true;
	}
	return false;
}

int area_check_parent(struct fk_db *db, const struct fk_principal *who, int64_t parent_id,
		      const char *field, struct fk_err *err)
{
	struct fk_area parent;
	int rc;

	/* A top-level area lies outside every account's scope, an admin's too (each is
	 * scoped to an area): only the server's own commands (init, import) make one. */
	if (parent_id == 0) {
		if (!who)
			return 0;
		return fk_err_set(
		    err, FK_EPERM, "root_outside_scope", field,
		    "顶级区域在任何账号的管辖范围之外，只能在服务器上用 fangkong init 或 "
		    "fangkong import areas 创建",
		    "a top-level area lies outside every account's scope: it is made on "
		    "the server with fangkong init or fangkong import areas");
	}
	if (!who)
		return 0;
	rc = fk_area_get(db, parent_id, &parent, err);
	if (rc == 0 && !area_may_read(who, &parent))
		rc = FK_ENOTFOUND;
	fk_area_release(&parent);
	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_ENOTFOUND, "parent_not_found", field, "上级区域不存在",
				  "the parent area does not exist");
	return rc;
}

int fk_area_get_in_scope(struct fk_db *db, const struct fk_principal *who, int64_t id,
			 const char *field, struct fk_area *out, struct fk_err *err)
{
	int rc = fk_area_get(db, id, out, err);

	if (rc == 0 && who && !fk_scope_covers(who, out->path)) {
		fk_area_release(out);
		rc = FK_ENOTFOUND;
	}
	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_ENOTFOUND, "area_not_found", field, "区域不存在",
				  "the area does not exist");
	return rc;
}
