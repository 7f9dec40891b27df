/* bench_search: searches a store of N demo residents (default 10,000,000) by ID number
 * (exact) and by name prefix (1-2 characters), within a community's scope and the whole
 * district's, through fk_people_search — the function behind GET /api/v1/people — and prints
 * latency percentiles beside those of the bare indexed SELECT for the same lookups, measured
 * in the same run. Issue 2's goal: p99 under 10 ms.
 *
 * The store takes minutes to build, so it is kept and shared with the other benchmarks
 * (demo_store.h).
 *
 *   bench_search [--residents N] [--queries N] */
#include <sqlite3.h>
#include <stdbool.h>
#include <unistd.h>
#include "area/area.h"
#include "base/xmalloc.h"
#include "bench.h"
#include "demo_store.h"
#include "people/people.h"

#define COMMUNITY    "370212001001"
#define SEARCH_LIMIT 50

struct sample {
	char id_number[20];
	char prefix[8]; /* 1 or 2 characters of the name */
};

/* ---- samples, read with plain sqlite3 (not timed) ---- */

static int64_t sq_one(sqlite3 *h, const char *sql, const char *arg1, const char *arg2)
{
	sqlite3_stmt *st;
	int64_t v = 0;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench: %s: %s\n", sql, sqlite3_errmsg(h));
		exit(1);
	}
	if (arg1)
		sqlite3_bind_text(st, 1, arg1, -1, SQLITE_STATIC);
	if (arg2)
		sqlite3_bind_text(st, 2, arg2, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Length in bytes of the first k UTF-8 characters of s. */
static size_t utf8_prefix(const char *s, int k)
{
	size_t i = 0;
	while (s[i] && k-- > 0)
		for (i++; ((unsigned char)s[i] & 0xC0) == 0x80; i++)
			;
	return i;
}

/* n random people among ids [lo, hi]: the demo writes people in building order and makes
 * their ids in increasing order, so a community's residents are one run of ids. Each pick is
 * the first person at or after a random point of the range (ids are not dense). */
static struct sample *pick_samples(sqlite3 *h, struct fk_demo_rng *r, int64_t lo, int64_t hi, int n)
{
	struct sample *s = fk_xcalloc((size_t)n, sizeof(*s));
	uint64_t span = (uint64_t)(hi - lo) + 1;
	sqlite3_stmt *st;

	sqlite3_prepare_v2(h,
			   "SELECT id_number, name FROM people WHERE id >= ? ORDER BY id LIMIT 1",
			   -1, &st, NULL);
	for (int i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, lo + (int64_t)(fk_demo_rng_next(r) % span));
		if (sqlite3_step(st) != SQLITE_ROW)
			bench_die("picking residents to look for", NULL);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		snprintf(s[i].id_number, sizeof(s[i].id_number), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		size_t len = utf8_prefix(name, 1 + (int)fk_demo_rng_below(r, 2));
		snprintf(s[i].prefix, sizeof(s[i].prefix), "%.*s", (int)len, name);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return s;
}

/* ---- timed lookups ---- */

enum kind { BY_ID, BY_NAME };

static void report(const char *label, double rows, uint64_t *ns, uint64_t *cpu, int n,
		   double *p99_out, double *p50_out)
{
	struct bench_pct p = bench_percentiles(ns, (size_t)n);
	struct bench_pct c = bench_percentiles(cpu, (size_t)n);
	printf("  %-30s %7.1f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f\n", label, rows, p.p50, p.p90,
	       p.p99, p.max, c.p50, c.p99);
	if (p99_out)
		*p99_out = p.p99;
	if (p50_out)
		*p50_out = p.p50;
}

static void run_api(struct fk_db *db, const struct fk_principal *who, const struct sample *s, int n,
		    enum kind k, uint64_t *ns, uint64_t *cpu, long *hits)
{
	struct fk_err err = {0};

	*hits = 0;
	for (int i = 0; i < n; i++) {
		struct fk_people_query q = {.limit = SEARCH_LIMIT};
		struct fk_person_list l = {0};
		if (k == BY_ID)
			q.id_number = s[i].id_number;
		else
			q.name = s[i].prefix;
		uint64_t c0 = bench_cpu_ns(), t0 = fk_mono_ns();
		if (fk_people_search(db, who, &q, &l, &err) < 0)
			bench_die("search", &err);
		ns[i] = fk_mono_ns() - t0;
		cpu[i] = bench_cpu_ns() - c0;
		*hits += l.n;
		fk_person_list_release(&l);
	}
}

static void run_bare(sqlite3 *h, const struct sample *s, int n, enum kind k, uint64_t *ns,
		     uint64_t *cpu, long *hits)
{
	static const char *const sql[] = {
	    "SELECT * FROM people WHERE id_number = ? AND id_type = 'resident'",
	    "SELECT * FROM people WHERE name >= ? AND name < ? ORDER BY name, id LIMIT 50",
	};
	sqlite3_stmt *st;
	char upper[16];

	*hits = 0;
	sqlite3_prepare_v2(h, sql[k], -1, &st, NULL);
	for (int i = 0; i < n; i++) {
		uint64_t c0 = bench_cpu_ns(), t0 = fk_mono_ns();
		if (k == BY_ID) {
			sqlite3_bind_text(st, 1, s[i].id_number, -1, SQLITE_STATIC);
		} else {
			sqlite3_bind_text(st, 1, s[i].prefix, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, fk_prefix_upper(s[i].prefix, upper), -1,
					  SQLITE_STATIC);
		}
		while (sqlite3_step(st) == SQLITE_ROW)
			(*hits)++;
		sqlite3_reset(st);
		ns[i] = fk_mono_ns() - t0;
		cpu[i] = bench_cpu_ns() - c0;
	}
	sqlite3_finalize(st);
}

static void principal_for(struct fk_db *db, const char *code, enum fk_role role,
			  struct fk_principal *who)
{
	struct fk_err err = {0};
	struct fk_area a;

	if (fk_area_get_by_code(db, code, &a, &err) < 0)
		bench_die(code, &err);
	memset(who, 0, sizeof(*who));
	who->role = role;
	who->nscopes = 1;
	who->scope_ids[0] = a.id;
	snprintf(who->scope_paths[0], sizeof(who->scope_paths[0]), "%s", a.path);
	who->see_id = who->see_phone = true;
	snprintf(who->username, sizeof(who->username), "bench");
	fk_area_release(&a);
}

struct run {
	const char *label;
	const struct fk_principal *who; /* NULL: bare */
	const struct sample *samples;
	enum kind kind;
};

int main(int argc, char **argv)
{
	long long n = bench_arg(argc, argv, "--residents", 10000000);
	int nq = (int)bench_arg(argc, argv, "--queries", 10000);
	char path[256], upper[64];
	struct fk_principal community, district;
	struct fk_demo_rng r;
	sqlite3 *h;

	bench_store_ensure(n, path, sizeof(path));

	struct fk_db *db = bench_open_store(path);
	principal_for(db, COMMUNITY, FK_ROLE_COMMUNITY, &community);
	principal_for(db, FK_DEMO_DISTRICT_CODE, FK_ROLE_COMMANDER, &district);
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK)
		bench_die("open bare", NULL);
	sqlite3_exec(h, "PRAGMA cache_size=-65536", NULL, NULL, NULL);

	fk_demo_rng_seed(&r, 42);
	int64_t first = sq_one(h, "SELECT min(id) FROM people", NULL, NULL);
	int64_t last = sq_one(h, "SELECT max(id) FROM people", NULL, NULL);
	int64_t lo =
	    sq_one(h, "SELECT min(id) FROM people WHERE area_path >= ? AND area_path < ?",
		   community.scope_paths[0], fk_prefix_upper(community.scope_paths[0], upper));
	int64_t hi = sq_one(h, "SELECT max(id) FROM people WHERE area_path >= ? AND area_path < ?",
			    community.scope_paths[0], upper);
	if (last == 0 || lo == 0)
		bench_die("the store holds no residents", NULL);
	struct sample *in_comm = pick_samples(h, &r, lo, hi, nq);
	struct sample *in_all = pick_samples(h, &r, first, last, nq);

	const struct run runs[] = {
	    {"id_number, community scope", &community, in_comm, BY_ID},
	    {"id_number, district scope", &district, in_all, BY_ID},
	    {"id_number, bare SELECT", NULL, in_all, BY_ID},
	    {"name prefix, community scope", &community, in_comm, BY_NAME},
	    {"name prefix, district scope", &district, in_all, BY_NAME},
	    {"name prefix, bare SELECT", NULL, in_all, BY_NAME},
	};
	uint64_t *ns = fk_xcalloc((size_t)nq, sizeof(*ns));
	uint64_t *cpu = fk_xcalloc((size_t)nq, sizeof(*cpu));
	double p50[6], p99[6];

	printf(
	    "%d searches of each kind over %lld residents (page of %d), fk_people_search and the "
	    "bare indexed SELECT:\n",
	    nq, n, SEARCH_LIMIT);
	printf("  %-30s %7s %8s %8s %8s %8s %8s %8s\n", "(milliseconds)", "rows", "p50", "p90",
	       "p99", "max", "cpu p50", "cpu p99");
	for (int i = 0; i < 6; i++) {
		long hits;
		if (runs[i].who)
			run_api(db, runs[i].who, runs[i].samples, nq, runs[i].kind, ns, cpu, &hits);
		else
			run_bare(h, runs[i].samples, nq, runs[i].kind, ns, cpu, &hits);
		report(runs[i].label, (double)hits / nq, ns, cpu, nq, &p99[i], &p50[i]);
	}
	printf("ratio to bare, p50 and p99: id_number community %.1f %.1f, district %.1f %.1f; "
	       "name prefix community %.1f %.1f, district %.1f %.1f\n",
	       p50[0] / p50[2], p99[0] / p99[2], p50[1] / p50[2], p99[1] / p99[2], p50[3] / p50[5],
	       p99[3] / p99[5], p50[4] / p50[5], p99[4] / p99[5]);
	printf("goal: p99 under 10 ms in a 10,000,000-resident store\n");
	free(ns);
	free(cpu);
	free(in_comm);
	free(in_all);
	sqlite3_close(h);
	fk_db_close(db);
	return 0;
}
