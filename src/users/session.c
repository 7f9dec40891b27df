/* session: the sessions table. A row holds the hash of the browser's token, the session's
 * CSRF token and its expiry; the token itself is never stored. */
#include <sodium.h>
#include <stdio.h>
#include "base/clock.h"
#include "base/id.h"
#include "users/internal.h"

static int no_session(struct fk_err *err)
{
	return fk_err_set(err, FK_EAUTH, "unauthenticated", NULL, "请先登录", "please log in");
}

int users_session_create(struct fk_db *db, int64_t user_id, const char *ip, int64_t ttl_ms,
			 char token[USERS_TOKEN_TEXT], struct users_session *out,
			 struct fk_err *err)
{
	unsigned char raw[USERS_TOKEN_BYTES];
	char hash[USERS_TOKEN_HEX];
	int64_t now = fk_now_ms(), rc;

	users_token_new(raw, token);
	users_token_hash(raw, hash);
	sodium_memzero(raw, sizeof raw);
	out->id = fk_id_next();
	out->user_id = user_id;
	out->expires_at = now + ttl_ms;
	out->last_seen_at = now;
	users_csrf_new(out->csrf);
	/* Expired sessions of this user go now, so the table does not grow without bound. */
	rc = fk_db_run(db, err, "DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?", "ii",
		       user_id, now);
	if (rc >= 0)
		rc = fk_db_run(db, err,
			       "INSERT INTO sessions (id, token_hash, user_id, csrf, created_at, "
			       "expires_at, last_seen_at, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			       "ititiiit", out->id, hash, user_id, out->csrf, now, out->expires_at,
			       now, ip);
	return rc < 0 ? (int)rc : 0;
}

bool users_session_hash(const char *token, char hash[USERS_TOKEN_HEX])
{
	unsigned char raw[USERS_TOKEN_BYTES];

	if (!token || !users_token_decode(token, raw))
		return false;
	users_token_hash(raw, hash);
	sodium_memzero(raw, sizeof raw);
	return true;
}

int users_session_find(struct fk_db *db, const char *hash, int64_t now_ms,
		       struct users_session *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	rc = fk_db_query(db, &q,
			 "SELECT id, user_id, csrf, expires_at, last_seen_at FROM sessions "
			 "WHERE token_hash = ?",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, hash);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		out->id = fk_q_i64(q, 0);
		out->user_id = fk_q_i64(q, 1);
		snprintf(out->csrf, sizeof out->csrf, "%s", fk_q_text(q, 2) ? fk_q_text(q, 2) : "");
		out->expires_at = fk_q_i64(q, 3);
		out->last_seen_at = fk_q_i64(q, 4);
	}
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return no_session(err);
	if (out->expires_at <= now_ms) {
		users_session_delete(db, out->id, NULL);
		return fk_err_set(err, FK_EAUTH, "session_expired", NULL, "登录已过期，请重新登录",
				  "your session has expired; please log in again");
	}
	return 0;
}

int users_session_touch(struct fk_db *db, int64_t id, int64_t now_ms, struct fk_err *err)
{
	int64_t rc = fk_db_run(db, err, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", "ii",
			       now_ms, id);
	return rc < 0 ? (int)rc : 0;
}

int users_session_delete(struct fk_db *db, int64_t id, struct fk_err *err)
{
	int64_t rc = fk_db_run(db, err, "DELETE FROM sessions WHERE id = ?", "i", id);

	users_cache_forget_all();
	return rc < 0 ? (int)rc : 0;
}

int users_sessions_drop(struct fk_db *db, int64_t user_id, int64_t keep_session, struct fk_err *err)
{
	int64_t rc = fk_db_run(db, err, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", "ii",
			       user_id, keep_session);

	users_cache_forget_all();
	return rc < 0 ? (int)rc : 0;
}

int users_session_purge(struct fk_db *db, int64_t now_ms, int64_t *n, struct fk_err *err)
{
	int64_t rc = fk_db_run(db, err, "DELETE FROM sessions WHERE expires_at <= ?", "i", now_ms);

	if (rc >= 0 && n)
		*n = rc;
	return rc < 0 ? (int)rc : 0;
}
