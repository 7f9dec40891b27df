/* api_public: the public screening form — no login, no CSRF (no session to forge), the
 * campaign found by its link's secret token (an unknown token, an inactive campaign and one
 * past its last day all read as one 404). Posting is keyed (a phone on a poor network
 * retries) and throttled per client address (base/throttle.h), so that one address cannot
 * register a crowd. */
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "platform/keyed.h"
#include "screening/internal.h"

static int by_token(struct fk_req *req, struct sc_campaign *c, struct fk_err *err)
{
	return sc_campaign_by_token(req->db, fk_req_param(req, "token"), c, err);
}

int sc_api_public_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct sc_campaign *c = fk_arena_alloc(req->arena, sizeof(*c));
	json_t *out = NULL;
	int rc = by_token(req, c, err);

	if (rc == 0)
		rc = sc_campaign_public_json(req->db, c, &out, err);
	if (rc == 0)
		fk_resp_json(resp, 200, out);
	return rc;
}

struct pub_ctx {
	struct sc_campaign c;
	struct sc_registration r;
};

static int pub_parse(struct fk_req *req, void *ctx, struct fk_err *err)
{
	return sc_registration_parse(req->body, &((struct pub_ctx *)ctx)->r, err);
}

static int pub_prep(struct fk_req *req, void *ctx, struct fk_err *err)
{
	return by_token(req, &((struct pub_ctx *)ctx)->c, err);
}

static int pub_write(struct fk_req *req, void *ctx, int *status, json_t **reply, struct fk_err *err)
{
	struct pub_ctx *x = ctx;
	int rc = sc_registration_insert(req->db, NULL, &x->c, &x->r, err);

	if (rc == 0)
		rc =
		    fk_audit_json(req, "screening.self_register", "person", x->r.person_id,
				  json_pack("{s:s, s:s}", "campaign_id",
					    fk_arena_printf(req->arena, "%lld", (long long)x->c.id),
					    "matched", x->r.matched ? "existing" : "new"),
				  err);
	if (rc < 0)
		return rc;
	*status = 201;
	*reply = json_pack("{s:o, s:s}", "id", fk_json_idv(x->r.id), "status", "registered");
	return 0;
}

static const struct fk_keyed_op pub_op = {
    .name = "screening.self_register", .parse = pub_parse, .prep = pub_prep, .write = pub_write};

int sc_api_public_post(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct sc_state *st = fk_module_state(req->app, &fk_module_screening);
	struct pub_ctx *x = fk_arena_alloc(req->arena, sizeof(*x));
	int64_t now = fk_now_ms();

	if (st && !fk_throttle_take(&st->throttle, req->client_ip, now)) {
		int wait = fk_throttle_wait_s(&st->throttle, req->client_ip, now);

		fk_resp_header(resp, "Retry-After", fk_arena_printf(req->arena, "%d", wait));
		return fk_err_set(
		    err, FK_ELIMIT, "too_many_registrations", NULL, "登记过于频繁，请 %d 秒后再试",
		    "too many registrations from this address: try again in %d s", wait);
	}
	memset(x, 0, sizeof(*x));
	return fk_keyed(req, resp, &pub_op, x, err);
}
