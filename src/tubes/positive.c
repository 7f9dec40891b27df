/* positive: the reflex to a positive pool (SPEC §3 混采阳性) and the single-tube retests that
 * settle each person. In the transaction that records the positive result, everyone in the
 * tube is flagged (their sample's result), gets a pending retest task that their grid and
 * building see, counts as positive in their building, and the command centre is alerted live
 * (one alert per building, so each grid sees its own). A negative retest clears the person:
 * they leave their building's positive count; a positive one is signalled, in its
 * transaction, to the modules that follow it (trace makes the person a case). */
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/xmalloc.h"
#include "events/events.h"
#include "tubes/internal.h"

struct flagged {
	int64_t person_id, building_id;
	char path[FK_AREA_PATH_MAX];
};

static int flagged_read(struct fk_db *db, const struct tb_tube *t, struct flagged *f, int *n,
			struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT person_id, building_id, area_path FROM samples "
			     "WHERE tube_id = ? AND voided = 0",
			     err);

	*n = 0;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, t->id);
	while ((rc = fk_q_step(q, err)) > 0 && *n < TB_TUBE_MAX) {
		f[*n].person_id = fk_q_i64(q, 0);
		f[*n].building_id = fk_q_i64(q, 1);
		snprintf(f[*n].path, sizeof(f[*n].path), "%s", fk_q_text(q, 2));
		++*n;
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static int retests_insert(struct fk_db *db, const struct tb_tube *t, int64_t now,
			  struct fk_err *err)
{
	struct flagged f[TB_TUBE_MAX];
	int n, rc = flagged_read(db, t, f, &n, err);

	for (int i = 0; rc == 0 && i < n; i++) {
		int64_t w = fk_db_run(db, err,
				      "INSERT INTO retests (id, round_id, person_id, from_tube_id, "
				      "building_id, area_path, status, created_at) "
				      "VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)",
				      "iiiiiti", fk_id_next(), t->round_id, f[i].person_id, t->id,
				      f[i].building_id, f[i].path, now);
		rc = w < 0 ? (int)w : 0;
	}
	return rc;
}

static int alert(struct fk_db *db, const struct tb_tube *t, const struct tb_building *b,
		 struct fk_err *err)
{
	char zh[200], en[200];
	json_t *payload =
	    json_pack("{s:o, s:s, s:o, s:o, s:i, s:s}", "round_id", fk_json_idv(t->round_id),
		      "tube_code", t->code, "site_id", fk_json_idv(t->site_id), "building_id",
		      fk_json_idv(b->id), "people", b->people, "site_name", t->site_name);

	snprintf(zh, sizeof(zh), "混采阳性：试管 %s，本楼 %d 人待单管复核", t->code, b->people);
	snprintf(en, sizeof(en), "Positive pool: tube %s, %d people here to retest singly", t->code,
		 b->people);
	return fk_alert_raise(db, "positive_pool", b->path, zh, en, payload, NULL, err);
}

/* Tells the modules that follow positive pools (zones): the payload documented in tubes.h. */
static int signal_pool(struct fk_app *app, struct fk_db *db, const struct tb_tube *t,
		       const struct tb_building *b, int n, struct fk_err *err)
{
	json_t *bs = json_array(), *payload;
	int rc;

	for (int i = 0; i < n; i++)
		json_array_append_new(bs,
				      json_pack("{s:o, s:s, s:i}", "area_id", fk_json_idv(b[i].id),
						"area_path", b[i].path, "people", b[i].people));
	payload = json_pack("{s:o, s:s, s:o}", "round_id", fk_json_idv(t->round_id), "tube_code",
			    t->code, "buildings", bs);
	rc = fk_signal(app, db, FK_SIGNAL_POSITIVE_POOL, payload, err);
	json_decref(payload);
	return rc;
}

int tb_positive_reflex(struct fk_app *app, struct fk_db *db, const struct tb_tube *t, int64_t now,
		       int *people, struct fk_err *err)
{
	struct tb_building b[TB_TUBE_MAX];
	int n, rc = tb_tube_buildings(db, t->id, b, TB_TUBE_MAX, &n, err);

	*people = 0;
	if (rc == 0)
		rc = retests_insert(db, t, now, err);
	for (int i = 0; rc == 0 && i < n; i++) {
		rc = fk_round_stats_add(db, t->round_id, b[i].id, 0, b[i].people, b[i].people, err);
		*people += b[i].people;
	}
	if (rc == 0)
		rc = (int)fk_db_run(db, err,
				    "UPDATE samples SET result = 'positive' WHERE tube_id = ? "
				    "AND voided = 0",
				    "i", t->id);
	for (int i = 0; rc >= 0 && i < n; i++)
		rc = alert(db, t, &b[i], err);
	if (rc >= 0)
		rc = signal_pool(app, db, t, b, n, err);
	return rc < 0 ? rc : 0;
}

/* ---- retests ---- */

#define RETEST_COLS                                                                                \
	"x.id, x.round_id, x.person_id, x.from_tube_id, x.building_id, x.status, p.name, "         \
	"p.id_number, t.code, x.area_path, x.created_at, x.sampled_at, x.settled_at"
#define RETEST_FROM                                                                                \
	" FROM retests x JOIN tubes t ON t.id = x.from_tube_id LEFT JOIN people p "                \
	"ON p.id = x.person_id "

static void retest_row(struct fk_q *q, struct tb_retest *r)
{
	memset(r, 0, sizeof(*r));
	r->id = fk_q_i64(q, 0);
	r->round_id = fk_q_i64(q, 1);
	r->person_id = fk_q_i64(q, 2);
	r->from_tube_id = fk_q_i64(q, 3);
	r->building_id = fk_q_i64(q, 4);
	snprintf(r->status, sizeof(r->status), "%s", fk_q_text(q, 5));
	snprintf(r->person_name, sizeof(r->person_name), "%s",
		 fk_q_text(q, 6) ? fk_q_text(q, 6) : "");
	snprintf(r->id_number, sizeof(r->id_number), "%s", fk_q_text(q, 7) ? fk_q_text(q, 7) : "");
	snprintf(r->tube_code, sizeof(r->tube_code), "%s", fk_q_text(q, 8));
	snprintf(r->area_path, sizeof(r->area_path), "%s", fk_q_text(q, 9));
	r->created_at = fk_q_i64(q, 10);
	r->sampled_at = fk_q_i64(q, 11);
	r->settled_at = fk_q_i64(q, 12);
}

static int list_query(struct fk_db *db, const struct fk_principal *who, const struct fk_area *a,
		      struct fk_q **q, int *next, struct fk_err *err)
{
	const struct fk_scoped_query sq = {
	    .head = "SELECT " RETEST_COLS RETEST_FROM "WHERE x.round_id = ? AND ",
	    .nhead = 1,
	    .col = "x.area_path",
	    .under = a ? a->path : NULL,
	    .tail = " ORDER BY CASE WHEN x.settled_at IS NULL THEN 0 ELSE 1 END, "
		    "x.area_path, x.id LIMIT ?"};

	return fk_scoped_query(db, who, &sq, q, next, err);
}

int tb_retest_list(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		   int64_t area_id, int limit, struct tb_retest **out, int *n, struct fk_err *err)
{
	struct fk_area a = {0};
	struct fk_q *q;
	int i, rc = area_id > 0 ? fk_area_get_in_scope(db, who, area_id, "area_id", &a, err) : 0;

	*out = NULL;
	*n = 0;
	if (rc == 0)
		rc = list_query(db, who, area_id > 0 ? &a : NULL, &q, &i, err);
	if (rc < 0) {
		fk_area_release(&a);
		return rc;
	}
	fk_q_bind_i64(q, 1, round_id);
	fk_q_bind_i64(q, i, limit);
	*out = fk_xcalloc((size_t)limit, sizeof(**out));
	while (*n < limit && (rc = fk_q_step(q, err)) > 0)
		retest_row(q, &(*out)[(*n)++]);
	fk_q_done(q);
	fk_area_release(&a);
	return rc < 0 ? rc : 0;
}

static int retest_read(struct fk_db *db, const struct fk_principal *who, int64_t id,
		       struct tb_retest *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT " RETEST_COLS RETEST_FROM "WHERE x.id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		retest_row(q, out);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0 || !fk_scope_covers(who, out->area_path))
		return fk_err_set(err, FK_ENOTFOUND, "retest_not_found", "id", "复核任务不存在",
				  "there is no such retest");
	return 0;
}

/* Tells the modules that follow positive retests (trace): the payload documented in tubes.h. */
static int signal_retest(struct fk_app *app, struct fk_db *db, const struct tb_retest *r,
			 struct fk_err *err)
{
	json_t *payload = json_pack("{s:o, s:o, s:o, s:s}", "retest_id", fk_json_idv(r->id),
				    "round_id", fk_json_idv(r->round_id), "person_id",
				    fk_json_idv(r->person_id), "area_path", r->area_path);
	int rc = fk_signal(app, db, FK_SIGNAL_POSITIVE_RETEST, payload, err);

	json_decref(payload);
	return rc;
}

static int retest_move(struct fk_app *app, struct fk_db *db, const struct fk_principal *who,
		       struct tb_retest *r, const char *result, int64_t now, struct fk_err *err)
{
	bool sampled = strcmp(result, "sampled") == 0;
	int64_t rc;

	if (sampled)
		rc = fk_db_run(db, err,
			       "UPDATE retests SET status = 'sampled', sampled_at = ? WHERE id = ?",
			       "ii", now, r->id);
	else
		rc = fk_db_run(db, err,
			       "UPDATE retests SET status = ?, settled_at = ?, settled_by = ? "
			       "WHERE id = ?",
			       "tiii", result, now, who->user_id, r->id);
	if (rc >= 0 && strcmp(result, "negative") == 0)
		rc = fk_round_stats_add(db, r->round_id, r->building_id, 0, 0, -1, err);
	if (rc >= 0 && strcmp(result, "positive") == 0)
		rc = signal_retest(app, db, r, err);
	return rc < 0 ? (int)rc : 0;
}

int tb_retest_result(struct fk_app *app, struct fk_db *db, const struct fk_principal *who,
		     int64_t id, const char *result, struct tb_retest *out, struct fk_err *err)
{
	bool settled, sampled = result && strcmp(result, "sampled") == 0;
	const char *r = sampled ? "sampled" : tb_result_norm(result);
	int rc = retest_read(db, who, id, out, err);

	if (rc < 0)
		return rc;
	if (!r || strcmp(r, "invalid") == 0)
		return fk_err_set(err, FK_EINVAL, "invalid_result", "result",
				  "结果应为 sampled（已采样）、negative（阴性）或 positive（阳性）",
				  "result must be sampled, negative or positive");
	if (!sampled && who->role != FK_ROLE_LAB && who->role != FK_ROLE_ADMIN &&
	    who->role != FK_ROLE_COMMANDER && who->role != FK_ROLE_COMMUNITY)
		return fk_err_set(err, FK_EPERM, "forbidden", "result",
				  "只有实验室或指挥部可以录入复核结果",
				  "only the lab or the command centre records retest results");
	settled = out->settled_at != 0;
	if (strcmp(out->status, r) == 0)
		return 0;
	if (settled || (sampled && strcmp(out->status, "pending") != 0))
		return fk_err_set(err, FK_ECONFLICT, "retest_settled", "result",
				  "该复核已有结果：%s", "the retest already has a result: %s",
				  out->status);
	rc = retest_move(app, db, who, out, r, fk_now_ms(), err);
	return rc < 0 ? rc : retest_read(db, who, id, out, err);
}
