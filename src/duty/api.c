/* api: the duty module's handlers — making and removing a shift (audited writes), the roster
 * of a week and the on-duty-now board. */
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/json.h"
#include "duty/internal.h"

const struct fk_field du_body_shift[] = {
    {.name = "worker_id", .type = FK_J_ID, .required = true},
    {.name = "place_kind", .type = FK_J_STRING, .required = true, .max_len = 16},
    {.name = "place_id", .type = FK_J_ID, .required = true},
    {.name = "starts_at", .type = FK_J_STRING, .required = true, .max_len = 40},
    {.name = "ends_at", .type = FK_J_STRING, .required = true, .max_len = 40},
    {.name = "role", .type = FK_J_STRING, .nullable = true, .max_len = DU_ROLE_MAX * 4},
    FK_FIELDS_END,
};

static int body_time(json_t *b, const char *name, int64_t *out, struct fk_err *err)
{
	if (fk_iso8601_parse(fk_json_str(b, name), out) < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_time", name,
				  "%s 须为 ISO 8601 时间（如 2026-12-07T08:00:00+08:00）",
				  "%s must be an ISO 8601 time (e.g. 2026-12-07T08:00:00+08:00)",
				  name);
	return 0;
}

static int body_shift(json_t *b, struct du_shift_new *n, struct fk_err *err)
{
	int kind = du_kind_parse(fk_json_str(b, "place_kind"));
	int rc;

	if (kind < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_place_kind", "place_kind",
				  "地点类型须为 site、checkpoint 或 facility",
				  "place_kind must be site, checkpoint or facility");
	n->kind = (enum du_kind)kind;
	n->worker_id = fk_json_id(b, "worker_id");
	n->place_id = fk_json_id(b, "place_id");
	n->role = fk_json_str(b, "role");
	if (n->role && !*n->role)
		n->role = NULL;
	rc = body_time(b, "starts_at", &n->starts_at, err);
	return rc < 0 ? rc : body_time(b, "ends_at", &n->ends_at, err);
}

int du_api_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct du_shift_new n = {0};
	struct fk_audit_entry e = {.action = "shift.create", .target_kind = "shift"};
	json_t *o = NULL;
	int64_t id = 0;
	int rc = body_shift(req->body, &n, err);

	if (rc < 0)
		return rc;
	rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = du_shift_create(req->db, req->who, &n, &id, err);
	if (rc == 0)
		rc = du_shift_json(req->db, id, &o, err);
	e.target_id = id;
	e.detail = json_deep_copy(req->body);
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	fk_resp_json(resp, 201, o);
	return 0;
}

int du_api_delete(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "shift.delete", .target_kind = "shift"};
	int64_t id = 0;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = du_shift_delete(req->db, req->who, id, err);
	e.target_id = id;
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc < 0)
		return rc;
	fk_resp_json(resp, 200, json_pack("{s:o, s:b}", "id", fk_json_idv(id), "deleted", 1));
	return 0;
}

static int query_id(struct fk_req *req, const char *name, int64_t *out, struct fk_err *err)
{
	const char *v = fk_req_query(req, name);

	*out = 0;
	if (v && *v && !fk_id_parse(v, out))
		return fk_err_set(err, FK_EINVAL, "invalid_id", name, "%s 无效", "%s is not an id",
				  name);
	return 0;
}

static int roster_place(struct fk_req *req, struct du_roster_query *q, struct fk_err *err)
{
	const char *kind = fk_req_query(req, "place_kind");
	int rc = query_id(req, "place_id", &q->place_id, err);

	q->kind = -1;
	if (rc == 0 && kind && *kind && (q->kind = du_kind_parse(kind)) < 0)
		rc = fk_err_set(err, FK_EINVAL, "invalid_place_kind", "place_kind",
				"地点类型须为 site、checkpoint 或 facility",
				"place_kind must be site, checkpoint or facility");
	if (rc == 0 && q->place_id && q->kind < 0)
		rc = fk_err_set(err, FK_EINVAL, "missing_field", "place_kind",
				"按地点查询须同时给出 place_kind",
				"place_id needs place_kind beside it");
	return rc;
}

static int roster_query(struct fk_req *req, struct du_roster_query *q, struct fk_err *err)
{
	const char *week = fk_req_query(req, "week");
	const char *mine = fk_req_query(req, "mine");
	int rc = roster_place(req, q, err);

	if (rc == 0 && mine && *mine && strcmp(mine, "1") && strcmp(mine, "0"))
		rc = fk_err_set(err, FK_EINVAL, "invalid_query", "mine",
				"查询参数 mine 应为 1 或 0", "query parameter mine must be 1 or 0");
	if (rc == 0)
		rc = query_id(req, "worker_id", &q->worker_id, err);
	if (rc == 0 && week && *week)
		rc = du_week_range(week, "week", &q->from, &q->to, err);
	else if (rc == 0)
		du_week_of(fk_now_ms(), &q->from, &q->to);
	/* A volunteer sees only its own shifts. */
	if ((mine && strcmp(mine, "1") == 0) || req->who->role == FK_ROLE_VOLUNTEER)
		q->mine_user_id = req->who->user_id;
	else if (rc == 0)
		rc = fk_req_area_under(req, "area_id", &q->under, err);
	return rc;
}

int du_api_roster(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct du_roster_query q = {0};
	json_t *o = json_object();
	char from[32], to[32];
	int rc = roster_query(req, &q, err);

	if (rc == 0)
		rc = du_roster(req->db, req->who, &q, o, err);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	json_object_set_new(o, "from", json_string(fk_iso8601(q.from, from)));
	json_object_set_new(o, "to", json_string(fk_iso8601(q.to, to)));
	fk_resp_json(resp, 200, o);
	return 0;
}

int du_api_now(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *paths[FK_MAX_SCOPES];
	const char *under = NULL;
	int n = 0;
	json_t *o;
	int rc = fk_req_area_under(req, "area_id", &under, err);

	if (rc < 0)
		return rc;
	if (under)
		paths[n++] = under;
	for (int i = 0; !under && i < req->who->nscopes; i++)
		paths[n++] = req->who->scope_paths[i];
	rc = du_now(req->db, paths, n, fk_now_ms(), &o, err);
	if (rc < 0)
		return rc;
	fk_resp_json(resp, 200, o);
	return 0;
}
