/* lockout: the login_failures table, where the lockout counts live (the rules are
 * throttle.c's): one row per (folded name, client address) pair and one per name over all
 * addresses (source USERS_ALL_SOURCES). Rows are keyed by the name as typed, never by an
 * account, so an unknown name costs the same statements as a real one. A count moves by
 * compare-and-set on the row's old state, so concurrent failures on several servers of one
 * PostgreSQL database are each counted once. */
#include "users/internal.h"

static int lockout_read_one(struct fk_db *db, const char *name, const char *source,
			    struct users_lock *out, bool *found, struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	*out = (struct users_lock){0};
	rc = fk_db_query(db, &q,
			 "SELECT failed, failed_at, locked_until, ok_at FROM login_failures "
			 "WHERE username = ? AND source = ?",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, name);
	fk_q_bind_text(q, 2, source);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		out->failed = (int)fk_q_i64(q, 0);
		out->failed_at = fk_q_i64(q, 1);
		out->locked_until = fk_q_i64(q, 2);
		out->ok_at = fk_q_i64(q, 3);
	}
	fk_q_done(q);
	if (found)
		*found = rc > 0;
	return rc < 0 ? rc : 0;
}

int users_lockout_read(struct fk_db *db, const char *name, const char *source,
		       struct users_lockout *out, struct fk_err *err)
{
	int rc = lockout_read_one(db, name, source, &out->pair, NULL, err);

	return rc < 0 ? rc : lockout_read_one(db, name, USERS_ALL_SOURCES, &out->name, NULL, err);
}

/* Writes next over cur; rows changed (0: another writer was first), or < 0. */
static int64_t lockout_swap(struct fk_db *db, const char *name, const char *source, bool found,
			    const struct users_lock *cur, const struct users_lock *next,
			    struct fk_err *err)
{
	if (!found)
		return fk_db_run(db, err,
				 "INSERT INTO login_failures (username, source, failed, failed_at, "
				 "locked_until, ok_at) VALUES (?, ?, ?, ?, ?, 0) "
				 "ON CONFLICT (username, source) DO NOTHING",
				 "ttiii", name, source, (int64_t)next->failed, next->failed_at,
				 next->locked_until);
	return fk_db_run(db, err,
			 "UPDATE login_failures SET failed = ?, failed_at = ?, locked_until = ? "
			 "WHERE username = ? AND source = ? AND failed = ? AND failed_at = ? AND "
			 "locked_until = ?",
			 "iiittiii", (int64_t)next->failed, next->failed_at, next->locked_until,
			 name, source, (int64_t)cur->failed, cur->failed_at, cur->locked_until);
}

/* Counts one failure on one row; *locked gets the lock it set, 0 if none. A row that keeps
 * changing under us eight times running was counted by the writers that changed it. */
static int lockout_count(struct fk_db *db, const char *name, const char *source, int64_t now,
			 const struct users_lock_rule *rule, int64_t *locked, struct fk_err *err)
{
	*locked = 0;
	for (int tries = 0; tries < 8; tries++) {
		struct users_lock cur, next;
		bool found = false;
		int64_t n;
		int rc = lockout_read_one(db, name, source, &cur, &found, err);

		if (rc < 0)
			return rc;
		next = users_lock_fail(cur, now, rule);
		n = lockout_swap(db, name, source, found, &cur, &next, err);
		if (n < 0)
			return (int)n;
		if (n > 0) {
			if (next.locked_until != cur.locked_until)
				*locked = next.locked_until;
			return 0;
		}
	}
	return 0;
}

int users_lockout_fail(struct fk_db *db, const char *name, const char *source, int64_t now_ms,
		       struct users_lock_set *set, struct fk_err *err)
{
	struct fk_policy_snap *pol = fk_policy_snap(db);
	struct users_lock_rule pair = {fk_policy_snap_i64(pol, USERS_POLICY(LOCK_AFTER)),
				       fk_policy_snap_ms(pol, USERS_POLICY(LOCK_WINDOW_MINUTES)),
				       fk_policy_snap_ms(pol, USERS_POLICY(LOCK_MINUTES))};
	struct users_lock_rule all = pair;
	int64_t pair_until = 0, name_until = 0;
	int rc;

	all.after = fk_policy_snap_i64(pol, USERS_POLICY(NAME_LOCK_AFTER));
	fk_policy_snap_release(pol);
	rc = lockout_count(db, name, source, now_ms, &pair, &pair_until, err);
	if (rc == 0)
		rc = lockout_count(db, name, USERS_ALL_SOURCES, now_ms, &all, &name_until, err);
	if (rc == 0 && set) {
		set->by_name = name_until > pair_until;
		set->until = set->by_name ? name_until : pair_until;
	}
	return rc;
}

int users_lockout_ok(struct fk_db *db, const char *name, const char *source, int64_t now_ms,
		     struct fk_err *err)
{
	return fk_db_write(
	    db, err,
	    "INSERT INTO login_failures (username, source, failed, failed_at, "
	    "locked_until, ok_at) VALUES (?, ?, 0, 0, 0, ?) "
	    "ON CONFLICT (username, source) DO UPDATE SET failed = 0, failed_at = 0, "
	    "locked_until = 0, ok_at = excluded.ok_at",
	    "tti", name, source, now_ms);
}

int users_lockout_clear(struct fk_db *db, const char *name, struct fk_err *err)
{
	return fk_db_write(db, err,
			   "UPDATE login_failures SET failed = 0, failed_at = 0, locked_until = 0 "
			   "WHERE username = ?",
			   "t", name);
}

int users_lockout_purge(struct fk_db *db, int64_t now_ms, int64_t *n, struct fk_err *err)
{
	int64_t window = fk_policy_ms(db, USERS_POLICY(LOCK_WINDOW_MINUTES), NULL);
	int64_t rc = fk_db_run(db, err,
			       "DELETE FROM login_failures WHERE locked_until <= ? AND "
			       "failed_at < ? AND ok_at < ?",
			       "iii", now_ms, now_ms - window, now_ms - USERS_KNOWN_SOURCE_MS);

	if (rc >= 0 && n)
		*n = rc;
	return rc < 0 ? (int)rc : 0;
}
