/* login: checks a username and password and opens a session. Order matters: the address's
 * throttle first (cheap, stops floods before any hashing), then the lockout of the name as
 * typed from this address (a locked pair is not even verified), then the password (an unknown
 * name verifies against a dummy hash; when every hashing slot is busy, 503 login_busy), then
 * whether the account is disabled (said only to whoever knows the password). Up to the password, an
 * unknown name runs the same statements as a real one and gets the same reply: the lockout counts
 * names, not accounts. */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include "base/clock.h"
#include "users/internal.h"

struct login_row {
	int64_t id;
	char hash[crypto_pwhash_STRBYTES];
	bool disabled;
};

static int bad_credentials(struct fk_err *err)
{
	return fk_err_set(err, FK_EAUTH, "bad_credentials", NULL, "用户名或密码错误",
			  "wrong username or password");
}

/* Says how long, never until when: the minute it ends would be the same for a real name and
 * an unknown one, but the text would still differ across a minute's edge. */
static int locked(int64_t until, int64_t now, struct fk_err *err)
{
	int64_t minutes = (until - now + 59999) / 60000;

	if (minutes <= 1)
		return fk_err_set(err, FK_ELIMIT, "locked", NULL,
				  "登录失败次数过多，请 1 分钟后再试",
				  "too many failed logins: try again in a minute");
	return fk_err_set(err, FK_ELIMIT, "locked", NULL, "登录失败次数过多，请 %lld 分钟后再试",
			  "too many failed logins: try again in %lld minutes", (long long)minutes);
}

static int login_find(struct fk_db *db, const char *username, struct login_row *row,
		      struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	rc = fk_db_query(db, &q, "SELECT id, password_hash, disabled FROM users WHERE username = ?",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, username);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		row->id = fk_q_i64(q, 0);
		snprintf(row->hash, sizeof row->hash, "%s", fk_q_text(q, 1) ? fk_q_text(q, 1) : "");
		row->disabled = fk_q_i64(q, 2) != 0;
	}
	fk_q_done(q);
	return rc;
}

/* Usernames are lower case; people type "Admin" all the same. */
static void login_fold(const char *in, char *out, size_t size)
{
	size_t i = 0;

	for (; in && in[i] && i + 1 < size; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[i] = '\0';
}

int users_session_open(struct fk_db *db, int64_t user_id, const char *source, int64_t ttl_ms,
		       struct users_login *out, struct fk_err *err)
{
	struct users_session s;
	bool disabled = false;
	int rc = users_session_create(db, user_id, source, ttl_ms, out->token, &s, err);

	if (rc == 0)
		rc = users_principal_load(db, user_id, &out->who, &disabled, err);
	if (rc < 0)
		return rc;
	out->who.session_id = s.id;
	snprintf(out->who.csrf, sizeof out->who.csrf, "%s", s.csrf);
	out->ttl_ms = ttl_ms;
	return 0;
}

static int login_open(struct fk_db *db, const struct login_row *row, const char *source,
		      int64_t now, int64_t ttl_ms, struct users_login *out, struct fk_err *err)
{
	int rc = users_lockout_ok(db, out->name, source, now, err);

	return rc < 0 ? rc : users_session_open(db, row->id, source, ttl_ms, out, err);
}

/* The lockout, then the password: the same statements and the same hashing whether the name
 * is an account's or not. 1 when the password is right, 0 when not (counted), or < 0. */
static int login_check(struct fk_db *db, const char *source, const char *password, int64_t now,
		       struct login_row *row, struct users_login *out, struct fk_err *err)
{
	struct users_lockout st;
	int64_t until;
	bool right, has_password;
	int found;
	int rc = users_lockout_read(db, out->name, source, &st, err);

	if (rc < 0)
		return rc;
	until = users_lock_refusal(&st.pair, &st.name, now);
	if (until > 0)
		return locked(until, now, err);
	found = login_find(db, out->name, row, err);
	if (found < 0)
		return found;
	/* A passwordless account (hash "") verifies against the dummy hash like an unknown name,
	 * and no password is ever right for it. */
	has_password = found > 0 && row->hash[0];
	if (!users_hash_begin())
		return fk_err_set(err, FK_EBUSY, "login_busy", NULL, "登录人数过多，请稍后再试",
				  "too many logins at once; try again in a moment");
	right = users_password_verify(has_password ? row->hash : users_dummy_hash(), password);
	users_hash_end();
	if (has_password && right)
		return 1;
	rc = users_lockout_fail(db, out->name, source, now, &out->lock, err);
	return rc < 0 ? rc : 0;
}

int users_login(struct fk_throttle *t, struct fk_db *db, const char *username, const char *password,
		const char *ip, int64_t ttl_ms, struct users_login *out, struct fk_err *err)
{
	struct login_row row = {0};
	const char *source = ip && ip[0] ? ip : "-";
	int64_t now = fk_now_ms();
	int rc;

	if (!fk_throttle_take(t, ip, now))
		return fk_err_set(
		    err, FK_ELIMIT, "throttled", NULL, "该地址登录尝试过于频繁，请稍后再试",
		    "too many login attempts from this address; try again in a minute");
	login_fold(username, out->name, sizeof out->name);
	rc = login_check(db, source, password, now, &row, out, err);
	if (rc <= 0)
		return rc < 0 ? rc : bad_credentials(err);
	if (row.disabled)
		return fk_err_set(err, FK_EPERM, "disabled", NULL, "账号已停用，请联系管理员",
				  "this account is disabled; ask an administrator");
	return login_open(db, &row, source, now, ttl_ms, out, err);
}
