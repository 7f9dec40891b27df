/* request: one request — raising it (its checks, its level, its deadline, its log row, its
 * event and alert), reading it for a caller (a resident: their own; staff: in scope by the
 * person's home area), its JSON and its log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/json.h"
#include "base/phone.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "events/events.h"
#include "people/people.h"
#include "requests/internal.h"

int rq_text_check(const char *s, const char *field, size_t max_chars, bool required,
		  struct fk_err *err)
{
	size_t n = s ? strlen(s) : 0;

	if (required && n == 0)
		return fk_err_set(err, FK_EUNPROC, "missing_field", field, "请填写 %s",
				  "%s is required", field);
	if (n && (!fk_utf8_valid(s, n) || fk_utf8_chars(s) > max_chars))
		return fk_err_set(err, FK_EINVAL, "too_long", field, "%s 不能超过 %zu 个字",
				  "%s must be at most %zu characters", field, max_chars);
	return 0;
}

static bool source_valid(const char *s)
{
	return s && (strcmp(s, "resident") == 0 || strcmp(s, "worker") == 0 ||
		     strcmp(s, "hotline") == 0 || strcmp(s, "call") == 0);
}

/* Kind, urgency, detail, source and the contact phone (normalised into phone). */
static int new_check(const struct fk_request_new *n, const char **kind, const char **urgency,
		     char phone[24], struct fk_err *err)
{
	int rc = 0;

	*kind = rq_kind_norm(n->kind);
	*urgency = rq_urgency_norm(n->urgency);
	phone[0] = '\0';
	if (!*kind)
		return fk_err_set(err, FK_EINVAL, "invalid_kind", "kind",
				  "诉求类型须为 购药、就医、生活物资、助老、投诉 或 其他",
				  "kind must be medicine, medical, supplies, elderly_help, "
				  "complaint or other");
	if (!*urgency)
		return fk_err_set(err, FK_EINVAL, "invalid_urgency", "urgency",
				  "紧急程度须为 一般 或 紧急", "urgency must be normal or urgent");
	if (!source_valid(n->source))
		return fk_err_set(err, FK_EINVAL, "invalid_source", "source", "来源无效",
				  "the source is not valid");
	rc = rq_text_check(n->detail, "detail", RQ_DETAIL_MAX, true, err);
	if (rc == 0 && n->contact_phone && *n->contact_phone &&
	    fk_phone_normalize(n->contact_phone, phone, err) < 0)
		rc = fk_err_set(err, FK_EINVAL, "invalid_phone", "contact_phone",
				"联系电话格式不正确", "the contact phone is not valid");
	return rc;
}

/* The level for a person's home path: the lowest staffed one, else the highest level area
 * on the path (no one below receives it; the job will find it at the top). */
static int place(struct fk_db *db, const char *path, struct rq_prep *p, struct fk_err *err)
{
	struct rq_cand *c = fk_xcalloc(RQ_MAX_DEPTH, sizeof(*c));
	int n = 0, i, rc = rq_level_cands(db, path, c, &n, err);

	if (rc == 0 && n == 0)
		rc = fk_err_set(err, FK_EUNPROC, "no_level", "person_id",
				"该人员所在区域之上没有可受理诉求的层级",
				"no level above the person's area can take a request");
	if (rc == 0) {
		i = rq_level_pick(c, n, RQ_MAX_DEPTH + 1);
		for (int j = 0; i < 0 && j < n; j++)
			if (i < 0 || c[j].depth < c[i].depth)
				i = j;
		p->r.level_area_id = c[i].id;
		snprintf(p->r.level, sizeof(p->r.level), "%s", c[i].kind);
		snprintf(p->r.level_area_path, sizeof(p->r.level_area_path), "%s", c[i].path);
		snprintf(p->level_name, sizeof(p->level_name), "%s", c[i].name);
	}
	free(c);
	return rc;
}

/* The person's fields the reply shows, and the name of their area. */
static int person_fill(struct fk_db *db, const struct fk_person *person, struct rq_prep *p,
		       struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT name FROM areas WHERE id = ?", err);

	p->r.person_id = person->id;
	p->area_id = person->area_id;
	snprintf(p->r.area_path, sizeof(p->r.area_path), "%s", person->area_path);
	snprintf(p->name, sizeof(p->name), "%s", person->name);
	snprintf(p->id_number, sizeof(p->id_number), "%s", person->id_number);
	snprintf(p->person_phone, sizeof(p->person_phone), "%s", person->phone);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, person->area_id);
	if ((rc = fk_q_step(q, err)) > 0)
		snprintf(p->area_name, sizeof(p->area_name), "%s", fk_q_text(q, 0));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static int person_read(struct fk_db *db, const struct fk_principal *who, int64_t id,
		       struct rq_prep *p, struct fk_err *err)
{
	struct fk_person *person = fk_xcalloc(1, sizeof(*person));
	int rc = fk_person_get(db, who, id, person, err);

	if (rc == FK_ENOTFOUND)
		rc = fk_err_set(err, rc, "person_not_found", "person_id", "没有该人员",
				"there is no such person");
	if (rc == 0)
		rc = person_fill(db, person, p, err);
	free(person);
	return rc;
}

int rq_prepare(struct fk_db *db, const struct fk_principal *who, const struct fk_request_new *n,
	       const struct fk_person *person, struct rq_prep *p, struct fk_err *err)
{
	const char *kind, *urgency;
	struct fk_policy_snap *s;
	int rc = new_check(n, &kind, &urgency, p->phone, err);

	if (rc == 0)
		rc = person ? person_fill(db, person, p, err)
			    : person_read(db, who, n->person_id, p, err);
	if (rc == 0)
		rc = place(db, p->r.area_path, p, err);
	if (rc < 0)
		return rc;
	snprintf(p->r.kind, sizeof(p->r.kind), "%s", kind);
	snprintf(p->r.urgency, sizeof(p->r.urgency), "%s", urgency);
	snprintf(p->r.source, sizeof(p->r.source), "%s", n->source);
	snprintf(p->r.status, sizeof(p->r.status), "open");
	p->detail = n->detail;
	p->call_id = n->call_id;
	s = fk_policy_snap(db);
	p->deadline_ms = rq_deadline_ms(s, kind, urgency);
	fk_policy_snap_release(s);
	return 0;
}

static int insert_row(struct fk_db *db, const struct rq_prep *p, const char *ticket_no,
		      int64_t received_at, int64_t by, struct fk_err *err)
{
	const struct rq_row *r = &p->r;

	return fk_db_write(
	    db, err,
	    "INSERT INTO requests (id, person_id, area_path, kind, urgency, detail, contact_phone, "
	    "source, ticket_no, received_at, call_id, status, level, level_area_id, "
	    "level_area_path, at_top, due_at, escalations, raised_by, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, 0, ?, 0, ?, ?, ?)",
	    "iitttttttiititiiii", r->id, r->person_id, r->area_path, r->kind, r->urgency, p->detail,
	    p->phone[0] ? p->phone : NULL, r->source, ticket_no, received_at, p->call_id, r->level,
	    r->level_area_id, r->level_area_path, r->due_at, by, r->created_at, r->updated_at);
}

int rq_store(struct fk_db *db, const struct fk_principal *who, struct rq_prep *p,
	     const char *ticket_no, int64_t received_at, struct fk_err *err)
{
	struct rq_row *r = &p->r;
	int rc;

	r->id = fk_id_next();
	r->created_at = r->updated_at = fk_now_ms();
	r->due_at = r->created_at + p->deadline_ms;
	rc = insert_row(db, p, ticket_no, received_at, who ? who->user_id : 0, err);
	if (rc == FK_ECONFLICT)
		return fk_err_set(err, rc, "duplicate_ticket", "ticket_no", "该工单号已导入",
				  "the ticket was imported already");
	if (rc == 0)
		rc = rq_log(db, r, who, "raised", NULL, r->level, NULL, r->created_at, err);
	if (rc == 0)
		rc = rq_alert(db, r, "raised", err);
	if (rc == 0)
		rq_event(db, r);
	return rc;
}

int fk_request_raise(struct fk_db *db, const struct fk_principal *who,
		     const struct fk_request_new *r, int64_t *id, struct fk_err *err)
{
	struct rq_prep *p = fk_xcalloc(1, sizeof(*p));
	int rc = rq_prepare(db, who, r, NULL, p, err);

	if (rc == 0)
		rc = rq_store(db, who, p, NULL, 0, err);
	if (rc == 0 && id)
		*id = p->r.id;
	free(p);
	return rc;
}

/* ---- reading ---- */

#define ROW_COLS                                                                                   \
	"id, person_id, area_path, level_area_id, level_area_path, due_at, escalations, "          \
	"created_at, updated_at, closed_at, call_id, kind, urgency, status, level, source, "       \
	"closed_by, at_top"

static void row_fill(struct fk_q *q, struct rq_row *r)
{
	const char *cb = fk_q_text(q, 16);

	r->id = fk_q_i64(q, 0);
	r->person_id = fk_q_i64(q, 1);
	snprintf(r->area_path, sizeof(r->area_path), "%s", fk_q_text(q, 2));
	r->level_area_id = fk_q_i64(q, 3);
	snprintf(r->level_area_path, sizeof(r->level_area_path), "%s", fk_q_text(q, 4));
	r->due_at = fk_q_i64(q, 5);
	r->escalations = fk_q_i64(q, 6);
	r->created_at = fk_q_i64(q, 7);
	r->updated_at = fk_q_i64(q, 8);
	r->closed_at = fk_q_i64(q, 9);
	r->call_id = fk_q_i64(q, 10);
	snprintf(r->kind, sizeof(r->kind), "%s", fk_q_text(q, 11));
	snprintf(r->urgency, sizeof(r->urgency), "%s", fk_q_text(q, 12));
	snprintf(r->status, sizeof(r->status), "%s", fk_q_text(q, 13));
	snprintf(r->level, sizeof(r->level), "%s", fk_q_text(q, 14));
	snprintf(r->source, sizeof(r->source), "%s", fk_q_text(q, 15));
	snprintf(r->closed_by, sizeof(r->closed_by), "%s", cb ? cb : "");
	r->at_top = fk_q_i64(q, 17) != 0;
}

static bool may_read(const struct fk_principal *who, const struct rq_row *r)
{
	if (who->role == FK_ROLE_RESIDENT)
		return who->person_id > 0 && who->person_id == r->person_id;
	return fk_scope_covers(who, r->area_path);
}

int rq_row_get(struct fk_db *db, const struct fk_principal *who, int64_t id, struct rq_row *r,
	       struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT " ROW_COLS " FROM requests WHERE id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		row_fill(q, r);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0 || !may_read(who, r))
		return fk_err_set(err, FK_ENOTFOUND, "request_not_found", "id", "没有该诉求",
				  "there is no such request");
	return 0;
}

/* ---- log, event, alert ---- */

int rq_log(struct fk_db *db, const struct rq_row *r, const struct fk_principal *by,
	   const char *action, const char *from_level, const char *to_level, const char *note,
	   int64_t now, struct fk_err *err)
{
	const char *name = !by ? "" : by->display_name[0] ? by->display_name : by->username;

	return fk_db_write(db, err,
			   "INSERT INTO request_log (request_id, area_path, at, action, by_user, "
			   "by_name, from_level, to_level, deadline_at, note) VALUES (?, ?, ?, ?, "
			   "?, ?, ?, ?, NULL, ?)",
			   "itititttt", r->id, r->area_path, now, action, by ? by->user_id : 0,
			   name, from_level, to_level, note && *note ? note : NULL);
}

void rq_event(struct fk_db *db, const struct rq_row *r)
{
	/* At the person's home area: every level over it (the building, the grid, the
	 * community...) hears of it, once the write commits; the payload names no one. */
	fk_events_publish_after(db, "request", r->area_path,
				json_pack("{s:o, s:s, s:s, s:s, s:o, s:s}", "id",
					  fk_json_idv(r->id), "kind", r->kind, "urgency",
					  r->urgency, "level", r->level, "level_area_id",
					  fk_json_idv(r->level_area_id), "status", r->status));
}

int rq_alert(struct fk_db *db, const struct rq_row *r, const char *why, struct fk_err *err)
{
	bool urgent = strcmp(r->urgency, "urgent") == 0;
	char zh[FK_ALERT_TITLE_MAX], en[FK_ALERT_TITLE_MAX];
	static const char *const kind_zh[6] = {"购药", "就医", "生活物资", "助老", "投诉", "其他"};
	int i = rq_kind_index(r->kind);

	snprintf(zh, sizeof(zh), "%s诉求：%s%s",
		 strcmp(why, "raised") == 0	? "新"
		 : strcmp(why, "reopened") == 0 ? "重新打开的"
						: "上升的",
		 kind_zh[i < 0 ? 5 : i], urgent ? "（紧急）" : "");
	snprintf(en, sizeof(en), "Request %s: %s%s", why, r->kind, urgent ? " (urgent)" : "");
	return fk_alert_raise(db, "request", r->level_area_path, zh, en,
			      json_pack("{s:o, s:s, s:s, s:s, s:o}", "id", fk_json_idv(r->id),
					"kind", r->kind, "urgency", r->urgency, "level", r->level,
					"level_area_id", fk_json_idv(r->level_area_id)),
			      NULL, err);
}
