/* action: what staff and the resident do to a request — accept, done, close with a reason,
 * confirm (the resident who owns it), reopen, escalate by hand. A closed request refuses
 * every action but reopen (409 request_closed). Each action is one log row and an event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/xmalloc.h"
#include "requests/internal.h"

static bool is(const struct rq_row *r, const char *status)
{
	return strcmp(r->status, status) == 0;
}

static int refuse(const char *key, const char *zh, const char *en, struct fk_err *err)
{
	return fk_err_set(err, FK_ECONFLICT, key, "status", zh, en);
}

static int set_status(struct fk_db *db, struct rq_row *r, const char *status, int64_t now,
		      struct fk_err *err)
{
	snprintf(r->status, sizeof(r->status), "%s", status);
	return fk_db_write(db, err, "UPDATE requests SET status = ?, updated_at = ? WHERE id = ?",
			   "tii", status, now, r->id);
}

static int closing(struct fk_db *db, struct rq_row *r, const char *by, const char *reason,
		   int64_t now, struct fk_err *err)
{
	snprintf(r->status, sizeof(r->status), "closed");
	return fk_db_write(db, err,
			   "UPDATE requests SET status = 'closed', updated_at = ?, closed_at = ?, "
			   "closed_by = ?, close_reason = ? WHERE id = ?",
			   "iitti", now, now, by, reason, r->id);
}

/* The deadline of r from now under the policies in force. */
static int64_t due_from(struct fk_db *db, const struct rq_row *r, int64_t now)
{
	struct fk_policy_snap *s = fk_policy_snap(db);
	int64_t due = now + rq_deadline_ms(s, r->kind, r->urgency);

	fk_policy_snap_release(s);
	return due;
}

static int reopen(struct fk_db *db, struct rq_row *r, int64_t now, struct fk_err *err)
{
	if (!is(r, "closed") && !is(r, "done"))
		return refuse("request_open", "诉求尚未办结，无需重新打开",
			      "the request is still open", err);
	snprintf(r->status, sizeof(r->status), "open");
	r->due_at = due_from(db, r, now);
	return fk_db_write(
	    db, err,
	    "UPDATE requests SET status = 'open', updated_at = ?, due_at = ?, at_top "
	    "= 0, closed_at = NULL, closed_by = NULL, close_reason = NULL WHERE id = ?",
	    "iii", now, r->due_at, r->id);
}

/* One staffed level up from where r sits; 409 at_top_level when there is none. */
static int escalate(struct fk_db *db, struct rq_row *r, int64_t now, char from[16],
		    struct fk_err *err)
{
	struct rq_cand *c = fk_xcalloc(RQ_MAX_DEPTH, sizeof(*c));
	int n = 0, i = -1, rc = 0;

	if (!is(r, "open") && !is(r, "accepted"))
		rc = refuse("request_done", "诉求已办结，不能上报",
			    "the request is done: it cannot be escalated", err);
	if (rc == 0)
		rc = rq_level_cands(db, r->level_area_path, c, &n, err);
	if (rc == 0 && (i = rq_level_pick(c, n, rq_path_depth(r->level_area_path))) < 0)
		rc = refuse("at_top_level", "已在最高层级，无法再上报",
			    "the request sits at the highest level already", err);
	if (rc == 0) {
		snprintf(from, 16, "%s", r->level);
		snprintf(r->level, sizeof(r->level), "%s", c[i].kind);
		r->level_area_id = c[i].id;
		snprintf(r->level_area_path, sizeof(r->level_area_path), "%s", c[i].path);
		r->due_at = due_from(db, r, now);
		rc =
		    fk_db_write(db, err,
				"UPDATE requests SET level = ?, level_area_id = ?, level_area_path "
				"= ?, due_at = ?, at_top = 0, escalations = escalations + 1, "
				"updated_at = ? WHERE id = ?",
				"titiii", r->level, r->level_area_id, r->level_area_path, r->due_at,
				now, r->id);
	}
	free(c);
	return rc;
}

/* The state change of action; *log_action gets the log's name for it. */
static int apply(struct fk_db *db, const struct fk_principal *who, struct rq_row *r,
		 const char *action, const char *text, int64_t now, char from[16],
		 struct fk_err *err)
{
	if (strcmp(action, "reopen") == 0)
		return reopen(db, r, now, err);
	if (is(r, "closed"))
		return refuse("request_closed", "诉求已关闭", "the request is closed", err);
	if (strcmp(action, "accept") == 0)
		return is(r, "open") ? set_status(db, r, "accepted", now, err)
				     : refuse("not_open", "只能受理待处理的诉求",
					      "only an open request can be accepted", err);
	if (strcmp(action, "done") == 0)
		return is(r, "done") ? refuse("request_done", "诉求已办结",
					      "the request is done already", err)
				     : set_status(db, r, "done", now, err);
	if (strcmp(action, "close") == 0)
		return closing(db, r, "worker", text, now, err);
	if (strcmp(action, "confirm") == 0)
		return who->role == FK_ROLE_RESIDENT
			   ? closing(db, r, "resident", NULL, now, err)
			   : fk_err_set(err, FK_EPERM, "not_own_request", "id",
					"只有提出诉求的居民可以确认", "only the resident confirms");
	return escalate(db, r, now, from, err);
}

static const char *log_name(const char *action)
{
	static const char *const map[][2] = {
	    {"accept", "accepted"},   {"done", "done"},	      {"close", "closed"},
	    {"confirm", "confirmed"}, {"reopen", "reopened"}, {"escalate", "escalated"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], action) == 0)
			return map[i][1];
	return action;
}

int rq_action(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *action,
	      const char *text, struct fk_err *err)
{
	struct rq_row r = {0};
	char from[16] = "";
	int64_t now = fk_now_ms();
	int rc = rq_row_get(db, who, id, &r, err);

	/* Only the resident who raised it confirms: told after the lookup, so that a request out
	 * of the caller's scope reads as missing (404) rather than refused. */
	if (rc == 0 && strcmp(action, "confirm") == 0 && who->role != FK_ROLE_RESIDENT)
		rc =
		    fk_err_set(err, FK_EPERM, "not_own_request", "id", "只有提出诉求的居民可以确认",
			       "only the resident who raised it confirms");
	if (rc == 0)
		rc = apply(db, who, &r, action, text, now, from, err);
	if (rc == 0)
		rc = rq_log(db, &r, who, log_name(action), from[0] ? from : NULL,
			    from[0] ? r.level : NULL, text, now, err);
	if (rc == 0 && (from[0] || strcmp(action, "reopen") == 0))
		rc = rq_alert(db, &r, from[0] ? "escalated" : "reopened", err);
	if (rc == 0)
		rq_event(db, &r);
	return rc;
}
