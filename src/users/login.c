/* login: checks a username and password and opens a session. Order matters: the IP throttle
 * first (cheap, stops floods before any hashing), then the account lock (a locked account is
 * not even verified), then the password (unknown users verify against a dummy hash so both
 * failures take as long and answer alike), then whether the account is disabled (said only to
 * whoever knows the password). */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include "base/clock.h"
#include "users/internal.h"

struct login_row {
	int64_t id;
	char hash[crypto_pwhash_STRBYTES];
	bool disabled;
	struct users_lock lock;
};

static int bad_credentials(struct fk_err *err)
{
	return fk_err_set(err, FK_EAUTH, "bad_credentials", NULL, "用户名或密码错误",
			  "wrong username or password");
}

static int locked(int64_t until, struct fk_err *err)
{
	char when[32];

	fk_iso8601(until, when);
	return fk_err_set(err, FK_ELIMIT, "locked", NULL,
			  "连续登录失败次数过多，账号已锁定至 %s（UTC）",
			  "too many failed logins: the account is locked until %s (UTC)", when);
}

static int login_find(struct fk_db *db, const char *username, struct login_row *row,
		      struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	rc =
	    fk_db_query(db, &q,
			"SELECT id, password_hash, disabled, failed_count, locked_until, failed_at "
			"FROM users WHERE username = ?",
			err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, username);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		row->id = fk_q_i64(q, 0);
		snprintf(row->hash, sizeof row->hash, "%s", fk_q_text(q, 1) ? fk_q_text(q, 1) : "");
		row->disabled = fk_q_i64(q, 2) != 0;
		row->lock.failed = (int)fk_q_i64(q, 3);
		row->lock.locked_until = fk_q_i64(q, 4);
		row->lock.failed_at = fk_q_i64(q, 5);
	}
	fk_q_done(q);
	return rc;
}

static int login_read_lock(struct fk_db *db, int64_t id, struct users_lock *lock,
			   struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	rc = fk_db_query(
	    db, &q, "SELECT failed_count, locked_until, failed_at FROM users WHERE id = ?", err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		lock->failed = (int)fk_q_i64(q, 0);
		lock->locked_until = fk_q_i64(q, 1);
		lock->failed_at = fk_q_i64(q, 2);
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

/* Counts one failure. Compare-and-set on the old state, so concurrent failures from many
 * addresses are each counted once. */
static int login_count_failure(struct fk_db *db, const struct login_row *row, int64_t now,
			       struct fk_err *err)
{
	struct users_lock cur = row->lock;
	struct fk_policy_snap *pol = fk_policy_snap(db);
	struct users_lock_rule rule = {fk_policy_snap_i64(pol, USERS_POLICY(LOCK_AFTER)),
				       fk_policy_snap_ms(pol, USERS_POLICY(LOCK_WINDOW_MINUTES)),
				       fk_policy_snap_ms(pol, USERS_POLICY(LOCK_MINUTES))};

	fk_policy_snap_release(pol);
	for (int tries = 0; tries < 8; tries++) {
		struct users_lock next = users_lock_fail(cur, now, &rule);
		int rc;
		int64_t n =
		    fk_db_run(db, err,
			      "UPDATE users SET failed_count = ?, locked_until = ?, failed_at = ? "
			      "WHERE id = ? AND failed_count = ? AND locked_until = ? AND "
			      "failed_at = ?",
			      "iiiiiii", (int64_t)next.failed, next.locked_until, next.failed_at,
			      row->id, (int64_t)cur.failed, cur.locked_until, cur.failed_at);
		if (n != 0)
			return n < 0 ? (int)n : 0;
		rc = login_read_lock(db, row->id, &cur, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int login_clear_failures(struct fk_db *db, int64_t id, struct fk_err *err)
{
	int64_t n = fk_db_run(db, err,
			      "UPDATE users SET failed_count = 0, locked_until = 0 "
			      "WHERE id = ? AND (failed_count <> 0 OR locked_until <> 0)",
			      "i", id);
	return n < 0 ? (int)n : 0;
}

/* Usernames are lower case; people type "Admin" all the same. */
static void login_fold(const char *in, char *out, size_t size)
{
	size_t i = 0;

	for (; in && in[i] && i + 1 < size; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[i] = '\0';
}

static int login_open(struct fk_db *db, const struct login_row *row, const char *ip, int64_t ttl_ms,
		      struct users_login *out, struct fk_err *err)
{
	struct users_session s;
	bool disabled = false;
	int rc;

	rc = login_clear_failures(db, row->id, err);
	if (rc == 0)
		rc = users_session_create(db, row->id, ip, ttl_ms, out->token, &s, err);
	if (rc == 0)
		rc = users_principal_load(db, row->id, &out->who, &disabled, err);
	if (rc < 0)
		return rc;
	out->who.session_id = s.id;
	snprintf(out->who.csrf, sizeof out->who.csrf, "%s", s.csrf);
	out->ttl_ms = ttl_ms;
	return 0;
}

int users_login(struct users_throttle *t, struct fk_db *db, const char *username,
		const char *password, const char *ip, int64_t ttl_ms, struct users_login *out,
		struct fk_err *err)
{
	struct login_row row = {0};
	char name[128];
	int64_t now = fk_now_ms();
	int rc;

	if (!users_throttle_take(t, ip, now))
		return fk_err_set(
		    err, FK_ELIMIT, "throttled", NULL, "该地址登录尝试过于频繁，请稍后再试",
		    "too many login attempts from this address; try again in a minute");
	login_fold(username, name, sizeof name);
	rc = login_find(db, name, &row, err);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		users_password_verify(users_dummy_hash(), password);
		return bad_credentials(err);
	}
	if (users_lock_active(&row.lock, now))
		return locked(row.lock.locked_until, err);
	if (!users_password_verify(row.hash, password)) {
		rc = login_count_failure(db, &row, now, err);
		return rc < 0 ? rc : bad_credentials(err);
	}
	if (row.disabled)
		return fk_err_set(err, FK_EPERM, "disabled", NULL, "账号已停用，请联系管理员",
				  "this account is disabled; ask an administrator");
	return login_open(db, &row, ip, ttl_ms, out, err);
}
