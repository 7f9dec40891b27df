/* api: the staff handlers of /api/v1/screening — campaigns (create, list, read, change, the QR
 * code of the public link), a worker's registration (keyed: a phone may retry it), a
 * campaign's registrations, and a key person's plan. Writes run in one transaction with their
 * audit row. */
#include <stdio.h>
#include <string.h>
#include "base/buf.h"
#include "base/id.h"
#include "platform/keyed.h"
#include "tubes/tubes.h"
#include "screening/internal.h"

const struct fk_field sc_body_campaign_create[] = {
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = SC_NAME_MAX * 4},
    {.name = "area_id", .type = FK_J_ID, .required = true},
    {.name = "criteria", .type = FK_J_STRING, .required = true, .max_len = SC_TEXT_MAX * 4},
    {.name = "from_day", .type = FK_J_STRING, .required = true, .max_len = 10},
    {.name = "until_day", .type = FK_J_STRING, .nullable = true, .max_len = 10},
    {.name = "active", .type = FK_J_BOOL, .nullable = true},
    FK_FIELDS_END,
};

const struct fk_field sc_body_campaign_patch[] = {
    {.name = "name", .type = FK_J_STRING, .max_len = SC_NAME_MAX * 4},
    {.name = "area_id", .type = FK_J_ID},
    {.name = "criteria", .type = FK_J_STRING, .max_len = SC_TEXT_MAX * 4},
    {.name = "from_day", .type = FK_J_STRING, .max_len = 10},
    {.name = "until_day", .type = FK_J_STRING, .nullable = true, .max_len = 10},
    {.name = "active", .type = FK_J_BOOL},
    FK_FIELDS_END,
};

static int audit_end(struct fk_req *req, int rc, const char *action, const char *kind, int64_t id,
		     json_t *detail, struct fk_err *err)
{
	struct fk_audit_entry e = {
	    .action = action, .target_kind = kind, .target_id = id, .detail = detail};

	return fk_audit_tx_end(req, rc, &e, err);
}

/* ---- campaigns ---- */

int sc_api_campaign_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct sc_campaign *c = fk_arena_alloc(req->arena, sizeof(*c));
	int rc;

	memset(c, 0, sizeof(*c));
	c->active = true;
	sc_campaign_from_body(req->body, c);
	if ((rc = fk_audit_tx_begin(req, err)) < 0)
		return rc;
	rc = sc_campaign_save(req->db, req->who, c, true, err);
	rc = audit_end(req, rc, "screening.campaign_create", "campaign", c->id,
		       json_pack("{s:s}", "name", c->name), err);
	if (rc == 0)
		fk_resp_json(resp, 201, sc_campaign_json(c));
	return rc;
}

int sc_api_campaign_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	json_t *items = json_array();
	int rc = sc_campaign_list(req->db, req->who, items, err);

	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

static int path_campaign(struct fk_req *req, struct sc_campaign *c, struct fk_err *err)
{
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	return rc < 0 ? rc : sc_campaign_get(req->db, req->who, id, c, err);
}

int sc_api_campaign_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct sc_campaign *c = fk_arena_alloc(req->arena, sizeof(*c));
	int rc = path_campaign(req, c, err);

	if (rc == 0)
		fk_resp_json(resp, 200, sc_campaign_json(c));
	return rc;
}

int sc_api_campaign_patch(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct sc_campaign *c = fk_arena_alloc(req->arena, sizeof(*c));
	int rc = fk_audit_tx_begin(req, err);

	if (rc < 0)
		return rc;
	rc = path_campaign(req, c, err);
	if (rc == 0 && !fk_scope_covers(req->who, c->area_path)) /* seen, not one's own */
		rc = fk_err_set(err, FK_ENOTFOUND, "campaign_not_found", NULL, "没有该排查登记活动",
				"there is no such screening campaign");
	if (rc == 0) {
		sc_campaign_from_body(req->body, c);
		rc = sc_campaign_save(req->db, req->who, c, false, err);
	}
	rc = audit_end(req, rc, "screening.campaign_update", "campaign", c->id,
		       json_pack("{s:s, s:b}", "name", c->name, "active", c->active), err);
	if (rc == 0)
		fk_resp_json(resp, 200, sc_campaign_json(c));
	return rc;
}

int sc_api_campaign_qr(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct sc_campaign *c = fk_arena_alloc(req->arena, sizeof(*c));
	int rc = path_campaign(req, c, err);

	if (rc < 0)
		return rc;
	return fk_qr_link_reply(req, resp, fk_arena_printf(req->arena, "/s/%s", c->token), err);
}

/* ---- a worker's registration ---- */

struct reg_ctx {
	struct sc_campaign c;
	struct sc_registration r;
};

static int reg_parse(struct fk_req *req, void *ctx, struct fk_err *err)
{
	return sc_registration_parse(req->body, &((struct reg_ctx *)ctx)->r, err);
}

static int reg_prep(struct fk_req *req, void *ctx, struct fk_err *err)
{
	return path_campaign(req, &((struct reg_ctx *)ctx)->c, err);
}

static int reg_write(struct fk_req *req, void *ctx, int *status, json_t **reply, struct fk_err *err)
{
	struct reg_ctx *x = ctx;
	int rc = sc_registration_insert(req->db, req->who, &x->c, &x->r, err);

	if (rc == 0)
		rc =
		    fk_audit_json(req, "screening.register", "person", x->r.person_id,
				  json_pack("{s:s, s:s}", "campaign_id",
					    fk_arena_printf(req->arena, "%lld", (long long)x->c.id),
					    "matched", x->r.matched ? "existing" : "new"),
				  err);
	if (rc == 0)
		rc = sc_registration_one(req->db, req->who, x->r.id, reply, err);
	*status = 201;
	return rc;
}

static const struct fk_keyed_op reg_op = {
    .name = "screening.register", .parse = reg_parse, .prep = reg_prep, .write = reg_write};

int sc_api_register(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct reg_ctx *x = fk_arena_alloc(req->arena, sizeof(*x));

	memset(x, 0, sizeof(*x));
	return fk_keyed(req, resp, &reg_op, x, err);
}

int sc_api_registrations(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct sc_campaign *c = fk_arena_alloc(req->arena, sizeof(*c));
	const char *key = fk_req_query(req, "key");
	struct sc_reg_query q = {.key_only = key && strcmp(key, "1") == 0};
	json_t *items = json_array();
	int rc = path_campaign(req, c, err);

	if (rc == 0)
		rc = fk_req_area_under(req, "area_id", &q.under, err);
	q.campaign_id = c->id;
	if (rc == 0)
		rc = sc_registration_list(req->db, req->who, &q, items, err);
	if (rc == 0) /* names of people: audited, as every list of them */
		rc = fk_audit_json(req, "screening.registrations", "campaign", c->id,
				   json_pack("{s:I}", "count", (json_int_t)json_array_size(items)),
				   err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

/* ---- a key person's plan ---- */

int sc_api_plan(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct sc_registration *r = fk_arena_alloc(req->arena, sizeof(*r));
	json_t *out = NULL, *days;
	int64_t id = 0;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = sc_registration_get(req->db, req->who, id, r, err);
	if (rc == 0)
		rc = sc_plan_set(req->db, req->who, r, req->body, err);
	if (rc == 0)
		rc = sc_registration_one(req->db, req->who, id, &out, err);
	days = out ? json_object_get(json_object_get(out, "plan"), "call_days") : NULL;
	rc = audit_end(req, rc, "screening.plan", "person", r->person_id,
		       json_pack("{s:O}", "call_days", days ? days : json_null()), err);
	if (rc < 0) {
		json_decref(out);
		return rc;
	}
	fk_resp_json(resp, 200, out);
	return 0;
}
