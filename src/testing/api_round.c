/* api_round: the HTTP handlers of /api/v1/rounds (create, list, read, change, open, close,
 * plan) and of a round's exemptions. Writes run in one transaction with their audit row; the
 * list of exempt people is a read of people data and audited as one. A committed exemption
 * change pulses the round's coverage. */
#include <stdlib.h>
#include <string.h>
#include "base/id.h"
#include "base/utf8.h"
#include "events/events.h"
#include "testing/internal.h"

const struct fk_field tr_round_create_body[] = {
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = FK_ROUND_NAME_MAX * 4},
    {.name = "area_ids", .type = FK_J_IDS, .required = true, .max_len = TR_ROUND_MAX_AREAS},
    {.name = "starts_at", .type = FK_J_STRING, .nullable = true, .max_len = 64},
    {.name = "deadline_at", .type = FK_J_STRING, .required = true, .max_len = 64},
    {.name = "pool_size",
     .type = FK_J_INT,
     .nullable = true,
     .min = 1,
     .max = 20,
     .range_key = "invalid_pool_size"},
    {.name = "note", .type = FK_J_STRING, .nullable = true, .max_len = FK_ROUND_NOTE_MAX * 4},
    FK_FIELDS_END,
};

const struct fk_field tr_round_update_body[] = {
    {.name = "name", .type = FK_J_STRING, .max_len = FK_ROUND_NAME_MAX * 4},
    {.name = "area_ids", .type = FK_J_IDS, .max_len = TR_ROUND_MAX_AREAS},
    {.name = "starts_at", .type = FK_J_STRING, .max_len = 64},
    {.name = "deadline_at", .type = FK_J_STRING, .max_len = 64},
    {.name = "pool_size", .type = FK_J_INT, .min = 1, .max = 20, .range_key = "invalid_pool_size"},
    {.name = "note", .type = FK_J_STRING, .nullable = true, .max_len = FK_ROUND_NOTE_MAX * 4},
    FK_FIELDS_END,
};

const struct fk_field tr_exempt_body[] = {
    {.name = "person_id", .type = FK_J_ID, .required = true},
    {.name = "reason", .type = FK_J_STRING, .required = true, .max_len = TR_REASON_MAX * 4},
    FK_FIELDS_END,
};

/* The round of the path, if the caller may see it; ra is filled. */
static int path_round(struct fk_req *req, struct fk_round *r, struct tr_round_areas *ra,
		      struct fk_err *err)
{
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_ENOTFOUND, "round_not_found", NULL, "检测轮次不存在",
				  "the testing round does not exist");
	return rc < 0 ? rc : tr_round_visible(req->db, req->who, id, r, ra, err);
}

static struct tr_round_areas *areas_new(struct fk_req *req)
{
	return fk_arena_alloc(req->arena, sizeof(struct tr_round_areas));
}

/* The round with its areas, deadline and the caller's totals. */
static int round_reply(struct fk_req *req, const struct fk_round *r,
		       const struct tr_round_areas *ra, json_t **out, struct fk_err *err)
{
	struct tr_counts totals = {0};
	json_t *rows = json_array();
	int rc = 0;

	if (r->status != FK_ROUND_PLANNED)
		rc = tr_coverage(req->db, req->who, r->id, ra, NULL, NULL, rows, &totals, err);
	json_decref(rows);
	if (rc < 0)
		return rc;
	*out = tr_round_json(r, ra);
	json_object_set_new(*out, "totals", tr_counts_json(&totals));
	json_object_set_new(
	    *out, "deadline",
	    tr_round_deadline_json(r, r->status == FK_ROUND_PLANNED ? -1 : totals.missing));
	return 0;
}

/* Tells the streams of every scope the round touches that it changed (a hint to reload). */
static void publish(const char *kind, const struct fk_round *r, const struct tr_round_areas *ra)
{
	for (int i = 0; i < ra->n; i++)
		fk_events_publish(kind, ra->a[i].path,
				  json_pack("{s:o, s:s, s:s}", "round_id", fk_json_idv(r->id),
					    "name", r->name, "status",
					    fk_round_status_name(r->status)));
}

static int reply_round(struct fk_req *req, struct fk_resp *resp, int status, int64_t id,
		       const char *event, struct fk_err *err)
{
	struct tr_round_areas *ra = areas_new(req);
	struct fk_round r;
	json_t *o;
	int rc = fk_round_get(req->db, id, &r, err);

	if (rc == 0)
		rc = tr_round_areas(req->db, id, ra, err);
	if (rc == 0)
		publish(event, &r, ra);
	if (rc == 0)
		rc = round_reply(req, &r, ra, &o, err);
	if (rc == 0)
		fk_resp_json(resp, status, o);
	return rc;
}

/* ---- reads ---- */

int tr_api_round_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *status = fk_req_query(req, "status"), *before = fk_req_query(req, "before");
	int64_t limit, b = 0;
	json_t *items;
	int rc;

	if (status && !*status)
		status = NULL;
	if (status && strcmp(status, "planned") && strcmp(status, "sampling") &&
	    strcmp(status, "closed"))
		return fk_err_set(err, FK_EINVAL, "invalid_status", "status",
				  "status 须为 planned、sampling 或 closed",
				  "status must be planned, sampling or closed");
	if (before && *before && !fk_id_parse(before, &b))
		return fk_err_set(err, FK_EINVAL, "invalid_id", "before", "before 不是有效的编号",
				  "before is not a valid id");
	if (fk_req_query_int(req, "limit", 50, 1, 200, &limit, err) < 0)
		return FK_EINVAL;
	items = json_array();
	rc = tr_round_list(req->db, req->who, status, b, (int)limit, items, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int tr_api_round_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct tr_round_areas *ra = areas_new(req);
	struct fk_round r;
	json_t *o;
	int rc = path_round(req, &r, ra, err);

	if (rc == 0)
		rc = round_reply(req, &r, ra, &o, err);
	if (rc == 0)
		fk_resp_json(resp, 200, o);
	return rc;
}

int tr_api_round_plan(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct tr_round_areas *ra = areas_new(req);
	struct fk_round r;
	json_t *o;
	int rc = path_round(req, &r, ra, err);

	if (rc == 0)
		rc = tr_round_plan(req->db, req->who, &r, ra, &o, err);
	if (rc == 0)
		fk_resp_json(resp, 200, o);
	return rc;
}

/* ---- writes ---- */

static int body_input(struct fk_req *req, struct tr_round_input *in, struct fk_err *err)
{
	json_t *b = req->body, *ids = json_object_get(b, "area_ids"), *v;
	size_t i;
	int rc;

	memset(in, 0, sizeof(*in));
	in->name = fk_json_str(b, "name");
	if (in->name)
		in->name = fk_utf8_trim(fk_arena_strdup(req->arena, in->name));
	in->note = fk_json_str(b, "note");
	in->has_note = fk_json_has(b, "note");
	if (fk_json_has(b, "pool_size") && !json_is_null(json_object_get(b, "pool_size"))) {
		int64_t k = fk_json_int(b, "pool_size", 0);
		struct fk_policy_snap *pol = fk_policy_snap(req->db);
		rc = tr_round_check_pool(pol, k, err);
		fk_policy_snap_release(pol);
		if (rc < 0)
			return rc;
		in->pool_size = (int)k;
	}
	rc = tr_body_time(b, "starts_at", &in->starts_at, err);
	if (rc == 0)
		rc = tr_body_time(b, "deadline_at", &in->deadline_at, err);
	if (rc < 0 || !ids)
		return rc;
	in->nareas = (int)json_array_size(ids);
	in->area_ids = fk_arena_alloc(req->arena, sizeof(int64_t) * (in->nareas + 1));
	json_array_foreach(ids, i, v)
	{
		in->area_ids[i] = fk_json_id_value(v);
	}
	return 0;
}

/* action "round.open" -> event "round_opened" (created, updated, opened, closed). */
static int round_write(struct fk_req *req, struct fk_resp *resp, const char *action,
		       const char *event, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = action, .target_kind = "round"};
	struct tr_round_input in;
	struct fk_round r;
	int64_t id = 0;
	bool create = strcmp(action, "round.create") == 0;
	int rc = create ? 0 : fk_req_param_id(req, "id", &id, err);

	if (rc == 0 && req->body)
		rc = body_input(req, &in, err);
	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc == FK_ENOTFOUND ? fk_err_set(err, rc, "round_not_found", NULL,
						       "检测轮次不存在", "the round does not exist")
					  : rc;
	if (create)
		rc = tr_round_create(req->db, req->who, &in, &r, err);
	else if (strcmp(action, "round.update") == 0)
		rc = tr_round_update(req->db, req->who, id, &in, &r, err);
	else if (strcmp(action, "round.open") == 0)
		rc = tr_round_open(req->db, req->who, id, &r, err);
	else
		rc = tr_round_close(req->db, req->who, id, &r, err);
	e.target_id = rc == 0 ? r.id : id;
	if (rc == 0)
		e.detail = json_pack("{s:s, s:s}", "name", r.name, "status",
				     fk_round_status_name(r.status));
	rc = fk_audit_tx_end(req, rc, &e, err);
	return rc < 0 ? rc : reply_round(req, resp, create ? 201 : 200, r.id, event, err);
}

int tr_api_round_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return round_write(req, resp, "round.create", "round_created", err);
}

int tr_api_round_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return round_write(req, resp, "round.update", "round_updated", err);
}

int tr_api_round_open(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return round_write(req, resp, "round.open", "round_opened", err);
}

int tr_api_round_close(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return round_write(req, resp, "round.close", "round_closed", err);
}

/* ---- exemptions ---- */

int tr_api_exempt_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "testing.exemptions", .target_kind = "round"};
	struct tr_round_areas *ra = areas_new(req);
	struct fk_area area = {0};
	const char *as = fk_req_query(req, "area_id");
	struct fk_round r;
	int64_t area_id = 0, limit;
	json_t *items = json_array();
	int rc = path_round(req, &r, ra, err);

	if (rc == 0 && as && *as && !fk_id_parse(as, &area_id))
		rc = fk_err_set(err, FK_EINVAL, "invalid_id", "area_id", "area_id 不是有效的编号",
				"area_id is not a valid id");
	if (rc == 0 && area_id)
		rc = fk_area_get_in_scope(req->db, req->who, area_id, "area_id", &area, err);
	if (rc == 0 && fk_req_query_int(req, "limit", 500, 1, 5000, &limit, err) < 0)
		rc = FK_EINVAL;
	if (rc == 0)
		rc = tr_exempt_list(req->db, req->who, r.id, area_id ? &area : NULL, (int)limit,
				    items, err);
	fk_area_release(&area);
	if (rc == 0) {
		e.target_id = r.id;
		e.detail = json_pack("{s:o, s:I}", "area_id", fk_json_idv(area_id), "results",
				     (json_int_t)json_array_size(items));
		rc = fk_audit(req, &e, err);
	}
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

static int reason_text(struct fk_req *req, const char **out, struct fk_err *err)
{
	char *s = fk_utf8_trim(fk_arena_strdup(req->arena, fk_json_str(req->body, "reason")));
	size_t n = s ? fk_utf8_chars(s) : 0;

	*out = s;
	if (n == 0)
		return fk_err_set(err, FK_EINVAL, "missing_reason", "reason", "请填写豁免原因",
				  "an exemption needs a reason");
	if (n > TR_REASON_MAX)
		return fk_err_set(err, FK_EINVAL, "too_long", "reason", "原因过长（最多 %d 个字）",
				  "the reason is too long (at most %d characters)", TR_REASON_MAX);
	return 0;
}

int tr_api_exempt_add(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "round.exempt", .target_kind = "person"};
	int64_t round_id, person_id = fk_json_id(req->body, "person_id");
	const char *reason = NULL;
	bool created = false;
	int rc = fk_req_param_id(req, "id", &round_id, err);

	if (rc == 0)
		rc = reason_text(req, &reason, err);
	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = tr_exempt_add(req->db, req->who, round_id, person_id, reason, &created, err);
	e.target_id = person_id;
	e.detail = json_pack("{s:o, s:s}", "round_id", fk_json_idv(round_id), "reason", reason);
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc == 0)
		fk_testing_coverage_moved(round_id, NULL);
	if (rc == 0)
		fk_resp_json(resp, created ? 201 : 200,
			     json_pack("{s:o, s:o, s:s, s:b}", "round_id", fk_json_idv(round_id),
				       "person_id", fk_json_idv(person_id), "reason", reason,
				       "created", created));
	return rc;
}

int tr_api_exempt_remove(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "round.unexempt", .target_kind = "person"};
	int64_t round_id, person_id = 0;
	int rc = fk_req_param_id(req, "id", &round_id, err);

	if (rc == 0 && fk_req_param_id(req, "person_id", &person_id, err) < 0)
		rc = fk_err_set(err, FK_ENOTFOUND, "person_not_found", "person_id", "人员不存在",
				"the person does not exist");
	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = tr_exempt_remove(req->db, req->who, round_id, person_id, err);
	e.target_id = person_id;
	e.detail = json_pack("{s:o}", "round_id", fk_json_idv(round_id));
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc == 0)
		fk_testing_coverage_moved(round_id, NULL);
	if (rc == 0)
		resp->status = 204;
	return rc;
}
