/* bench_duty: the on-duty-now board of a district. Builds a private demo store of
 * --residents (default 20,000; the district's 40 communities are what matters), puts
 * --sites sampling sites (2 to 4 desks) and --checkpoints checkpoints in each community and
 * --facilities isolation facilities in the district, then writes --shifts shifts this week
 * (default 20,000: three 8-hour shifts a day, spread over the places, each its own worker)
 * and --history shifts in the weeks before (default 60,000), with SQL. It then times:
 *   - du_now over the district, in the process (--calls times, default 200), beside the
 *     bare SQL count of the shifts running now;
 *   - over HTTP on one keep-alive connection, the commander's board (GET /api/v1/duty/now,
 *     the whole district), beside GET /healthz on the same connection.
 * Issue 19's goal: the board for a district with 20,000 shifts this week under 100 ms.
 * Figures are printed with their ratio to the bare figure of the same run.
 *
 *   bench_duty [--residents N] [--shifts N] [--history N] [--sites N] [--checkpoints N]
 *              [--facilities N] [--calls N] */
#include "bench_http.h"
#include "cmd/demo.h"
#include "duty/internal.h"

#define HOUR_MS (3600 * 1000LL)

struct place {
	const char *kind;
	int64_t id;
	char path[FK_AREA_PATH_MAX];
};

struct world {
	long long sites, checkpoints, facilities, shifts, history;
	struct place *places;
	int nplaces;
	char district[FK_AREA_PATH_MAX];
};

static void build(const char *path, long long residents)
{
	struct fk_demo_opts o = {.residents = residents, .seed = 1, .password = BENCH_PASSWORD};
	struct fk_err err = {0};
	uint64_t t0 = fk_mono_ns();
	struct fk_db *db;

	remove_db(path);
	db = bench_open_store(path);
	if (fk_demo_build(db, &o, stderr, &err) < 0)
		bench_die("demo", &err);
	fk_db_close(db);
	printf("built a store of %lld residents in %.1f s\n", residents, bench_secs(t0));
}

struct area_row {
	int64_t id;
	char path[FK_AREA_PATH_MAX];
};

static void area_row(struct fk_q *q, void *rec)
{
	struct area_row *a = rec;

	a->id = fk_q_i64(q, 0);
	snprintf(a->path, sizeof(a->path), "%s", fk_q_text(q, 1));
}

static struct area_row *areas_of(struct fk_db *db, const char *sql, int *n)
{
	struct fk_err err = {0};
	struct fk_q *q;
	void *out = NULL;

	if (fk_db_query(db, &q, sql, &err) < 0 ||
	    fk_q_collect(q, sizeof(struct area_row), area_row, &out, n, &err) < 0)
		bench_die(sql, &err);
	return out;
}

static void add_place(struct world *w, const char *kind, int64_t id, const char *path)
{
	struct place *p = &w->places[w->nplaces++];

	p->kind = kind;
	p->id = id;
	snprintf(p->path, sizeof(p->path), "%s", path);
}

static void community_places(struct fk_db *db, struct world *w, const struct area_row *c, int k)
{
	struct fk_err err = {0};
	char code[32], name[64];

	for (long long i = 0; i < w->sites; i++) {
		int64_t id = 1000000 + k * 100 + i;
		snprintf(code, sizeof(code), "BS%lld", (long long)id);
		snprintf(name, sizeof(name), "采样点%lld", (long long)id);
		if (fk_db_run(db, &err,
			      "INSERT INTO sites (id, area_id, area_path, code, name, kind, desks, "
			      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'fixed', ?, 0, 0)",
			      "iittti", id, c->id, c->path, code, name, (int64_t)(2 + i % 3)) < 0)
			bench_die("a site", &err);
		add_place(w, "site", id, c->path);
	}
	for (long long i = 0; i < w->checkpoints; i++) {
		int64_t id = 2000000 + k * 100 + i;
		snprintf(code, sizeof(code), "BC%lld", (long long)id);
		snprintf(name, sizeof(name), "卡口%lld", (long long)id);
		if (fk_db_run(
			db, &err,
			"INSERT INTO checkpoints (id, area_id, area_path, code, name, kind, "
			"created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'gate', 0, "
			"0, 0)",
			"iittt", id, c->id, c->path, code, name) < 0)
			bench_die("a checkpoint", &err);
		add_place(w, "checkpoint", id, c->path);
	}
}

static void places(struct fk_db *db, struct world *w)
{
	struct fk_err err = {0};
	int nc = 0, nd = 0;
	struct area_row *cs =
	    areas_of(db, "SELECT id, path FROM areas WHERE kind = 'community'", &nc);
	struct area_row *ds =
	    areas_of(db, "SELECT id, path FROM areas WHERE kind = 'district'", &nd);

	if (nd < 1)
		bench_die("no district", NULL);
	snprintf(w->district, sizeof(w->district), "%s", ds[0].path);
	w->places = fk_xcalloc((size_t)(nc * (w->sites + w->checkpoints) + w->facilities),
			       sizeof(*w->places));
	for (int k = 0; k < nc; k++)
		community_places(db, w, &cs[k], k);
	for (long long i = 0; i < w->facilities; i++) {
		if (fk_db_run(
			db, &err,
			"INSERT INTO facilities (id, name, area_id, area_path, address, phone, "
			"created_by, created_at, updated_at) VALUES (?, ?, ?, ?, '', '', 0, 0, "
			"0)",
			"itit", 3000000 + i, "隔离酒店", ds[0].id, ds[0].path) < 0)
			bench_die("a facility", &err);
		add_place(w, "facility", 3000000 + i, ds[0].path);
	}
	printf("made %d places: %lld sites and %lld checkpoints in each of %d communities, %lld "
	       "facilities\n",
	       w->nplaces, w->sites, w->checkpoints, nc, w->facilities);
	free(cs);
	free(ds);
}

/* Shift n of a week from monday: its 8-hour slot of the 21, and a place in turn. */
static void insert_shift(struct fk_db *db, const struct world *w, long long n, int64_t monday)
{
	const struct place *p = &w->places[(n / 21) % w->nplaces];
	int64_t starts = monday + (n % 21) * 8 * HOUR_MS;
	struct fk_err err = {0};

	if (fk_db_run(db, &err,
		      "INSERT INTO shifts (id, worker_id, worker_user_id, worker_name, place_kind, "
		      "place_id, place_name, area_path, starts_at, ends_at, created_by, "
		      "created_at) VALUES (?, ?, 0, '值守人员', ?, ?, '', ?, ?, ?, 0, 0)",
		      "iititii", (int64_t)(monday / 1000 + n + 1), (int64_t)(n + 1), p->kind, p->id,
		      p->path, starts, starts + 8 * HOUR_MS) < 0)
		bench_die("a shift", &err);
}

static void fill(struct fk_db *db, struct world *w)
{
	struct fk_err err = {0};
	int64_t from, to;
	uint64_t t0 = fk_mono_ns();

	du_week_of(fk_now_ms(), &from, &to);
	if (fk_db_begin(db, true, &err) < 0)
		bench_die("begin", &err);
	places(db, w);
	for (long long n = 0; n < w->shifts; n++)
		insert_shift(db, w, n, from);
	for (long long n = 0; n < w->history; n++) /* the weeks before, 20,000 a week */
		insert_shift(db, w, n % 20000, from - (1 + n / 20000) * 7 * DU_DAY_MS);
	if (fk_db_commit(db, &err) < 0 || fk_db_exec(db, "ANALYZE", &err) < 0 ||
	    fk_db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", &err) < 0)
		bench_die("commit", &err);
	printf("wrote %lld shifts this week and %lld before in %.1f s\n", w->shifts, w->history,
	       bench_secs(t0));
}

static void line(const char *what, uint64_t *ns, size_t n, const struct bench_pct *bare)
{
	struct bench_pct p = bench_percentiles(ns, n);

	printf("  %-56s x%-4zu ms p50 %8.2f p99 %8.2f max %8.2f", what, n, p.p50, p.p99, p.max);
	if (bare && bare->p99 > 0)
		printf("  (p99 x%.1f the bare)", p.p99 / bare->p99);
	printf("\n");
}

static uint64_t bare_count(struct fk_db *db, int64_t now, int64_t *count)
{
	struct fk_err err = {0};
	uint64_t t0 = fk_mono_ns();

	if (fk_db_one_i64(db, &err, count,
			  "SELECT COUNT(*) FROM shifts WHERE starts_at <= ? AND starts_at > ? AND "
			  "ends_at > ?",
			  "iii", now, now - DU_SHIFT_MAX_MS, now) < 0)
		bench_die("bare count", &err);
	return fk_mono_ns() - t0;
}

/* du_now over the district; *on gets how many are on duty, *nplaces the places. */
static uint64_t board(struct fk_db *db, const struct world *w, int64_t now, size_t *on,
		      size_t *nplaces)
{
	const char *paths[1] = {w->district};
	struct fk_err err = {0};
	json_t *o, *p;
	size_t i;
	uint64_t t0 = fk_mono_ns();

	if (du_now(db, paths, 1, now, &o, &err) < 0)
		bench_die("du_now", &err);
	t0 = fk_mono_ns() - t0;
	*on = 0;
	*nplaces = json_array_size(json_object_get(o, "places"));
	json_array_foreach(json_object_get(o, "places"), i, p) *on +=
	    json_array_size(json_object_get(p, "on_duty"));
	json_decref(o);
	return t0;
}

static void in_process(struct fk_db *db, const struct world *w, long long calls)
{
	uint64_t *ns = fk_xcalloc((size_t)calls, sizeof(uint64_t));
	uint64_t *bare = fk_xcalloc((size_t)calls, sizeof(uint64_t));
	size_t on = 0, np = 0;
	int64_t count = 0;
	struct bench_pct b;

	for (long long i = 0; i < calls; i++) {
		int64_t now = fk_now_ms();
		ns[i] = board(db, w, now, &on, &np);
		bare[i] = bare_count(db, now, &count);
	}
	if ((int64_t)on != count)
		bench_die("the board and the bare count disagree", NULL);
	b = bench_percentiles(bare, (size_t)calls);
	printf("  (%zu places, %zu on duty now)\n", np, on);
	line("du_now, the district's board, in the process", ns, (size_t)calls, &b);
	line("bare SQL: COUNT of the shifts running now", bare, (size_t)calls, NULL);
	free(ns);
	free(bare);
}

static uint64_t timed_get(struct conn *c, const char *path)
{
	struct reply r;
	uint64_t t0 = fk_mono_ns();

	if (http(c, "GET", path, NULL, &r) < 0 || r.status != 200) {
		fprintf(stderr, "bench: GET %s: %d\n", path, r.status);
		exit(1);
	}
	free(r.body);
	return fk_mono_ns() - t0;
}

static void over_http(int port, long long calls)
{
	uint64_t *ns = fk_xcalloc((size_t)calls, sizeof(uint64_t));
	uint64_t *hz = fk_xcalloc((size_t)calls, sizeof(uint64_t));
	struct conn *c = fk_xcalloc(1, sizeof(*c));
	struct bench_pct b;

	login(c, port, "commander");
	for (long long i = 0; i < calls; i++) {
		ns[i] = timed_get(c, "/api/v1/duty/now");
		hz[i] = timed_get(c, "/healthz");
	}
	close(c->fd);
	free(c);
	b = bench_percentiles(hz, (size_t)calls);
	line("GET /duty/now, the commander's district board", ns, (size_t)calls, &b);
	line("bare HTTP: GET /healthz, same connection", hz, (size_t)calls, NULL);
	printf("  (goal: the board for a district with 20,000 shifts this week under 100 ms)\n");
	free(ns);
	free(hz);
}

int main(int argc, char **argv)
{
	long long nres = bench_arg(argc, argv, "--residents", 20000);
	long long calls = bench_arg(argc, argv, "--calls", 200);
	struct world w = {
	    .sites = bench_arg(argc, argv, "--sites", 3),
	    .checkpoints = bench_arg(argc, argv, "--checkpoints", 3),
	    .facilities = bench_arg(argc, argv, "--facilities", 10),
	    .shifts = bench_arg(argc, argv, "--shifts", 20000),
	    .history = bench_arg(argc, argv, "--history", 60000),
	};
	char path[128], bin[PATH_MAX + 16];
	int port, status;

	if (nres < 1000 || calls < 1 || w.sites > 99 || w.checkpoints > 99 ||
	    w.sites + w.checkpoints + w.facilities < 1)
		bench_die("--residents >= 1000, --calls >= 1, --sites and --checkpoints <= 99, "
			  "some places",
			  NULL);
	binary_beside(bin, sizeof(bin));
	snprintf(path, sizeof(path), "/tmp/fk-bench-duty-%d.db", (int)getpid());
	build(path, nres);
	struct fk_db *db = bench_open_store(path);
	fill(db, &w);
	in_process(db, &w, calls);
	pid_t pid = serve(bin, path, 0, &port);
	over_http(port, calls);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	free(w.places);
	fk_db_close(db);
	remove_db(path);
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}
