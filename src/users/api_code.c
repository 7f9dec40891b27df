/* api_code: the two public routes of login by phone code. Their refusals carry one number
 * more than the usual error reply (retry_after for a throttle, tries_left for a wrong code),
 * so these handlers render their errors themselves, in the router's shape. */
#include <string.h>
#include "base/clock.h"
#include "users/internal.h"

const struct fk_field users_code_send_body[] = {
    {.name = "phone", .type = FK_J_STRING, .required = true, .max_len = 32},
    FK_FIELDS_END,
};

const struct fk_field users_code_verify_body[] = {
    {.name = "phone", .type = FK_J_STRING, .required = true, .max_len = 32},
    {.name = "code", .type = FK_J_STRING, .required = true, .max_len = 16},
    FK_FIELDS_END,
};

/* The router's error reply with one more member, error.<name> = value. Returns 0: the reply
 * is made. */
static int error_with(struct fk_req *req, struct fk_resp *resp, int rc, const struct fk_err *err,
		      const char *name, json_int_t value)
{
	const char *msg = req->lang && strcmp(req->lang, "en") == 0 ? err->en : err->zh;
	json_t *e =
	    json_pack("{s:s, s:s, s:s, s:s, s:o, s:n, s:I}", "code", err->key, "message", msg,
		      "message_zh", err->zh, "message_en", err->en, "field",
		      err->field[0] ? json_string(err->field) : json_null(), "line", name, value);

	fk_resp_json(resp, fk_http_status(rc), json_pack("{s:o}", "error", e));
	return 0;
}

static int addr_throttled(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t retry = (60 + USERS_CODE_ADDR_PER_MIN - 1) / USERS_CODE_ADDR_PER_MIN;
	int rc = fk_err_set(
	    err, FK_ELIMIT, "too_many_codes", NULL, "该地址获取验证码过于频繁，请 %lld 秒后再试",
	    "too many codes asked from this address: try again in %lld seconds", (long long)retry);

	fk_resp_header(resp, "Retry-After", fk_arena_printf(req->arena, "%lld", (long long)retry));
	return error_with(req, resp, rc, err, "retry_after", retry);
}

int users_api_code_send(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct users_code_sent sent = {0};
	char phone[24];
	int rc = users_code_phone(fk_json_str(req->body, "phone"), phone, err);

	if (rc < 0)
		return rc;
	if (!fk_throttle_take(&users_state(req->app)->code_throttle, req->client_ip, fk_now_ms()))
		return addr_throttled(req, resp, err);
	rc = users_code_send(req->db, phone, fk_now_ms(), &sent, err);
	if (rc == FK_ELIMIT) {
		fk_resp_header(resp, "Retry-After",
			       fk_arena_printf(req->arena, "%lld", (long long)sent.retry_after_s));
		return error_with(req, resp, rc, err, "retry_after", sent.retry_after_s);
	}
	if (rc < 0)
		return rc;
	fk_resp_header(resp, "Cache-Control", "no-store");
	fk_resp_json(resp, 202,
		     json_pack("{s:b, s:I, s:I}", "sent", 1, "resend_after",
			       (json_int_t)sent.resend_after_s, "expires_in",
			       (json_int_t)sent.expires_in_s));
	return 0;
}

static int code_check(const char *code, struct fk_err *err)
{
	size_t n = code ? strlen(code) : 0;

	for (size_t i = 0; i < n; i++)
		if (code[i] < '0' || code[i] > '9')
			n = 0;
	if (n != USERS_CODE_DIGITS)
		return fk_err_set(err, FK_EINVAL, "invalid_code", "code", "验证码为 6 位数字",
				  "the code is 6 digits");
	return 0;
}

static int verify_failed(struct fk_req *req, struct fk_resp *resp, int rc, int tries_left,
			 const char *phone, struct fk_err *err)
{
	users_auth_audit(req, "auth.code_failed", 0, phone, err->key);
	if (strcmp(err->key, "code_wrong") == 0)
		return error_with(req, resp, rc, err, "tries_left", tries_left);
	return rc;
}

int users_api_code_verify(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct users_login *lg = fk_arena_alloc(req->arena, sizeof *lg);
	struct users_code_try t = {.code = fk_json_str(req->body, "code")};
	char phone[24];
	int tries_left = 0;
	int rc = users_code_phone(fk_json_str(req->body, "phone"), phone, err);

	if (rc == 0)
		rc = code_check(t.code, err);
	if (rc == 0 &&
	    !fk_throttle_take(&users_state(req->app)->throttle, req->client_ip, fk_now_ms()))
		rc = fk_err_set(err, FK_ELIMIT, "throttled", NULL,
				"该地址登录尝试过于频繁，请稍后再试",
				"too many login attempts from this address; try again in a minute");
	if (rc < 0)
		return rc;
	memset(lg, 0, sizeof *lg);
	t.phone = phone;
	t.source = req->client_ip && req->client_ip[0] ? req->client_ip : "-";
	t.ttl_ms = fk_policy_ms(req->db, USERS_POLICY(SESSION_MINUTES), NULL);
	rc = users_code_verify(req->db, &t, lg, &tries_left, err);
	if (rc < 0)
		return verify_failed(req, resp, rc, tries_left, phone, err);
	req->who = &lg->who;
	users_auth_audit(req, "auth.code_login", lg->who.session_id, lg->who.username, "ok");
	rc = users_auth_reply(req, resp, &lg->who, err);
	if (rc == 0)
		users_set_cookie(req, resp, lg->token, (long long)(t.ttl_ms / 1000));
	return rc;
}
