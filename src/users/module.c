/* module: the users module's descriptor (routes, the lockout, session and login code
 * policies, the jobs that purge old sessions, lockout rows and login codes), its start hook
 * (libsodium, the login throttle) and the authenticate hook the router calls on every non-public
 * route, which takes who is calling from the principal cache or else from the store.
 *
 * It reads one table of a module above it in its own SQL: the people module's people, for a
 * resident account's person record (account.c) and for the accounts made in bulk for an
 * area's residents (residents.c: name, phone and area_path, walked in the order of the people
 * module's index people_area). It sends login codes through notify.h. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include "base/clock.h"
#include "base/log.h"
#include "platform/module.h"
#include "platform/jobs.h"
#include "users/internal.h"

#define PURGE_SESSIONS_EVERY_MS (10 * 60 * 1000)
#define PURGE_LOCKOUT_EVERY_MS	(60 * 60 * 1000)

static struct users_state state;
static pthread_once_t state_once = PTHREAD_ONCE_INIT;

static void state_init(void)
{
	fk_throttle_init(&state.throttle, USERS_THROTTLE_PER_MIN);
	fk_throttle_init(&state.code_throttle, USERS_CODE_ADDR_PER_MIN);
}

/* The server's state, or (the CLI, tests) the process's. */
struct users_state *users_state(struct fk_app *app)
{
	struct users_state *s = fk_module_state(app, &fk_module_users);

	if (s)
		return s;
	pthread_once(&state_once, state_init);
	return &state;
}

static int users_init(struct fk_app *app, void **mine, struct fk_err *err)
{
	if (sodium_init() < 0)
		return fk_err_set(err, FK_EINTERNAL, "crypto_unavailable", NULL, "加密库初始化失败",
				  "the crypto library failed to start");
	pthread_once(&state_once, state_init);
	if (app->login_rate > 0)
		state.throttle.per_min = app->login_rate;
	*mine = &state;
	app->authenticate = users_authenticate;
	/* Made now, not at the first login with an unknown name, which would take twice as long. */
	users_dummy_hash();
	return 0;
}

static int users_auth_failed(struct fk_err *err)
{
	return fk_err_set(err, FK_EAUTH, "unauthenticated", NULL, "请先登录", "please log in");
}

/* Reads the session and its account; a disabled account's session ends now. */
static int principal_from_store(struct fk_req *req, const char *hash, int64_t now,
				struct fk_principal *who, int64_t *expires_at, struct fk_err *err)
{
	struct users_session s;
	bool disabled = false;
	int rc = users_session_find(req->db, hash, now, &s, err);

	if (rc == 0)
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
	*expires_at = s.expires_at;
	if (now - s.last_seen_at >= USERS_TOUCH_MS &&
	    users_session_touch(req->db, s.id, now, NULL) < 0)
		fk_warn("event=session_touch_failed request_id=%s",
			req->request_id ? req->request_id : "-");
	return 0;
}

int users_authenticate(struct fk_req *req, struct fk_err *err)
{
	char hash[USERS_TOKEN_HEX];
	struct fk_principal *who;
	int64_t now = fk_now_ms(), expires_at = 0;
	uint64_t gen;
	int rc;

	if (!users_session_hash(fk_req_cookie(req, USERS_COOKIE), hash))
		return users_auth_failed(err);
	who = fk_arena_alloc(req->arena, sizeof *who);
	if (!users_cache_get(hash, now, who)) {
		gen = users_cache_generation();
		rc = principal_from_store(req, hash, now, who, &expires_at, err);
		if (rc < 0)
			return rc;
		users_cache_put(hash, who, expires_at, gen, now);
	}
	req->who = who;
	return 0;
}

extern const struct fk_migration fk_migrations_users[]; /* from schema/ */
/* Sessions end by themselves at expires_at; their rows go here, and at the user's next login. */
static int users_purge_sessions(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	int64_t n = 0;
	int rc;

	(void)app;
	rc = users_session_purge(db, fk_now_ms(), &n, err);
	if (rc == 0 && n > 0)
		fk_info("event=sessions_purged count=%lld", (long long)n);
	return rc;
}

/* Lockout rows of names nobody has tried for a window, nor logged in with for
 * USERS_KNOWN_SOURCE_MS: they would be read as zeros anyway. */
static int users_purge_lockout(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	int64_t n = 0;
	int rc;

	(void)app;
	rc = users_lockout_purge(db, fk_now_ms(), &n, err);
	if (rc == 0 && n > 0)
		fk_info("event=login_failures_purged count=%lld", (long long)n);
	return rc;
}

/* Codes of yesterday decide nothing any more (the hourly count looks back an hour). */
static int users_purge_codes(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	int64_t n = 0;
	int rc;

	(void)app;
	rc = users_code_purge(db, fk_now_ms(), &n, err);
	if (rc == 0 && n > 0)
		fk_info("event=login_codes_purged count=%lld", (long long)n);
	return rc;
}

static const struct fk_job users_jobs[] = {
    {.name = "users.purge_login_codes",
     .every_ms = PURGE_LOCKOUT_EVERY_MS,
     .run = users_purge_codes},
    {.name = "users.purge_sessions",
     .every_ms = PURGE_SESSIONS_EVERY_MS,
     .run = users_purge_sessions},
    {.name = "users.purge_login_failures",
     .every_ms = PURGE_LOCKOUT_EVERY_MS,
     .run = users_purge_lockout},
    FK_JOBS_END,
};

const struct fk_module fk_module_users = {
    .name = "users",
    .routes = users_routes,
    .migrations = fk_migrations_users,
    .jobs = users_jobs,
    .policies = users_policies,
    .init = users_init,
};
