/* api: the health module's handlers — a report (a write a phone may retry: keyed by
 * client_key through platform/keyed.h, so a repeat is stored once and gets the stored
 * reply), a person's reports, the half-day's missing list, and the resident's own page. */
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/json.h"
#include "isolation/isolation.h"
#include "people/people.h"
#include "platform/keyed.h"
#include "health/internal.h"

const struct fk_field hl_body_report[] = {
    {.name = "person_id", .type = FK_J_ID, .nullable = true},
    {.name = "day", .type = FK_J_STRING, .nullable = true, .max_len = 10},
    {.name = "half", .type = FK_J_STRING, .nullable = true, .max_len = 2},
    {.name = "temperature", .type = FK_J_NUMBER, .required = true, .min = 25, .max = 50},
    {.name = "symptoms", .type = FK_J_STRINGS, .nullable = true, .max_len = HL_SYMPTOM_MAX},
    FK_KEYED_FIELD,
    FK_FIELDS_END,
};

static int report_parse(struct fk_req *req, void *ctx, struct fk_err *err)
{
	return hl_report_parse(req->body, req->who, fk_now_ms(), ctx, err);
}

static int report_prep(struct fk_req *req, void *ctx, struct fk_err *err)
{
	struct fk_policy_snap *s = fk_policy_snap(req->db);
	int rc = hl_report_prep(req->db, req->who, s, fk_now_ms(), ctx, err);

	fk_policy_snap_release(s);
	return rc;
}

static int report_write(struct fk_req *req, void *ctx, int *status, json_t **reply,
			struct fk_err *err)
{
	struct hl_report *r = ctx;
	int rc = hl_report_insert(req->db, r, err);

	if (rc == 0 && !r->by_self)
		rc =
		    fk_audit_json(req, "health.report", "person", r->person_id,
				  json_pack("{s:s, s:s}", "day", r->h.day, "half", r->h.half), err);
	if (rc < 0)
		return rc;
	*status = 201;
	*reply = hl_report_json(r);
	return 0;
}

static const struct fk_keyed_op report_op = {
    .name = "health.report", .parse = report_parse, .prep = report_prep, .write = report_write};

int hl_api_report(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct hl_report *r = fk_arena_alloc(req->arena, sizeof(*r));

	memset(r, 0, sizeof(*r));
	return fk_keyed(req, resp, &report_op, r, err);
}

int hl_api_reports(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *s = fk_req_query(req, "person_id");
	struct fk_person *p = fk_arena_alloc(req->arena, sizeof(*p));
	json_t *items = json_array();
	int64_t id = 0;
	int rc = 0;

	if (!s || !fk_id_parse(s, &id))
		rc = fk_err_set(err, FK_EINVAL, "invalid_id", "person_id", "person_id 须为人员编号",
				"person_id must be a person's id");
	if (rc == 0 && (rc = fk_person_get(req->db, req->who, id, p, err)) == FK_ENOTFOUND)
		rc = fk_err_set(err, rc, "person_not_found", "person_id", "没有该人员",
				"there is no such person");
	if (rc == 0)
		rc = hl_reports_of(req->db, id, items, err);
	if (rc == 0)
		rc = fk_audit_json(req, "health.reports", "person", id, NULL, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

/* v into out when given; too long for out, it becomes "?", which the check refuses. */
static void param_copy(char *out, size_t size, const char *v)
{
	if (v && *v)
		snprintf(out, size, "%s", strlen(v) < size ? v : "?");
}

/* ?day&half: the half-day asked, the current one by default. */
static int half_of(struct fk_req *req, struct hl_half *h, struct fk_err *err)
{
	hl_half_at(fk_now_ms(), h);
	param_copy(h->day, sizeof(h->day), fk_req_query(req, "day"));
	param_copy(h->half, sizeof(h->half), fk_req_query(req, "half"));
	return hl_half_check(h, err);
}

/* The deadline of h under the policies in force, as JSON. */
static json_t *deadline_json(struct fk_db *db, const struct hl_half *h)
{
	struct fk_policy_snap *s = fk_policy_snap(db);
	int64_t at = hl_deadline_ms(s, h);

	fk_policy_snap_release(s);
	return fk_json_timev(at);
}

/* The list's query string: the half-day, limit, cursor and area. */
static int missing_query(struct fk_req *req, struct hl_missing_query *q, struct fk_err *err)
{
	const char *cursor = fk_req_query(req, "cursor");
	int64_t limit = 0;
	int rc = half_of(req, &q->h, err);

	if (rc == 0)
		rc = fk_req_query_int(req, "limit", 500, 1, 5000, &limit, err);
	if (rc == 0 && cursor && *cursor && !fk_id_parse(cursor, &q->after))
		rc = fk_err_set(err, FK_EINVAL, "invalid_cursor", "cursor", "cursor 无效",
				"the cursor is not valid");
	if (rc == 0)
		rc = fk_req_area_under(req, "area_id", &q->under, err);
	q->limit = (int)limit;
	return rc;
}

int hl_api_missing(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct hl_missing_query q = {0};
	int64_t area_id = 0;
	json_t *o = NULL;
	int rc = missing_query(req, &q, err);

	if (rc == 0) {
		o = json_pack("{s:s, s:s, s:o}", "day", q.h.day, "half", q.h.half, "deadline",
			      deadline_json(req->db, &q.h));
		rc = hl_missing_list(req->db, req->who, &q, o, err);
	}
	if (rc == 0 && q.under) /* checked by missing_query */
		fk_id_parse(fk_req_query(req, "area_id"), &area_id);
	if (rc == 0) /* names of people: the read is audited, as a zone's people are */
		rc = fk_audit_json(
		    req, "health.missing", "area", area_id,
		    json_pack("{s:s, s:s, s:I}", "day", q.h.day, "half", q.h.half, "count",
			      (json_int_t)json_array_size(json_object_get(o, "items"))),
		    err);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	fk_resp_json(resp, 200, o);
	return 0;
}

static json_t *placement_json(const struct fk_placement *p, const char *today)
{
	int y, m, d, ty, tm, td;

	fk_date_parse(p->start_day, &y, &m, &d);
	fk_date_parse(today, &ty, &tm, &td);
	return json_pack("{s:o, s:s, s:s, s:s, s:s, s:I}", "id", fk_json_idv(p->id), "kind",
			 p->kind, "status", p->status, "start_day", p->start_day, "end_day",
			 p->end_day, "day_no",
			 (json_int_t)(fk_date_days(ty, tm, td) - fk_date_days(y, m, d) + 1));
}

/* {am: report | null, pm: report | null} of person_id on day. */
static int today_json(struct fk_db *db, int64_t person_id, const char *day, json_t **out,
		      struct fk_err *err)
{
	struct hl_half am = {.half = "am"}, pm = {.half = "pm"};
	json_t *ram = NULL, *rpm = NULL;
	int rc;

	snprintf(am.day, sizeof(am.day), "%s", day);
	snprintf(pm.day, sizeof(pm.day), "%s", day);
	rc = hl_report_of_half(db, person_id, &am, &ram, err);
	if (rc == 0)
		rc = hl_report_of_half(db, person_id, &pm, &rpm, err);
	if (rc < 0) {
		json_decref(ram);
		return rc;
	}
	*out =
	    json_pack("{s:o, s:o}", "am", ram ? ram : json_null(), "pm", rpm ? rpm : json_null());
	return 0;
}

int hl_api_me(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_placement p;
	struct hl_half cur;
	bool found = false;
	json_t *today = NULL;
	int rc;

	hl_half_at(fk_now_ms(), &cur);
	rc = fk_placement_on(req->db, req->who->person_id, cur.day, &p, &found, err);
	if (rc == 0)
		rc = today_json(req->db, req->who->person_id, cur.day, &today, err);
	if (rc < 0)
		return rc;
	fk_resp_json(resp, 200,
		     json_pack("{s:o, s:o, s:s, s:s, s:o}", "placement",
			       found ? placement_json(&p, cur.day) : json_null(), "today", today,
			       "day", cur.day, "half", cur.half, "deadline",
			       deadline_json(req->db, &cur)));
	return 0;
}
