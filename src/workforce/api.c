/* api: the HTTP handlers of /api/v1/workers (create, list, read, change, import). Writes run
 * in one transaction with their audit row. */
#include <stdint.h>
#include <string.h>
#include "base/buf.h"
#include "workforce/internal.h"

const struct fk_field wf_body_worker_create[] = {
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = WF_NAME_MAX * 4},
    {.name = "phone", .type = FK_J_STRING, .required = true, .max_len = 32},
    {.name = "kind", .type = FK_J_STRING, .required = true, .max_len = 16},
    {.name = "organisation", .type = FK_J_STRING, .nullable = true, .max_len = WF_NAME_MAX * 4},
    {.name = "skills", .type = FK_J_STRINGS, .nullable = true, .max_len = WF_SKILLS_MAX},
    {.name = "area_id", .type = FK_J_ID, .required = true},
    {.name = "user_id", .type = FK_J_ID, .nullable = true},
    {.name = "active", .type = FK_J_BOOL, .nullable = true},
    FK_FIELDS_END,
};

const struct fk_field wf_body_worker_update[] = {
    {.name = "name", .type = FK_J_STRING, .max_len = WF_NAME_MAX * 4},
    {.name = "phone", .type = FK_J_STRING, .max_len = 32},
    {.name = "kind", .type = FK_J_STRING, .max_len = 16},
    {.name = "organisation", .type = FK_J_STRING, .nullable = true, .max_len = WF_NAME_MAX * 4},
    {.name = "skills", .type = FK_J_STRINGS, .nullable = true, .max_len = WF_SKILLS_MAX},
    {.name = "area_id", .type = FK_J_ID},
    {.name = "user_id", .type = FK_J_ID, .nullable = true},
    {.name = "active", .type = FK_J_BOOL},
    FK_FIELDS_END,
};

static void copy_str(json_t *b, const char *name, char *dst, size_t size)
{
	if (fk_json_has(b, name))
		fk_copy_text(dst, size, fk_json_str(b, name) ? fk_json_str(b, name) : "");
}

static int body_worker(json_t *b, struct wf_worker *w, struct fk_err *err)
{
	copy_str(b, "name", w->name, sizeof(w->name));
	copy_str(b, "phone", w->phone, sizeof(w->phone));
	copy_str(b, "kind", w->kind, sizeof(w->kind));
	copy_str(b, "organisation", w->organisation, sizeof(w->organisation));
	if (fk_json_has(b, "area_id"))
		w->area_id = fk_json_id(b, "area_id");
	if (fk_json_has(b, "user_id"))
		w->user_id = fk_json_id(b, "user_id");
	if (json_is_boolean(json_object_get(b, "active")))
		w->active = json_is_true(json_object_get(b, "active"));
	if (fk_json_has(b, "skills"))
		return wf_skills_text(json_object_get(b, "skills"), "skills", w->skills,
				      sizeof(w->skills), err);
	return 0;
}

static int reply_worker(struct fk_req *req, struct fk_resp *resp, int status,
			const struct wf_worker *w, struct fk_err *err)
{
	json_t *o;
	int rc = wf_worker_json(req->db, req->who, w, &o, err);

	if (rc == 0)
		fk_resp_json(resp, status, o);
	return rc;
}

static int audit_end(struct fk_req *req, int rc, const char *action, const struct wf_worker *w,
		     struct fk_err *err)
{
	struct fk_audit_entry e = {.action = action, .target_kind = "worker", .target_id = w->id};

	e.detail = json_pack("{s:s, s:s}", "name", w->name, "kind", w->kind);
	return fk_audit_tx_end(req, rc, &e, err);
}

static int save(struct fk_req *req, struct wf_worker *w, bool create, struct fk_err *err)
{
	int rc = body_worker(req->body, w, err);

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = wf_worker_save(req->db, req->who, w, create, err);
	return audit_end(req, rc, create ? "worker.create" : "worker.update", w, err);
}

int wf_api_worker_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct wf_worker *w = fk_arena_alloc(req->arena, sizeof(*w));
	int rc;

	*w = (struct wf_worker){.active = true};
	rc = save(req, w, true, err);
	return rc < 0 ? rc : reply_worker(req, resp, 201, w, err);
}

static int path_worker(struct fk_req *req, struct wf_worker *w, struct fk_err *err)
{
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	return rc < 0 ? rc : wf_worker_read(req->db, req->who, id, "id", w, err);
}

int wf_api_worker_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct wf_worker *w = fk_arena_alloc(req->arena, sizeof(*w));
	int rc = path_worker(req, w, err);

	return rc < 0 ? rc : reply_worker(req, resp, 200, w, err);
}

int wf_api_worker_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct wf_worker *w = fk_arena_alloc(req->arena, sizeof(*w));
	int rc = path_worker(req, w, err);

	if (rc == 0)
		rc = save(req, w, false, err);
	return rc < 0 ? rc : reply_worker(req, resp, 200, w, err);
}

/* ?kind= and ?skill= of the worker list, in English or Chinese; "" when absent. */
static int list_filters(struct fk_req *req, const char **kind, const char **skill,
			struct fk_err *err)
{
	const char *k = fk_req_query(req, "kind"), *sk = fk_req_query(req, "skill");
	char one[96];

	*kind = k && *k ? wf_zh_name(k) : "";
	*skill = "";
	if (**kind && !wf_kind_valid(*kind))
		return fk_err_set(err, FK_EINVAL, "invalid_kind", "kind",
				  "kind 应为 staff、party_member、cadre 或 volunteer",
				  "kind must be staff, party_member, cadre or volunteer");
	if (!sk || !*sk)
		return 0;
	if (wf_skills_cell(sk, "skill", one, sizeof(one), err) < 0 || strchr(one, ','))
		return fk_err_set(
		    err, FK_EINVAL, "invalid_skill", "skill",
		    "skill 应为一项技能：driver、medical、interpreter、sampler、logistics "
		    "或 other",
		    "skill must be one skill: driver, medical, interpreter, sampler, "
		    "logistics or other");
	*skill = fk_arena_strdup(req->arena, one);
	return 0;
}

int wf_api_worker_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *under, *kind = "", *skill = "";
	bool truncated = false;
	json_t *items;
	int rc = fk_req_area_under(req, "area_id", &under, err);

	if (rc == 0)
		rc = list_filters(req, &kind, &skill, err);
	if (rc < 0)
		return rc;
	items = json_array();
	rc = wf_worker_list(req->db, req->who, under, kind, skill, items, &truncated, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o, s:b}", "items", items, "truncated", truncated));
	return 0;
}

/* ---- import ---- */

static bool is_json(struct fk_req *req)
{
	const char *ct = fk_req_header(req, "Content-Type");

	return ct && strncmp(ct, "application/json", 16) == 0;
}

/* The body's rows when it is JSON ({rows:[{header: value}]}), in *body (the caller frees). */
static int import_body(struct fk_req *req, json_t **body, struct fk_err *err)
{
	static const struct fk_field spec[] = {
	    {.name = "rows", .type = FK_J_ARRAY, .required = true, .max_len = 20000},
	    FK_FIELDS_END,
	};
	int rc;

	*body = NULL;
	if (!is_json(req))
		return 0;
	rc = fk_json_parse_object(req->raw_body, req->raw_len, body, err);
	return rc < 0 ? rc : fk_json_check(*body, spec, err);
}

/* ?area_id: the area of rows without an area_code, in the caller's scope. */
static int import_area(struct fk_req *req, int64_t *area_id, struct fk_err *err)
{
	struct fk_area a = {0};
	int64_t id = 0;
	int rc = fk_req_query_int(req, "area_id", 0, 0, INT64_MAX, &id, err);

	*area_id = 0;
	if (rc < 0 || id == 0)
		return rc;
	rc = fk_area_get_in_scope(req->db, req->who, id, "area_id", &a, err);
	fk_area_release(&a);
	*area_id = id;
	return rc;
}

static int import_reply(struct fk_req *req, struct fk_resp *resp, int rc, json_t *out,
			struct fk_err *err)
{
	if (rc == FK_EUNPROC && out) { /* the bad rows, with the usual error beside them */
		fk_resp_error_with(req, resp, rc, err, out);
		return 0;
	}
	if (rc < 0) {
		json_decref(out);
		return rc;
	}
	fk_resp_json(resp, 200, out);
	return 0;
}

int wf_api_worker_import(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	json_t *body = NULL, *out = NULL;
	int64_t area_id = 0;
	int rc = import_body(req, &body, err);

	if (rc == 0)
		rc = import_area(req, &area_id, err);
	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0) {
		json_decref(body);
		return rc;
	}
	rc = wf_import(req->db, req->who, req->raw_body ? req->raw_body : "", req->raw_len,
		       json_object_get(body, "rows"), area_id, &out, err);
	json_decref(body);
	rc = fk_audit_tx_end(
	    req, rc,
	    &(struct fk_audit_entry){
		.action = "worker.import",
		.target_kind = "import",
		.detail = json_pack("{s:I, s:I}", "created",
				    json_integer_value(json_object_get(out, "created")), "updated",
				    json_integer_value(json_object_get(out, "updated")))},
	    err);
	return import_reply(req, resp, rc, out, err);
}
