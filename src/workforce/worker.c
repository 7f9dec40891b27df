/* worker: a person who serves — read in the caller's scope (the area they serve), checked,
 * stored, shown (phone masked as phones are), listed. It reads the users table for the
 * username of a linked account and the areas table for the name of the area served. */
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/mask.h"
#include "base/phone.h"
#include "base/utf8.h"
#include "workforce/internal.h"

#define W_COLS                                                                                     \
	"w.id, w.name, w.phone, w.kind, w.organisation, w.skills, w.area_id, w.area_path, "        \
	"w.user_id, w.active"

static void w_row(struct fk_q *q, void *rec)
{
	struct wf_worker *w = rec;

	memset(w, 0, sizeof(*w));
	w->id = fk_q_i64(q, 0);
	fk_copy_text(w->name, sizeof(w->name), fk_q_text(q, 1));
	fk_copy_text(w->phone, sizeof(w->phone), fk_q_text(q, 2));
	fk_copy_text(w->kind, sizeof(w->kind), fk_q_text(q, 3));
	fk_copy_text(w->organisation, sizeof(w->organisation), fk_q_text(q, 4));
	fk_copy_text(w->skills, sizeof(w->skills), fk_q_text(q, 5));
	w->area_id = fk_q_i64(q, 6);
	fk_copy_text(w->area_path, sizeof(w->area_path), fk_q_text(q, 7));
	w->user_id = fk_q_i64(q, 8);
	w->active = fk_q_i64(q, 9) != 0;
}

static int w_not_found(const char *field, struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "worker_not_found", field, "服务人员不存在",
			  "the worker does not exist");
}

/* One row by the statement sql with one bound value (id or phone): 1, 0 or <0. */
static int w_one(struct fk_db *db, const char *sql, int64_t id, const char *text,
		 struct wf_worker *w, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, sql, err);

	if (rc < 0)
		return rc;
	if (text)
		fk_q_bind_text(q, 1, text);
	else
		fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		w_row(q, w);
	fk_q_done(q);
	return rc;
}

int wf_worker_read(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *field,
		   struct wf_worker *w, struct fk_err *err)
{
	int rc = w_one(db, "SELECT " W_COLS " FROM workers w WHERE w.id = ?", id, NULL, w, err);

	if (rc < 0)
		return rc;
	if (rc == 0 || (who && !fk_scope_covers(who, w->area_path)))
		return w_not_found(field, err);
	return 0;
}

int wf_worker_by_phone(struct fk_db *db, const char *phone, struct wf_worker *w, struct fk_err *err)
{
	return w_one(db, "SELECT " W_COLS " FROM workers w WHERE w.phone = ?", 0, phone, w, err);
}

int fk_worker_get(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *field,
		  struct fk_worker *out, struct fk_err *err)
{
	struct wf_worker w;
	int rc = wf_worker_read(db, who, id, field, &w, err);

	if (rc < 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->id = w.id;
	out->user_id = w.user_id;
	fk_copy_text(out->name, sizeof(out->name), w.name);
	fk_copy_text(out->phone, sizeof(out->phone), w.phone);
	fk_copy_text(out->kind, sizeof(out->kind), w.kind);
	fk_copy_text(out->area_path, sizeof(out->area_path), w.area_path);
	out->active = w.active;
	return 0;
}

/* ---- checks and writes ---- */

static int w_check(struct wf_worker *w, struct fk_err *err)
{
	char phone[24];
	int rc;

	fk_utf8_trim(w->name);
	fk_utf8_trim(w->organisation);
	rc = wf_text_check(w->name, "name", WF_NAME_MAX, true, err);

	if (rc == 0)
		rc = wf_text_check(w->organisation, "organisation", WF_NAME_MAX, false, err);
	if (rc == 0 && !wf_kind_valid(w->kind))
		rc = fk_err_set(err, FK_EINVAL, "invalid_kind", "kind",
				"类型须为 staff、party_member、cadre 或 volunteer",
				"kind must be staff, party_member, cadre or volunteer");
	if (rc == 0 && w->phone[0] == '\0')
		rc = fk_err_set(err, FK_EINVAL, "missing_field", "phone", "手机号不能为空",
				"phone is required");
	if (rc == 0)
		rc = fk_phone_normalize(w->phone, phone, err);
	if (rc == 0)
		fk_copy_text(w->phone, sizeof(w->phone), phone);
	return rc;
}

static int w_area(struct fk_db *db, const struct fk_principal *who, struct wf_worker *w,
		  struct fk_err *err)
{
	struct fk_area a = {0};
	int rc = fk_area_get_in_scope(db, who, w->area_id, "area_id", &a, err);

	if (rc == 0)
		fk_copy_text(w->area_path, sizeof(w->area_path), a.path);
	fk_area_release(&a);
	return rc;
}

static int w_user(struct fk_db *db, const struct wf_worker *w, struct fk_err *err)
{
	int64_t one = 0;
	int rc;

	if (w->user_id == 0)
		return 0;
	rc = fk_db_one_i64(db, err, &one, "SELECT 1 FROM users WHERE id = ?", "i", w->user_id);
	if (rc == 0)
		return fk_err_set(err, FK_EINVAL, "unknown_user", "user_id", "账号不存在",
				  "the account does not exist");
	return rc < 0 ? rc : 0;
}

static int w_phone_free(struct fk_db *db, const struct wf_worker *w, struct fk_err *err)
{
	int64_t other = 0;
	int rc =
	    fk_db_one_i64(db, err, &other, "SELECT id FROM workers WHERE phone = ?", "t", w->phone);

	if (rc > 0 && other != w->id)
		return fk_err_set(err, FK_ECONFLICT, "phone_taken", "phone",
				  "手机号已属于另一名服务人员", "another worker has this phone");
	return rc < 0 ? rc : 0;
}

static int w_write(struct fk_db *db, const struct wf_worker *w, bool create, struct fk_err *err)
{
	int64_t now = fk_now_ms();

	if (create)
		return fk_db_write(
		    db, err,
		    "INSERT INTO workers (id, name, phone, kind, organisation, skills, "
		    "area_id, area_path, user_id, active, created_at, updated_at) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "itttttitiiii", w->id, w->name, w->phone, w->kind,
		    w->organisation[0] ? w->organisation : NULL, w->skills, w->area_id,
		    w->area_path, w->user_id, (int64_t)w->active, now, now);
	return fk_db_write(db, err,
			   "UPDATE workers SET name = ?, phone = ?, kind = ?, organisation = ?, "
			   "skills = ?, area_id = ?, area_path = ?, user_id = ?, active = ?, "
			   "updated_at = ? WHERE id = ?",
			   "tttttitiiii", w->name, w->phone, w->kind,
			   w->organisation[0] ? w->organisation : NULL, w->skills, w->area_id,
			   w->area_path, w->user_id, (int64_t)w->active, now, w->id);
}

int wf_worker_save(struct fk_db *db, const struct fk_principal *who, struct wf_worker *w,
		   bool create, struct fk_err *err)
{
	int rc = w_check(w, err);

	if (rc == 0)
		rc = w_area(db, who, w, err);
	if (rc == 0)
		rc = w_user(db, w, err);
	if (rc == 0 && create)
		w->id = fk_id_next();
	if (rc == 0)
		rc = w_phone_free(db, w, err);
	return rc < 0 ? rc : w_write(db, w, create, err);
}

/* ---- JSON and the list ---- */

static int names(struct fk_db *db, const struct wf_worker *w, char *area, char *user,
		 struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT a.name, (SELECT u.username FROM users u WHERE u.id = ?) FROM "
			     "areas a WHERE a.id = ?",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, w->user_id);
	fk_q_bind_i64(q, 2, w->area_id);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		fk_copy_text(area, 260, fk_q_text(q, 0));
		fk_copy_text(user, 64, fk_q_text(q, 1));
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int wf_worker_json(struct fk_db *db, const struct fk_principal *who, const struct wf_worker *w,
		   json_t **out, struct fk_err *err)
{
	char area[260] = "", user[64] = "", phone[32];
	int rc = names(db, w, area, user, err);

	if (rc < 0)
		return rc;
	if (!(who && who->see_phone))
		fk_mask_phone(w->phone, phone, sizeof(phone));
	*out = json_pack("{s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "id",
			 fk_json_idv(w->id), "name", w->name, "phone",
			 who && who->see_phone ? w->phone : phone, "kind", w->kind, "organisation",
			 fk_json_strv(w->organisation[0] ? w->organisation : NULL), "skills",
			 wf_skills_json(w->skills), "area_id", fk_json_idv(w->area_id), "area_name",
			 fk_json_strv(area[0] ? area : NULL), "user_id", fk_json_idv(w->user_id),
			 "username", fk_json_strv(user[0] ? user : NULL), "active", w->active);
	return 0;
}

int wf_worker_list(struct fk_db *db, const struct fk_principal *who, const char *under,
		   const char *kind, const char *skill, json_t *items, bool *truncated,
		   struct fk_err *err)
{
	struct fk_scoped_query sq = {.head = "SELECT " W_COLS
					     " FROM workers w WHERE (? = '' OR w.kind = ?) AND "
					     "(? = '' OR ',' || w.skills || ',' LIKE ?) AND ",
				     .nhead = 4,
				     .col = "w.area_path",
				     .under = under,
				     .tail = " ORDER BY w.name, w.id LIMIT ?"};
	const char *k = kind ? kind : "", *sk = skill ? skill : "";
	char like[64];
	struct wf_worker *l;
	void *rows = NULL;
	struct fk_q *q;
	int n = 0, next, rc = fk_scoped_query(db, who, &sq, &q, &next, err);

	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, k);
	fk_q_bind_text(q, 2, k);
	fk_q_bind_text(q, 3, sk);
	snprintf(like, sizeof(like), "%%,%s,%%", sk); /* a skill's name: no % nor _ */
	fk_q_bind_text(q, 4, like);
	fk_q_bind_i64(q, next, WF_LIST_MAX + 1);
	rc = fk_q_collect(q, sizeof(*l), w_row, &rows, &n, err);
	l = rows;
	*truncated = n > WF_LIST_MAX;
	for (int i = 0; rc == 0 && i < n && i < WF_LIST_MAX; i++) {
		json_t *o;
		rc = wf_worker_json(db, who, &l[i], &o, err);
		if (rc == 0)
			json_array_append_new(items, o);
	}
	free(rows);
	return rc;
}
