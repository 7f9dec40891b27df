/* code: login by phone number and one-time code. A code is 6 digits from libsodium's
 * randombytes_uniform, stored only as a BLAKE2b hash (with its row's id and number, like a
 * session token's), good for users.code_minutes, used once, dead after USERS_CODE_TRIES wrong
 * tries. Asking for one is throttled per number (users.code_resend_seconds between two,
 * users.code_per_hour an hour) and the reply is the same whether an account has the number or
 * not: a row is written for every number asked, only an account's gets a text message, and
 * only an account's row can ever sign in. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/log.h"
#include "base/phone.h"
#include "notify/notify.h"
#include "users/internal.h"

#define HOUR_MS (3600LL * 1000)

int users_code_phone(const char *in, char out[24], struct fk_err *err)
{
	int rc = fk_phone_normalize(in ? in : "", out, err);

	if (rc == 0 && (strlen(out) != 11 || out[0] != '1'))
		return fk_err_set(err, FK_EUNPROC, "not_mobile", "phone", "请输入 11 位手机号码",
				  "give an 11-digit mobile number");
	return rc;
}

static void code_hash(int64_t id, const char *phone, const char *code, char hex[USERS_TOKEN_HEX])
{
	char text[64];
	unsigned char h[32];

	snprintf(text, sizeof text, "%" PRId64 ":%s:%s", id, phone, code);
	crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text), NULL, 0);
	sodium_bin2hex(hex, USERS_TOKEN_HEX, h, sizeof h);
	sodium_memzero(text, sizeof text);
}

static int too_many(int64_t retry_ms, int64_t *retry_after_s, struct fk_err *err)
{
	*retry_after_s = (retry_ms + 999) / 1000;
	if (*retry_after_s < 1)
		*retry_after_s = 1;
	return fk_err_set(
	    err, FK_ELIMIT, "too_many_codes", "phone", "获取验证码过于频繁，请 %lld 秒后再试",
	    "too many codes asked for: try again in %lld seconds", (long long)*retry_after_s);
}

/* The number's codes of the last hour against the policies. */
static int throttle_phone(struct fk_db *db, const struct fk_policy_snap *s, const char *phone,
			  int64_t now, int64_t *retry_after_s, struct fk_err *err)
{
	int64_t resend = fk_policy_snap_i64(s, USERS_POLICY(CODE_RESEND_SECONDS)) * 1000;
	int64_t per_hour = fk_policy_snap_i64(s, USERS_POLICY(CODE_PER_HOUR));
	int64_t n = 0, first = 0, last = 0;
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT COUNT(*), MIN(created_at), MAX(created_at) FROM login_codes "
			     "WHERE phone = ? AND created_at > ?",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, phone);
	fk_q_bind_i64(q, 2, now - HOUR_MS);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		n = fk_q_i64(q, 0);
		first = fk_q_i64(q, 1);
		last = fk_q_i64(q, 2);
	}
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (n > 0 && now - last < resend)
		return too_many(last + resend - now, retry_after_s, err);
	if (n >= per_hour)
		return too_many(first + HOUR_MS - now, retry_after_s, err);
	return 0;
}

/* The enabled resident account with this number; 0 when none. */
static int account_of(struct fk_db *db, const char *phone, int64_t *user_id, struct fk_err *err)
{
	int rc = fk_db_one_i64(db, err, user_id,
			       "SELECT id FROM users WHERE phone = ? AND role = 'resident' AND "
			       "disabled = 0",
			       "t", phone);

	if (rc == 0)
		*user_id = 0;
	return rc < 0 ? rc : 0;
}

static int code_insert(struct fk_db *db, const char *phone, int64_t user_id, int64_t now,
		       int64_t ttl, char code[USERS_CODE_DIGITS + 1], struct fk_err *err)
{
	char hash[USERS_TOKEN_HEX];
	int64_t id = fk_id_next();

	snprintf(code, USERS_CODE_DIGITS + 1, "%06" PRIu32, randombytes_uniform(1000000));
	code_hash(id, phone, code, hash);
	if (!user_id)
		return fk_db_write(db, err,
				   "INSERT INTO login_codes (id, phone, user_id, code_hash, "
				   "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
				   "itntii", id, phone, hash, now, now + ttl);
	return fk_db_write(db, err,
			   "INSERT INTO login_codes (id, phone, user_id, code_hash, created_at, "
			   "expires_at) VALUES (?, ?, ?, ?, ?, ?)",
			   "ititii", id, phone, user_id, hash, now, now + ttl);
}

static int code_text(struct fk_db *db, const char *phone, const char *code, int64_t ttl,
		     struct fk_err *err)
{
	char text[160];

	snprintf(text, sizeof text, "【防控】您的登录验证码 %s，%lld 分钟内有效", code,
		 (long long)(ttl / 60000));
	return fk_notify_send(db, phone, "login_code", text, NULL, err);
}

static int code_send_tx(struct fk_db *db, const char *phone, int64_t now,
			struct users_code_sent *out, struct fk_err *err)
{
	struct fk_policy_snap *s = fk_policy_snap(db);
	char code[USERS_CODE_DIGITS + 1];
	int64_t user_id = 0, ttl = fk_policy_snap_ms(s, USERS_POLICY(CODE_MINUTES));
	int rc = throttle_phone(db, s, phone, now, &out->retry_after_s, err);

	out->resend_after_s = fk_policy_snap_i64(s, USERS_POLICY(CODE_RESEND_SECONDS));
	out->expires_in_s = ttl / 1000;
	fk_policy_snap_release(s);
	if (rc == 0)
		rc = account_of(db, phone, &user_id, err);
	if (rc == 0)
		rc = code_insert(db, phone, user_id, now, ttl, code, err);
	if (rc == 0 && user_id)
		rc = code_text(db, phone, code, ttl, err);
	sodium_memzero(code, sizeof code);
	return rc;
}

/* Two requests for one number at once would both read the count before either wrote: on
 * PostgreSQL the second is refused by the number's lock (SQLite's write transactions take
 * turns already). */
int users_code_send(struct fk_db *db, const char *phone, int64_t now, struct users_code_sent *out,
		    struct fk_err *err)
{
	char lock[48];
	struct fk_tx tx;
	bool got = false;
	int rc;

	snprintf(lock, sizeof lock, "login_code:%s", phone);
	rc = fk_db_try_lock(db, lock, &got, err);
	if (rc < 0)
		return rc;
	if (!got)
		return too_many(1000, &out->retry_after_s, err);
	rc = fk_tx_begin(db, &tx, err);
	if (rc == 0)
		rc = code_send_tx(db, phone, now, out, err);
	rc = fk_tx_end(db, &tx, rc, err);
	fk_db_unlock(db, lock, NULL);
	return rc;
}

/* ---- verify ---- */

struct code_row {
	int64_t id, user_id, expires_at, used_at;
	int tries;
	char hash[USERS_TOKEN_HEX];
};

/* The number's latest code: 1 found, 0 none, or < 0. */
static int code_latest(struct fk_db *db, const char *phone, struct code_row *r, struct fk_err *err)
{
	struct fk_q *q;
	int rc =
	    fk_db_query(db, &q,
			"SELECT id, user_id, expires_at, used_at, tries, code_hash FROM "
			"login_codes WHERE phone = ? ORDER BY created_at DESC, id DESC LIMIT 1",
			err);

	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, phone);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		r->id = fk_q_i64(q, 0);
		r->user_id = fk_q_i64(q, 1);
		r->expires_at = fk_q_i64(q, 2);
		r->used_at = fk_q_i64(q, 3);
		r->tries = (int)fk_q_i64(q, 4);
		snprintf(r->hash, sizeof r->hash, "%s", fk_q_text(q, 5));
	}
	fk_q_done(q);
	return rc;
}

/* Why a code cannot sign in before it is even compared; 0 when it may. */
static int code_state(const struct code_row *r, int found, int64_t now, struct fk_err *err)
{
	if (!found)
		return fk_err_set(err, FK_EAUTH, "no_code", "code", "请先获取验证码",
				  "ask for a code first");
	if (r->used_at)
		return fk_err_set(err, FK_EAUTH, "code_used", "code", "验证码已使用，请重新获取",
				  "this code was used: ask for a new one");
	if (r->tries >= USERS_CODE_TRIES)
		return fk_err_set(err, FK_EAUTH, "code_dead", "code",
				  "验证码错误次数过多已失效，请重新获取",
				  "too many wrong tries killed this code: ask for a new one");
	if (r->expires_at <= now)
		return fk_err_set(err, FK_EAUTH, "code_expired", "code", "验证码已过期，请重新获取",
				  "this code has expired: ask for a new one");
	return 0;
}

/* One more wrong try, counted in the store (committed by the caller even though the sign-in
 * fails); the last one kills the code. */
static int code_wrong(struct fk_db *db, struct code_row *r, int *tries_left, struct fk_err *err)
{
	int rc = fk_db_write(db, err, "UPDATE login_codes SET tries = tries + 1 WHERE id = ?", "i",
			     r->id);

	if (rc < 0)
		return rc;
	r->tries++;
	*tries_left = USERS_CODE_TRIES - r->tries;
	return 1;
}

static int wrong_reply(int tries_left, struct fk_err *err)
{
	if (tries_left <= 0)
		return fk_err_set(err, FK_EAUTH, "code_dead", "code",
				  "验证码错误次数过多已失效，请重新获取",
				  "too many wrong tries killed this code: ask for a new one");
	return fk_err_set(err, FK_EAUTH, "code_wrong", "code", "验证码错误，还可再试 %d 次",
			  "wrong code: %d tries left", tries_left);
}

/* 0 with out filled (signed in), 1 for a wrong code (counted: the caller commits), < 0. */
static int code_verify_tx(struct fk_db *db, const struct users_code_try *t, int64_t now,
			  struct users_login *out, int *tries_left, struct fk_err *err)
{
	struct code_row r = {0};
	char hash[USERS_TOKEN_HEX];
	int found = code_latest(db, t->phone, &r, err);
	int rc = found < 0 ? found : code_state(&r, found, now, err);

	if (rc < 0)
		return rc;
	code_hash(r.id, t->phone, t->code, hash);
	if (!r.user_id || sodium_memcmp(hash, r.hash, USERS_TOKEN_HEX - 1) != 0)
		return code_wrong(db, &r, tries_left, err);
	rc = fk_db_write(db, err, "UPDATE login_codes SET used_at = ? WHERE id = ?", "ii", now,
			 r.id);
	if (rc == 0)
		rc = users_session_open(db, r.user_id, t->source, t->ttl_ms, out, err);
	return rc;
}

int users_code_verify(struct fk_db *db, const struct users_code_try *t, struct users_login *out,
		      int *tries_left, struct fk_err *err)
{
	struct fk_tx tx;
	int64_t now = fk_now_ms();
	int rc = fk_tx_begin(db, &tx, err);

	*tries_left = 0;
	if (rc == 0)
		rc = code_verify_tx(db, t, now, out, tries_left, err);
	rc = fk_tx_end(db, &tx, rc, err);
	return rc == 1 ? wrong_reply(*tries_left, err) : rc;
}

int users_code_purge(struct fk_db *db, int64_t now_ms, int64_t *n, struct fk_err *err)
{
	int64_t rc = fk_db_run(db, err, "DELETE FROM login_codes WHERE created_at < ?", "i",
			       now_ms - 24 * HOUR_MS);

	if (rc >= 0 && n)
		*n = rc;
	return rc < 0 ? (int)rc : 0;
}
