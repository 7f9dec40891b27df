/* api_team: the HTTP handlers of /api/v1/teams (create, list, read, change) and
 * /api/v1/batches (record a dispatch batch, list). Writes run in one transaction with their
 * audit row. */
#include "workforce/internal.h"

#define MEMBERS_MAX 500

const struct fk_field wf_body_team_create[] = {
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = WF_NAME_MAX * 4},
    {.name = "kind", .type = FK_J_STRING, .required = true, .max_len = 16},
    {.name = "area_id", .type = FK_J_ID, .required = true},
    {.name = "leader_id", .type = FK_J_ID, .nullable = true},
    {.name = "member_ids", .type = FK_J_IDS, .max_len = MEMBERS_MAX},
    FK_FIELDS_END,
};

const struct fk_field wf_body_team_update[] = {
    {.name = "name", .type = FK_J_STRING, .max_len = WF_NAME_MAX * 4},
    {.name = "kind", .type = FK_J_STRING, .max_len = 16},
    {.name = "area_id", .type = FK_J_ID},
    {.name = "leader_id", .type = FK_J_ID, .nullable = true},
    {.name = "member_ids", .type = FK_J_IDS, .max_len = MEMBERS_MAX},
    FK_FIELDS_END,
};

const struct fk_field wf_body_batch[] = {
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = WF_NAME_MAX * 4},
    {.name = "organisation", .type = FK_J_STRING, .nullable = true, .max_len = WF_NAME_MAX * 4},
    {.name = "area_id", .type = FK_J_ID, .required = true},
    {.name = "day", .type = FK_J_STRING, .required = true, .max_len = 16},
    {.name = "worker_ids", .type = FK_J_IDS, .required = true, .max_len = MEMBERS_MAX},
    FK_FIELDS_END,
};

/* Runs a write and its audit row in one transaction; replies status with out. */
static int audited(struct fk_req *req, struct fk_resp *resp, int rc, const char *action,
		   const char *kind, json_t *out, int status, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = action, .target_kind = kind};

	if (out) {
		e.target_id = fk_json_id_value(json_object_get(out, "id"));
		e.detail = json_pack("{s:O}", "name", json_object_get(out, "name"));
	}
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc < 0) {
		json_decref(out);
		return rc;
	}
	fk_resp_json(resp, status, out);
	return 0;
}

static int team_save(struct fk_req *req, struct fk_resp *resp, int64_t id, struct fk_err *err)
{
	json_t *out = NULL;
	int rc = fk_audit_tx_begin(req, err);

	if (rc < 0)
		return rc;
	rc = wf_team_save(req->db, req->who, id, req->body, &out, err);
	return audited(req, resp, rc, id ? "team.update" : "team.create", "team", out,
		       id ? 200 : 201, err);
}

int wf_api_team_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return team_save(req, resp, 0, err);
}

int wf_api_team_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	return rc < 0 ? rc : team_save(req, resp, id, err);
}

int wf_api_team_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	json_t *out = NULL;
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = wf_team_json(req->db, req->who, id, &out, err);
	if (rc == 0)
		fk_resp_json(resp, 200, out);
	return rc;
}

static int list(struct fk_req *req, struct fk_resp *resp,
		int (*fn)(struct fk_db *, const struct fk_principal *, const char *, json_t *,
			  struct fk_err *),
		struct fk_err *err)
{
	const char *under;
	json_t *items;
	int rc = fk_req_area_under(req, "area_id", &under, err);

	if (rc < 0)
		return rc;
	items = json_array();
	rc = fn(req->db, req->who, under, items, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int wf_api_team_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return list(req, resp, wf_team_list, err);
}

int wf_api_batch_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return list(req, resp, wf_batch_list, err);
}

int wf_api_batch_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	json_t *out = NULL;
	int rc = fk_audit_tx_begin(req, err);

	if (rc < 0)
		return rc;
	rc = wf_batch_create(req->db, req->who, req->body, &out, err);
	return audited(req, resp, rc, "batch.create", "batch", out, 201, err);
}
