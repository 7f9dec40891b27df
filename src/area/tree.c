/* tree: the areas table — create, read, update and delete of single areas, each in its own
 * transaction unless the caller holds one. Moving a subtree lives in move.c. */
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "area/area_int.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/xmalloc.h"

void area_row(struct fk_q *q, struct fk_area *out)
{
	const char *resp = fk_q_text(q, 7);

	memset(out, 0, sizeof(*out));
	out->id = fk_q_i64(q, 0);
	out->parent_id = fk_q_i64(q, 1);
	fk_copy_text(out->path, sizeof(out->path), fk_q_text(q, 2));
	out->depth = (int)fk_q_i64(q, 3);
	fk_copy_text(out->kind, sizeof(out->kind), fk_q_text(q, 4));
	fk_copy_text(out->name, sizeof(out->name), fk_q_text(q, 5));
	fk_copy_text(out->code, sizeof(out->code), fk_q_text(q, 6));
	out->responsible = fk_xstrdup(resp ? resp : "[]");
	out->has_point = !fk_q_isnull(q, 8) && !fk_q_isnull(q, 9);
	out->lat = out->has_point ? fk_q_double(q, 8) : 0;
	out->lng = out->has_point ? fk_q_double(q, 9) : 0;
}

void fk_area_release(struct fk_area *a)
{
	if (!a)
		return;
	free(a->responsible);
	a->responsible = NULL;
}

/* Runs a query selecting AREA_COLS whose single parameter is bound by the caller. */
static int get_one(struct fk_q *q, struct fk_area *out, const char *what, struct fk_err *err)
{
	int rc = fk_q_step(q, err);

	if (rc > 0)
		area_row(q, out);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return fk_err_set(err, FK_ENOTFOUND, "not_found", NULL, "区域不存在：%s",
				  "area not found: %s", what);
	return 0;
}

int fk_area_get(struct fk_db *db, int64_t id, struct fk_area *out, struct fk_err *err)
{
	struct fk_q *q;
	char idtext[24];
	int rc;

	memset(out, 0, sizeof(*out));
	rc = fk_db_query(db, &q, "SELECT " AREA_COLS " FROM areas WHERE id = ?", err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	return get_one(q, out, fk_id_format(id, idtext), err);
}

int fk_area_get_by_code(struct fk_db *db, const char *code, struct fk_area *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = fk_db_query(db, &q, "SELECT " AREA_COLS " FROM areas WHERE code = ?", err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, code);
	return get_one(q, out, code, err);
}

/* FK_ECONFLICT when another area than self holds code. */
static int code_free(struct fk_db *db, const char *code, int64_t self, struct fk_err *err)
{
	int64_t other = 0;
	int rc = fk_db_one_i64(db, err, &other, "SELECT id FROM areas WHERE code = ?", "t", code);

	if (rc < 0)
		return rc;
	if (rc > 0 && other != self)
		return fk_err_set(err, FK_ECONFLICT, "code_taken", "code", "编码已被使用：%s",
				  "code already in use: %s", code);
	return 0;
}

/* Gives a its id, path and depth under its parent. */
static int place(struct fk_db *db, struct fk_area *a, struct fk_err *err)
{
	struct fk_area parent;
	int n, rc = 0;

	a->id = fk_id_next();
	if (a->parent_id == 0) {
		a->depth = 0;
		snprintf(a->path, sizeof(a->path), "/%lld/", (long long)a->id);
		return 0;
	}
	rc = fk_area_get(db, a->parent_id, &parent, err);
	if (rc < 0) {
		if (rc == FK_ENOTFOUND)
			fk_err_set(err, FK_ENOTFOUND, "parent_not_found", "parent_id",
				   "上级区域不存在", "the parent area does not exist");
		return rc;
	}
	a->depth = parent.depth + 1;
	n = snprintf(a->path, sizeof(a->path), "%s%lld/", parent.path, (long long)a->id);
	fk_area_release(&parent);
	if (n < 0 || (size_t)n >= sizeof(a->path))
		return fk_err_set(err, FK_EUNPROC, "too_deep", "parent_id", "区域层级过深",
				  "the area tree would be too deep");
	return 0;
}

/* Validates a and gives the canonical text of its responsible array (malloc'd). */
static int check(const struct fk_area *a, char **resp, struct fk_err *err)
{
	json_t *arr;
	int rc;

	*resp = NULL;
	rc = fk_area_validate(a, err);
	if (rc < 0)
		return rc;
	arr = a->responsible ? json_loads(a->responsible, 0, NULL) : json_array();
	rc = fk_area_responsible_text(arr, resp, err);
	json_decref(arr);
	return rc;
}

/* Binds kind, name, code, responsible, lat, lng, updated_at from index first. */
static int bind_fields(struct fk_q *q, int first, const struct fk_area *a, const char *resp)
{
	fk_q_bind_text(q, first, a->kind);
	fk_q_bind_text(q, first + 1, a->name);
	fk_q_bind_text(q, first + 2, a->code);
	fk_q_bind_text(q, first + 3, resp);
	if (a->has_point) {
		fk_q_bind_double(q, first + 4, a->lat);
		fk_q_bind_double(q, first + 5, a->lng);
	} else {
		fk_q_bind_null(q, first + 4);
		fk_q_bind_null(q, first + 5);
	}
	fk_q_bind_i64(q, first + 6, fk_now_ms());
	return first + 7;
}

static int insert(struct fk_db *db, const struct fk_area *a, const char *resp, struct fk_err *err)
{
	struct fk_q *q;
	int i, rc;

	rc = fk_db_query(db, &q,
			 "INSERT INTO areas (id, parent_id, path, depth, kind, name, code, "
			 "responsible, lat, lng, updated_at, created_at) "
			 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, a->id);
	if (a->parent_id)
		fk_q_bind_i64(q, 2, a->parent_id);
	else
		fk_q_bind_null(q, 2);
	fk_q_bind_text(q, 3, a->path);
	fk_q_bind_i64(q, 4, a->depth);
	i = bind_fields(q, 5, a, resp);
	fk_q_bind_i64(q, i, fk_now_ms());
	rc = fk_q_step(q, err);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int fk_area_create(struct fk_db *db, struct fk_area *a, struct fk_err *err)
{
	char *resp;
	struct fk_tx tx;
	int rc = check(a, &resp, err);

	if (rc == 0)
		rc = fk_tx_begin(db, &tx, err);
	if (rc < 0)
		goto out;
	rc = place(db, a, err);
	if (rc == 0)
		rc = code_free(db, a->code, 0, err);
	if (rc == 0)
		rc = insert(db, a, resp, err);
	rc = fk_tx_end(db, &tx, rc, err);
out:
	free(resp);
	return rc;
}

static int update_row(struct fk_db *db, const struct fk_area *a, const char *resp,
		      struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	rc = fk_db_query(db, &q,
			 "UPDATE areas SET kind = ?, name = ?, code = ?, responsible = ?, lat = ?, "
			 "lng = ?, updated_at = ? WHERE id = ?",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, bind_fields(q, 1, a, resp), a->id);
	rc = fk_q_step(q, err);
	if (rc >= 0 && fk_q_changes(q) == 0)
		rc = fk_err_set(err, FK_ENOTFOUND, "not_found", NULL, "区域不存在",
				"area not found");
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int fk_area_update(struct fk_db *db, const struct fk_area *a, struct fk_err *err)
{
	char *resp;
	struct fk_tx tx;
	int rc = check(a, &resp, err);

	if (rc == 0)
		rc = fk_tx_begin(db, &tx, err);
	if (rc < 0)
		goto out;
	rc = code_free(db, a->code, a->id, err);
	if (rc == 0)
		rc = update_row(db, a, resp, err);
	rc = fk_tx_end(db, &tx, rc, err);
out:
	free(resp);
	return rc;
}

int fk_area_children_count(struct fk_db *db, int64_t id, int64_t *out, struct fk_err *err)
{
	int rc;

	*out = 0;
	rc = fk_db_one_i64(db, err, out, "SELECT COUNT(*) FROM areas WHERE parent_id = ?", "i", id);
	return rc < 0 ? rc : 0;
}

/* FK_ECONFLICT "area_not_empty" while a has children or rows filed under it. */
static int check_empty(struct fk_db *db, const struct fk_area *a, struct fk_err *err)
{
	int64_t n = 0;
	const char *what = NULL;
	int rc = fk_area_children_count(db, a->id, &n, err);

	if (rc < 0)
		return rc;
	if (n > 0)
		return fk_err_set(err, FK_ECONFLICT, "area_not_empty", NULL,
				  "区域“%s”下还有 %lld 个下级区域，不能删除",
				  "area \"%s\" still has %lld child areas and cannot be deleted",
				  a->name, (long long)n);
	rc = area_paths_blocking(db, a->path, &n, &what, err);
	if (rc < 0)
		return rc;
	if (n > 0)
		return fk_err_set(err, FK_ECONFLICT, "area_not_empty", NULL,
				  "区域“%s”下还有 %lld 条记录（%s），不能删除",
				  "area \"%s\" still has %lld %s and cannot be deleted", a->name,
				  (long long)n, what);
	return 0;
}

int fk_area_delete(struct fk_db *db, int64_t id, struct fk_err *err)
{
	struct fk_area a;
	struct fk_tx tx;
	int rc = fk_tx_begin(db, &tx, err);

	if (rc < 0)
		return rc;
	rc = fk_area_get(db, id, &a, err);
	if (rc == 0) {
		rc = check_empty(db, &a, err);
		fk_area_release(&a);
	}
	if (rc == 0) {
		int64_t n = fk_db_run(db, err, "DELETE FROM areas WHERE id = ?", "i", id);
		rc = n < 0 ? (int)n : 0;
	}
	return fk_tx_end(db, &tx, rc, err);
}
