/* escalate: the job requests.escalate, every minute. One set-based pass in one transaction:
 * the open and accepted requests past their deadline, grouped by the area they sit at; for
 * each such area, the next level above it with an active account (found in memory among the
 * staffed level areas); the moves written to the work table request_moves; then one INSERT
 * of the log rows (each naming the deadline passed and the level left) and one UPDATE of the
 * requests (new level, new deadline, one more escalation) join it. A request with no staffed
 * level above stays where it is, flagged at_top (still overdue). After the commit, one event
 * "request" per request moved and one alert per receiving area naming the count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/json.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "events/events.h"
#include "requests/internal.h"

/* The due requests, read on the index (status, at_top, due_at). Below, "+level_area_id"
 * keeps SQLite on it: on the queue's index (level_area_id, id) it would read every request
 * of the areas concerned, due or not. */
#define DUE "r.status IN ('open', 'accepted') AND r.at_top = 0 AND r.due_at <= ?"

struct staffed {
	struct rq_cand *c;
	int n;
};

static void staffed_row(struct fk_q *q, void *rec)
{
	struct rq_cand *c = rec;

	c->id = fk_q_i64(q, 0);
	snprintf(c->kind, sizeof(c->kind), "%s", fk_q_text(q, 1));
	snprintf(c->path, sizeof(c->path), "%s", fk_q_text(q, 2));
	c->depth = rq_path_depth(c->path);
	c->staffed = true;
}

/* Every level area with an active account of its level's role on it, sorted by path. */
static int staffed_read(struct fk_db *db, struct staffed *s, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(
	    db, &q,
	    "SELECT a.id, a.kind, a.path FROM areas a WHERE a.kind IN ('building', 'grid', "
	    "'community', 'street', 'district') AND EXISTS (SELECT 1 FROM user_scopes s JOIN users "
	    "u ON u.id = s.user_id WHERE s.area_id = a.id AND u.disabled = 0 AND u.role = (CASE "
	    "WHEN a.kind IN ('street', 'district') THEN 'commander' ELSE a.kind END))",
	    err);

	if (rc == 0)
		rc = fk_q_collect(q, sizeof(struct rq_cand), staffed_row, (void **)&s->c, &s->n,
				  err);
	if (rc == 0 && s->n > 1)
		qsort(s->c, (size_t)s->n, sizeof(*s->c), rq_cand_cmp);
	return rc;
}

/* The request_moves rows of this tick: one per area holding due requests. *groups gets
 * [[to_path, count], ...] for the alerts. */
static int plan_moves(struct fk_db *db, const struct staffed *s, int64_t now, json_t *groups,
		      struct fk_err *err)
{
	struct fk_q *q;
	json_t *due = json_array(), *v;
	size_t i;
	int rc = fk_db_write(db, err, "DELETE FROM request_moves", "");

	if (rc == 0)
		rc = fk_db_query(db, &q,
				 "SELECT +r.level_area_id, r.level_area_path, COUNT(*) FROM "
				 "requests r WHERE " DUE
				 " GROUP BY +r.level_area_id, r.level_area_path",
				 err);
	if (rc == 0) {
		fk_q_bind_i64(q, 1, now);
		while ((rc = fk_q_step(q, err)) > 0)
			json_array_append_new(due, json_pack("[I, s, I]", fk_q_i64(q, 0),
							     fk_q_text(q, 1), fk_q_i64(q, 2)));
		fk_q_done(q);
	}
	json_array_foreach(due, i, v)
	{
		const struct rq_cand *to =
		    rq_staffed_above(s->c, s->n, json_string_value(json_array_get(v, 1)));

		if (rc < 0)
			break;
		rc = fk_db_write(db, err,
				 "INSERT INTO request_moves (from_area_id, to_area_id, to_level, "
				 "to_path) VALUES (?, ?, ?, ?)",
				 "iitt", json_integer_value(json_array_get(v, 0)), to ? to->id : 0,
				 to ? to->kind : "", to ? to->path : "");
		if (to)
			json_array_append_new(groups,
					      json_pack("[s, O]", to->path, json_array_get(v, 2)));
	}
	json_decref(due);
	return rc < 0 ? rc : 0;
}

/* Deadline of each kind and urgency, bound in the order of DEADLINE_CASE. */
#define K(k)                                                                                       \
	"WHEN '" k ":normal' THEN CAST(? AS BIGINT) WHEN '" k ":urgent' THEN CAST(? AS BIGINT) "
#define DEADLINE_CASE                                                                              \
	"(CASE kind || ':' || urgency " K("medicine") K("medical") K("supplies") K("elderly_help") \
	    K("complaint") K("other") "ELSE 0 END)"

static int move(struct fk_db *db, int64_t now, int64_t *moved, struct fk_err *err)
{
	struct fk_policy_snap *s = fk_policy_snap(db);
	struct fk_q *q;
	int k = 0, rc = fk_db_query(
		       db, &q,
		       "UPDATE requests SET level = (SELECT m.to_level FROM request_moves m WHERE "
		       "m.from_area_id = requests.level_area_id), level_area_path = (SELECT "
		       "m.to_path FROM request_moves m WHERE m.from_area_id = "
		       "requests.level_area_id), level_area_id = (SELECT m.to_area_id FROM "
		       "request_moves m WHERE m.from_area_id = requests.level_area_id), "
		       "escalations = escalations + 1, updated_at = ?, due_at = CAST(? AS BIGINT) "
		       "+ " DEADLINE_CASE
		       " WHERE status IN ('open', 'accepted') AND at_top = 0 AND due_at <= ? AND "
		       "+level_area_id IN (SELECT from_area_id FROM request_moves WHERE to_area_id "
		       "<> 0)",
		       err);

	if (rc == 0) {
		fk_q_bind_i64(q, ++k, now);
		fk_q_bind_i64(q, ++k, now);
		for (int i = 0; i < 6; i++) {
			fk_q_bind_i64(q, ++k, rq_deadline_ms(s, rq_kinds[i], "normal"));
			fk_q_bind_i64(q, ++k, rq_deadline_ms(s, rq_kinds[i], "urgent"));
		}
		fk_q_bind_i64(q, ++k, now);
		rc = fk_q_step(q, err);
		*moved = rc >= 0 ? fk_q_changes(q) : 0;
		fk_q_done(q);
	}
	fk_policy_snap_release(s);
	return rc < 0 ? rc : 0;
}

/* The log rows and the events' payloads of the requests about to move. */
static int log_moves(struct fk_db *db, int64_t now, json_t *events, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_write(
	    db, err,
	    "INSERT INTO request_log (request_id, area_path, at, action, by_user, by_name, "
	    "from_level, to_level, deadline_at, note) SELECT r.id, r.area_path, ?, 'escalated', 0, "
	    "'', r.level, m.to_level, r.due_at, NULL FROM requests r JOIN request_moves m ON "
	    "m.from_area_id = +r.level_area_id WHERE m.to_area_id <> 0 AND " DUE,
	    "ii", now, now);

	if (rc == 0)
		rc = fk_db_query(
		    db, &q,
		    "SELECT r.id, r.kind, r.urgency, r.area_path, m.to_level, "
		    "m.to_area_id, r.status FROM requests r JOIN request_moves m ON m.from_area_id "
		    "= +r.level_area_id WHERE m.to_area_id <> 0 AND " DUE,
		    err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, now);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(
		    events, json_pack("{s:o, s:s, s:s, s:s, s:s, s:o, s:s}", "id",
				      fk_json_idv(fk_q_i64(q, 0)), "kind", fk_q_text(q, 1),
				      "urgency", fk_q_text(q, 2), "path", fk_q_text(q, 3), "level",
				      fk_q_text(q, 4), "level_area_id", fk_json_idv(fk_q_i64(q, 5)),
				      "status", fk_q_text(q, 6)));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

/* One alert per receiving area naming how many requests came up to it. */
static int alert_areas(struct fk_db *db, json_t *groups, struct fk_err *err)
{
	json_t *by = json_object(), *v;
	const char *path;
	size_t i;
	int rc = 0;

	json_array_foreach(groups, i, v)
	{
		path = json_string_value(json_array_get(v, 0));
		json_object_set_new(by, path,
				    json_integer(json_integer_value(json_object_get(by, path)) +
						 json_integer_value(json_array_get(v, 1))));
	}
	json_object_foreach(by, path, v)
	{
		char zh[FK_ALERT_TITLE_MAX], en[FK_ALERT_TITLE_MAX];
		json_int_t n = json_integer_value(v);

		if (rc < 0)
			break;
		snprintf(zh, sizeof(zh), "诉求逾期上升：%lld 件上升至本级", (long long)n);
		snprintf(en, sizeof(en), "Requests escalated: %lld came up to this level",
			 (long long)n);
		rc = fk_alert_raise(db, "request_escalated", path, zh, en,
				    json_pack("{s:I}", "count", n), NULL, err);
	}
	json_decref(by);
	return rc;
}

static void publish(json_t *events)
{
	json_t *v;
	size_t i;

	json_array_foreach(events, i, v)
	{
		json_t *p = json_deep_copy(v);
		const char *path = json_string_value(json_object_get(v, "path"));

		json_object_del(p, "path");
		fk_events_publish("request", path, p);
	}
}

static int tick(struct fk_db *db, const struct staffed *s, int64_t now, json_t *events,
		int64_t *moved, struct fk_err *err)
{
	json_t *groups = json_array();
	int rc = plan_moves(db, s, now, groups, err);

	if (rc == 0)
		rc = log_moves(db, now, events, err);
	if (rc == 0)
		rc = fk_db_write(db, err,
				 "UPDATE requests SET at_top = 1 WHERE status IN ('open', "
				 "'accepted') AND at_top = 0 AND due_at <= ? AND +level_area_id IN "
				 "(SELECT from_area_id FROM request_moves WHERE to_area_id = 0)",
				 "i", now);
	if (rc == 0)
		rc = move(db, now, moved, err);
	if (rc == 0 && *moved > 0)
		rc = alert_areas(db, groups, err);
	json_decref(groups);
	return rc;
}

int rq_escalate(struct fk_db *db, int64_t now, int64_t *moved, struct fk_err *err)
{
	struct staffed s = {0};
	json_t *events = json_array();
	int64_t n = 0;
	struct fk_tx tx;
	int rc = fk_tx_begin(db, &tx, err);

	if (rc == 0)
		rc = staffed_read(db, &s, err);
	if (rc == 0)
		rc = tick(db, &s, now, events, &n, err);
	rc = fk_tx_end(db, &tx, rc, err);
	if (rc == 0 && n > 0) {
		publish(events);
		fk_info("event=requests_escalated moved=%lld", (long long)n);
	}
	free(s.c);
	json_decref(events);
	if (moved)
		*moved = rc == 0 ? n : 0;
	return rc;
}

int rq_escalate_job(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	(void)app;
	return rq_escalate(db, fk_now_ms(), NULL, err);
}
