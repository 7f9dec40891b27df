/* snapshot: the curve of an open round. A job takes, every dashboard.snapshot_minutes, each
 * open round's counters over every district, street and community the round concerns
 * (fk_round_figures_under, testing.h) into dashboard_snapshots; the curve reads them back
 * and ends with the live figure. It reads the areas table in its own SQL for the list of
 * areas down to community level (one small query per run). */
#include <stdlib.h>
#include "base/clock.h"
#include "base/json.h"
#include "base/xmalloc.h"
#include "dashboard/internal.h"
#include "platform/jobs.h"
#include "testing/testing.h"

const struct fk_policy_def db_policies[] = {
    [DB_POL_SNAPSHOT_MINUTES] = {.key = "dashboard.snapshot_minutes",
				 .type = FK_POLICY_DURATION,
				 .def = "10",
				 .min = 1,
				 .max = 1440,
				 .unit = FK_POLICY_MINUTES,
				 .label_zh = "检测进度曲线采样间隔",
				 .label_en = "Minutes between round curve points",
				 .help_zh = "指挥大屏的检测进度曲线每隔多少分钟记录一个点",
				 .help_en =
				     "How often the dashboard's round curve records a point"},
    FK_POLICIES_END,
};

struct db_area {
	int64_t id;
	char path[FK_AREA_PATH_MAX];
};

static void area_row(struct fk_q *q, void *rec)
{
	struct db_area *a = rec;

	a->id = fk_q_i64(q, 0);
	snprintf(a->path, sizeof(a->path), "%s", fk_q_text(q, 1));
}

static int upper_areas(struct fk_db *db, struct db_area **out, int *n, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT id, path FROM areas WHERE kind IN ('district', 'street', "
			     "'community') ORDER BY path",
			     err);

	return rc < 0 ? rc : fk_q_collect(q, sizeof(**out), area_row, (void **)out, n, err);
}

/* One row per area the round concerns (an area with no counters under it is left out). */
static int snapshot_round(struct fk_db *db, int64_t round_id, const struct db_area *a, int n,
			  int64_t now, int64_t *taken, struct fk_err *err)
{
	int rc = 0;

	for (int i = 0; rc == 0 && i < n; i++) {
		struct fk_round_figures f;
		rc = fk_round_figures_under(db, round_id, a[i].path, &f, err);
		if (rc < 0 || (f.expected == 0 && f.sampled == 0 && f.exempt == 0))
			continue;
		rc = fk_db_write(
		    db, err,
		    "INSERT INTO dashboard_snapshots (round_id, area_id, area_path, at, "
		    "expected, sampled, resulted, positive) VALUES (?, ?, ?, ?, ?, ?, ?, "
		    "?) ON CONFLICT (round_id, area_id, at) DO NOTHING",
		    "iitiiiii", round_id, a[i].id, a[i].path, now, f.expected, f.sampled,
		    f.resulted, f.positive);
		if (rc == 0)
			(*taken)++;
	}
	return rc;
}

/* Whether round_id's newest snapshot is at least every_ms old (or it has none). */
static int round_due(struct fk_db *db, int64_t round_id, int64_t now, int64_t every_ms, bool *due,
		     struct fk_err *err)
{
	int64_t last = 0;
	int rc = fk_db_one_i64(db, err, &last,
			       "SELECT COALESCE(MAX(at), 0) FROM dashboard_snapshots WHERE "
			       "round_id = ?",
			       "i", round_id);

	*due = last == 0 || now - last >= every_ms;
	return rc < 0 ? rc : 0;
}

static int snapshot_all(struct fk_db *db, const int64_t *rounds, int nr, int64_t now,
			int64_t *taken, struct fk_err *err)
{
	int64_t every_ms = fk_policy_ms(db, &db_policies[DB_POL_SNAPSHOT_MINUTES], NULL);
	struct db_area *areas = NULL;
	int na = 0, rc = upper_areas(db, &areas, &na, err);

	for (int r = 0; rc == 0 && r < nr; r++) {
		bool due = false;
		rc = round_due(db, rounds[r], now, every_ms, &due, err);
		if (rc == 0 && due)
			rc = snapshot_round(db, rounds[r], areas, na, now, taken, err);
	}
	free(areas);
	return rc;
}

int db_snapshot(struct fk_db *db, int64_t now, int64_t *taken, struct fk_err *err)
{
	int64_t dummy = 0, *rounds = NULL;
	struct fk_tx tx;
	int nr = 0, rc;

	if (!taken)
		taken = &dummy;
	*taken = 0;
	rc = fk_rounds_open(db, &rounds, &nr, err);
	if (rc < 0 || nr == 0) {
		free(rounds);
		return rc < 0 ? rc : 0;
	}
	rc = fk_tx_begin(db, &tx, err);
	if (rc == 0)
		rc = fk_tx_end(db, &tx, snapshot_all(db, rounds, nr, now, taken, err), err);
	free(rounds);
	return rc;
}

int db_snapshot_job(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	(void)app;
	return db_snapshot(db, fk_now_ms(), NULL, err);
}

static json_t *point(int64_t at, int64_t sampled, int64_t registered)
{
	char iso[32];

	return json_pack("{s:s, s:I, s:I, s:f}", "at", fk_iso8601(at, iso), "sampled",
			 (json_int_t)sampled, "registered", (json_int_t)registered, "pct",
			 db_pct(sampled, registered));
}

int db_curve(struct fk_db *db, int64_t round_id, int64_t area_id, const char *path, int64_t now,
	     json_t **out, struct fk_err *err)
{
	json_t *points = json_array();
	struct fk_round_figures f;
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT at, sampled, expected FROM dashboard_snapshots WHERE "
			     "round_id = ? AND area_id = ? AND at < ? ORDER BY at",
			     err);

	if (rc == 0) {
		fk_q_bind_i64(q, 1, round_id);
		fk_q_bind_i64(q, 2, area_id);
		fk_q_bind_i64(q, 3, now);
		while ((rc = fk_q_step(q, err)) > 0)
			json_array_append_new(
			    points, point(fk_q_i64(q, 0), fk_q_i64(q, 1), fk_q_i64(q, 2)));
		fk_q_done(q);
	}
	if (rc >= 0)
		rc = fk_round_figures_under(db, round_id, path, &f, err);
	if (rc < 0) {
		json_decref(points);
		return rc;
	}
	json_array_append_new(points, point(now, f.sampled, f.expected));
	*out = points;
	return 0;
}
