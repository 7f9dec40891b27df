/* checkpoint: checkpoints 卡口/门岗 (SPEC §5) — a gate or a road point guarding an area,
 * seen and changed by the roles whose scope holds its area; a volunteer sees the checkpoints
 * it is bound to as duty staff (staff.c), and nothing else. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "gates/internal.h"

#define CP_COLS "c.id, c.area_id, c.area_path, c.code, c.name, c.kind, c.active"

static void cp_row(struct fk_q *q, void *rec)
{
	struct gt_checkpoint *c = rec;

	memset(c, 0, sizeof(*c));
	c->id = fk_q_i64(q, 0);
	c->area_id = fk_q_i64(q, 1);
	fk_copy_text(c->area_path, sizeof(c->area_path), fk_q_text(q, 2));
	fk_copy_text(c->code, sizeof(c->code), fk_q_text(q, 3));
	fk_copy_text(c->name, sizeof(c->name), fk_q_text(q, 4));
	fk_copy_text(c->kind, sizeof(c->kind), fk_q_text(q, 5));
	c->active = fk_q_i64(q, 6) != 0;
}

static int cp_not_found(struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "checkpoint_not_found", NULL, "卡口不存在",
			  "the checkpoint does not exist");
}

int gt_staff_bound(struct fk_db *db, int64_t id, int64_t user_id, bool *out, struct fk_err *err)
{
	int64_t one = 0;
	int rc = fk_db_one_i64(
	    db, err, &one, "SELECT 1 FROM checkpoint_staff WHERE checkpoint_id = ? AND user_id = ?",
	    "ii", id, user_id);

	*out = rc > 0;
	return rc < 0 ? rc : 0;
}

/* A volunteer sees its own checkpoints; the other roles those in their scope. */
static int visible(struct fk_db *db, const struct fk_principal *who, const struct gt_checkpoint *c,
		   bool *ok, struct fk_err *err)
{
	*ok = true;
	if (!who)
		return 0;
	if (who->role == FK_ROLE_VOLUNTEER)
		return gt_staff_bound(db, c->id, who->user_id, ok, err);
	*ok = fk_scope_covers(who, c->area_path);
	return 0;
}

int gt_checkpoint_get(struct fk_db *db, const struct fk_principal *who, int64_t id,
		      struct gt_checkpoint *out, struct fk_err *err)
{
	struct fk_q *q;
	bool ok = false;
	int rc = fk_db_query(db, &q, "SELECT " CP_COLS " FROM checkpoints c WHERE c.id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		cp_row(q, out);
	fk_q_done(q);
	if (rc > 0)
		rc = visible(db, who, out, &ok, err);
	if (rc < 0)
		return rc;
	return ok ? 0 : cp_not_found(err);
}

/* ---- checks and writes ---- */

static int cp_check(const struct gt_checkpoint *c, struct fk_err *err)
{
	if (fk_place_label_check(c->name, c->code, err) < 0)
		return FK_EINVAL;
	if (strcmp(c->kind, "gate") != 0 && strcmp(c->kind, "road") != 0)
		return fk_err_set(err, FK_EINVAL, "invalid_kind", "kind",
				  "类型须为 gate（门岗）或 road（卡口）",
				  "kind must be gate or road");
	return 0;
}

static int code_free(struct fk_db *db, const struct gt_checkpoint *c, struct fk_err *err)
{
	int64_t other = 0;
	int rc = fk_db_one_i64(db, err, &other, "SELECT id FROM checkpoints WHERE code = ?", "t",
			       c->code);

	if (rc < 0)
		return rc;
	if (rc > 0 && other != c->id)
		return fk_err_set(err, FK_ECONFLICT, "code_taken", "code",
				  "编码 %s 已被其他卡口使用",
				  "code %s is taken by another checkpoint", c->code);
	return 0;
}

/* The area of a checkpoint: in who's scope, else "unknown_area" as a missing one. */
static int scoped_area(struct fk_db *db, const struct fk_principal *who, struct gt_checkpoint *c,
		       struct fk_err *err)
{
	struct fk_area a = {0};
	int rc = fk_area_get(db, c->area_id, &a, err);

	if (rc == 0 && who && !fk_scope_covers(who, a.path))
		rc = FK_ENOTFOUND;
	if (rc == 0)
		fk_copy_text(c->area_path, sizeof(c->area_path), a.path);
	fk_area_release(&a);
	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_EINVAL, "unknown_area", "area_id", "区域 %lld 不存在",
				  "area %lld does not exist", (long long)c->area_id);
	return rc;
}

static int cp_write(struct fk_db *db, const struct fk_principal *who, const struct gt_checkpoint *c,
		    bool create, struct fk_err *err)
{
	int64_t now = fk_now_ms();

	if (create)
		return fk_db_write(
		    db, err,
		    "INSERT INTO checkpoints (id, area_id, area_path, code, name, kind, "
		    "active, created_by, created_at, updated_at) VALUES "
		    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "iittttiiii", c->id, c->area_id, c->area_path, c->code, c->name, c->kind,
		    (int64_t)c->active, who ? who->user_id : 0, now, now);
	return fk_db_write(db, err,
			   "UPDATE checkpoints SET area_id = ?, area_path = ?, code = ?, name = ?, "
			   "kind = ?, active = ?, updated_at = ? WHERE id = ?",
			   "ittttiii", c->area_id, c->area_path, c->code, c->name, c->kind,
			   (int64_t)c->active, now, c->id);
}

int gt_checkpoint_save(struct fk_db *db, const struct fk_principal *who, struct gt_checkpoint *c,
		       bool create, struct fk_err *err)
{
	int rc = cp_check(c, err);

	if (rc == 0)
		rc = scoped_area(db, who, c, err);
	if (rc == 0 && create)
		c->id = fk_id_next();
	if (rc == 0)
		rc = code_free(db, c, err);
	return rc < 0 ? rc : cp_write(db, who, c, create, err);
}

/* ---- JSON and lists ---- */

static int staff_json(struct fk_db *db, int64_t id, json_t *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT u.id, u.username, u.display_name FROM checkpoint_staff s "
			     "JOIN users u ON u.id = s.user_id WHERE s.checkpoint_id = ? "
			     "ORDER BY u.username",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(out, json_pack("{s:o, s:o, s:o}", "id",
						     fk_json_idv(fk_q_i64(q, 0)), "username",
						     fk_json_strv(fk_q_text(q, 1)), "display_name",
						     fk_json_strv(fk_q_text(q, 2))));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int gt_checkpoint_json(struct fk_db *db, const struct gt_checkpoint *c, json_t **out,
		       struct fk_err *err)
{
	json_t *staff = json_array();
	struct fk_area a = {0};
	int rc = staff_json(db, c->id, staff, err);

	if (rc == 0)
		rc = fk_area_get(db, c->area_id, &a, err);
	if (rc < 0) {
		json_decref(staff);
		return rc;
	}
	*out = json_pack("{s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "id",
			 fk_json_idv(c->id), "area_id", fk_json_idv(c->area_id), "area_path",
			 c->area_path, "area_name", a.name, "area_code", a.code, "code", c->code,
			 "name", c->name, "kind", c->kind, "active", c->active, "staff", staff);
	fk_area_release(&a);
	return 0;
}

static int list_query(struct fk_db *db, const struct fk_principal *who, struct fk_q **q,
		      struct fk_err *err)
{
	struct fk_scoped_query sq = {.head = "SELECT " CP_COLS " FROM checkpoints c WHERE ",
				     .col = "c.area_path",
				     .tail = " ORDER BY c.code LIMIT 1000"};
	int next, rc;

	if (who->role != FK_ROLE_VOLUNTEER)
		return fk_scoped_query(db, who, &sq, q, &next, err);
	rc = fk_db_query(db, q,
			 "SELECT " CP_COLS " FROM checkpoints c JOIN checkpoint_staff s ON "
			 "s.checkpoint_id = c.id WHERE s.user_id = ? ORDER BY c.code LIMIT 1000",
			 err);
	if (rc == 0)
		fk_q_bind_i64(*q, 1, who->user_id);
	return rc;
}

int gt_checkpoint_list(struct fk_db *db, const struct fk_principal *who, json_t *items,
		       struct fk_err *err)
{
	struct gt_checkpoint *l;
	void *rows = NULL;
	struct fk_q *q;
	int n = 0, rc = list_query(db, who, &q, err);

	if (rc == 0)
		rc = fk_q_collect(q, sizeof(*l), cp_row, &rows, &n, err);
	l = rows;
	if (rc < 0)
		return rc;
	for (int i = 0; rc == 0 && i < n; i++) {
		json_t *o;
		rc = gt_checkpoint_json(db, &l[i], &o, err);
		if (rc == 0)
			json_array_append_new(items, o);
	}
	free(l);
	return rc < 0 ? rc : 0;
}
