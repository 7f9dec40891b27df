/* bench_health: the half-day health lists and the missed-report job among people under
 * placement. Takes a private copy of the shared demo store of N residents (demo_store.h;
 * default 10,000,000), places --placed of them (default 100,000) with SQL, spread over every
 * grid (the people whose id falls on a stride), half of them having filed the morning report,
 * then times:
 *   - the job's sweep of one half-day (health.missed: the misses in one statement, one alert
 *     per grid), called directly on the store before the server starts;
 *   - over HTTP on one keep-alive connection, the morning's missing list of a grid (grid1,
 *     GET /api/v1/health/missing) and of the whole district (the commander, its first page
 *     of 500 and the total);
 * beside the bare stack of the same run: GET /healthz over the same connection, and the
 * grid's and the district's missing count in bare SQL. Issue 17's goals: a grid's list p99
 * under 50 ms, the district's under 1 s, the job under 2 s.
 *
 *   bench_health [--residents N] [--placed N] [--calls N] [--district-calls N] */
#include "area/area.h"
#include "bench_http.h"
#include "demo_store.h"
#include "health/internal.h"

#define DAY_MS (24LL * 3600 * 1000)

struct setup {
	struct hl_half am; /* today's morning, the half-day listed and swept */
	char grid_path[FK_AREA_PATH_MAX];
	char district_path[FK_AREA_PATH_MAX];
	int64_t placed, reported, grids;
};

static int64_t one(struct fk_db *db, const char *sql, const char *fmt, const char *a, const char *b)
{
	struct fk_err err = {0};
	int64_t n = 0;

	if (fk_db_one_i64(db, &err, &n, sql, fmt, a, b) < 0)
		bench_die(sql, &err);
	return n;
}

/* Places about want people over [today - 3, today + 4), one every residents / want by id,
 * and files the morning report of every other one. */
static void place(struct fk_db *db, long long residents, long long want, struct setup *s)
{
	struct hl_half start, end;
	struct fk_err err = {0};
	int64_t stride = residents / want > 1 ? residents / want : 1;
	uint64_t t0 = fk_mono_ns();

	hl_half_at(fk_now_ms() - 3 * DAY_MS, &start);
	hl_half_at(fk_now_ms() + 4 * DAY_MS, &end);
	if (fk_db_run(
		db, &err,
		"INSERT INTO placements (id, person_id, area_path, kind, reason, start_day, "
		"end_day, test_days, status, policy_version, created_by, created_at, "
		"updated_at) SELECT id, id, area_path, 'home_isolation', 'secondary_contact', "
		"?, ?, '[1,4,7]', 'active', 0, 0, 0, 0 FROM people WHERE id % ? = 0 LIMIT ?",
		"ttii", start.day, end.day, stride, (int64_t)want) < 0 ||
	    fk_db_run(
		db, &err,
		"INSERT INTO health_reports (id, placement_id, person_id, area_path, day, "
		"half, temperature, symptoms, fever, late, by_user, by_self, reported_at) "
		"SELECT id, id, person_id, area_path, ?, 'am', 36.5, '[]', 0, 0, 0, 1, 0 FROM "
		"placements WHERE (id / ?) % 2 = 0",
		"ti", s->am.day, stride) < 0)
		bench_die("placements", &err);
	if (fk_db_exec(db, "ANALYZE placements", &err) < 0 ||
	    fk_db_exec(db, "ANALYZE health_reports", &err) < 0)
		bench_die("analyze", &err);
	s->placed = one(db, "SELECT COUNT(*) FROM placements", NULL, NULL, NULL);
	s->reported = one(db, "SELECT COUNT(*) FROM health_reports", NULL, NULL, NULL);
	printf("placed %lld people, %lld reported this morning, in %.1f s\n", (long long)s->placed,
	       (long long)s->reported, bench_secs(t0));
}

static void paths(struct fk_db *db, struct setup *s)
{
	struct fk_area a;
	struct fk_err err = {0};

	if (fk_area_get_by_code(db, "370212001001G01", &a, &err) < 0)
		bench_die("grid 370212001001G01", &err);
	snprintf(s->grid_path, sizeof(s->grid_path), "%s", a.path);
	fk_area_release(&a);
	if (fk_area_get_by_code(db, "370212", &a, &err) < 0)
		bench_die("district 370212", &err);
	snprintf(s->district_path, sizeof(s->district_path), "%s", a.path);
	fk_area_release(&a);
	s->grids = one(db, "SELECT COUNT(*) FROM areas WHERE kind = 'grid'", NULL, NULL, NULL);
}

/* The job's sweep of this morning alone: yesterday's half-days are marked swept first. */
static double sweep(struct fk_db *db, const struct setup *s, int64_t *missed, int64_t *alerts)
{
	struct fk_policy_snap *snap = fk_policy_snap(db);
	struct hl_half pm, am;
	struct fk_err err = {0};
	int64_t at = hl_deadline_ms(snap, &s->am) + 1;
	uint64_t t0;

	fk_policy_snap_release(snap);
	hl_half_prev(&s->am, &pm);
	hl_half_prev(&pm, &am);
	if (fk_db_run(db, &err,
		      "INSERT INTO health_sweeps (day, half, swept_at, missed) VALUES (?, 'am', 0, "
		      "0), (?, 'pm', 0, 0)",
		      "tt", am.day, pm.day) < 0)
		bench_die("sweeps", &err);
	t0 = fk_mono_ns();
	if (hl_sweep(db, at, missed, &err) < 0)
		bench_die("the sweep", &err);
	double secs = bench_secs(t0);
	*alerts =
	    one(db, "SELECT COUNT(*) FROM alerts WHERE kind = 'health_missed'", NULL, NULL, NULL);
	return secs;
}

/* ---- the timed calls ---- */

static json_t *get(struct conn *c, const char *path)
{
	struct reply r;
	json_t *j;

	if (http(c, "GET", path, NULL, &r) < 0 || r.status != 200) {
		fprintf(stderr, "bench: GET %s failed (%d)\n", path, r.status);
		exit(1);
	}
	j = json_loads(r.body, 0, NULL);
	free(r.body);
	if (!j)
		bench_die("a reply that is not JSON", NULL);
	return j;
}

/* GET the morning's missing list as c's user; returns its total. */
static int64_t missing(struct conn *c, const struct setup *s)
{
	char path[128];
	json_t *j;
	int64_t n;

	snprintf(path, sizeof(path), "/api/v1/health/missing?day=%s&half=am", s->am.day);
	j = get(c, path);
	n = json_integer_value(json_object_get(j, "total"));
	json_decref(j);
	return n;
}

static int64_t bare_count(struct fk_db *db, const struct setup *s, const char *under)
{
	char upper[FK_AREA_PATH_MAX + 8];
	struct fk_err err = {0};
	int64_t n = 0;

	if (fk_db_one_i64(db, &err, &n,
			  "SELECT COUNT(*) FROM placements p WHERE p.status <> 'cancelled' AND "
			  "p.start_day <= ? AND p.end_day > ? AND NOT EXISTS (SELECT 1 FROM "
			  "health_reports r WHERE r.person_id = p.person_id AND r.day = ? AND "
			  "r.half = 'am') AND p.area_path >= ? AND p.area_path < ?",
			  "ttttt", s->am.day, s->am.day, s->am.day, under,
			  fk_prefix_upper(under, upper)) < 0)
		bench_die("bare count", &err);
	return n;
}

enum { T_GRID, T_DISTRICT, T_HEALTHZ, T_BARE_GRID, T_BARE_DISTRICT, T_N };

static const char *const what[T_N] = {
    "GET /health/missing, a grid (grid1)",
    "GET /health/missing, the district (500 and the total)",
    "bare HTTP: GET /healthz, same connection",
    "bare SQL: the grid's missing count",
    "bare SQL: the district's missing count",
};

struct timings {
	uint64_t *ns[T_N];
	long long n[T_N];
	int64_t grid_total, district_total;
};

static uint64_t timed_healthz(struct conn *c)
{
	struct reply r;
	uint64_t t0 = fk_mono_ns();

	if (http(c, "GET", "/healthz", NULL, &r) < 0 || r.status != 200)
		bench_die("GET /healthz", NULL);
	free(r.body);
	return fk_mono_ns() - t0;
}

static void time_grid(struct conn *c, struct fk_db *db, const struct setup *s, long long calls,
		      struct timings *tm)
{
	for (long long i = 0; i < calls; i++) {
		uint64_t t0 = fk_mono_ns();
		tm->grid_total = missing(c, s);
		tm->ns[T_GRID][i] = fk_mono_ns() - t0;
		tm->ns[T_HEALTHZ][i] = timed_healthz(c);
		t0 = fk_mono_ns();
		if (bare_count(db, s, s->grid_path) != tm->grid_total)
			bench_die("the grid's list and the bare count differ", NULL);
		tm->ns[T_BARE_GRID][i] = fk_mono_ns() - t0;
	}
}

static void time_district(struct conn *c, struct fk_db *db, const struct setup *s, long long calls,
			  struct timings *tm)
{
	for (long long i = 0; i < calls; i++) {
		uint64_t t0 = fk_mono_ns();
		tm->district_total = missing(c, s);
		tm->ns[T_DISTRICT][i] = fk_mono_ns() - t0;
		t0 = fk_mono_ns();
		if (bare_count(db, s, s->district_path) != tm->district_total)
			bench_die("the district's list and the bare count differ", NULL);
		tm->ns[T_BARE_DISTRICT][i] = fk_mono_ns() - t0;
	}
}

static void report(const struct setup *s, struct timings *tm, double sweep_s, int64_t missed,
		   int64_t alerts)
{
	printf("%lld placed over %lld grids; this morning: %lld missing in grid1, %lld in the "
	       "district\n",
	       (long long)s->placed, (long long)s->grids, (long long)tm->grid_total,
	       (long long)tm->district_total);
	printf("  %-56s      ms %8.1f  (%lld misses, %lld alerts; goal: under 2 s)\n",
	       "the job health.missed, one half-day", sweep_s * 1000, (long long)missed,
	       (long long)alerts);
	for (int k = 0; k < T_N; k++) {
		struct bench_pct p = bench_percentiles(tm->ns[k], (size_t)tm->n[k]);
		printf("  %-56s x%-4lld ms p50 %8.2f p99 %8.2f max %8.2f\n", what[k], tm->n[k],
		       p.p50, p.p99, p.max);
		free(tm->ns[k]);
	}
	printf("  (goals: a grid's list p99 under 50 ms, the district's under 1 s)\n");
}

int main(int argc, char **argv)
{
	long long residents = bench_arg(argc, argv, "--residents", 10000000);
	long long want = bench_arg(argc, argv, "--placed", 100000);
	long long calls = bench_arg(argc, argv, "--calls", 200);
	long long dcalls = bench_arg(argc, argv, "--district-calls", 20);
	char shared[128], path[128], bin[PATH_MAX + 16];
	struct setup s = {0};
	struct timings tm = {0};
	int64_t missed = 0, alerts = 0;
	int port, status;

	if (calls < 1 || dcalls < 1 || want < 1)
		bench_die("--placed, --calls and --district-calls must be at least 1", NULL);
	for (int k = 0; k < T_N; k++) {
		tm.n[k] = k == T_DISTRICT || k == T_BARE_DISTRICT ? dcalls : calls;
		tm.ns[k] = fk_xcalloc((size_t)tm.n[k], sizeof(uint64_t));
	}
	binary_beside(bin, sizeof(bin));
	bench_store_ensure(residents, shared, sizeof(shared));
	snprintf(path, sizeof(path), "/tmp/fk-bench-health-%d.db", (int)getpid());
	bench_store_copy(shared, path);
	struct fk_db *db = bench_open_store(path);
	hl_half_at(fk_now_ms(), &s.am);
	snprintf(s.am.half, sizeof(s.am.half), "am");
	paths(db, &s);
	place(db, residents, want, &s);
	double sweep_s = sweep(db, &s, &missed, &alerts);
	pid_t pid = serve(bin, path, 0, &port);
	struct conn *c = fk_xcalloc(1, sizeof(*c));
	login(c, port, "grid1");
	time_grid(c, db, &s, calls, &tm);
	close(c->fd);
	login(c, port, "commander");
	time_district(c, db, &s, dcalls, &tm);
	close(c->fd);
	free(c);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	fk_db_close(db);
	report(&s, &tm, sweep_s, missed, alerts);
	remove_db(path);
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}
