/* bench_zone_people: "who is in this zone" over HTTP. Takes a private copy of the shared demo
 * store of N residents (demo_store.h; default 2,000,000, where a community holds about
 * 50,000 people), picks the community or grid whose residents come nearest --zone people
 * (default 50,000), starts `fangkong serve` on the copy and draws a level-3 zone over it, then
 * times, over repeated calls on one keep-alive connection: the zone with its people count
 * (GET /api/v1/zones/{id}), the first page of its people (GET /api/v1/zones/{id}/people,
 * 500 a page), and the whole list paged through to its end. Beside them, the bare SQL of the
 * same run on the same store: the count of the same people, and all of them read in one
 * SELECT. Issue 16's goal: under 200 ms.
 *
 *   bench_zone_people [--residents N] [--zone N] [--calls N] [--walks N] */
#include "area/area.h"
#include "bench_http.h"
#include "demo_store.h"

#define PAGE 500

struct target {
	int64_t area_id, people;
	char path[FK_AREA_PATH_MAX], code[64], kind[16];
	char zone_id[24];
};

/* The community or grid whose residents come nearest want. */
static void pick_area(struct fk_db *db, int64_t want, struct target *t)
{
	struct fk_err err = {0};
	struct fk_q *q;
	int64_t best = -1;

	if (fk_db_query(
		db, &q,
		"SELECT id, path, code, kind FROM areas WHERE kind IN ('community', 'grid') "
		"ORDER BY code",
		&err) < 0)
		bench_die("areas", &err);
	while (fk_q_step(q, &err) > 0) {
		int64_t n;
		if (fk_area_residents_count(db, fk_q_text(q, 1), &n, &err) < 0)
			bench_die("count", &err);
		if (best >= 0 && llabs(n - want) >= llabs(best - want))
			continue;
		best = n;
		t->area_id = fk_q_i64(q, 0);
		t->people = n;
		snprintf(t->path, sizeof(t->path), "%s", fk_q_text(q, 1));
		snprintf(t->code, sizeof(t->code), "%s", fk_q_text(q, 2));
		snprintf(t->kind, sizeof(t->kind), "%s", fk_q_text(q, 3));
	}
	fk_q_done(q);
	if (best < 0)
		bench_die("no community or grid in the store", NULL);
}

/* A level-3 zone over the target ("high", or "sealed" under the April 2022 scheme). */
static void draw_zone(struct conn *c, struct target *t)
{
	static const char *const kinds[] = {"high", "sealed"};
	char body[200];
	struct reply r = {0};

	for (int k = 0; k < 2; k++) {
		snprintf(body, sizeof(body),
			 "{\"area_id\":\"%lld\",\"kind\":\"%s\",\"reason\":\"bench_zone_people\"}",
			 (long long)t->area_id, kinds[k]);
		if (http(c, "POST", "/api/v1/zones", body, &r) < 0)
			bench_die("POST /api/v1/zones: connection failed", NULL);
		if (r.status == 201 || r.status == 200) {
			id_of(json_loads(r.body, 0, NULL), "id", t->zone_id, sizeof(t->zone_id));
			free(r.body);
			return;
		}
		free(r.body);
	}
	fprintf(stderr, "bench: POST /api/v1/zones: %d\n", r.status);
	exit(1);
}

/* ---- the timed calls ---- */

static json_t *get(struct conn *c, const char *path)
{
	struct reply r;
	json_t *j;

	if (http(c, "GET", path, NULL, &r) < 0 || r.status != 200) {
		fprintf(stderr, "bench: GET %s failed\n", path);
		exit(1);
	}
	j = json_loads(r.body, 0, NULL);
	free(r.body);
	if (!j)
		bench_die("a reply that is not JSON", NULL);
	return j;
}

/* The zone with its count; returns the count. */
static int64_t zone_count(struct conn *c, const struct target *t)
{
	char path[96];
	json_t *j;

	snprintf(path, sizeof(path), "/api/v1/zones/%s", t->zone_id);
	j = get(c, path);
	int64_t n = json_integer_value(json_object_get(j, "people"));
	json_decref(j);
	return n;
}

/* One page after cursor (NULL: the first); its size, next cursor into next ("" at the end). */
static size_t zone_page(struct conn *c, const struct target *t, const char *cursor, char *next,
			size_t size)
{
	char path[128];
	json_t *j;

	snprintf(path, sizeof(path), "/api/v1/zones/%s/people?limit=%d%s%s", t->zone_id, PAGE,
		 cursor ? "&cursor=" : "", cursor ? cursor : "");
	j = get(c, path);
	size_t n = json_array_size(json_object_get(j, "items"));
	const char *nc = json_string_value(json_object_get(j, "next_cursor"));
	snprintf(next, size, "%s", nc ? nc : "");
	json_decref(j);
	return n;
}

/* Every page to the end; returns the people read and the pages into *pages. */
static int64_t zone_walk(struct conn *c, const struct target *t, int *pages)
{
	char cursor[32] = "", next[32];
	int64_t n = 0;

	*pages = 0;
	do {
		n += (int64_t)zone_page(c, t, *pages ? cursor : NULL, next, sizeof(next));
		snprintf(cursor, sizeof(cursor), "%s", next);
		++*pages;
	} while (cursor[0]);
	return n;
}

/* ---- the bare SQL, on the same store ---- */

static int64_t bare_count(struct fk_db *db, const struct target *t)
{
	char upper[FK_AREA_PATH_MAX + 8];
	struct fk_err err = {0};
	int64_t n = 0;

	if (fk_db_one_i64(db, &err, &n,
			  "SELECT COUNT(*) FROM people WHERE area_path >= ? AND area_path < ?",
			  "tt", t->path, fk_prefix_upper(t->path, upper)) < 0)
		bench_die("bare count", &err);
	return n;
}

/* The columns the API lists, for all the zone's people in one statement. */
static int64_t bare_list(struct fk_db *db, const struct target *t)
{
	char upper[FK_AREA_PATH_MAX + 8];
	struct fk_err err = {0};
	struct fk_q *q;
	int64_t n = 0;

	if (fk_db_query(
		db, &q,
		"SELECT p.id, p.name, p.id_number, COALESCE(p.household, ''), p.area_id, "
		"a.name FROM people p JOIN areas a ON a.id = p.area_id WHERE p.area_path >= "
		"? AND p.area_path < ? ORDER BY p.id",
		&err) < 0)
		bench_die("bare list", &err);
	fk_q_bind_text(q, 1, t->path);
	fk_q_bind_text(q, 2, fk_prefix_upper(t->path, upper));
	while (fk_q_step(q, &err) > 0)
		n += fk_q_text(q, 1)[0] != '\0';
	fk_q_done(q);
	return n;
}

/* ---- the run ---- */

enum { T_COUNT, T_PAGE, T_WALK, T_BARE_COUNT, T_BARE_LIST, T_N };

static const char *const what[T_N] = {
    "GET /zones/{id} (the zone and its people count)",
    "GET /zones/{id}/people, first page of 500",
    "the whole list, paged through",
    "bare SQL: COUNT(*) of the same people",
    "bare SQL: all of them, the same columns, one SELECT",
};

struct timings {
	uint64_t *ns[T_N];
	long long n[T_N];
	int pages;
};

static void time_all(struct conn *c, struct fk_db *db, const struct target *t, long long calls,
		     long long walks, struct timings *tm)
{
	char next[32];

	for (int k = 0; k < T_N; k++) {
		tm->n[k] = k == T_WALK || k == T_BARE_LIST ? walks : calls;
		tm->ns[k] = fk_xcalloc((size_t)tm->n[k] + 1, sizeof(uint64_t));
	}
	for (long long i = 0; i < calls; i++) {
		uint64_t t0 = fk_mono_ns();
		if (zone_count(c, t) != t->people)
			bench_die("the zone's count differs from the area's", NULL);
		tm->ns[T_COUNT][i] = fk_mono_ns() - t0;
		t0 = fk_mono_ns();
		zone_page(c, t, NULL, next, sizeof(next));
		tm->ns[T_PAGE][i] = fk_mono_ns() - t0;
		t0 = fk_mono_ns();
		if (bare_count(db, t) != t->people)
			bench_die("the bare count differs", NULL);
		tm->ns[T_BARE_COUNT][i] = fk_mono_ns() - t0;
	}
	for (long long i = 0; i < walks; i++) {
		uint64_t t0 = fk_mono_ns();
		if (zone_walk(c, t, &tm->pages) != t->people)
			bench_die("the pages hold other people than the count", NULL);
		tm->ns[T_WALK][i] = fk_mono_ns() - t0;
		t0 = fk_mono_ns();
		if (bare_list(db, t) != t->people)
			bench_die("the bare list differs", NULL);
		tm->ns[T_BARE_LIST][i] = fk_mono_ns() - t0;
	}
}

static void report(const struct target *t, struct timings *tm)
{
	printf("a level-3 zone over %s %s: %lld people (%d pages of %d)\n", t->kind, t->code,
	       (long long)t->people, tm->pages, PAGE);
	for (int k = 0; k < T_N; k++) {
		struct bench_pct p = bench_percentiles(tm->ns[k], (size_t)tm->n[k]);
		printf("  %-52s x%-4lld ms p50 %8.2f p99 %8.2f max %8.2f\n", what[k], tm->n[k],
		       p.p50, p.p99, p.max);
		free(tm->ns[k]);
	}
	printf("  (goal: under 200 ms)\n");
}

int main(int argc, char **argv)
{
	long long residents = bench_arg(argc, argv, "--residents", 2000000);
	long long want = bench_arg(argc, argv, "--zone", 50000);
	long long calls = bench_arg(argc, argv, "--calls", 50);
	long long walks = bench_arg(argc, argv, "--walks", 5);
	char shared[128], path[128], bin[PATH_MAX + 16];
	struct target t = {0};
	struct timings tm = {0};
	int port, status;

	if (calls < 1 || walks < 1)
		bench_die("--calls and --walks must be at least 1", NULL);
	binary_beside(bin, sizeof(bin));
	bench_store_ensure(residents, shared, sizeof(shared));
	snprintf(path, sizeof(path), "/tmp/fk-bench-zone-%d.db", (int)getpid());
	bench_store_copy(shared, path);
	struct fk_db *db = bench_open_store(path);
	pick_area(db, want, &t);
	pid_t pid = serve(bin, path, 0, &port);
	struct conn *c = fk_xcalloc(1, sizeof(*c));
	login(c, port, "commander");
	draw_zone(c, &t);
	time_all(c, db, &t, calls, walks, &tm);
	close(c->fd);
	free(c);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	fk_db_close(db);
	report(&t, &tm);
	remove_db(path);
	return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}
