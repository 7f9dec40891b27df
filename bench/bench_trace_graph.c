/* bench_trace_graph: a transmission graph of 5,000 nodes served over HTTP. Builds a private
 * store of N residents (default 20,000; the graph needs people, not millions of them), writes
 * one chain into it — C cases (default 1,000), each infected by an earlier one (a tree three
 * wide, so about seven generations), each with three close contacts and one secondary contact
 * through the first of them: C + 4C people, 5,000 nodes by default — starts `fangkong serve`
 * on it and times, over repeated calls on one keep-alive connection as the commander: the
 * chain's graph from its root case (GET /api/v1/cases/{id}/graph) and the district's graph
 * (GET /api/v1/trace/graph). Beside them, the bare stack (GET /healthz, which only asks the
 * store "SELECT 1") and the bare SQL of the case graph on the same store (its two recursive
 * queries, rows read, no JSON). Issue 17's goal: under 300 ms.
 *
 *   bench_trace_graph [--residents N] [--cases N] [--calls N] */
#include "bench_http.h"
#include "base/id.h"
#include "cmd/demo.h"

struct chain {
	int64_t *person; /* the people of the graph, cases first */
	char (*path)[FK_AREA_PATH_MAX];
	int64_t *case_id; /* per case */
	int64_t root, nodes;
	long long cases;
};

static void people_read(struct fk_db *db, struct chain *g, long long n)
{
	struct fk_err err = {0};
	struct fk_q *q;
	long long i = 0;

	g->person = fk_xcalloc((size_t)n, sizeof(*g->person));
	g->path = fk_xcalloc((size_t)n, sizeof(*g->path));
	if (fk_db_query(db, &q, "SELECT id, area_path FROM people ORDER BY id LIMIT ?", &err) < 0)
		bench_die("people", &err);
	fk_q_bind_i64(q, 1, n);
	while (i < n && fk_q_step(q, &err) > 0) {
		g->person[i] = fk_q_i64(q, 0);
		snprintf(g->path[i], sizeof(g->path[i]), "%s", fk_q_text(q, 1));
		i++;
	}
	fk_q_done(q);
	if (i < n)
		bench_die("fewer residents than the graph needs: raise --residents", NULL);
}

static void case_write(struct fk_db *db, struct chain *g, long long i, int64_t now)
{
	struct fk_err err = {0};
	int64_t src = i ? g->case_id[(i - 1) / 3] : 0, gen = 1;

	for (long long k = i; k > 0; k = (k - 1) / 3)
		gen++;
	g->case_id[i] = fk_id_next();
	if (fk_db_write(
		db, &err,
		"INSERT INTO cases (id, person_id, area_path, status, found_by, "
		"source_case_id, generation, created_by, created_at, updated_at) VALUES (?, "
		"?, ?, 'confirmed', 'retest', NULLIF(?, CAST(0 AS BIGINT)), ?, 0, ?, ?)",
		"iitiiii", g->case_id[i], g->person[i], g->path[i], src, gen, now, now) < 0)
		bench_die("case", &err);
}

/* Contact j (0..3) of case i: three close ones, then a secondary one through the first. */
static void contact_write(struct fk_db *db, struct chain *g, long long i, int j, int64_t *first,
			  int64_t now)
{
	struct fk_err err = {0};
	long long who = g->cases + i * 4 + j;
	int64_t id = fk_id_next();

	if (fk_db_write(
		db, &err,
		"INSERT INTO contacts (id, case_id, person_id, area_path, kind, "
		"via_contact_id, place, met_at, exposure, certainty, source, status, "
		"created_by, created_at) VALUES (?, ?, ?, ?, ?, NULLIF(?, CAST(0 AS BIGINT)), "
		"'bench', ?, 'household', 'confirmed', 'named_by_case', 'listed', 0, ?)",
		"iiittiii", id, g->case_id[i], g->person[who], g->path[who],
		j < 3 ? "close" : "secondary", j < 3 ? 0 : *first, now - 3600000, now) < 0)
		bench_die("contact", &err);
	if (j == 0)
		*first = id;
}

static void chain_write(struct fk_db *db, struct chain *g)
{
	struct fk_err err = {0};
	int64_t now = fk_now_ms(), first = 0;

	g->case_id = fk_xcalloc((size_t)g->cases, sizeof(*g->case_id));
	if (fk_db_begin(db, true, &err) < 0)
		bench_die("begin", &err);
	for (long long i = 0; i < g->cases; i++) {
		case_write(db, g, i, now);
		for (int j = 0; j < 4; j++)
			contact_write(db, g, i, j, &first, now);
	}
	if (fk_db_commit(db, &err) < 0 || fk_db_exec(db, "ANALYZE", &err) < 0)
		bench_die("commit", &err);
	g->root = g->case_id[0];
	g->nodes = g->cases * 5;
}

/* ---- the timed calls ---- */

static int64_t graph_get(struct conn *c, const char *path)
{
	struct reply r;
	json_t *j;
	int64_t n;

	if (http(c, "GET", path, NULL, &r) < 0 || r.status != 200) {
		fprintf(stderr, "bench: GET %s failed\n", path);
		exit(1);
	}
	j = json_loads(r.body, 0, NULL);
	free(r.body);
	if (!j)
		bench_die("a reply that is not JSON", NULL);
	n = (int64_t)json_array_size(json_object_get(j, "nodes"));
	json_decref(j);
	return n;
}

static void healthz(struct conn *c)
{
	struct reply r;

	if (http(c, "GET", "/healthz", NULL, &r) < 0 || r.status != 200)
		bench_die("GET /healthz", NULL);
	free(r.body);
}

/* The case graph's two recursive queries, their rows read. */
static int64_t bare_graph(struct fk_db *db, int64_t root)
{
	static const char *const sql[] = {
	    "WITH RECURSIVE chain(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT c.id FROM cases c "
	    "JOIN chain h ON c.source_case_id = h.id) SELECT c.id, c.person_id, c.status, "
	    "c.generation, c.area_path, p.name FROM chain h JOIN cases c ON c.id = h.id JOIN "
	    "people p ON p.id = c.person_id",
	    "WITH RECURSIVE chain(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT c.id FROM cases c "
	    "JOIN chain h ON c.source_case_id = h.id) SELECT k.person_id, k.kind, k.status, "
	    "k.area_path, p.name FROM chain h JOIN contacts k ON k.case_id = h.id JOIN people p ON "
	    "p.id = k.person_id"};
	struct fk_err err = {0};
	struct fk_q *q;
	int64_t n = 0;

	for (int s = 0; s < 2; s++) {
		if (fk_db_query(db, &q, sql[s], &err) < 0)
			bench_die("bare graph", &err);
		fk_q_bind_i64(q, 1, root);
		while (fk_q_step(q, &err) > 0)
			n += fk_q_text(q, 4) != NULL;
		fk_q_done(q);
	}
	return n;
}

enum { T_CASE, T_AREA, T_HEALTHZ, T_BARE, T_N };

static const char *const what[T_N] = {
    "GET /cases/{root}/graph (the whole chain)",
    "GET /trace/graph (the district)",
    "bare stack: GET /healthz (only SELECT 1)",
    "bare SQL: the chain's two queries, rows read",
};

static void time_all(struct conn *c, struct fk_db *db, const struct chain *g, long long calls,
		     uint64_t **ns)
{
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/cases/%lld/graph", (long long)g->root);
	for (int k = 0; k < T_N; k++)
		ns[k] = fk_xcalloc((size_t)calls, sizeof(uint64_t));
	for (long long i = 0; i < calls; i++) {
		uint64_t t0 = fk_mono_ns();
		if (graph_get(c, path) != g->nodes)
			bench_die("the case graph's nodes differ from the chain's people", NULL);
		ns[T_CASE][i] = fk_mono_ns() - t0;
		t0 = fk_mono_ns();
		if (graph_get(c, "/api/v1/trace/graph") != g->nodes)
			bench_die("the district graph's nodes differ from the chain's people",
				  NULL);
		ns[T_AREA][i] = fk_mono_ns() - t0;
		t0 = fk_mono_ns();
		healthz(c);
		ns[T_HEALTHZ][i] = fk_mono_ns() - t0;
		t0 = fk_mono_ns();
		if (bare_graph(db, g->root) != g->nodes)
			bench_die("the bare graph's rows differ", NULL);
		ns[T_BARE][i] = fk_mono_ns() - t0;
	}
}

static void report(const struct chain *g, long long calls, uint64_t **ns)
{
	printf("a chain of %lld cases and %lld contacts: %lld nodes\n", g->cases, g->cases * 4,
	       (long long)g->nodes);
	for (int k = 0; k < T_N; k++) {
		struct bench_pct p = bench_percentiles(ns[k], (size_t)calls);
		printf("  %-46s x%-4lld ms p50 %8.2f p99 %8.2f max %8.2f\n", what[k], calls, p.p50,
		       p.p99, p.max);
		free(ns[k]);
	}
	printf("  (goal: under 300 ms)\n");
}

static struct fk_db *store_build(const char *path, long long residents)
{
	struct fk_demo_opts o = {.residents = residents, .seed = 1, .password = BENCH_PASSWORD};
	struct fk_err err = {0};
	struct fk_db *db;

	remove_db(path);
	db = bench_open_store(path);
	if (fk_demo_build(db, &o, NULL, &err) < 0)
		bench_die("demo", &err);
	return db;
}

int main(int argc, char **argv)
{
	long long residents = bench_arg(argc, argv, "--residents", 20000);
	long long calls = bench_arg(argc, argv, "--calls", 30);
	struct chain g = {.cases = bench_arg(argc, argv, "--cases", 1000)};
	char path[128], bin[PATH_MAX + 16];
	uint64_t *ns[T_N];
	int port, status;

	if (calls < 1 || g.cases < 1 || g.cases * 5 > residents)
		bench_die("--calls and --cases at least 1, --residents at least 5 x --cases", NULL);
	binary_beside(bin, sizeof(bin));
	snprintf(path, sizeof(path), "/tmp/fk-bench-trace-%d.db", (int)getpid());
	struct fk_db *db = store_build(path, residents);
	people_read(db, &g, g.cases * 5);
	chain_write(db, &g);
	pid_t pid = serve(bin, path, 0, &port);
	struct conn *c = fk_xcalloc(1, sizeof(*c));
	login(c, port, "commander");
	time_all(c, db, &g, calls, ns);
	close(c->fd);
	free(c);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	fk_db_close(db);
	report(&g, calls, ns);
	free(g.person);
	free(g.path);
	free(g.case_id);
	remove_db(path);
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}
