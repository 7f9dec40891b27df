/* shift: making a shift — the worker (workforce.h) and the place in the caller's scope, no
 * overlap with the worker's other shifts, checked under the worker's row lock so that two
 * shifts sent at once on PostgreSQL are checked one after the other (on SQLite the write
 * transaction already has the file to itself) — and removing one. */
#include <stdio.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/json.h"
#include "events/events.h"
#include "workforce/workforce.h"
#include "duty/internal.h"

static int lock_worker(struct fk_db *db, int64_t worker_id, struct fk_err *err)
{
	char name[48];

	snprintf(name, sizeof(name), "worker:%lld", (long long)worker_id);
	return fk_db_write(db, err,
			   "INSERT INTO duty_locks (name, at) VALUES (?, ?) ON CONFLICT (name) DO "
			   "UPDATE SET at = excluded.at",
			   "ti", name, fk_now_ms());
}

static int overlap_refusal(struct fk_q *q, struct fk_err *err)
{
	char id[24], from[32], to[32];

	snprintf(id, sizeof(id), "%lld", (long long)fk_q_i64(q, 0));
	fk_iso8601(fk_q_i64(q, 1), from);
	fk_iso8601(fk_q_i64(q, 2), to);
	return fk_err_set(err, FK_ECONFLICT, "shift_overlap", "starts_at",
			  "此人已有班次 %s（%s 至 %s），时间重叠",
			  "the worker has shift %s (%s to %s) that overlaps", id, from, to);
}

/* FK_ECONFLICT "shift_overlap" when another shift of the worker overlaps [s, e). Call it
 * holding the worker's lock. */
static int worker_free(struct fk_db *db, int64_t worker_id, int64_t s, int64_t e,
		       struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT id, starts_at, ends_at FROM shifts WHERE worker_id = ? AND "
			     "starts_at < ? AND starts_at > ? AND ends_at > ? ORDER BY starts_at "
			     "LIMIT 1",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, worker_id);
	fk_q_bind_i64(q, 2, e);
	fk_q_bind_i64(q, 3, s - DU_SHIFT_MAX_MS); /* no shift is longer: the index's range */
	fk_q_bind_i64(q, 4, s);
	rc = fk_q_step(q, err);
	if (rc > 0)
		rc = overlap_refusal(q, err);
	fk_q_done(q);
	return rc;
}

static int shift_insert(struct fk_db *db, const struct fk_principal *who,
			const struct du_shift_new *n, const struct fk_worker *w,
			const struct du_place *p, int64_t id, struct fk_err *err)
{
	return fk_db_write(db, err,
			   "INSERT INTO shifts (id, worker_id, worker_user_id, worker_name, "
			   "place_kind, place_id, place_name, area_path, starts_at, ends_at, role, "
			   "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   "iiittittiitii", id, w->id, w->user_id, w->name, du_kind_name(p->kind),
			   p->id, p->name, p->path, n->starts_at, n->ends_at, n->role,
			   who ? who->user_id : 0, fk_now_ms());
}

/* The live event "duty" {shift_id, action ("made", "removed"), place_kind, place_id} at the
 * place's area, once the write commits: a board hears its places' staffing changed. */
static void shift_event(struct fk_db *db, int64_t id, const char *action, const char *path,
			const char *place_kind, int64_t place_id)
{
	fk_events_publish_after(db, "duty", path,
				json_pack("{s:o, s:s, s:s, s:o}", "shift_id", fk_json_idv(id),
					  "action", action, "place_kind", place_kind, "place_id",
					  fk_json_idv(place_id)));
}

int du_shift_create(struct fk_db *db, const struct fk_principal *who, const struct du_shift_new *n,
		    int64_t *id, struct fk_err *err)
{
	struct fk_worker w;
	struct du_place p;
	int rc = du_span_check(n->starts_at, n->ends_at, err);

	if (rc == 0)
		rc = fk_worker_get(db, who, n->worker_id, "worker_id", &w, err);
	if (rc == 0 && !w.active)
		rc = fk_err_set(err, FK_EUNPROC, "worker_inactive", "worker_id",
				"%s 已不再服务，不能排班",
				"%s no longer serves and cannot be put on a shift", w.name);
	if (rc == 0)
		rc = du_place_get(db, who, n->kind, n->place_id, &p, err);
	if (rc == 0 && !p.active)
		rc = fk_err_set(err, FK_EUNPROC, "place_inactive", "place_id", "该地点已停用",
				"the place is not active");
	if (rc == 0)
		rc = lock_worker(db, w.id, err);
	if (rc == 0)
		rc = worker_free(db, w.id, n->starts_at, n->ends_at, err);
	if (rc < 0)
		return rc;
	*id = fk_id_next();
	rc = shift_insert(db, who, n, &w, &p, *id, err);
	if (rc == 0)
		shift_event(db, *id, "made", p.path, du_kind_name(p.kind), p.id);
	return rc;
}

int du_shift_delete(struct fk_db *db, const struct fk_principal *who, int64_t id,
		    struct fk_err *err)
{
	struct fk_q *q;
	char path[FK_AREA_PATH_MAX] = "", kind[16] = "";
	int64_t place_id = 0;
	bool seen = false;
	int rc = fk_db_query(
	    db, &q, "SELECT area_path, place_kind, place_id FROM shifts WHERE id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		seen = !who || fk_scope_covers(who, fk_q_text(q, 0));
		snprintf(path, sizeof(path), "%s", fk_q_text(q, 0));
		snprintf(kind, sizeof(kind), "%s", fk_q_text(q, 1));
		place_id = fk_q_i64(q, 2);
	}
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (!seen)
		return fk_err_set(err, FK_ENOTFOUND, "shift_not_found", "id", "班次不存在",
				  "the shift does not exist");
	rc = fk_db_write(db, err, "DELETE FROM shifts WHERE id = ?", "i", id);
	if (rc == 0)
		shift_event(db, id, "removed", path, kind, place_id);
	return rc;
}

/* One row of SHIFT_SELECT as its JSON. */
json_t *du_shift_row(struct fk_q *q)
{
	char s[32], e[32];
	const char *role = fk_q_text(q, 8);

	return json_pack("{s:o, s:{s:o, s:s}, s:o, s:s, s:o, s:s, s:s, s:s, s:s?}", "id",
			 fk_json_idv(fk_q_i64(q, 0)), "worker", "id", fk_json_idv(fk_q_i64(q, 1)),
			 "name", fk_q_text(q, 2), "worker_id", fk_json_idv(fk_q_i64(q, 1)),
			 "place_kind", fk_q_text(q, 3), "place_id", fk_json_idv(fk_q_i64(q, 4)),
			 "place_name", fk_q_text(q, 5), "starts_at", fk_iso8601(fk_q_i64(q, 6), s),
			 "ends_at", fk_iso8601(fk_q_i64(q, 7), e), "role", role);
}

int du_shift_json(struct fk_db *db, int64_t id, json_t **out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, DU_SHIFT_SELECT " WHERE id = ?", err);

	*out = NULL;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		*out = du_shift_row(q);
	fk_q_done(q);
	if (rc == 0)
		rc = fk_err_set(err, FK_ENOTFOUND, "shift_not_found", "id", "班次不存在",
				"the shift does not exist");
	return rc < 0 ? rc : 0;
}
