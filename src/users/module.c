/* module: the users module's descriptor, its start hook (libsodium, the login throttle, the
 * session lifetime) and the authenticate hook the router calls on every non-public route. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include "base/clock.h"
#include "base/log.h"
#include "users/internal.h"

static struct users_state state;
static pthread_once_t state_once = PTHREAD_ONCE_INIT;

/* FANGKONG_LOGIN_RATE: login attempts per client IP per minute (default 20). */
static int users_login_rate(void)
{
	const char *s = getenv("FANGKONG_LOGIN_RATE");
	char *end = NULL;
	long v;

	if (!s || !s[0])
		return USERS_THROTTLE_PER_MIN;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 1 || v > 1000000) {
		fk_warn("event=bad_setting name=FANGKONG_LOGIN_RATE value=\"%s\" using=%d", s,
			USERS_THROTTLE_PER_MIN);
		return USERS_THROTTLE_PER_MIN;
	}
	return (int)v;
}

static void state_init(void)
{
	users_throttle_init(&state.throttle, users_login_rate());
}

struct users_state *users_state(struct fk_app *app)
{
	if (app && app->users)
		return app->users;
	pthread_once(&state_once, state_init);
	return &state;
}

static int users_init(struct fk_app *app, struct fk_err *err)
{
	if (sodium_init() < 0)
		return fk_err_set(err, FK_EINTERNAL, "crypto_unavailable", NULL, "加密库初始化失败",
				  "the crypto library failed to start");
	pthread_once(&state_once, state_init);
	app->users = &state;
	app->authenticate = users_authenticate;
	if (app->session_ttl_ms <= 0)
		app->session_ttl_ms = USERS_SESSION_TTL_MS;
	/* Made now, not at the first login with an unknown name, which would take twice as long. */
	users_dummy_hash();
	return 0;
}

static int users_auth_failed(struct fk_err *err)
{
	return fk_err_set(err, FK_EAUTH, "unauthenticated", NULL, "请先登录", "please log in");
}

int users_authenticate(struct fk_req *req, struct fk_err *err)
{
	const char *token = fk_req_cookie(req, USERS_COOKIE);
	struct users_session s;
	struct fk_principal *who;
	bool disabled = false;
	int64_t now = fk_now_ms();
	int rc;

	if (!token || !token[0])
		return users_auth_failed(err);
	rc = users_session_find(req->db, token, now, &s, err);
	if (rc < 0)
		return rc;
	who = fk_arena_alloc(req->arena, sizeof *who);
	rc = users_principal_load(req->db, s.user_id, who, &disabled, err);
	if (rc < 0)
		return rc;
	if (disabled) {
		users_session_delete(req->db, s.id, NULL);
		return fk_err_set(err, FK_EAUTH, "disabled", NULL, "账号已停用",
				  "this account is disabled");
	}
	who->session_id = s.id;
	snprintf(who->csrf, sizeof who->csrf, "%s", s.csrf);
	if (now - s.last_seen_at >= USERS_TOUCH_MS &&
	    users_session_touch(req->db, s.id, now, NULL) < 0)
		fk_warn("event=session_touch_failed request_id=%s",
			req->request_id ? req->request_id : "-");
	req->who = who;
	return 0;
}

const struct fk_module fk_module_users = {
    .name = "users",
    .routes = users_routes,
    .init = users_init,
};
