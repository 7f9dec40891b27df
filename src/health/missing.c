/* missing: who has not reported a half-day. The list is live: the placements covering the
 * day (any status but cancelled) in the caller's scope with no report for the half-day,
 * read beside the people and areas they name (this module reads the isolation module's
 * placements, the people module's people and the area module's areas in its own SQL, as
 * the list filters on them). The job health.missed records the misses of each half-day
 * once, when its deadline has passed, in one INSERT ... SELECT over every placement, then
 * alerts each grid once with the count of its people who missed it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/log.h"
#include "base/mask.h"
#include "base/xmalloc.h"
#include "events/events.h"
#include "health/internal.h"

/* The conditions both the count and the page share: under a placement on the day, no
 * report for the half-day. Binds: day, day, day, half. */
#define MISSING_WHERE                                                                              \
	"p.status <> 'cancelled' AND p.start_day <= ? AND p.end_day > ? AND NOT EXISTS (SELECT "   \
	"1 FROM health_reports r WHERE r.person_id = p.person_id AND r.day = ? AND r.half = ?) "   \
	"AND "

static void bind_half(struct fk_q *q, const struct hl_half *h, int first)
{
	fk_q_bind_text(q, first, h->day);
	fk_q_bind_text(q, first + 1, h->day);
	fk_q_bind_text(q, first + 2, h->day);
	fk_q_bind_text(q, first + 3, h->half);
}

static int missing_total(struct fk_db *db, const struct fk_principal *who,
			 const struct hl_missing_query *mq, int64_t *total, struct fk_err *err)
{
	const struct fk_scoped_query sq = {
	    .head = "SELECT COUNT(*) FROM placements p WHERE " MISSING_WHERE,
	    .nhead = 4,
	    .col = "p.area_path",
	    .under = mq->under};
	struct fk_q *q;
	int i, rc = fk_scoped_query(db, who, &sq, &q, &i, err);

	if (rc < 0)
		return rc;
	bind_half(q, &mq->h, 1);
	if ((rc = fk_q_step(q, err)) > 0)
		*total = fk_q_i64(q, 0);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

/* A person missing a report, as the worker who calls them needs: ID number and phone masked
 * unless the role may see them. */
static json_t *item_json(const struct fk_principal *who, struct fk_q *q)
{
	const char *id = fk_q_text(q, 4), *phone = fk_q_text(q, 7);
	char masked[48], masked_phone[32];

	if (!who->see_id)
		fk_mask_id(id ? id : "", masked, sizeof(masked));
	if (!who->see_phone)
		fk_mask_phone(phone ? phone : "", masked_phone, sizeof(masked_phone));
	return json_pack("{s:{s:o, s:s, s:s, s:s, s:b, s:o, s:s}, s:o, s:s, s:s}", "person", "id",
			 fk_json_idv(fk_q_i64(q, 2)), "name", fk_q_text(q, 3), "id_number",
			 who->see_id ? (id ? id : "") : masked, "phone",
			 who->see_phone ? (phone ? phone : "") : masked_phone, "masked",
			 !who->see_id, "area_id", fk_json_idv(fk_q_i64(q, 5)), "area_name",
			 fk_q_text(q, 6), "placement_id", fk_json_idv(fk_q_i64(q, 0)), "kind",
			 fk_q_text(q, 1), "area_name", fk_q_text(q, 6));
}

static int missing_page(struct fk_db *db, const struct fk_principal *who,
			const struct hl_missing_query *mq, json_t *items, int64_t *last,
			struct fk_err *err)
{
	/* The page's ids come from the placements alone (sorted, cut to the page), and only
	 * the page's people and areas are read: joined before the cut, the district's page read
	 * every missing person's row to keep 500 of them. "+p.id" keeps the planner on the area
	 * path's index: ordered by the primary key, a grid's page would walk every placement of
	 * the store by id. */
	const struct fk_scoped_query sq = {
	    .head = "SELECT m.id, m.kind, pe.id, pe.name, pe.id_number, pe.area_id, a.name, "
		    "pe.phone FROM "
		    "placements m JOIN people pe ON pe.id = m.person_id JOIN areas a ON a.id = "
		    "pe.area_id WHERE m.id IN (SELECT p.id FROM placements p WHERE +p.id > ? "
		    "AND " MISSING_WHERE,
	    .nhead = 5,
	    .col = "p.area_path",
	    .under = mq->under,
	    .tail = " ORDER BY +p.id LIMIT ?) ORDER BY m.id"};
	struct fk_q *q;
	int i, n = 0, rc = fk_scoped_query(db, who, &sq, &q, &i, err);

	*last = 0;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, mq->after);
	bind_half(q, &mq->h, 2);
	fk_q_bind_i64(q, i, mq->limit + 1);
	while ((rc = fk_q_step(q, err)) > 0) {
		if (n++ == mq->limit)
			break; /* one more than the page: there is a next one */
		json_array_append_new(items, item_json(who, q));
		*last = fk_q_i64(q, 0);
	}
	fk_q_done(q);
	if (n <= mq->limit)
		*last = 0;
	return rc < 0 ? rc : 0;
}

int hl_missing_list(struct fk_db *db, const struct fk_principal *who,
		    const struct hl_missing_query *q, json_t *out, struct fk_err *err)
{
	int64_t total = 0, last = 0;
	json_t *items = json_array();
	char next[24];
	int rc = missing_total(db, who, q, &total, err);

	if (rc == 0)
		rc = missing_page(db, who, q, items, &last, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	snprintf(next, sizeof(next), "%lld", (long long)last);
	json_object_set_new(out, "total", json_integer(total));
	json_object_set_new(out, "items", items);
	json_object_set_new(out, "next_cursor", last ? json_string(next) : json_null());
	return 0;
}

/* ---- the job ---- */

/* The grids' paths, sorted, to find the grid above a person's area. */
struct grids {
	char **paths;
	int n;
};

static void grid_row(struct fk_q *q, void *rec)
{
	*(char **)rec = fk_xstrdup(fk_q_text(q, 0));
}

static int grids_read(struct fk_db *db, struct grids *g, struct fk_err *err)
{
	struct fk_q *q;
	int rc =
	    fk_db_query(db, &q, "SELECT path FROM areas WHERE kind = 'grid' ORDER BY path", err);

	return rc < 0 ? rc
		      : fk_q_collect(q, sizeof(char *), grid_row, (void **)&g->paths, &g->n, err);
}

static void grids_free(struct grids *g)
{
	for (int i = 0; i < g->n; i++)
		free(g->paths[i]);
	free(g->paths);
}

static int path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The path of the grid whose subtree holds path, else path itself (an area under no grid
 * hears of its own people). */
static const char *grid_of(const struct grids *g, const char *path, char *buf, size_t size)
{
	snprintf(buf, size, "%s", path);
	for (size_t len = strlen(buf); len > 1; len--) {
		const char *key = buf;

		if (buf[len - 1] != '/')
			continue;
		buf[len] = '\0';
		if (g->n && bsearch(&key, g->paths, (size_t)g->n, sizeof(char *), path_cmp))
			return buf;
	}
	return path;
}

static int miss_alert(struct fk_db *db, const struct hl_half *h, const char *path, int64_t count,
		      struct fk_err *err)
{
	bool am = strcmp(h->half, "am") == 0;
	char zh[FK_ALERT_TITLE_MAX], en[FK_ALERT_TITLE_MAX];

	snprintf(zh, sizeof(zh), "健康报告未报：%s%s %lld 人逾时未报", h->day, am ? "早间" : "晚间",
		 (long long)count);
	snprintf(en, sizeof(en), "Health reports missed: %lld people, %s %s", (long long)count,
		 h->day, am ? "morning" : "evening");
	return fk_alert_raise(db, "health_missed", path, zh, en,
			      json_pack("{s:s, s:s, s:I}", "day", h->day, "half", h->half, "count",
					(json_int_t)count),
			      NULL, err);
}

/* The misses of h as [grid path, count] pairs: the misses come sorted by area path, so the
 * areas under one grid come together. */
static int group_misses(struct fk_db *db, const struct grids *g, const struct hl_half *h,
			json_t *groups, struct fk_err *err)
{
	char cur[FK_AREA_PATH_MAX] = "", buf[FK_AREA_PATH_MAX];
	int64_t count = 0;
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT area_path, COUNT(*) FROM health_misses WHERE day = ? AND "
			     "half = ? GROUP BY area_path ORDER BY area_path",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, h->day);
	fk_q_bind_text(q, 2, h->half);
	while ((rc = fk_q_step(q, err)) > 0) {
		const char *grid = grid_of(g, fk_q_text(q, 0), buf, sizeof(buf));

		if (strcmp(grid, cur) != 0) {
			if (cur[0])
				json_array_append_new(groups, json_pack("[s, I]", cur, count));
			snprintf(cur, sizeof(cur), "%s", grid);
			count = 0;
		}
		count += fk_q_i64(q, 1);
	}
	fk_q_done(q);
	if (rc >= 0 && cur[0])
		json_array_append_new(groups, json_pack("[s, I]", cur, count));
	return rc < 0 ? rc : 0;
}

/* One alert per grid naming how many of its people missed h. */
static int alert_grids(struct fk_db *db, const struct hl_half *h, struct fk_err *err)
{
	struct grids g = {0};
	json_t *groups = json_array(), *v;
	size_t i;
	int rc = grids_read(db, &g, err);

	if (rc == 0)
		rc = group_misses(db, &g, h, groups, err);
	json_array_foreach(groups, i, v)
	{
		if (rc < 0)
			break;
		rc = miss_alert(db, h, json_string_value(json_array_get(v, 0)),
				json_integer_value(json_array_get(v, 1)), err);
	}
	grids_free(&g);
	json_decref(groups);
	return rc < 0 ? rc : 0;
}

/* Every placement covering h's day with no report for h, in one statement. */
static int record_misses(struct fk_db *db, const struct hl_half *h, int64_t now, int64_t *n,
			 struct fk_err *err)
{
	*n = fk_db_run(db, err,
		       "INSERT INTO health_misses (placement_id, day, half, person_id, area_path, "
		       "alerted_at) SELECT p.id, ?, ?, p.person_id, p.area_path, ? FROM placements "
		       "p WHERE " MISSING_WHERE "1 = 1 ON CONFLICT DO NOTHING",
		       "ttitttt", h->day, h->half, now, h->day, h->day, h->day, h->half);
	return *n < 0 ? (int)*n : 0;
}

/* Sweeps h once: the row of health_sweeps claims it, so a second run (or server) skips it. */
static int sweep_half(struct fk_db *db, const struct hl_half *h, int64_t now, int64_t *missed,
		      struct fk_err *err)
{
	struct fk_tx tx;
	int64_t n = 0, claimed = 0;
	int rc = fk_tx_begin(db, &tx, err);

	if (rc == 0) {
		claimed =
		    fk_db_run(db, err,
			      "INSERT INTO health_sweeps (day, half, swept_at, missed) VALUES "
			      "(?, ?, ?, 0) ON CONFLICT DO NOTHING",
			      "tti", h->day, h->half, now);
		rc = claimed < 0 ? (int)claimed : 0;
	}
	if (rc == 0 && claimed > 0)
		rc = record_misses(db, h, now, &n, err);
	if (rc == 0 && n > 0)
		rc = alert_grids(db, h, err);
	if (rc == 0 && n > 0)
		rc = fk_db_write(db, err,
				 "UPDATE health_sweeps SET missed = ? WHERE day = ? AND half = ?",
				 "itt", n, h->day, h->half);
	rc = fk_tx_end(db, &tx, rc, err);
	if (rc == 0 && n > 0)
		fk_info("event=health_missed day=%s half=%s missed=%lld", h->day, h->half,
			(long long)n);
	*missed += rc == 0 ? n : 0;
	return rc;
}

int hl_sweep(struct fk_db *db, int64_t now, int64_t *missed, struct fk_err *err)
{
	struct fk_policy_snap *s = fk_policy_snap(db);
	struct hl_half hs[4];
	int64_t total = 0;
	int rc = 0;

	hl_half_at(now, &hs[3]);
	for (int i = 2; i >= 0; i--)
		hl_half_prev(&hs[i + 1], &hs[i]);
	for (int i = 0; i < 4 && rc == 0; i++)
		if (hl_deadline_ms(s, &hs[i]) <= now)
			rc = sweep_half(db, &hs[i], now, &total, err);
	fk_policy_snap_release(s);
	if (missed)
		*missed = total;
	return rc;
}

int hl_missed_job(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	(void)app;
	return hl_sweep(db, fk_now_ms(), NULL, err);
}
