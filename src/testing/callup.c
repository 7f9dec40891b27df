/* callup: call-up 叫号 slots — per building, the time its residents are called to the
 * sampling site so nobody queues; grid workers and building leads mark a building's call-up
 * done once they have called everyone. Listed with the building's live counters so the
 * still-missing count sits beside the slot. */
#include <string.h>
#include "base/clock.h"
#include "testing/internal.h"

#define CALLUP_COLS                                                                                \
	"c.area_id, a.name, a.code, a.path, c.slot_start, c.slot_end, c.done_at, c.done_by, "      \
	"COALESCE(s.expected, 0), COALESCE(s.exempt, 0), COALESCE(s.sampled, 0), "                 \
	"COALESCE(s.resulted, 0), COALESCE(s.positive, 0), CASE WHEN s.expected > s.sampled "      \
	"THEN s.expected - s.sampled ELSE 0 END"
#define CALLUP_FROM                                                                                \
	" FROM callups c JOIN areas a ON a.id = c.area_id LEFT JOIN round_stats s ON "             \
	"s.round_id = c.round_id AND s.area_id = c.area_id "

static json_t *callup_json(struct fk_q *q)
{
	struct tr_counts c = {fk_q_i64(q, 8),  fk_q_i64(q, 9),	fk_q_i64(q, 10),
			      fk_q_i64(q, 11), fk_q_i64(q, 12), fk_q_i64(q, 13)};
	json_t *o = tr_counts_json(&c);

	json_object_set_new(o, "area_id", fk_json_idv(fk_q_i64(q, 0)));
	json_object_set_new(o, "name", fk_json_strv(fk_q_text(q, 1)));
	json_object_set_new(o, "code", fk_json_strv(fk_q_text(q, 2)));
	json_object_set_new(o, "path", fk_json_strv(fk_q_text(q, 3)));
	json_object_set_new(o, "slot_start", fk_json_timev(fk_q_i64(q, 4)));
	json_object_set_new(o, "slot_end", fk_json_timev(fk_q_i64(q, 5)));
	json_object_set_new(o, "done_at", fk_json_timev(fk_q_i64(q, 6)));
	json_object_set_new(o, "done_by", fk_json_idv(fk_q_i64(q, 7)));
	json_object_set_new(o, "done", json_boolean(!fk_q_isnull(q, 6)));
	return o;
}

static int round_not_closed(const struct fk_round *r, struct fk_err *err)
{
	if (r->status == FK_ROUND_CLOSED)
		return fk_err_set(err, FK_EUNPROC, "round_closed", NULL,
				  "该轮次已结束，叫号不能再改", "the round is closed");
	return 0;
}

int tr_callup_set(struct fk_db *db, const struct fk_principal *who, const struct fk_round *r,
		  const struct tr_round_areas *ra, int64_t area_id, int64_t slot_start,
		  int64_t slot_end, const char *field, struct fk_err *err)
{
	struct fk_area a = {0};
	int rc = round_not_closed(r, err);

	if (rc == 0)
		rc = fk_area_get(db, area_id, &a, err);
	if (rc == 0 && who && !fk_scope_covers(who, a.path))
		rc = FK_ENOTFOUND;
	if (rc == FK_ENOTFOUND)
		rc = fk_err_set(err, FK_EINVAL, "unknown_area", field, "区域 %lld 不存在",
				"area %lld does not exist", (long long)area_id);
	else if (rc == 0 && !tr_round_has_path(ra, a.path))
		rc = fk_err_set(err, FK_EUNPROC, "area_not_in_round", field,
				"“%s”不在本轮检测的区域内", "\"%s\" is not in the round's areas",
				a.name);
	else if (rc == 0 && strcmp(a.kind, "building") != 0)
		rc = fk_err_set(err, FK_EUNPROC, "not_a_building", field,
				"叫号按楼栋安排，“%s”不是楼栋",
				"call-ups are per building; \"%s\" is not a building", a.name);
	else if (rc == 0 && slot_end <= slot_start)
		rc =
		    fk_err_set(err, FK_EINVAL, "slot_end_before_start", "slot_end",
			       "叫号结束时间必须晚于开始时间", "the slot must end after it starts");
	if (rc == 0)
		rc = fk_db_write(db, err,
				 "INSERT INTO callups (round_id, area_id, area_path, slot_start, "
				 "slot_end) VALUES (?, ?, ?, ?, ?) ON CONFLICT (round_id, area_id) "
				 "DO UPDATE SET slot_start = excluded.slot_start, "
				 "slot_end = excluded.slot_end",
				 "iitii", r->id, area_id, a.path, slot_start, slot_end);
	fk_area_release(&a);
	return rc;
}

static int read_one(struct fk_db *db, int64_t round_id, int64_t area_id, json_t **out,
		    struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	*out = NULL;
	rc = fk_db_query(db, &q,
			 "SELECT " CALLUP_COLS CALLUP_FROM "WHERE c.round_id = ? AND c.area_id = ?",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, round_id);
	fk_q_bind_i64(q, 2, area_id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		*out = callup_json(q);
	fk_q_done(q);
	if (rc == 0)
		return fk_err_set(err, FK_ENOTFOUND, "callup_not_found", "area_id",
				  "该楼栋在本轮没有叫号安排", "the building has no call-up slot");
	return rc < 0 ? rc : 0;
}

int tr_callup_done(struct fk_db *db, const struct fk_principal *who, const struct fk_round *r,
		   int64_t area_id, json_t **out, struct fk_err *err)
{
	struct fk_area a = {0};
	int rc = round_not_closed(r, err);

	*out = NULL;
	if (rc == 0)
		rc = fk_area_get_in_scope(db, who, area_id, "area_id", &a, err);
	fk_area_release(&a);
	if (rc == 0)
		rc = fk_db_write(
		    db, err,
		    "UPDATE callups SET done_at = ?, done_by = ? WHERE round_id = ? AND "
		    "area_id = ? AND done_at IS NULL",
		    "iiii", fk_now_ms(), who ? who->user_id : (int64_t)0, r->id, area_id);
	if (rc == 0)
		rc = read_one(db, r->id, area_id, out, err);
	return rc;
}

int tr_callup_list(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		   const struct fk_area *area, json_t *items, struct fk_err *err)
{
	const struct fk_scoped_query sq = {.head = "SELECT " CALLUP_COLS CALLUP_FROM
						   "WHERE c.round_id = ? AND ",
					   .nhead = 1,
					   .col = "c.area_path",
					   .under = area ? area->path : NULL,
					   .tail = " ORDER BY c.slot_start, a.code LIMIT 5000"};
	struct fk_q *q;
	int rc, idx;

	rc = fk_scoped_query(db, who, &sq, &q, &idx, err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, round_id);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(items, callup_json(q));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
