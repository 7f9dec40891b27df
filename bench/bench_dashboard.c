/* bench_dashboard: the command dashboard of a whole district of N demo residents (default
 * 10,000,000). Opens a round over the district and marks about half of everyone sampled by
 * bulk SQL on its counters, then times the dashboard as GET /api/v1/dashboard computes it (the
 * area, its panels — residents, the round, cases, zones, placements, requests, duty, alerts —
 * and the headline figures of each child, as JSON) for the district, one street and one grid;
 * beside each, the bare SQLite SELECT SUM of the round's counters under the same area,
 * measured in the same run. Issue 20's goal: the district's dashboard under 300 ms. The round
 * is deleted at the end.
 *
 * The store is the demo store the benchmarks share (demo_store.h), built when missing.
 *
 *   bench_dashboard [--residents N] [--calls N] */
#include <sqlite3.h>
#include "area/area.h"
#include "base/clock.h"
#include "base/xmalloc.h"
#include "bench.h"
#include "dashboard/internal.h"
#include "demo_store.h"
#include "testing/internal.h"

static void principal_for(struct fk_db *db, const char *code, struct fk_principal *who,
			  struct fk_area *area)
{
	struct fk_err err = {0};

	bench_must(fk_area_get_by_code(db, code, area, &err), code, &err);
	memset(who, 0, sizeof(*who));
	who->role = FK_ROLE_COMMANDER;
	who->nscopes = 1;
	who->scope_ids[0] = area->id;
	snprintf(who->scope_paths[0], sizeof(who->scope_paths[0]), "%s", area->path);
	snprintf(who->username, sizeof(who->username), "bench");
}

/* A round over the district, opened, with about half of everyone sampled. */
static int64_t open_round(struct fk_db *db, const struct fk_principal *cmd,
			  const struct fk_area *district)
{
	int64_t area = district->id;
	struct tr_round_input in = {
	    .name = "bench", .deadline_at = fk_now_ms() + 86400000, .area_ids = &area, .nareas = 1};
	struct fk_round r;
	struct fk_err err = {0};

	bench_must(fk_db_begin(db, true, &err), "begin", &err);
	bench_must(tr_round_create(db, cmd, &in, &r, &err), "create round", &err);
	bench_must(tr_round_open(db, cmd, r.id, &r, &err), "open round", &err);
	bench_must(fk_db_commit(db, &err), "commit", &err);
	bench_must(
	    fk_db_run(db, &err,
		      "UPDATE round_stats SET sampled = expected / 2, resulted = expected / 4 "
		      "WHERE round_id = ?",
		      "i", r.id),
	    "mark sampled", &err);
	return r.id;
}

/* What the dashboard handler does: the area, the open round, the panels, each child's
 * headline, the JSON text. Returns the children drawn. */
static size_t dashboard_once(struct fk_db *db, const struct fk_principal *who, int64_t area_id)
{
	struct fk_area_query f = {.parent_id = area_id, .limit = DB_CHILDREN_MAX};
	struct fk_area_list l = {0};
	struct fk_err err = {0};
	struct fk_area a;
	int64_t round = 0, now = fk_now_ms();
	json_t *panels = NULL, *kids = json_array();

	bench_must(fk_area_get_in_scope(db, who, area_id, "area_id", &a, &err), "area", &err);
	bench_must(fk_round_open_over(db, a.path, &round, &err), "round", &err);
	bench_must(db_panels(db, a.path, round, now, &panels, &err), "panels", &err);
	bench_must(fk_area_list(db, who, &f, &l, &err), "children", &err);
	for (size_t i = 0; i < l.n; i++) {
		json_t *h = NULL;
		bench_must(db_headline(db, l.items[i].path, round, now, &h, &err), "headline",
			   &err);
		json_array_append_new(kids, h);
	}
	json_t *o = json_pack("{s:o, s:o}", "panels", panels, "children", kids);
	free(json_dumps(o, JSON_COMPACT));
	json_decref(o);
	size_t kids_n = l.n;
	fk_area_list_release(&l);
	fk_area_release(&a);
	return kids_n;
}

static struct bench_pct run_api(struct fk_db *db, const struct fk_principal *who, int64_t area,
				int calls, size_t *kids)
{
	uint64_t *ns = fk_xcalloc((size_t)calls, sizeof(*ns));

	for (int i = 0; i < calls; i++) {
		uint64_t t0 = fk_mono_ns();
		*kids = dashboard_once(db, who, area);
		ns[i] = fk_mono_ns() - t0;
	}
	struct bench_pct p = bench_percentiles(ns, (size_t)calls);
	free(ns);
	return p;
}

/* The bare SELECT SUM of the round's counters under the area. */
static struct bench_pct run_bare(sqlite3 *h, int64_t round, const char *path, int calls)
{
	uint64_t *ns = fk_xcalloc((size_t)calls, sizeof(*ns));
	char upper[FK_AREA_PATH_MAX + 8];
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(
		h,
		"SELECT SUM(expected), SUM(sampled) FROM round_stats WHERE round_id = "
		"? AND area_path >= ? AND area_path < ?",
		-1, &st, NULL) != SQLITE_OK)
		bench_die(sqlite3_errmsg(h), NULL);
	fk_prefix_upper(path, upper);
	for (int i = 0; i < calls; i++) {
		uint64_t t0 = fk_mono_ns();
		sqlite3_bind_int64(st, 1, round);
		sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, upper, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW)
			;
		sqlite3_reset(st);
		ns[i] = fk_mono_ns() - t0;
	}
	sqlite3_finalize(st);
	struct bench_pct p = bench_percentiles(ns, (size_t)calls);
	free(ns);
	return p;
}

static void report(sqlite3 *h, struct fk_db *db, const struct fk_principal *who, int64_t round,
		   const char *label, const struct fk_area *a, int calls)
{
	size_t kids = 0;
	struct bench_pct p = run_api(db, who, a->id, calls, &kids);
	struct bench_pct b = run_bare(h, round, a->path, calls);

	printf("  %-22s %5d %5zu %9.3f %9.3f %9.3f %9.3f %9.3f %7.1f %7.1f\n", label, calls, kids,
	       p.p50, p.p99, p.max, b.p50, b.p99, p.p50 / b.p50, p.p99 / b.p99);
}

int main(int argc, char **argv)
{
	long long n = bench_arg(argc, argv, "--residents", 10000000);
	int calls = (int)bench_arg(argc, argv, "--calls", 50);
	struct fk_principal cmd;
	struct fk_area district, street, grid;
	struct fk_err err = {0};
	char path[256];
	sqlite3 *h;

	bench_store_ensure(n, path, sizeof(path));
	struct fk_db *db = bench_open_store(path);
	if (!fk_module_dashboard.routes) /* links the module */
		bench_die("dashboard module", NULL);
	principal_for(db, FK_DEMO_DISTRICT_CODE, &cmd, &district);
	bench_must(fk_area_get_by_code(db, FK_DEMO_DISTRICT_CODE "001", &street, &err), "street",
		   &err);
	bench_must(fk_area_get_by_code(db, FK_DEMO_DISTRICT_CODE "001001G01", &grid, &err), "grid",
		   &err);
	int64_t round = open_round(db, &cmd, &district);
	printf("a round over the district of %lld residents, about half sampled\n", n);
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK)
		bench_die("open bare", NULL);
	printf("the dashboard as the API computes it (area, round, panels, each child's headline, "
	       "JSON) vs the bare SELECT SUM of the round's counters under the area:\n");
	printf("  %-22s %5s %5s %9s %9s %9s %9s %9s %7s %7s\n", "(milliseconds)", "calls", "kids",
	       "p50", "p99", "max", "bare p50", "bare p99", "x p50", "x p99");
	report(h, db, &cmd, round, "district", &district, calls);
	report(h, db, &cmd, round, "street", &street, calls * 4);
	report(h, db, &cmd, round, "grid", &grid, calls * 20);
	printf("goal: the district's dashboard p99 < 300 ms\n");
	sqlite3_close(h);
	bench_drop_round(db, round);
	fk_area_release(&district);
	fk_area_release(&street);
	fk_area_release(&grid);
	fk_db_close(db);
	return 0;
}
