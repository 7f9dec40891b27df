/* signup: a sign-up to a call-out — made on the public page (no login) or matched to a
 * worker by phone — and what a coordinator does with it: accept, decline, dispatch to an
 * area. A call-out takes sign-ups while it is open and not past its end, up to the number
 * wanted (declined ones do not count). */
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/phone.h"
#include "workforce/internal.h"

static int closed(struct fk_err *err)
{
	return fk_err_set(err, FK_ECONFLICT, "callout_closed", NULL, "该招募已结束",
			  "the call-out is closed");
}

/* Locks c's row (PostgreSQL: two sign-ups to one call-out take turns) and checks it still
 * takes sign-ups. */
static int takes_signups(struct fk_db *db, const struct wf_callout *c, struct fk_err *err)
{
	char status[8] = "";
	int64_t wanted = 0, ends_at = 0, signed_up = 0, accepted = 0;
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "UPDATE callouts SET updated_at = updated_at WHERE id = ? RETURNING "
			     "status, wanted, ends_at",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, c->id);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		fk_copy_text(status, sizeof(status), fk_q_text(q, 0));
		wanted = fk_q_i64(q, 1);
		ends_at = fk_q_i64(q, 2);
	}
	fk_q_done(q);
	if (rc <= 0)
		return rc < 0 ? rc : closed(err);
	if (strcmp(status, "open") != 0 || (ends_at && fk_now_ms() >= ends_at))
		return closed(err);
	rc = wf_callout_counts(db, c->id, &signed_up, &accepted, err);
	if (rc == 0 && signed_up >= wanted)
		rc = fk_err_set(err, FK_ECONFLICT, "callout_full", NULL, "报名人数已满（%lld 人）",
				"the call-out is full (%lld wanted)", (long long)wanted);
	return rc;
}

/* The worker signing up: the one with this phone, else a new volunteer serving c's area. */
static int match_worker(struct fk_db *db, const struct wf_callout *c, const struct wf_signup_in *in,
			const char *phone, struct wf_worker *w, struct fk_err *err)
{
	int rc = wf_worker_by_phone(db, phone, w, err);

	if (rc != 0)
		return rc < 0 ? rc : 0;
	*w = (struct wf_worker){.area_id = c->area_id, .active = true};
	fk_copy_text(w->name, sizeof(w->name), in->name ? in->name : "");
	fk_copy_text(w->phone, sizeof(w->phone), phone);
	fk_copy_text(w->kind, sizeof(w->kind), "volunteer");
	rc = wf_skills_text(in->skills, "skills", w->skills, sizeof(w->skills), err);
	return rc < 0 ? rc : wf_worker_save(db, NULL, w, true, err);
}

int wf_signup(struct fk_db *db, const struct wf_callout *c, const struct wf_signup_in *in,
	      int64_t *id, bool *again, struct fk_err *err)
{
	struct wf_worker w;
	char phone[24];
	int64_t now = fk_now_ms();
	int rc = wf_text_check(in->name, "name", WF_NAME_MAX, true, err);

	if (rc == 0)
		rc = wf_text_check(in->note, "note", WF_TEXT_MAX, false, err);
	if (rc == 0)
		rc = fk_phone_normalize(in->phone ? in->phone : "", phone, err);
	if (rc == 0)
		rc = takes_signups(db, c, err);
	if (rc == 0)
		rc = match_worker(db, c, in, phone, &w, err);
	if (rc < 0)
		return rc;
	rc = fk_db_one_i64(db, err, id,
			   "SELECT id FROM callout_signups WHERE callout_id = ? AND worker_id = ?",
			   "ii", c->id, w.id);
	*again = rc > 0;
	if (rc != 0)
		return rc < 0 ? rc : 0;
	*id = fk_id_next();
	return fk_db_write(
	    db, err,
	    "INSERT INTO callout_signups (id, callout_id, worker_id, area_path, note, "
	    "status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'signed_up', ?, ?)",
	    "iiittii", *id, c->id, w.id, c->area_path, in->note && *in->note ? in->note : NULL, now,
	    now);
}

/* ---- the coordinator's side ---- */

#define S_COLS                                                                                     \
	"s.id, s.callout_id, s.worker_id, s.status, s.note, s.dispatch_area_id, s.created_at, "    \
	"s.area_path, (SELECT a.name FROM areas a WHERE a.id = s.dispatch_area_id)"

struct s_row {
	int64_t id, callout_id, worker_id, dispatch_area_id, created_at;
	char status[16], note[WF_TEXT_MAX * 4 + 1], area_path[FK_AREA_PATH_MAX], dispatch[260];
};

static void s_row(struct fk_q *q, void *rec)
{
	struct s_row *s = rec;

	memset(s, 0, sizeof(*s));
	s->id = fk_q_i64(q, 0);
	s->callout_id = fk_q_i64(q, 1);
	s->worker_id = fk_q_i64(q, 2);
	fk_copy_text(s->status, sizeof(s->status), fk_q_text(q, 3));
	fk_copy_text(s->note, sizeof(s->note), fk_q_text(q, 4));
	s->dispatch_area_id = fk_q_i64(q, 5);
	s->created_at = fk_q_i64(q, 6);
	fk_copy_text(s->area_path, sizeof(s->area_path), fk_q_text(q, 7));
	fk_copy_text(s->dispatch, sizeof(s->dispatch), fk_q_text(q, 8));
}

static int s_json(struct fk_db *db, const struct fk_principal *who, const struct s_row *s,
		  json_t **out, struct fk_err *err)
{
	struct wf_worker w;
	json_t *wj = NULL;
	int rc = wf_worker_read(db, NULL, s->worker_id, "worker_id", &w, err);

	if (rc == 0)
		rc = wf_worker_json(db, who, &w, &wj, err);
	if (rc < 0)
		return rc;
	*out = json_pack("{s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "id", fk_json_idv(s->id),
			 "callout_id", fk_json_idv(s->callout_id), "status", s->status, "note",
			 fk_json_strv(s->note[0] ? s->note : NULL), "dispatch_area_id",
			 fk_json_idv(s->dispatch_area_id), "dispatch_area_name",
			 fk_json_strv(s->dispatch[0] ? s->dispatch : NULL), "created_at",
			 fk_json_timev(s->created_at), "worker", wj);
	return 0;
}

int wf_signup_list(struct fk_db *db, const struct fk_principal *who, const struct wf_callout *c,
		   json_t *items, struct fk_err *err)
{
	struct s_row *l;
	void *rows = NULL;
	struct fk_q *q;
	int n = 0, rc = fk_db_query(db, &q,
				    "SELECT " S_COLS " FROM callout_signups s WHERE s.callout_id = "
				    "? ORDER BY s.id LIMIT 10000",
				    err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, c->id);
	rc = fk_q_collect(q, sizeof(*l), s_row, &rows, &n, err);
	l = rows;
	for (int i = 0; rc == 0 && i < n; i++) {
		json_t *o;
		rc = s_json(db, who, &l[i], &o, err);
		if (rc == 0)
			json_array_append_new(items, o);
	}
	free(rows);
	return rc;
}

static int s_read(struct fk_db *db, const struct fk_principal *who, int64_t id, struct s_row *s,
		  struct fk_err *err)
{
	struct fk_q *q;
	int rc =
	    fk_db_query(db, &q, "SELECT " S_COLS " FROM callout_signups s WHERE s.id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		s_row(q, s);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0 || !fk_scope_covers(who, s->area_path))
		return fk_err_set(err, FK_ENOTFOUND, "signup_not_found", NULL, "报名不存在",
				  "the sign-up does not exist");
	return 0;
}

/* Which status an action leads to from which: accept from signed_up (a declined one gave its
 * place up), decline from signed_up or accepted, dispatch from accepted (again: elsewhere). */
static int s_next(const struct s_row *s, const char *action, const char **to, struct fk_err *err)
{
	bool ok;

	if (strcmp(action, "accept") == 0) {
		*to = "accepted";
		ok = !strcmp(s->status, "signed_up");
	} else if (strcmp(action, "decline") == 0) {
		*to = "declined";
		ok = !strcmp(s->status, "signed_up") || !strcmp(s->status, "accepted");
	} else {
		*to = "dispatched";
		ok = !strcmp(s->status, "accepted") || !strcmp(s->status, "dispatched");
	}
	if (!ok)
		return fk_err_set(err, FK_ECONFLICT, "invalid_status", "status",
				  "报名状态为 %s，不能 %s", "the sign-up is %s: cannot %s",
				  s->status, action);
	return 0;
}

int wf_signup_act(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *action,
		  int64_t area_id, json_t **out, struct fk_err *err)
{
	struct s_row s;
	struct fk_area a = {0};
	const char *to = NULL;
	int rc = s_read(db, who, id, &s, err);

	if (rc == 0)
		rc = s_next(&s, action, &to, err);
	if (rc == 0 && strcmp(to, "dispatched") == 0) {
		rc = fk_area_get_in_scope(db, who, area_id, "area_id", &a, err);
		fk_area_release(&a);
	}
	if (rc == 0)
		rc = fk_db_write(db, err,
				 "UPDATE callout_signups SET status = ?, dispatch_area_id = ?, "
				 "updated_at = ? WHERE id = ?",
				 "tiii", to, strcmp(to, "dispatched") == 0 ? area_id : 0,
				 fk_now_ms(), id);
	if (rc == 0)
		rc = s_read(db, who, id, &s, err);
	return rc < 0 ? rc : s_json(db, who, &s, out, err);
}
