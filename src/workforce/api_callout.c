/* api_callout: the HTTP handlers of /api/v1/callouts (create, list, read, change, QR code,
 * sign-ups) and /api/v1/signups/{id}/accept|decline|dispatch. Writes run in one transaction
 * with their audit row. */
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "tubes/tubes.h"
#include "workforce/internal.h"

const struct fk_field wf_body_callout_create[] = {
    {.name = "title", .type = FK_J_STRING, .required = true, .max_len = WF_NAME_MAX * 4},
    {.name = "area_id", .type = FK_J_ID, .required = true},
    {.name = "skills", .type = FK_J_STRINGS, .nullable = true, .max_len = WF_SKILLS_MAX},
    {.name = "wanted",
     .type = FK_J_INT,
     .required = true,
     .min = 1,
     .max = 100000,
     .range_key = "invalid_wanted"},
    {.name = "place_text", .type = FK_J_STRING, .nullable = true, .max_len = WF_TEXT_MAX * 4},
    {.name = "starts_at", .type = FK_J_STRING, .nullable = true, .max_len = 40},
    {.name = "ends_at", .type = FK_J_STRING, .nullable = true, .max_len = 40},
    {.name = "status", .type = FK_J_STRING, .nullable = true, .max_len = 8},
    FK_FIELDS_END,
};

const struct fk_field wf_body_callout_update[] = {
    {.name = "title", .type = FK_J_STRING, .max_len = WF_NAME_MAX * 4},
    {.name = "area_id", .type = FK_J_ID},
    {.name = "skills", .type = FK_J_STRINGS, .nullable = true, .max_len = WF_SKILLS_MAX},
    {.name = "wanted", .type = FK_J_INT, .min = 1, .max = 100000, .range_key = "invalid_wanted"},
    {.name = "place_text", .type = FK_J_STRING, .nullable = true, .max_len = WF_TEXT_MAX * 4},
    {.name = "starts_at", .type = FK_J_STRING, .nullable = true, .max_len = 40},
    {.name = "ends_at", .type = FK_J_STRING, .nullable = true, .max_len = 40},
    {.name = "status", .type = FK_J_STRING, .max_len = 8},
    FK_FIELDS_END,
};

const struct fk_field wf_body_dispatch[] = {
    {.name = "area_id", .type = FK_J_ID},
    FK_FIELDS_END,
};

static int body_time(json_t *b, const char *name, int64_t *out, struct fk_err *err)
{
	const char *s = fk_json_str(b, name);

	if (!fk_json_has(b, name))
		return 0;
	*out = 0;
	if (s && *s && fk_iso8601_parse(s, out) < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_time", name, "%s 须为 ISO 8601 时间",
				  "%s must be an ISO 8601 time", name);
	return 0;
}

static int body_callout(json_t *b, struct wf_callout *c, struct fk_err *err)
{
	int rc = body_time(b, "starts_at", &c->starts_at, err);

	if (rc == 0)
		rc = body_time(b, "ends_at", &c->ends_at, err);
	if (fk_json_has(b, "title"))
		fk_copy_text(c->title, sizeof(c->title), fk_json_str(b, "title"));
	if (fk_json_has(b, "place_text"))
		fk_copy_text(c->place_text, sizeof(c->place_text),
			     fk_json_str(b, "place_text") ? fk_json_str(b, "place_text") : "");
	if (fk_json_str(b, "status"))
		fk_copy_text(c->status, sizeof(c->status), fk_json_str(b, "status"));
	if (fk_json_has(b, "area_id"))
		c->area_id = fk_json_id(b, "area_id");
	if (fk_json_has(b, "wanted"))
		c->wanted = fk_json_int(b, "wanted", 0);
	if (rc == 0 && fk_json_has(b, "skills"))
		rc = wf_skills_text(json_object_get(b, "skills"), "skills", c->skills,
				    sizeof(c->skills), err);
	return rc;
}

static int reply_callout(struct fk_req *req, struct fk_resp *resp, int status,
			 const struct wf_callout *c, struct fk_err *err)
{
	json_t *o;
	int rc = wf_callout_json(req->db, c, false, &o, err);

	if (rc == 0)
		fk_resp_json(resp, status, o);
	return rc;
}

static int save(struct fk_req *req, struct wf_callout *c, bool create, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = create ? "callout.create" : "callout.update",
				   .target_kind = "callout"};
	int rc = body_callout(req->body, c, err);

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = wf_callout_save(req->db, req->who, c, create, err);
	e.target_id = c->id;
	e.detail = json_pack("{s:s, s:I, s:s}", "title", c->title, "wanted", (json_int_t)c->wanted,
			     "status", c->status);
	return fk_audit_tx_end(req, rc, &e, err);
}

int wf_api_callout_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct wf_callout *c = fk_arena_alloc(req->arena, sizeof(*c));
	int rc;

	*c = (struct wf_callout){.status = "open"};
	rc = save(req, c, true, err);
	return rc < 0 ? rc : reply_callout(req, resp, 201, c, err);
}

static int path_callout(struct fk_req *req, struct wf_callout *c, struct fk_err *err)
{
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	return rc < 0 ? rc : wf_callout_read(req->db, req->who, id, c, err);
}

int wf_api_callout_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct wf_callout *c = fk_arena_alloc(req->arena, sizeof(*c));
	int rc = path_callout(req, c, err);

	return rc < 0 ? rc : reply_callout(req, resp, 200, c, err);
}

int wf_api_callout_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct wf_callout *c = fk_arena_alloc(req->arena, sizeof(*c));
	int rc = path_callout(req, c, err);

	if (rc == 0)
		rc = save(req, c, false, err);
	return rc < 0 ? rc : reply_callout(req, resp, 200, c, err);
}

static int reply_items(struct fk_resp *resp, json_t *items, int rc)
{
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int wf_api_callout_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *under;
	int rc = fk_req_area_under(req, "area_id", &under, err);
	json_t *items;

	if (rc < 0)
		return rc;
	items = json_array();
	return reply_items(resp, items, wf_callout_list(req->db, req->who, under, items, err));
}

int wf_api_signup_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct wf_callout *c = fk_arena_alloc(req->arena, sizeof(*c));
	int rc = path_callout(req, c, err);
	json_t *items;

	if (rc < 0)
		return rc;
	items = json_array();
	return reply_items(resp, items, wf_signup_list(req->db, req->who, c, items, err));
}

int wf_api_callout_qr(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct wf_callout *c = fk_arena_alloc(req->arena, sizeof(*c));
	int rc = path_callout(req, c, err);

	if (rc < 0)
		return rc;
	return fk_qr_link_reply(req, resp, fk_arena_printf(req->arena, "/v/%s", c->token), err);
}

/* POST /api/v1/signups/{id}/accept | decline | dispatch: the action is the path's last word. */
int wf_api_signup_act(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *action = strrchr(req->route, '/') + 1;
	struct fk_audit_entry e = {.target_kind = "signup"};
	json_t *out = NULL;
	int64_t id, area_id = req->body ? fk_json_id(req->body, "area_id") : 0;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0 && strcmp(action, "dispatch") == 0 && area_id == 0)
		rc = fk_err_set(err, FK_EINVAL, "missing_field", "area_id", "请选择派往的区域",
				"area_id is required to dispatch");
	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = wf_signup_act(req->db, req->who, id, action, area_id, &out, err);
	e.action = fk_arena_printf(req->arena, "signup.%s", action);
	e.target_id = id;
	e.detail = json_pack("{s:o}", "area_id", fk_json_idv(area_id));
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc < 0) {
		json_decref(out);
		return rc;
	}
	fk_resp_json(resp, 200, out);
	return 0;
}
