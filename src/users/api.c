/* api: the auth endpoints (login, logout, me) and the users module's route table. The
 * session cookie is HttpOnly and SameSite=Strict; Secure is added when the request came over
 * HTTPS: to the server's own TLS, or through a trusted proxy that says so (--trusted-proxies). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/audit.h"
#include "base/clock.h"
#include "base/log.h"
#include "users/internal.h"

static const struct fk_field login_body[] = {
    {.name = "username", .type = FK_J_STRING, .required = true, .max_len = 128},
    {.name = "password", .type = FK_J_STRING, .required = true, .max_len = USERS_PASSWORD_MAX},
    FK_FIELDS_END,
};

/* The scheme the router decided (http/proxy.h): TLS, or a trusted proxy that says https. */
static bool request_is_https(struct fk_req *req)
{
	return req->scheme && strcmp(req->scheme, "https") == 0;
}

void users_set_cookie(struct fk_req *req, struct fk_resp *resp, const char *token,
		      long long max_age_s)
{
	fk_resp_header(resp, "Set-Cookie",
		       fk_arena_printf(req->arena,
				       USERS_COOKIE "=%s; HttpOnly; SameSite=Strict; Path=/; "
						    "Max-Age=%lld%s",
				       token, max_age_s, request_is_https(req) ? "; Secure" : ""));
	fk_resp_header(resp, "Cache-Control", "no-store");
}

/* {user:{...}, csrf_token}: the answer of login and of me. */
int users_auth_reply(struct fk_req *req, struct fk_resp *resp, const struct fk_principal *who,
		     struct fk_err *err)
{
	json_t *user = users_render_principal(req->db, who, err);

	if (!user)
		return err && err->code ? err->code : FK_EINTERNAL;
	fk_resp_json(resp, 200, json_pack("{s:o, s:s}", "user", user, "csrf_token", who->csrf));
	return 0;
}

/* Audit rows for logins are best effort: a failing audit write must not turn a wrong password
 * into a 500, nor hide why the login failed. Their target is the session (the account is in
 * the row's user columns), so an account's own history holds only changes to it. */
void users_auth_audit(struct fk_req *req, const char *action, int64_t session_id,
		      const char *username, const char *reason)
{
	struct fk_err aerr = {0};
	json_t *d = json_pack("{s:s%, s:s}", "username", username ? username : "",
			      username ? strnlen(username, 64) : 0, "result", reason);

	if (fk_audit_json(req, action, "session", session_id, d, &aerr) < 0)
		fk_warn("event=audit_failed action=%s request_id=%s msg=\"%s\"", action,
			req->request_id ? req->request_id : "-", aerr.en);
}

/* A name, fit for a log line's quoted value: what is not printable ASCII, and the quote and
 * backslash, become '?' (a name is any text the login form was sent). */
static const char *log_safe(struct fk_req *req, const char *s)
{
	char *out = fk_arena_printf(req->arena, "%s", s);

	for (char *p = out; *p; p++)
		if (*p < 0x20 || *p > 0x7e || *p == '"' || *p == '\\')
			*p = '?';
	return out;
}

/* A lock this attempt set: a warning line and an audit entry whose target is the name (an
 * unknown name is locked too, so there may be no account to name). Best effort, like the
 * login's other audit rows. */
static void auth_note_lock(struct fk_req *req, const struct users_login *lg)
{
	struct fk_err aerr = {0};
	char until[32];
	const char *by = lg->lock.by_name ? "name" : "source";
	const char *source = req->client_ip && req->client_ip[0] ? req->client_ip : "-";
	json_t *d;

	fk_iso8601(lg->lock.until, until);
	fk_warn("event=login_locked username=\"%s\" source=%s by=%s until=%s request_id=%s",
		log_safe(req, lg->name), source, by, until,
		req->request_id ? req->request_id : "-");
	d = json_pack("{s:s, s:s, s:s, s:s}", "username", lg->name, "source", source, "by", by,
		      "until", until);
	if (fk_audit_json(req, "users.login_locked", "username", 0, d, &aerr) < 0)
		fk_warn("event=audit_failed action=users.login_locked request_id=%s msg=\"%s\"",
			req->request_id ? req->request_id : "-", aerr.en);
}

static int auth_login(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct users_login *lg = fk_arena_alloc(req->arena, sizeof *lg);
	const char *username = fk_json_str(req->body, "username");
	const char *password = fk_json_str(req->body, "password");
	int64_t ttl = fk_policy_ms(req->db, USERS_POLICY(SESSION_MINUTES), NULL);
	int rc;

	rc = users_login(&users_state(req->app)->throttle, req->db, username, password,
			 req->client_ip, ttl, lg, err);
	if (rc == FK_EBUSY)
		fk_resp_header(resp, "Retry-After", "1");
	if (rc < 0) {
		if ((rc != FK_ELIMIT && rc != FK_EBUSY) || strcmp(err->key, "locked") == 0)
			users_auth_audit(req, "auth.login_failed", 0, username, err->key);
		if (lg->lock.until > 0)
			auth_note_lock(req, lg);
		return rc;
	}
	req->who = &lg->who;
	users_auth_audit(req, "auth.login", lg->who.session_id, lg->who.username, "ok");
	rc = users_auth_reply(req, resp, &lg->who, err);
	if (rc == 0)
		users_set_cookie(req, resp, lg->token, (long long)(ttl / 1000));
	return rc;
}

static int auth_logout(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int rc = users_session_delete(req->db, req->who->session_id, err);

	if (rc < 0)
		return rc;
	users_auth_audit(req, "auth.logout", req->who->session_id, req->who->username, "ok");
	users_set_cookie(req, resp, "", 0);
	fk_resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
	return 0;
}

static int auth_me(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int rc = users_auth_reply(req, resp, req->who, err);

	if (rc == 0)
		fk_resp_header(resp, "Cache-Control", "no-store");
	return rc;
}

const struct fk_route users_routes[] = {
    {.method = "POST",
     .path = "/api/v1/auth/login",
     .fn = auth_login,
     .flags = FK_RF_NO_CSRF,
     .body = login_body,
     .max_body = 8192,
     .summary =
	 "Log in with username and password: sets the session cookie, returns the user and the "
	 "CSRF token"},
    {.method = "POST",
     .path = "/api/v1/auth/code",
     .fn = users_api_code_send,
     .flags = FK_RF_NO_CSRF,
     .body = users_code_send_body,
     .max_body = 1024,
     .summary = "Ask for a one-time login code for a resident's phone number (the same reply "
		"whether an account has it or not; throttled per number and address)"},
    {.method = "POST",
     .path = "/api/v1/auth/code/verify",
     .fn = users_api_code_verify,
     .flags = FK_RF_NO_CSRF,
     .body = users_code_verify_body,
     .max_body = 1024,
     .summary = "Sign in with a phone number and its one-time code: sets the session cookie, "
		"returns the user and the CSRF token, as the password login does"},
    {.method = "POST",
     .path = "/api/v1/auth/logout",
     .fn = auth_logout,
     .roles = FK_ROLES_ALL,
     .summary = "Log out: ends the session and expires its cookie"},
    {.method = "GET",
     .path = "/api/v1/auth/me",
     .fn = auth_me,
     .roles = FK_ROLES_ALL,
     .summary = "The logged-in user with scopes, and the session's CSRF token"},
    {.method = "GET",
     .path = "/api/v1/users",
     .fn = users_api_list,
     .roles = FK_R(ADMIN),
     .summary = "Staff accounts within the admin's scope, or with role=resident the first 1,000 "
		"residents' accounts (filters role, q)"},
    {.method = "POST",
     .path = "/api/v1/users",
     .fn = users_api_create,
     .roles = FK_R(ADMIN),
     .body = users_create_body,
     .summary = "Create an account: role over areas inside the admin's scope"},
    {.method = "GET",
     .path = "/api/v1/users/{id}",
     .fn = users_api_get,
     .roles = FK_R(ADMIN),
     .summary = "One account"},
    {.method = "PATCH",
     .path = "/api/v1/users/{id}",
     .fn = users_api_update,
     .roles = FK_R(ADMIN),
     .body = users_update_body,
     .summary = "Change an account: display name, role, areas, disabled, password"},
    {.method = "POST",
     .path = "/api/v1/users/residents",
     .fn = users_api_residents,
     .roles = FK_R(ADMIN),
     .body = users_residents_body,
     .summary = "A passwordless resident account for every registered resident with a phone "
		"under an area (idempotent): counts created, existing, no_phone, shared_phone"},
    {.method = "POST",
     .path = "/api/v1/users/{id}/unlock",
     .fn = users_api_unlock,
     .roles = FK_R(ADMIN),
     .summary = "Lift every login lock on an account's name, from every address"},
    FK_ROUTES_END,
};
