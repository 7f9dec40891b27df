/* render: a request as the API shows it — the person (ID number and phone masked unless the
 * caller's role may see them), its level's area by name, whether it is overdue — and its
 * log. The people module's people and the area module's areas are read in this module's
 * SQL, beside the request, as the lists need them. */
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "base/json.h"
#include "base/mask.h"
#include "requests/internal.h"

static json_t *person_json(struct fk_q *q, const struct fk_principal *who)
{
	const char *id = fk_q_text(q, 19), *phone = fk_q_text(q, 20);
	char mid[48], mphone[32];

	id = id ? id : "";
	phone = phone ? phone : "";
	if (!who->see_id)
		id = fk_mask_id(id, mid, sizeof(mid));
	if (!who->see_phone)
		phone = fk_mask_phone(phone, mphone, sizeof(mphone));
	return json_pack("{s:o, s:s?, s:s, s:s, s:o, s:s?}", "id", fk_json_idv(fk_q_i64(q, 1)),
			 "name", fk_q_text(q, 18), "id_number", id, "phone", phone, "area_id",
			 fk_json_idv(fk_q_i64(q, 21)), "area_name", fk_q_text(q, 22));
}

static json_t *opt_id(int64_t id)
{
	return id ? fk_json_idv(id) : json_null();
}

json_t *rq_q_json(struct fk_q *q, const struct fk_principal *who, int64_t now)
{
	const char *status = fk_q_text(q, 8), *phone = fk_q_text(q, 6);
	bool active = strcmp(status, "open") == 0 || strcmp(status, "accepted") == 0;
	char mphone[32];

	if (phone && !who->see_phone)
		phone = fk_mask_phone(phone, mphone, sizeof(mphone));
	return json_pack(
	    "{s:o, s:o, s:s, s:s, s:s, s:s?, s:s, s:s?, s:o, s:s, s:s, s:o, s:s?, s:I, s:b, s:I, "
	    "s:o, s:o, s:o, s:s?, s:s?}",
	    "id", fk_json_idv(fk_q_i64(q, 0)), "person", person_json(q, who), "kind",
	    fk_q_text(q, 2), "urgency", fk_q_text(q, 3), "detail", fk_q_text(q, 4), "contact_phone",
	    phone, "source", fk_q_text(q, 5), "ticket_no", fk_q_text(q, 7), "call_id",
	    opt_id(fk_q_i64(q, 9)), "status", status, "level", fk_q_text(q, 10), "level_area_id",
	    fk_json_idv(fk_q_i64(q, 11)), "level_area_name", fk_q_text(q, 23), "due_at",
	    (json_int_t)fk_q_i64(q, 12), "overdue", active && fk_q_i64(q, 12) <= now, "escalations",
	    (json_int_t)fk_q_i64(q, 13), "created_at", fk_json_timev(fk_q_i64(q, 14)), "updated_at",
	    fk_json_timev(fk_q_i64(q, 15)), "closed_at", fk_json_timev(fk_q_i64(q, 16)),
	    "closed_by", fk_q_text(q, 17), "close_reason", fk_q_text(q, 24));
}

static json_t *log_item(struct fk_q *q, const char *lang)
{
	int64_t deadline = fk_q_i64(q, 5);
	const char *note = fk_q_text(q, 6);
	char iso[32], text[128];

	if (deadline && !note) { /* the job's escalation: the deadline it passed */
		fk_iso8601(deadline, iso);
		snprintf(text, sizeof(text),
			 lang && strcmp(lang, "en") == 0 ? "deadline %s passed"
							 : "已超过处理时限 %s",
			 iso);
		note = text;
	}
	return json_pack("{s:o, s:s, s:s, s:s?, s:s?, s:s?, s:o}", "at",
			 fk_json_timev(fk_q_i64(q, 0)), "action", fk_q_text(q, 1), "by_name",
			 fk_q_text(q, 2), "from_level", fk_q_text(q, 3), "to_level",
			 fk_q_text(q, 4), "note", note, "deadline_at",
			 deadline ? json_integer(deadline) : json_null());
}

static int log_json(struct fk_db *db, int64_t id, const char *lang, json_t *items,
		    struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT at, action, by_name, from_level, to_level, deadline_at, note "
			     "FROM request_log WHERE request_id = ? ORDER BY at, action",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(items, log_item(q, lang));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int rq_json(struct fk_db *db, const struct fk_principal *who, int64_t id, bool log,
	    const char *lang, json_t **out, struct fk_err *err)
{
	json_t *items;
	struct fk_q *q;
	int rc = fk_db_query(db, &q, RQ_JSON_SELECT " WHERE r.id = ?", err);

	*out = NULL;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	if ((rc = fk_q_step(q, err)) > 0)
		*out = rq_q_json(q, who, fk_now_ms());
	fk_q_done(q);
	if (rc == 0)
		rc = fk_err_set(err, FK_ENOTFOUND, "request_not_found", "id", "没有该诉求",
				"there is no such request");
	if (rc < 0 || !log)
		return rc < 0 ? rc : 0;
	items = json_array();
	json_object_set_new(*out, "log", items);
	rc = log_json(db, id, lang, items, err);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

json_t *rq_prep_json(const struct rq_prep *p, const struct fk_principal *who)
{
	const struct rq_row *r = &p->r;
	char mid[48], mphone[32], mcontact[32];
	const char *id = who->see_id ? p->id_number : fk_mask_id(p->id_number, mid, sizeof(mid));
	const char *phone = who->see_phone ? p->person_phone
					   : fk_mask_phone(p->person_phone, mphone, sizeof(mphone));
	const char *contact = !p->phone[0] ? NULL
			      : who->see_phone
				  ? p->phone
				  : fk_mask_phone(p->phone, mcontact, sizeof(mcontact));

	return json_pack(
	    "{s:o, s:{s:o, s:s, s:s, s:s, s:o, s:s}, s:s, s:s, s:s, s:s?, s:s, s:n, s:o, s:s, s:s, "
	    "s:o, s:s, s:I, s:b, s:I, s:o, s:o, s:n, s:n, s:n}",
	    "id", fk_json_idv(r->id), "person", "id", fk_json_idv(r->person_id), "name", p->name,
	    "id_number", id, "phone", phone, "area_id", fk_json_idv(p->area_id), "area_name",
	    p->area_name, "kind", r->kind, "urgency", r->urgency, "detail", p->detail,
	    "contact_phone", contact, "source", r->source, "ticket_no", "call_id",
	    p->call_id ? fk_json_idv(p->call_id) : json_null(), "status", r->status, "level",
	    r->level, "level_area_id", fk_json_idv(r->level_area_id), "level_area_name",
	    p->level_name, "due_at", (json_int_t)r->due_at, "overdue", 0, "escalations",
	    (json_int_t)0, "created_at", fk_json_timev(r->created_at), "updated_at",
	    fk_json_timev(r->updated_at), "closed_at", "closed_by", "close_reason");
}
