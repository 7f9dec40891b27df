/* api: the donations module's handlers — a donation made, listed, read, changed, received
 * (each change audited with its write), and the public summary (no login, throttled per
 * client address). */
#include <string.h>
#include "audit/audit.h"
#include "base/clock.h"
#include "base/json.h"
#include "platform/module.h"
#include "donations/internal.h"

static int reply_one(struct fk_req *req, struct fk_resp *resp, int status, int64_t id,
		     struct fk_err *err)
{
	json_t *o = NULL;
	int rc = dn_get_json(req->db, req->who, id, &o, err);

	if (rc == 0)
		fk_resp_json(resp, status, o);
	return rc;
}

/* Ends the audited write of action on donation id and replies with it. */
static int audited_reply(struct fk_req *req, struct fk_resp *resp, int rc, const char *action,
			 int64_t id, int status, struct fk_err *err)
{
	rc = fk_audit_tx_end(
	    req, rc,
	    &(struct fk_audit_entry){.action = action, .target_kind = "donation", .target_id = id},
	    err);
	return rc < 0 ? rc : reply_one(req, resp, status, id, err);
}

int dn_api_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t id = 0;
	int rc = fk_audit_tx_begin(req, err);

	if (rc < 0)
		return rc;
	rc = dn_create(req, req->body, fk_now_ms(), &id, err);
	return audited_reply(req, resp, rc, "donation.create", id, 201, err);
}

static const char *query_choice(struct fk_req *req, const char *name, const char *a, const char *b,
				int *rc, struct fk_err *err)
{
	const char *v = fk_req_query(req, name);

	if (!v || !*v || *rc < 0)
		return NULL;
	if (strcmp(v, a) != 0 && strcmp(v, b) != 0)
		*rc = fk_err_set(err, FK_EINVAL, "invalid_value", name, "%s 须为 %s 或 %s",
				 "%s must be %s or %s", name, a, b);
	return v;
}

int dn_api_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *under = NULL;
	json_t *o = NULL;
	int rc = fk_req_area_under(req, "area_id", &under, err);
	const char *status = query_choice(req, "status", "pledged", "received", &rc, err);
	const char *kind = query_choice(req, "kind", "money", "goods", &rc, err);

	if (rc == 0)
		rc = dn_list(req->db, req->who, under, status, kind, &o, err);
	if (rc == 0)
		fk_resp_json(resp, 200, o);
	return rc;
}

int dn_api_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t id = 0;
	int rc = fk_req_param_id(req, "id", &id, err);

	return rc < 0 ? rc : reply_one(req, resp, 200, id, err);
}

int dn_api_patch(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t id = 0;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = dn_patch(req, id, req->body, err);
	return audited_reply(req, resp, rc, "donation.update", id, 200, err);
}

int dn_api_receive(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t id = 0;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = dn_receive(req, id, req->body, fk_now_ms(), err);
	return audited_reply(req, resp, rc, "donation.receive", id, 200, err);
}

int dn_api_public(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct dn_state *st = fk_module_state(req->app, &fk_module_donations);
	int64_t now = fk_now_ms();
	json_t *o = NULL;
	int rc;

	if (st && !fk_throttle_take(&st->throttle, req->client_ip, now)) {
		int wait = fk_throttle_wait_s(&st->throttle, req->client_ip, now);

		fk_resp_header(resp, "Retry-After", fk_arena_printf(req->arena, "%d", wait));
		return fk_err_set(err, FK_ELIMIT, "too_many_requests", NULL,
				  "请求过于频繁，请 %d 秒后再试",
				  "too many requests from this address: try again in %d s", wait);
	}
	rc = dn_public_summary(req->db, fk_req_param(req, "area_code"), &o, err);
	if (rc == 0)
		fk_resp_json(resp, 200, o);
	return rc;
}
