/* bench_coverage: coverage of a testing round over a whole district of N demo residents
 * (default 10,000,000). Opens a round over the district (its counters: one row per building),
 * marks about half of everyone sampled and a quarter resulted by bulk SQL on the counters, then
 * times coverage as GET /api/v1/rounds/{id}/coverage computes it (the round, the area, the rows
 * with their JSON): one grid 1,000 times, and the whole district's table (by street, by grid, by
 * building) a few times; beside each, the bare SQLite SELECT SUM(...) of the same counters rows,
 * measured in the same run. Issue 4's goals: one grid p99 < 50 ms; the whole district's table
 * < 1 s. The round is deleted at the end.
 *
 * The store is the demo store the benchmarks share (demo_store.h), built when missing.
 *
 *   bench_coverage [--residents N] [--calls N] */
#include <sqlite3.h>
#include <stdbool.h>
#include <unistd.h>
#include "area/area.h"
#include "base/xmalloc.h"
#include "bench.h"
#include "demo_store.h"
#include "testing/internal.h"

#define GRID "370212001001G01"

static void principal_for(struct fk_db *db, const char *code, enum fk_role role,
			  struct fk_principal *who, struct fk_area *area)
{
	struct fk_err err = {0};

	bench_must(fk_area_get_by_code(db, code, area, &err), code, &err);
	memset(who, 0, sizeof(*who));
	who->role = role;
	who->nscopes = 1;
	who->scope_ids[0] = area->id;
	snprintf(who->scope_paths[0], sizeof(who->scope_paths[0]), "%s", area->path);
	snprintf(who->username, sizeof(who->username), "bench");
}

/* A round over the district, opened, with about half of everyone sampled. */
static int64_t open_round(struct fk_db *db, const struct fk_principal *cmd,
			  const struct fk_area *district, double *open_secs)
{
	int64_t area = district->id;
	struct tr_round_input in = {
	    .name = "bench", .deadline_at = fk_now_ms() + 86400000, .area_ids = &area, .nareas = 1};
	struct fk_round r;
	struct fk_err err = {0};
	uint64_t t0;

	bench_must(fk_db_begin(db, true, &err), "begin", &err);
	bench_must(tr_round_create(db, cmd, &in, &r, &err), "create round", &err);
	t0 = fk_mono_ns();
	bench_must(tr_round_open(db, cmd, r.id, &r, &err), "open round", &err);
	bench_must(fk_db_commit(db, &err), "commit", &err);
	*open_secs = bench_secs(t0);
	bench_must(
	    fk_db_run(db, &err,
		      "UPDATE round_stats SET sampled = expected / 2 + area_id % 2, "
		      "resulted = expected / 4, positive = CASE WHEN area_id % 97 = 0 THEN 1 "
		      "ELSE 0 END WHERE round_id = ?",
		      "i", r.id),
	    "mark sampled", &err);
	return r.id;
}

/* ---- timed ---- */

struct job {
	const char *label;
	const struct fk_principal *who;
	const struct fk_area *area;
	const char *kind;
	int calls;
};

/* What the coverage handler does: the round (visible to who), the area, the rows, the JSON. */
static size_t coverage_once(struct fk_db *db, int64_t round, const struct job *j)
{
	struct tr_round_areas *ra = fk_xmalloc(sizeof(*ra));
	struct tr_counts totals;
	struct fk_round r;
	struct fk_area a;
	struct fk_err err = {0};
	json_t *rows = json_array();
	size_t n;

	bench_must(tr_round_visible(db, j->who, round, &r, ra, &err), "round", &err);
	bench_must(fk_area_get_in_scope(db, j->who, j->area->id, "area_id", &a, &err), "area",
		   &err);
	bench_must(tr_coverage(db, j->who, round, ra, &a, j->kind, rows, &totals, &err), "coverage",
		   &err);
	json_t *o = json_pack("{s:o, s:o, s:o}", "rows", rows, "totals", tr_counts_json(&totals),
			      "deadline", tr_round_deadline_json(&r, totals.missing));
	char *text = json_dumps(o, JSON_COMPACT);
	n = json_array_size(rows);
	free(text);
	json_decref(o);
	fk_area_release(&a);
	free(ra);
	return n;
}

static struct bench_pct run_api(struct fk_db *db, int64_t round, const struct job *j, size_t *rows)
{
	uint64_t *ns = fk_xcalloc((size_t)j->calls, sizeof(*ns));

	for (int i = 0; i < j->calls; i++) {
		uint64_t t0 = fk_mono_ns();
		*rows = coverage_once(db, round, j);
		ns[i] = fk_mono_ns() - t0;
	}
	struct bench_pct p = bench_percentiles(ns, (size_t)j->calls);
	free(ns);
	return p;
}

/* The bare SELECT SUM(...) over the same counters rows (the area's whole range). */
static struct bench_pct run_bare(sqlite3 *h, int64_t round, const struct job *j)
{
	static const char sql[] =
	    "SELECT SUM(expected), SUM(exempt), SUM(sampled), SUM(resulted), SUM(positive), "
	    "SUM(CASE WHEN expected > sampled THEN expected - sampled ELSE 0 END) FROM round_stats "
	    "WHERE round_id = ? AND area_path >= ? AND area_path < ?";
	uint64_t *ns = fk_xcalloc((size_t)j->calls, sizeof(*ns));
	char upper[FK_AREA_PATH_MAX + 8];
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		bench_die(sqlite3_errmsg(h), NULL);
	fk_prefix_upper(j->area->path, upper);
	for (int i = 0; i < j->calls; i++) {
		uint64_t t0 = fk_mono_ns();
		sqlite3_bind_int64(st, 1, round);
		sqlite3_bind_text(st, 2, j->area->path, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, upper, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW)
			;
		sqlite3_reset(st);
		ns[i] = fk_mono_ns() - t0;
	}
	sqlite3_finalize(st);
	struct bench_pct p = bench_percentiles(ns, (size_t)j->calls);
	free(ns);
	return p;
}

static int64_t counter_rows(sqlite3 *h, int64_t round, const char *path)
{
	char upper[FK_AREA_PATH_MAX + 8];
	sqlite3_stmt *st;
	int64_t n = 0;

	sqlite3_prepare_v2(h,
			   "SELECT COUNT(*) FROM round_stats WHERE round_id = ? AND area_path >= ? "
			   "AND area_path < ?",
			   -1, &st, NULL);
	sqlite3_bind_int64(st, 1, round);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, fk_prefix_upper(path, upper), -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void report(sqlite3 *h, struct fk_db *db, int64_t round, const struct job *j)
{
	size_t rows = 0;
	struct bench_pct a = run_api(db, round, j, &rows);
	struct bench_pct b = run_bare(h, round, j);

	printf("  %-28s %5d %6zu %7lld %9.3f %9.3f %9.3f %9.3f %9.3f %6.1f %6.1f\n", j->label,
	       j->calls, rows, (long long)counter_rows(h, round, j->area->path), a.p50, a.p99,
	       a.max, b.p50, b.p99, a.p50 / b.p50, a.p99 / b.p99);
}

int main(int argc, char **argv)
{
	long long n = bench_arg(argc, argv, "--residents", 10000000);
	int calls = (int)bench_arg(argc, argv, "--calls", 1000);
	struct fk_principal cmd, grid;
	struct fk_area district, g;
	double open_secs;
	char path[256];
	sqlite3 *h;

	bench_store_ensure(n, path, sizeof(path));
	struct fk_db *db = bench_open_store(path);
	if (!fk_module_testing.routes) /* links the module: its area hooks */
		bench_die("testing module", NULL);
	principal_for(db, FK_DEMO_DISTRICT_CODE, FK_ROLE_COMMANDER, &cmd, &district);
	principal_for(db, GRID, FK_ROLE_GRID, &grid, &g);
	int64_t round = open_round(db, &cmd, &district, &open_secs);
	printf("opened a round over the district (%lld residents, one counters row per building) "
	       "in %.2f s\n",
	       n, open_secs);
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK)
		bench_die("open bare", NULL);

	const int few = calls / 50 > 5 ? calls / 50 : 5;
	const struct job jobs[] = {
	    {"one grid (its buildings)", &grid, &g, NULL, calls},
	    {"district by street", &cmd, &district, NULL, few},
	    {"district by grid", &cmd, &district, "grid", few},
	    {"district by building", &cmd, &district, "building", few},
	};
	printf("coverage as the API computes it (round, area, rows, JSON) vs the bare SELECT SUM "
	       "of the same counters rows:\n");
	printf("  %-28s %5s %6s %7s %9s %9s %9s %9s %9s %6s %6s\n", "(milliseconds)", "calls",
	       "rows", "ctrs", "p50", "p99", "max", "bare p50", "bare p99", "x p50", "x p99");
	for (size_t i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++)
		report(h, db, round, &jobs[i]);
	printf("goals: one grid p99 < 50 ms; the whole district's table < 1 s\n");
	sqlite3_close(h);
	bench_drop_round(db, round);
	fk_area_release(&district);
	fk_area_release(&g);
	fk_db_close(db);
	return 0;
}
