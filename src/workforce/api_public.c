/* api_public: the public sign-up page of a call-out — no login, no CSRF (no session to
 * forge), the call-out found by its link's secret token (an unknown token is a 404). A
 * sign-up is keyed (a phone on a poor network retries) and throttled per client address
 * (base/throttle.h), so that one address cannot fill a call-out; it stops at the number
 * wanted (409 callout_full) and after the call-out closed (409 callout_closed). */
#include <string.h>
#include "base/clock.h"
#include "platform/keyed.h"
#include "workforce/internal.h"

const struct fk_field wf_body_signup[] = {
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = WF_NAME_MAX * 4},
    {.name = "phone", .type = FK_J_STRING, .required = true, .max_len = 32},
    {.name = "skills", .type = FK_J_STRINGS, .nullable = true, .max_len = WF_SKILLS_MAX},
    {.name = "note", .type = FK_J_STRING, .nullable = true, .max_len = WF_TEXT_MAX * 4},
    FK_KEYED_FIELD,
    FK_FIELDS_END,
};

int wf_api_public_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct wf_callout *c = fk_arena_alloc(req->arena, sizeof(*c));
	json_t *out = NULL;
	int rc = wf_callout_by_token(req->db, fk_req_param(req, "token"), c, err);

	if (rc == 0)
		rc = wf_callout_json(req->db, c, true, &out, err);
	if (rc == 0)
		fk_resp_json(resp, 200, out);
	return rc;
}

struct pub_ctx {
	struct wf_callout c;
	struct wf_signup_in in;
	int64_t id;
	bool again;
};

static int pub_parse(struct fk_req *req, void *ctx, struct fk_err *err)
{
	struct pub_ctx *x = ctx;
	char skills[96];

	x->in.name = fk_json_str(req->body, "name");
	x->in.phone = fk_json_str(req->body, "phone");
	x->in.note = fk_json_str(req->body, "note");
	x->in.skills = json_object_get(req->body, "skills");
	return wf_skills_text(x->in.skills, "skills", skills, sizeof(skills), err);
}

static int pub_prep(struct fk_req *req, void *ctx, struct fk_err *err)
{
	return wf_callout_by_token(req->db, fk_req_param(req, "token"), &((struct pub_ctx *)ctx)->c,
				   err);
}

static int pub_write(struct fk_req *req, void *ctx, int *status, json_t **reply, struct fk_err *err)
{
	struct pub_ctx *x = ctx;
	int rc = wf_signup(req->db, &x->c, &x->in, &x->id, &x->again, err);

	if (rc == 0)
		rc = fk_audit_json(
		    req, "callout.signup", "signup", x->id,
		    json_pack("{s:o, s:b}", "callout_id", fk_json_idv(x->c.id), "again", x->again),
		    err);
	if (rc < 0)
		return rc;
	*status = x->again ? 200 : 201;
	*reply = json_pack("{s:o, s:s}", "id", fk_json_idv(x->id), "status", "signed_up");
	return 0;
}

static const struct fk_keyed_op pub_op = {
    .name = "callout.signup", .parse = pub_parse, .prep = pub_prep, .write = pub_write};

int wf_api_public_post(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct wf_state *st = fk_module_state(req->app, &fk_module_workforce);
	struct pub_ctx *x = fk_arena_alloc(req->arena, sizeof(*x));
	int64_t now = fk_now_ms();

	if (st && !fk_throttle_take(&st->throttle, req->client_ip, now)) {
		int wait = fk_throttle_wait_s(&st->throttle, req->client_ip, now);

		fk_resp_header(resp, "Retry-After", fk_arena_printf(req->arena, "%d", wait));
		return fk_err_set(err, FK_ELIMIT, "too_many_signups", NULL,
				  "报名过于频繁，请 %d 秒后再试",
				  "too many sign-ups from this address: try again in %d s", wait);
	}
	memset(x, 0, sizeof(*x));
	return fk_keyed(req, resp, &pub_op, x, err);
}
