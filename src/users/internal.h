/* users internals: what the files of the users module share and nothing outside uses.
 *   password.c  username/password rules (libpwquality), argon2id hashing, generated passwords
 *   token.c     session tokens, their hashes and CSRF tokens (pure, libsodium only)
 *   throttle.c  per-IP login throttle and the lockout rules (pure, in memory)
 *   lockout.c   the login_failures table: the lockout counts per name and address
 *   account.c   the users and user_scopes tables
 *   session.c   the sessions table
 *   principal.c who a user is: role, scopes with paths, masking policy
 *   login.c     the login flow (throttle, lockout, verify, session)
 *   code.c      login by phone number and one-time code (sent through notify.h)
 *   residents.c passwordless resident accounts made in bulk for an area
 *   render.c    JSON of users and principals
 *   policy.c    the lockout and session policies
 *   api.c, api_users.c  HTTP handlers; module.c  descriptor, init, authenticate hook */
#ifndef FK_USERS_INTERNAL_H
#define FK_USERS_INTERNAL_H
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "base/err.h"
#include "base/throttle.h"
#include "http/http.h"
#include "platform/module.h"
#include "policy/policy.h"
#include "store/db.h"
#include "users/principal.h"
#include "users/users.h"

/* ---- policy.c ---- */
enum users_policy {
	USERS_POL_LOCK_AFTER,
	USERS_POL_LOCK_WINDOW_MINUTES,
	USERS_POL_LOCK_MINUTES,
	USERS_POL_NAME_LOCK_AFTER,
	USERS_POL_SESSION_MINUTES,
	USERS_POL_CODE_MINUTES,
	USERS_POL_CODE_RESEND_SECONDS,
	USERS_POL_CODE_PER_HOUR,
	USERS_POL_COUNT,
};
extern const struct fk_policy_def users_policies[];
#define USERS_POLICY(name) (&users_policies[USERS_POL_##name])

#define USERS_NAME_MIN	   3
#define USERS_NAME_MAX	   63 /* fits struct fk_user.username with its NUL */
#define USERS_PASSWORD_MIN 8
#define USERS_PASSWORD_MAX 1024

#define USERS_THROTTLE_PER_MIN 20	     /* login attempts per client IP per minute */
#define USERS_TOUCH_MS	       (60LL * 1000) /* last_seen_at is written at most this often */

#define USERS_COOKIE "fk_session"

/* ---- password.c ---- */
int users_check_username(const char *s, struct fk_err *err);
/* 0 if s may be a password; FK_EINVAL if it is under USERS_PASSWORD_MIN characters or over
 * USERS_PASSWORD_MAX bytes; FK_EUNPROC (field "password", key naming the rule) if it contains
 * username (ASCII case folded; username may be NULL: no such rule) or libpwquality refuses it
 * (password_too_simple: cracklib's dictionary; weak_password: the other rules); FK_EINTERNAL
 * if the cracklib dictionary cannot be read. */
int users_check_password(const char *s, const char *username, struct fk_err *err);
bool users_password_verify(const char *hash, const char *password);
/* A password's check takes 64 MB and a tenth of a second of a CPU, the costliest thing a
 * request does: at most users_hash_slots() (one per CPU) run at once, so that a crowd of logins
 * leaves HTTP threads to everything else. users_hash_begin is false when every slot is taken
 * (the login is answered 503 login_busy, to be retried); each true is paired with
 * users_hash_end. */
int users_hash_slots(void);
bool users_hash_begin(void);
void users_hash_end(void);
/* A hash of a random password, computed once; unknown users are verified against it so
 * that they take as long as known ones. */
const char *users_dummy_hash(void);

/* ---- token.c ---- */
#define USERS_TOKEN_BYTES 32
#define USERS_TOKEN_TEXT  48 /* base64url of the token, NUL-terminated (43 chars) */
#define USERS_TOKEN_HEX	  65 /* hex of its BLAKE2b-256 hash */
#define USERS_CSRF_TEXT	  48 /* matches struct fk_principal.csrf */

void users_token_new(unsigned char raw[USERS_TOKEN_BYTES], char text[USERS_TOKEN_TEXT]);
/* False unless text is exactly the base64url form of USERS_TOKEN_BYTES bytes. */
bool users_token_decode(const char *text, unsigned char raw[USERS_TOKEN_BYTES]);
void users_token_hash(const unsigned char raw[USERS_TOKEN_BYTES], char hex[USERS_TOKEN_HEX]);
void users_csrf_new(char out[USERS_CSRF_TEXT]);

/* ---- throttle.c ---- (the per-address bucket is base/throttle.h) */

/* How long an address that logged in with a name passes that name's all-address brake. */
#define USERS_KNOWN_SOURCE_MS (30LL * 24 * 3600 * 1000)

/* The lockout state of a name from one address (a pair), or of a name over all addresses. */
struct users_lock {
	int failed;	      /* failures counted since the last success or lock */
	int64_t locked_until; /* epoch ms, 0 = not locked */
	int64_t failed_at;    /* epoch ms of the last failure counted, 0 = none */
	int64_t ok_at;	      /* a pair's last successful login, epoch ms, 0 = none */
};
/* The lockout policy in force: users.lock_after (a pair) or users.name_lock_after (a name),
 * with users.lock_window_minutes and users.lock_minutes. */
struct users_lock_rule {
	int64_t after;	   /* failures in a row that lock */
	int64_t window_ms; /* a failure longer than this after the last one starts a new count */
	int64_t lock_ms;   /* how long the lock holds */
};
bool users_lock_active(const struct users_lock *s, int64_t now_ms);
/* The state after one more failed password at now_ms: the rule->after-th failure in a row,
 * each within rule->window_ms of the one before, locks for rule->lock_ms and starts the count
 * again. A failure while locked changes nothing. */
struct users_lock users_lock_fail(struct users_lock s, int64_t now_ms,
				  const struct users_lock_rule *rule);
/* Until when a login from the pair's address is refused, 0 if it is not: the pair's own lock,
 * or the name's lock unless the pair logged in within USERS_KNOWN_SOURCE_MS. */
int64_t users_lock_refusal(const struct users_lock *pair, const struct users_lock *name,
			   int64_t now_ms);

/* ---- lockout.c ---- */
#define USERS_ALL_SOURCES "*" /* the source of a name's row over all addresses */

/* What one name's lockout is from one address. */
struct users_lockout {
	struct users_lock pair;
	struct users_lock name;
};
/* A lock that a failure has just set (until 0: none). */
struct users_lock_set {
	int64_t until;
	bool by_name; /* the all-address brake, not the pair */
};
/* name is folded; source is the client address (never USERS_ALL_SOURCES). Absent rows read as
 * zeros. Each returns 0 or the store's negative code with err filled. */
int users_lockout_read(struct fk_db *db, const char *name, const char *source,
		       struct users_lockout *out, struct fk_err *err);
/* Counts one wrong password at now_ms for the pair and for the name, under the policies in
 * force; concurrent failures (other threads, other servers) are each counted once. set (not
 * NULL) gets the lock this failure set, the later one if both. */
int users_lockout_fail(struct fk_db *db, const char *name, const char *source, int64_t now_ms,
		       struct users_lock_set *set, struct fk_err *err);
/* A login succeeded: clears the pair's count and remembers the address as known. */
int users_lockout_ok(struct fk_db *db, const char *name, const char *source, int64_t now_ms,
		     struct fk_err *err);
/* Clears every count and lock of a name (an admin's unlock, a new password); known addresses
 * stay known. */
int users_lockout_clear(struct fk_db *db, const char *name, struct fk_err *err);
/* Deletes rows that decide nothing any more at now_ms: no lock, no failure within the window,
 * no success within USERS_KNOWN_SOURCE_MS. *n (may be NULL) gets how many. */
int users_lockout_purge(struct fk_db *db, int64_t now_ms, int64_t *n, struct fk_err *err);

/* ---- account.c ---- */
struct users_row {
	struct fk_user u;
	int64_t created_at;
	int64_t updated_at;
	int64_t locked_until; /* the latest lock on its name, from any address (lockout.c) */
};

/* An area of a user's scope, as shown and as checked against an admin's scope. */
struct users_area {
	int64_t id;
	char path[FK_AREA_PATH_MAX];
	char name[FK_AREA_NAME_MAX * 4 + 1];
	char kind[24];
	char code[64];
};

int users_get(struct fk_db *db, int64_t id, struct users_row *out, struct fk_err *err);
/* Calls fn for every staff account (every role but resident) ordered by username, or with
 * residents true for the first USERS_RESIDENTS_WALK_MAX resident accounts by username; no
 * statement is open during the call. */
#define USERS_RESIDENTS_WALK_MAX 1000
int users_each(struct fk_db *db, bool residents, int (*fn)(void *ctx, const struct users_row *row),
	       void *ctx, struct fk_err *err);
/* Runs inside the change's transaction, after the change (the API writes its audit row
 * there, so a change is never without one). */
struct users_hook {
	int (*fn)(void *ctx, int64_t user_id, struct fk_err *err);
	void *ctx;
};

/* grantor NULL: the CLI (any existing area). Otherwise every area must lie in its scope.
 * hook may be NULL. */
int users_create(struct fk_db *db, const struct fk_user *u, const char *password,
		 const struct fk_principal *grantor, const struct users_hook *hook, int64_t *id,
		 struct fk_err *err);

struct users_patch {
	const char *display_name; /* NULL = keep */
	int role;		  /* -1 = keep */
	bool set_scopes;
	int nscopes;
	int64_t scope_ids[FK_MAX_SCOPES];
	int disabled; /* -1 = keep, 0, 1 */
	bool set_person;
	int64_t person_id;    /* 0 = none */
	const char *password; /* NULL = keep */
};
int users_update(struct fk_db *db, int64_t id, const struct users_patch *p,
		 const struct fk_principal *grantor, const struct users_hook *hook,
		 struct fk_err *err);
/* Lifts every lock on the account's name, from every address (users_lockout_clear), and runs
 * hook in the same transaction. FK_ENOTFOUND when there is no such account or it lies outside
 * grantor's scope (grantor NULL: the CLI, any account). */
int users_unlock(struct fk_db *db, int64_t id, const struct fk_principal *grantor,
		 const struct users_hook *hook, struct fk_err *err);
/* The user's scope areas that still exist, in id order. */
int users_scopes_resolve(struct fk_db *db, const struct fk_user *u, struct users_area *out, int *n,
			 struct fk_err *err);
/* True when who may see and manage a user with these scope areas. */
bool users_scopes_within(const struct fk_principal *who, const struct users_area *a, int n);

/* ---- session.c ---- */
struct users_session {
	int64_t id;
	int64_t user_id;
	int64_t expires_at;
	int64_t last_seen_at;
	char csrf[USERS_CSRF_TEXT];
};

int users_session_create(struct fk_db *db, int64_t user_id, const char *ip, int64_t ttl_ms,
			 char token[USERS_TOKEN_TEXT], struct users_session *out,
			 struct fk_err *err);
/* The hash a session is stored under, from the cookie's token; false when it is malformed. */
bool users_session_hash(const char *token, char hash[USERS_TOKEN_HEX]);
/* FK_EAUTH when the session is unknown or expired (an expired one is deleted). */
int users_session_find(struct fk_db *db, const char *hash, int64_t now_ms,
		       struct users_session *out, struct fk_err *err);
int users_session_touch(struct fk_db *db, int64_t id, int64_t now_ms, struct fk_err *err);
int users_session_delete(struct fk_db *db, int64_t id, struct fk_err *err);
/* Deletes every session that expired at or before now_ms; *n (may be NULL) gets how many. */
int users_session_purge(struct fk_db *db, int64_t now_ms, int64_t *n, struct fk_err *err);
/* Ends every session of a user but keep_session (password changed, account disabled). */
int users_sessions_drop(struct fk_db *db, int64_t user_id, int64_t keep_session,
			struct fk_err *err);

/* ---- principal.c ---- */
void users_role_masks(enum fk_role role, bool *see_id, bool *see_phone);
/* Fills who from the user's row and scopes. FK_EAUTH if the user is gone; *disabled says
 * whether the account is disabled (who is filled either way). */
int users_principal_load(struct fk_db *db, int64_t user_id, struct fk_principal *who,
			 bool *disabled, struct fk_err *err);

/* ---- principal_cache.c ---- */
#define USERS_CACHE_MS 3000 /* how long a cached principal is believed */
/* A copy of the principal cached for the session with this token hash, if still good. */
bool users_cache_get(const char *hash, int64_t now_ms, struct fk_principal *out);
/* Caches who, loaded when the generation was gen (read before loading it). */
void users_cache_put(const char *hash, const struct fk_principal *who, int64_t expires_at,
		     uint64_t gen, int64_t now_ms);
uint64_t users_cache_generation(void);
/* Accounts, scopes, sessions or area paths changed: reload every cached principal. */
void users_cache_forget_all(void);

/* ---- login.c ---- */
#define USERS_LOGIN_NAME 129 /* the login body's longest username, folded, with its NUL */

struct users_login {
	struct fk_principal who;
	char token[USERS_TOKEN_TEXT];
	int64_t ttl_ms;
	/* Filled on failure too: the name as counted, and a lock this attempt set (the caller
	 * logs and audits it). */
	char name[USERS_LOGIN_NAME];
	struct users_lock_set lock;
};
/* The whole login: throttle (FK_ELIMIT "throttled"), lockout (FK_ELIMIT "locked", alike for
 * known and unknown names), verify (FK_EAUTH "bad_credentials", alike too), disabled
 * (FK_EPERM "disabled", only to whoever knows the password), new session. */
int users_login(struct fk_throttle *t, struct fk_db *db, const char *username, const char *password,
		const char *ip, int64_t ttl_ms, struct users_login *out, struct fk_err *err);
/* The session every way of signing in ends with: a new session of user_id from source for
 * ttl_ms, out->who loaded (with session id and CSRF token) and out->token its cookie. */
int users_session_open(struct fk_db *db, int64_t user_id, const char *source, int64_t ttl_ms,
		       struct users_login *out, struct fk_err *err);

/* ---- code.c ---- */
#define USERS_CODE_DIGITS	6
#define USERS_CODE_TRIES	5  /* wrong codes that kill one */
#define USERS_CODE_ADDR_PER_MIN 10 /* codes asked per client address per minute */

/* FK_EINVAL naming phone unless in is a phone number, FK_EUNPROC "not_mobile" unless a
 * mobile one; out gets it normalized ("13800138000"). */
int users_code_phone(const char *in, char out[24], struct fk_err *err);

struct users_code_sent {
	int64_t resend_after_s; /* users.code_resend_seconds */
	int64_t expires_in_s;	/* users.code_minutes, in seconds */
	int64_t retry_after_s;	/* on FK_ELIMIT: when the number may ask again */
};
/* Makes a code for phone (normalized) at now and, when an enabled resident account has the
 * number, queues its text message (fk_notify_send) in the same transaction; the outcome is
 * the same either way. FK_ELIMIT "too_many_codes" naming phone (out->retry_after_s set) when
 * the number asked within users.code_resend_seconds or users.code_per_hour times within the
 * hour, or (FK_ELIMIT, retry after 1 s) while another request for the number runs. Takes
 * the number's lock around a transaction of its own: db must have none open. */
int users_code_send(struct fk_db *db, const char *phone, int64_t now, struct users_code_sent *out,
		    struct fk_err *err);

struct users_code_try {
	const char *phone; /* normalized */
	const char *code;
	const char *source; /* the client address, for the session */
	int64_t ttl_ms;	    /* the session's lifetime */
};
/* Signs in with the number's latest code: out is filled as by users_session_open. FK_EAUTH
 * naming code: "no_code", "code_used", "code_expired", "code_dead" (USERS_CODE_TRIES wrong
 * tries), or "code_wrong" with *tries_left; a wrong try is counted even though the call
 * fails. Opens its own transaction (db must have none open). */
int users_code_verify(struct fk_db *db, const struct users_code_try *t, struct users_login *out,
		      int *tries_left, struct fk_err *err);
/* Deletes codes asked more than a day before now_ms; *n (may be NULL) gets how many. */
int users_code_purge(struct fk_db *db, int64_t now_ms, int64_t *n, struct fk_err *err);

/* ---- render.c ---- */
json_t *users_render_area(const struct users_area *a);
/* {id,username,display_name,role,person_id,scopes:[...]} of a principal. */
json_t *users_render_principal(struct fk_db *db, const struct fk_principal *who,
			       struct fk_err *err);
/* The admin view of an account. */
json_t *users_render_row(const struct users_row *row, const struct users_area *a, int n);

/* ---- module.c / api.c ---- */
struct users_state {
	struct fk_throttle throttle;
	struct fk_throttle code_throttle; /* codes asked per client address */
};
struct users_state *users_state(struct fk_app *app);
int users_authenticate(struct fk_req *req, struct fk_err *err);
extern const struct fk_route users_routes[];

/* api_users.c handlers, listed in api.c's route table */
int users_api_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int users_api_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int users_api_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int users_api_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int users_api_unlock(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int users_api_residents(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
extern const struct fk_field users_create_body[];
extern const struct fk_field users_residents_body[];

/* api.c, shared with api_code.c: the session cookie (an empty token expires it), the reply
 * of a sign-in ({user, csrf_token}), and a best-effort audit row of one. */
void users_set_cookie(struct fk_req *req, struct fk_resp *resp, const char *token,
		      long long max_age_s);
int users_auth_reply(struct fk_req *req, struct fk_resp *resp, const struct fk_principal *who,
		     struct fk_err *err);
void users_auth_audit(struct fk_req *req, const char *action, int64_t session_id,
		      const char *username, const char *reason);
/* api_code.c */
int users_api_code_send(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int users_api_code_verify(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
extern const struct fk_field users_code_send_body[];
extern const struct fk_field users_code_verify_body[];
extern const struct fk_field users_update_body[];

#endif
