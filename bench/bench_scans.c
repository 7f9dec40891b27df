/* bench_scans: registration scans acknowledged over HTTP. Builds a fresh demo store, starts
 * `fangkong serve` on it (the binary beside this program), opens a round over the district
 * with a site the registrar is bound to, then several client threads, each on its own
 * keep-alive connection speaking HTTP/1.1 over plain sockets, open tubes and scan residents'
 * sampling codes into them (POST /api/v1/tubes/{code}/scans with a client_key, ten per tube),
 * each waiting for its reply before sending the next. Prints scans per second acknowledged
 * (tube openings take their share of the time but are not counted) and latency percentiles,
 * beside two bare stacks measured in the same run: the same clients sending GET /healthz (the
 * HTTP server and a store round trip, nothing else), and bare SQLite inserts of the same sample
 * rows, one committed transaction each (as a scan alone would be). Issue 4's goal: >= 20,000
 * scans/s on SQLite.
 *
 * The clients run on the same machine as the server and take part of its CPU.
 *
 * Each client count given runs in a round of its own (default: 8, 32, then 64 clients).
 *
 *   bench_scans [--residents N] [--scans N] [--clients N[,N...]] [--threads N] */
#include <pthread.h>
#include <sqlite3.h>
#include "base/id.h"
#include "cmd/demo.h"
#include "bench_round.h"

/* ---- the clients ---- */

struct client {
	pthread_t th;
	int index, nclients, port;
	long long total;
	const struct person *people;
	const char *round_id, *site_id, *cookie, *csrf;
	pthread_barrier_t *go;
	struct conn *conn;
	uint64_t *lat; /* ns per scan, at the person's index */
	long long done, errors;
	bool healthz; /* bare stack: GET /healthz instead of scans */
	int run;      /* which run of the program: in tube codes and keys */
};

static int client_scan(struct client *cl, struct conn *c, const char *tube, long long i)
{
	char path[96], body[200];
	struct reply r;

	snprintf(path, sizeof(path), "/api/v1/tubes/%s/scans", tube);
	snprintf(body, sizeof(body), "{\"person_code\":\"%s\",\"client_key\":\"bench-s%d-%lld\"}",
		 cl->people[i].code, cl->run, i);
	uint64_t t0 = fk_mono_ns();
	if (http(c, "POST", path, body, &r) < 0)
		return -1;
	cl->lat[i] = fk_mono_ns() - t0;
	if (r.status != 201 && cl->errors++ < 3)
		fprintf(stderr, "bench: scan %lld: %d %s\n", i, r.status, r.body);
	free(r.body);
	cl->done++;
	return 0;
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
		cl->done++;
	}
}

static void *client_run(void *arg)
{
	struct client *cl = arg;
	struct conn *c = cl->conn;
	char path[96], body[200], tube[40];
	long long k = 0;
	struct reply r;

	snprintf(c->cookie, sizeof(c->cookie), "%s", cl->cookie);
	snprintf(c->csrf, sizeof(c->csrf), "%s", cl->csrf);
	snprintf(path, sizeof(path), "/api/v1/rounds/%s/tubes", cl->round_id);
	pthread_barrier_wait(cl->go);
	if (cl->healthz) {
		healthz_run(cl, c);
		k = cl->total; /* skips the scans */
	}
	for (long long i = cl->index; i < cl->total && !cl->healthz; k++) {
		snprintf(tube, sizeof(tube), "BT%d-%02d-%08lld", cl->run, cl->index, k);
		snprintf(body, sizeof(body),
			 "{\"code\":\"%s\",\"site_id\":\"%s\",\"client_key\":\"bench-t-%s\"}", tube,
			 cl->site_id, tube);
		if (http(c, "POST", path, body, &r) < 0 || r.status != 201)
			bench_die("open a tube", NULL);
		free(r.body);
		for (int j = 0; j < POOL && i < cl->total; j++, i += cl->nclients)
			if (client_scan(cl, c, tube, i) < 0)
				bench_die("scan: connection failed", NULL);
	}
	close(c->fd);
	free(c);
	return NULL;
}

static double run_clients(int port, const struct setup *s, const struct person *people,
			  long long total, int nclients, bool healthz, uint64_t *lat,
			  long long *errors)
{
	struct client *cl = fk_xcalloc((size_t)nclients, sizeof(*cl));
	pthread_barrier_t go;
	uint64_t t0;

	pthread_barrier_init(&go, NULL, (unsigned)nclients + 1);
	for (int i = 0; i < nclients; i++) {
		cl[i] = (struct client){.index = i,
					.nclients = nclients,
					.port = port,
					.total = total,
					.people = people,
					.round_id = s->round_id,
					.site_id = s->site_id,
					.cookie = s->reg.cookie,
					.csrf = s->reg.csrf,
					.go = &go,
					.lat = lat,
					.healthz = healthz,
					.run = s->run,
					.conn = fk_xcalloc(1, sizeof(struct conn))};
		/* One at a time: the server's worker threads take turns accepting, so the
		 * connections spread over them as a crowd of phones arriving would. */
		if (conn_open(cl[i].conn, port) < 0)
			bench_die("connect", NULL);
		usleep(20000);
		pthread_create(&cl[i].th, NULL, client_run, &cl[i]);
	}
	pthread_barrier_wait(&go);
	t0 = fk_mono_ns();
	for (int i = 0; i < nclients; i++)
		pthread_join(cl[i].th, NULL);
	double secs = bench_secs(t0);
	*errors = 0;
	for (int i = 0; i < nclients; i++)
		*errors += cl[i].errors;
	pthread_barrier_destroy(&go);
	free(cl);
	return secs;
}

/* ---- bare SQLite: the same sample rows, one committed transaction each ---- */

static double bare_inserts(const char *path, const struct person *p, long long n)
{
	static const char *const ddl =
	    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	    "CREATE TABLE samples (id BIGINT PRIMARY KEY, round_id BIGINT NOT NULL, tube_id BIGINT "
	    "NOT NULL, person_id BIGINT NOT NULL, building_id BIGINT NOT NULL, area_path TEXT NOT "
	    "NULL, scanned_by BIGINT NOT NULL, scanned_at BIGINT NOT NULL, voided INTEGER NOT NULL "
	    "DEFAULT 0, result TEXT);"
	    "CREATE UNIQUE INDEX samples_live ON samples (round_id, person_id) WHERE voided = 0;"
	    "CREATE INDEX samples_tube ON samples (tube_id, voided, building_id);";
	sqlite3 *h;
	sqlite3_stmt *st, *begin, *commit;
	uint64_t t0;

	unlink(path);
	if (sqlite3_open(path, &h) != SQLITE_OK ||
	    sqlite3_exec(h, ddl, NULL, NULL, NULL) != SQLITE_OK)
		bench_die("bare store", NULL);
	sqlite3_prepare_v2(h, "INSERT INTO samples VALUES (?, 1, ?, ?, ?, ?, 7, ?, 0, NULL)", -1,
			   &st, NULL);
	sqlite3_prepare_v2(h, "BEGIN IMMEDIATE", -1, &begin, NULL);
	sqlite3_prepare_v2(h, "COMMIT", -1, &commit, NULL);
	t0 = fk_mono_ns();
	for (long long i = 0; i < n; i++) {
		sqlite3_step(begin);
		sqlite3_reset(begin);
		sqlite3_bind_int64(st, 1, fk_id_next());
		sqlite3_bind_int64(st, 2, 1000 + i / POOL);
		sqlite3_bind_int64(st, 3, p[i].id);
		sqlite3_bind_int64(st, 4, p[i].area_id);
		sqlite3_bind_text(st, 5, p[i].area_path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, fk_now_ms());
		if (sqlite3_step(st) != SQLITE_DONE)
			bench_die(sqlite3_errmsg(h), NULL);
		sqlite3_reset(st);
		sqlite3_step(commit);
		sqlite3_reset(commit);
	}
	double secs = bench_secs(t0);
	sqlite3_finalize(st);
	sqlite3_finalize(begin);
	sqlite3_finalize(commit);
	sqlite3_close(h);
	return secs;
}

/* "--clients 8,32": the client counts to run, into out (at most max); default 8 and 32. */
static int bench_clients(int argc, char **argv, int *out, int max)
{
	const char *list = "8,32,64";
	int n = 0;

	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--clients") == 0)
			list = argv[i + 1];
	for (const char *p = list; *p && n < max;) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p || v < 1 || v > 1000 || (*end && *end != ','))
			return 0;
		out[n++] = (int)v;
		p = *end ? end + 1 : end;
	}
	return n;
}

struct run_opts {
	const char *bin, *path;
	const struct person *people;
	long long total, threads;
	int nclients, run;
};

/* One run: a new round and site, scans by nclients, then the bare HTTP stack with the same
 * clients, against a server of its own. Returns the scans per second (0 on refusals). */
static double run_once(const struct run_opts *o)
{
	struct setup s = {.run = o->run};
	long long errors, herrors;
	int port, status;
	pid_t pid = serve(o->bin, o->path, o->threads, &port);
	uint64_t *lat = fk_xcalloc((size_t)o->total, sizeof(*lat));

	set_up(port, &s);
	double cpu0 = proc_cpu(pid);
	uint64_t c0 = bench_cpu_ns();
	double secs = run_clients(port, &s, o->people, o->total, o->nclients, false, lat, &errors);
	double server_cpu = proc_cpu(pid) - cpu0, client_cpu = bench_cpu_secs(c0);
	struct bench_pct p = bench_percentiles(lat, (size_t)o->total);
	double hsecs = run_clients(port, &s, o->people, o->total, o->nclients, true, lat, &herrors);
	struct bench_pct hp = bench_percentiles(lat, (size_t)o->total);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	double rate = (double)o->total / secs, hrate = (double)o->total / hsecs;
	char tdesc[24] = "default";
	if (o->threads > 0)
		snprintf(tdesc, sizeof(tdesc), "%lld", o->threads);
	printf("%lld scans over HTTP by %d keep-alive clients (server threads: %s), %d per tube:\n"
	       "  %.2f s, %.0f scans/s acknowledged; latency ms p50 %.3f p90 %.3f p99 %.3f max "
	       "%.3f; %lld refused\n",
	       o->total, o->nclients, tdesc, POOL, secs, rate, p.p50, p.p90, p.p99, p.max, errors);
	printf("  CPU per scan: server %.1f us, clients %.1f us (%ld cores)\n",
	       server_cpu * 1e6 / (double)o->total, client_cpu * 1e6 / (double)o->total,
	       sysconf(_SC_NPROCESSORS_ONLN));
	printf("  bare HTTP, the same clients, GET /healthz (only SELECT 1): %.0f requests/s; "
	       "latency ms p50 %.3f p99 %.3f; ratio of scans to it: %.2f\n",
	       hrate, hp.p50, hp.p99, rate / hrate);
	free(lat);
	if (errors > 0 || herrors > 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return 0;
	return rate;
}

int main(int argc, char **argv)
{
	long long residents = bench_arg(argc, argv, "--residents", 200000);
	long long total = bench_arg(argc, argv, "--scans", 100000);
	long long threads = bench_arg(argc, argv, "--threads", 0);
	int counts[8], ncounts = bench_clients(argc, argv, counts, 8);
	struct fk_demo_opts o = {.residents = residents, .seed = 1, .password = BENCH_PASSWORD};
	char path[128], bare[128], bin[PATH_MAX + 16];
	double rates[8];
	struct fk_err err = {0};
	int failed = 0;

	if (total > residents || ncounts < 1)
		bench_die("--scans must not exceed --residents; --clients N[,N...] of N >= 1",
			  NULL);
	binary_beside(bin, sizeof(bin));
	snprintf(path, sizeof(path), "/tmp/fk-bench-scans-%d.db", (int)getpid());
	snprintf(bare, sizeof(bare), "/tmp/fk-bench-scans-bare-%d.db", (int)getpid());
	remove_db(path);
	uint64_t t0 = fk_mono_ns();
	struct fk_db *db = bench_open_store(path);
	if (fk_demo_build(db, &o, NULL, &err) < 0)
		bench_die("demo", &err);
	struct person *people = load_people(db, total);
	fk_db_close(db);
	printf("fresh demo store of %lld residents, %lld sampling codes: %.1f s\n", residents,
	       total, bench_secs(t0));
	for (int i = 0; i < ncounts; i++) {
		struct run_opts ro = {bin, path, people, total, threads, counts[i], i + 1};
		rates[i] = run_once(&ro);
		failed |= rates[i] == 0;
	}
	double bsecs = bare_inserts(bare, people, total);
	double brate = (double)total / bsecs;
	printf("bare SQLite: the same %lld rows, one transaction each: %.2f s, %.0f rows/s\n",
	       total, bsecs, brate);
	for (int i = 0; i < ncounts; i++)
		printf("%d clients: %.0f scans/s, ratio to bare SQLite inserts %.2f "
		       "(goal: >= 20,000 scans/s)\n",
		       counts[i], rates[i], rates[i] / brate);
	remove_db(path);
	remove_db(bare);
	free(people);
	return failed;
}
