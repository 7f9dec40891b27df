/* bench_gates: passes at the gates acknowledged over HTTP. Takes a private copy of the shared
 * demo store of N residents (demo_store.h; default 10,000,000), starts `fangkong serve` on it,
 * draws level-3 zones over some grids (one of them holding two of the checkpoints) and sets up
 * checkpoints with the demo volunteer on duty at all of them; then many gate clients (default
 * 200), each a thread on its own keep-alive connection at one checkpoint, post passes at once
 * (POST /api/v1/checkpoints/{id}/passes: a resident's ID number or sampling code, direction,
 * temperature, client_key), each waiting for its reply before sending the next. A tenth of
 * the passes are by residents of the zones, so the zone decision refuses some: going out from
 * a sealed zone (stay_home), going in at a checkpoint inside one (no_entry). Every verdict is
 * checked against the one expected; one wrong verdict makes the run fail.
 *
 * Prints passes per second acknowledged and latency percentiles, beside the bare stack of the
 * same run: the same clients sending GET /healthz (the HTTP server and a store round trip).
 * Issue 16's goal: pass acknowledged p99 under 50 ms with the zone decision.
 *
 *   bench_gates [--residents N] [--passes N] [--clients N] [--threads N] */
#include <pthread.h>
#include "bench_http.h"
#include "demo_store.h"
#include "tubes/internal.h"

#define CHECKPOINTS 20 /* in the volunteer's community, two per grid */
#define ZONES	    10 /* grids sealed: the first of the community's, and others across */
#define POOL_PEOPLE 20000
#define COMMUNITY   "370212001001"

struct person {
	int64_t id;
	char id_number[24];
	char code[TB_PERSON_CODE_MAX];
	bool zoned; /* lives in a sealed zone */
};

struct world {
	int64_t zone_area[ZONES];
	char zone_path[ZONES][FK_AREA_PATH_MAX];
	int64_t cp_area[CHECKPOINTS];
	bool cp_zoned[CHECKPOINTS];
	char cp_id[CHECKPOINTS][24];
	char cookie[160], csrf[64]; /* the volunteer's session */
	struct person *people;
	int npeople;
};

/* ---- what the store holds (read before the server starts) ---- */

/* Grids by code: the volunteer's community's ten come first and hold the checkpoints, two
 * each; every 40th grid is sealed, the community's first among them (so its two checkpoints
 * stand inside a sealed zone). */
static void read_areas(struct fk_db *db, struct world *w)
{
	struct fk_err err = {0};
	struct fk_q *q;
	int r = 0, z = 0;

	if (fk_db_query(db, &q,
			"SELECT id, path, code FROM areas WHERE kind = 'grid' ORDER BY code",
			&err) < 0)
		bench_die("areas", &err);
	for (; fk_q_step(q, &err) > 0; r++) {
		if (r < CHECKPOINTS / 2) {
			if (strncmp(fk_q_text(q, 2), COMMUNITY, strlen(COMMUNITY)) != 0)
				bench_die("the demo district's first grids are not " COMMUNITY "'s",
					  NULL);
			w->cp_area[2 * r] = w->cp_area[2 * r + 1] = fk_q_i64(q, 0);
			w->cp_zoned[2 * r] = w->cp_zoned[2 * r + 1] = r == 0;
		}
		if (r % 40 == 0 && z < ZONES) {
			w->zone_area[z] = fk_q_i64(q, 0);
			snprintf(w->zone_path[z++], FK_AREA_PATH_MAX, "%s", fk_q_text(q, 1));
		}
	}
	fk_q_done(q);
	if (z < ZONES)
		bench_die("the demo district has too few grids", NULL);
}

static bool in_zone(const struct world *w, const char *path)
{
	for (int z = 0; z < ZONES; z++)
		if (strncmp(path, w->zone_path[z], strlen(w->zone_path[z])) == 0)
			return true;
	return false;
}

static void add_person(struct fk_db *db, struct world *w, struct fk_q *q)
{
	struct person *p = &w->people[w->npeople++];
	struct fk_err err = {0};

	p->id = fk_q_i64(q, 0);
	snprintf(p->id_number, sizeof(p->id_number), "%s", fk_q_text(q, 1));
	p->zoned = in_zone(w, fk_q_text(q, 2));
	if (tb_person_code(db, p->id, p->code, &err) < 0)
		bench_die("sampling code", &err);
}

/* A tenth of the pool from the zones, the rest drawn at random over the district's ids. */
static void read_people(struct fk_db *db, struct world *w, int want)
{
	struct fk_err err = {0};
	char upper[FK_AREA_PATH_MAX + 8];
	int64_t lo = 0, hi = 0;
	struct fk_q *q;

	w->people = fk_xcalloc((size_t)want, sizeof(*w->people));
	for (int z = 0; z < ZONES; z++) {
		if (fk_db_query(db, &q,
				"SELECT id, id_number, area_path FROM people WHERE area_path >= ? "
				"AND area_path < ? LIMIT ?",
				&err) < 0)
			bench_die("people", &err);
		fk_q_bind_text(q, 1, w->zone_path[z]);
		fk_q_bind_text(q, 2, fk_prefix_upper(w->zone_path[z], upper));
		fk_q_bind_i64(q, 3, want / 10 / ZONES);
		while (fk_q_step(q, &err) > 0)
			add_person(db, w, q);
		fk_q_done(q);
	}
	if (fk_db_one_i64(db, &err, &lo, "SELECT MIN(id) FROM people", "") < 0 ||
	    fk_db_one_i64(db, &err, &hi, "SELECT MAX(id) FROM people", "") < 0)
		bench_die("people", &err);
	uint64_t h = 88172645463325252ull;
	while (w->npeople < want) {
		h ^= h << 13, h ^= h >> 7, h ^= h << 17;
		if (fk_db_query(
			db, &q,
			"SELECT id, id_number, area_path FROM people WHERE id >= ? ORDER BY id "
			"LIMIT 1",
			&err) < 0)
			bench_die("people", &err);
		fk_q_bind_i64(q, 1, lo + (int64_t)(h % (uint64_t)(hi - lo + 1)));
		if (fk_q_step(q, &err) > 0)
			add_person(db, w, q);
		fk_q_done(q);
	}
}

/* ---- setup over HTTP: zones, checkpoints, the volunteer on duty ---- */

/* A level-3 zone over area: "high" under the 2022 schemes in force by default, "sealed" when
 * the store runs the April 2022 one. */
static void draw_zone(struct conn *c, int64_t area)
{
	static const char *const kinds[] = {"high", "sealed"};
	char body[200];
	struct reply r = {0};

	for (int k = 0; k < 2; k++) {
		snprintf(body, sizeof(body),
			 "{\"area_id\":\"%lld\",\"kind\":\"%s\",\"reason\":\"bench_gates\"}",
			 (long long)area, kinds[k]);
		if (http(c, "POST", "/api/v1/zones", body, &r) < 0)
			bench_die("POST /api/v1/zones: connection failed", NULL);
		free(r.body);
		if (r.status == 201 || r.status == 200)
			return;
	}
	fprintf(stderr, "bench: POST /api/v1/zones: %d\n", r.status);
	exit(1);
}

static void set_up(int port, struct world *w)
{
	struct conn *c = fk_xcalloc(1, sizeof(*c));
	char body[300], path[96];

	login(c, port, "commander");
	for (int z = 0; z < ZONES; z++)
		draw_zone(c, w->zone_area[z]);
	for (int i = 0; i < CHECKPOINTS; i++) {
		snprintf(body, sizeof(body),
			 "{\"area_id\":\"%lld\",\"code\":\"BG%d-%02d\",\"name\":\"bench gate %d\","
			 "\"kind\":\"gate\"}",
			 (long long)w->cp_area[i], (int)getpid() % 100000, i, i);
		id_of(must(c, "POST", "/api/v1/checkpoints", body, 201), "id", w->cp_id[i],
		      sizeof(w->cp_id[i]));
		snprintf(path, sizeof(path), "/api/v1/checkpoints/%s/staff", w->cp_id[i]);
		json_decref(must(c, "PUT", path, "{\"usernames\":[\"volunteer1\"]}", 200));
	}
	close(c->fd);
	login(c, port, "volunteer1");
	close(c->fd);
	snprintf(w->cookie, sizeof(w->cookie), "%s", c->cookie);
	snprintf(w->csrf, sizeof(w->csrf), "%s", c->csrf);
	free(c);
}

/* ---- the clients ---- */

struct client {
	pthread_t th;
	int index, nclients;
	long long total;
	const struct world *w;
	pthread_barrier_t *go;
	struct conn *conn;
	uint64_t *lat; /* ns per pass, at the pass's index */
	long long errors, wrong, refused;
	bool healthz; /* bare stack: GET /healthz instead of passes */
};

/* Pass i: who (by ID number or sampling code), which way, what temperature (one in a
 * hundred a fever, which opens a referral). */
static int pass_body(const struct client *cl, long long i, char *body, size_t size, bool *refuse)
{
	uint64_t h = (uint64_t)i * 0x9E3779B97F4A7C15ull;
	const struct person *p = &cl->w->people[(h >> 8) % (uint64_t)cl->w->npeople];
	bool out = (h >> 40) & 1, by_code = (h >> 41) & 1;
	double temp = h % 100 == 0 ? 38.2 : 36.0 + (double)((h >> 44) % 13) / 10.0;
	int cp = cl->index % CHECKPOINTS;

	*refuse = out ? p->zoned : cl->w->cp_zoned[cp];
	snprintf(body, size,
		 "{\"%s\":\"%s\",\"direction\":\"%s\",\"temperature\":%.1f,"
		 "\"client_key\":\"bench-g%d-%lld\"}",
		 by_code ? "person_code" : "id_number", by_code ? p->code : p->id_number,
		 out ? "out" : "in", temp, (int)getpid(), i);
	return cp;
}

static void check_reply(struct client *cl, long long i, const struct reply *r, bool refuse)
{
	json_t *j = r->status == 201 ? json_loads(r->body, 0, NULL) : NULL;
	const char *v = json_string_value(json_object_get(j, "verdict"));

	if (!v) {
		if (cl->errors++ < 3)
			fprintf(stderr, "bench: pass %lld: %d %s\n", i, r->status, r->body);
	} else if ((strcmp(v, "refused") == 0) != refuse) {
		if (cl->wrong++ < 3)
			fprintf(stderr, "bench: pass %lld: %s, expected %s\n", i, r->body,
				refuse ? "refused" : "passed");
	}
	cl->refused += v && strcmp(v, "refused") == 0;
	json_decref(j);
}

static void passes_run(struct client *cl, struct conn *c)
{
	char path[96], body[300];
	struct reply r;
	bool refuse;

	for (long long i = cl->index; i < cl->total; i += cl->nclients) {
		int cp = pass_body(cl, i, body, sizeof(body), &refuse);
		snprintf(path, sizeof(path), "/api/v1/checkpoints/%s/passes", cl->w->cp_id[cp]);
		uint64_t t0 = fk_mono_ns();
		if (http(c, "POST", path, body, &r) < 0)
			bench_die("pass: connection failed", NULL);
		cl->lat[i] = fk_mono_ns() - t0;
		check_reply(cl, i, &r, refuse);
		free(r.body);
	}
}

/* The bare stack: the same round trips to a route that only asks the store "SELECT 1". */
static void healthz_run(struct client *cl, struct conn *c)
{
	struct reply r;

	for (long long i = cl->index; i < cl->total; i += cl->nclients) {
		uint64_t t0 = fk_mono_ns();
		if (http(c, "GET", "/healthz", NULL, &r) < 0 || r.status != 200)
			bench_die("GET /healthz", NULL);
		cl->lat[i] = fk_mono_ns() - t0;
		free(r.body);
	}
}

static void *client_run(void *arg)
{
	struct client *cl = arg;
	struct conn *c = cl->conn;

	snprintf(c->cookie, sizeof(c->cookie), "%s", cl->w->cookie);
	snprintf(c->csrf, sizeof(c->csrf), "%s", cl->w->csrf);
	pthread_barrier_wait(cl->go);
	if (cl->healthz)
		healthz_run(cl, c);
	else
		passes_run(cl, c);
	close(c->fd);
	free(c);
	return NULL;
}

struct tally {
	double secs;
	long long errors, wrong, refused;
};

static struct tally run_clients(int port, const struct world *w, long long total, int nclients,
				bool healthz, uint64_t *lat)
{
	struct client *cl = fk_xcalloc((size_t)nclients, sizeof(*cl));
	struct tally t = {0};
	pthread_barrier_t go;

	pthread_barrier_init(&go, NULL, (unsigned)nclients + 1);
	for (int i = 0; i < nclients; i++) {
		cl[i] = (struct client){.index = i,
					.nclients = nclients,
					.total = total,
					.w = w,
					.go = &go,
					.lat = lat,
					.healthz = healthz,
					.conn = fk_xcalloc(1, sizeof(struct conn))};
		/* One at a time, so the connections spread over the server's worker threads as
		 * phones arriving would. */
		if (conn_open(cl[i].conn, port) < 0)
			bench_die("connect", NULL);
		usleep(5000);
		pthread_create(&cl[i].th, NULL, client_run, &cl[i]);
	}
	pthread_barrier_wait(&go);
	uint64_t t0 = fk_mono_ns();
	for (int i = 0; i < nclients; i++)
		pthread_join(cl[i].th, NULL);
	t.secs = bench_secs(t0);
	for (int i = 0; i < nclients; i++) {
		t.errors += cl[i].errors;
		t.wrong += cl[i].wrong;
		t.refused += cl[i].refused;
	}
	pthread_barrier_destroy(&go);
	free(cl);
	return t;
}

/* ---- the run ---- */

static void report(long long total, int nclients, const struct tally *t, struct bench_pct p,
		   const struct tally *h, struct bench_pct hp)
{
	double rate = (double)total / t->secs, hrate = (double)total / h->secs;

	printf("%lld passes over HTTP by %d keep-alive gate clients at %d checkpoints, %d zones "
	       "sealed:\n"
	       "  %.2f s, %.0f passes/s acknowledged; latency ms p50 %.3f p90 %.3f p99 %.3f max "
	       "%.3f\n"
	       "  %lld refused by the zone rule (every verdict as expected: %s); %lld errors\n",
	       total, nclients, CHECKPOINTS, ZONES, t->secs, rate, p.p50, p.p90, p.p99, p.max,
	       t->refused, t->wrong ? "no" : "yes", t->errors);
	printf("  bare HTTP, the same clients, GET /healthz (only SELECT 1): %.0f requests/s; "
	       "latency ms p50 %.3f p90 %.3f p99 %.3f max %.3f\n"
	       "  ratio of passes to it: %.2f (goal: pass p99 < 50 ms)\n",
	       hrate, hp.p50, hp.p90, hp.p99, hp.max, rate / hrate);
}

static int run(const char *bin, const char *path, struct world *w, long long total, int nclients,
	       long long threads)
{
	uint64_t *lat = fk_xcalloc((size_t)total, sizeof(*lat));
	int port, status;
	pid_t pid = serve(bin, path, threads, &port);

	set_up(port, w);
	double cpu0 = proc_cpu(pid);
	struct tally t = run_clients(port, w, total, nclients, false, lat);
	double server_cpu = proc_cpu(pid) - cpu0;
	struct bench_pct p = bench_percentiles(lat, (size_t)total);
	struct tally h = run_clients(port, w, total, nclients, true, lat);
	struct bench_pct hp = bench_percentiles(lat, (size_t)total);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	report(total, nclients, &t, p, &h, hp);
	printf("  server CPU per pass: %.1f us (%ld cores)\n", server_cpu * 1e6 / (double)total,
	       sysconf(_SC_NPROCESSORS_ONLN));
	free(lat);
	return t.errors || t.wrong || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}

int main(int argc, char **argv)
{
	long long residents = bench_arg(argc, argv, "--residents", 10000000);
	long long total = bench_arg(argc, argv, "--passes", 100000);
	long long nclients = bench_arg(argc, argv, "--clients", 200);
	long long threads = bench_arg(argc, argv, "--threads", 0);
	char shared[128], path[128], bin[PATH_MAX + 16];
	struct world w = {0};

	if (residents < 4000 || total < 1 || nclients < 1 || nclients > 250)
		bench_die("--residents >= 4000, --passes >= 1, --clients 1..250", NULL);
	binary_beside(bin, sizeof(bin));
	bench_store_ensure(residents, shared, sizeof(shared));
	snprintf(path, sizeof(path), "/tmp/fk-bench-gates-%d.db", (int)getpid());
	uint64_t t0 = fk_mono_ns();
	bench_store_copy(shared, path);
	struct fk_db *db = bench_open_store(path);
	read_areas(db, &w);
	read_people(db, &w, residents < POOL_PEOPLE ? (int)residents : POOL_PEOPLE);
	fk_db_close(db);
	int zoned = 0;
	for (int i = 0; i < w.npeople; i++)
		zoned += w.people[i].zoned;
	printf("private copy of the store, %d people to pass (%d living in the zones): %.1f s\n",
	       w.npeople, zoned, bench_secs(t0));
	int failed = run(bin, path, &w, total, (int)nclients, threads);
	remove_db(path);
	free(w.people);
	return failed;
}
