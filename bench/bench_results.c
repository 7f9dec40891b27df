/* bench_results: lab results applied to a round over 10,000,000 residents. Copies the cached
 * 10M demo store the benchmarks share (demo_store.h; built when missing or of an older
 * schema), opens a round over the whole district, fills it in bulk SQL with
 * 1,000,000 received tubes of ten people each (every resident sampled), then times applying their
 * results one tube at a time through tb_result_apply — the function behind POST
 * /api/v1/tubes/{code}/result and the plate upload — in transactions of 1,000 tubes, as a plate
 * would. About one tube in a thousand is positive (the reflex: retests, counters, alerts) and one
 * in a thousand invalid. Issue 4's goal: 1,000,000 results in under 30 s.
 *
 *   bench_results [--residents N (another cached store)] [--tubes N] [--batch N] */
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/id.h"
#include "base/xmalloc.h"
#include "bench.h"
#include "demo_store.h"
#include "testing/internal.h"
#include "tubes/internal.h"

#define POOL 10

static char store[128];
static long long residents;

static void copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	struct stat st;
	off_t left;

	if (in < 0 || out < 0 || fstat(in, &st) < 0)
		bench_die("copying the store", NULL);
	for (left = st.st_size; left > 0;) {
		ssize_t w = copy_file_range(in, NULL, out, NULL, (size_t)left, 0);
		if (w <= 0)
			bench_die("copying the store", NULL);
		left -= w;
	}
	close(in);
	close(out);
}

static void remove_db(const char *path)
{
	char p[300];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

static struct fk_principal over_district(struct fk_db *db, enum fk_role role)
{
	struct fk_err err = {0};
	struct fk_principal w;
	struct fk_area a;

	if (fk_area_get_by_code(db, "370212", &a, &err) < 0)
		bench_die("district", &err);
	memset(&w, 0, sizeof(w));
	w.user_id = 1;
	w.role = role;
	w.nscopes = 1;
	w.scope_ids[0] = a.id;
	snprintf(w.scope_paths[0], sizeof(w.scope_paths[0]), "%s", a.path);
	fk_area_release(&a);
	return w;
}

static void run(struct fk_db *db, const char *what, const char *sql, const char *fmt, int64_t a,
		int64_t b, int64_t c, int64_t d)
{
	struct fk_err err = {0};
	uint64_t t0 = fk_mono_ns();

	if (fk_db_run(db, &err, sql, fmt, a, b, c, d) < 0)
		bench_die(what, &err);
	printf("  %-44s %6.1f s\n", what, bench_secs(t0));
}

/* The round, its site and the tubes with their samples, in bulk SQL. */
static int64_t fill(struct fk_db *db, const struct fk_principal *cmd, long long tubes)
{
	int64_t area = cmd->scope_ids[0], site = fk_id_next(), now = fk_now_ms();
	struct tr_round_input in = {.name = "bench results",
				    .pool_size = POOL,
				    .deadline_at = now + 86400000,
				    .area_ids = &area,
				    .nareas = 1};
	struct fk_err err = {0};
	struct fk_round r;
	uint64_t t0 = fk_mono_ns();

	if (fk_db_begin(db, true, &err) < 0 || tr_round_create(db, cmd, &in, &r, &err) < 0 ||
	    tr_round_open(db, cmd, r.id, &r, &err) < 0 || fk_db_commit(db, &err) < 0)
		bench_die("round", &err);
	printf("  %-44s %6.1f s\n", "open a round over the district", bench_secs(t0));
	if (fk_db_run(
		db, &err,
		"INSERT INTO sites (id, area_id, area_path, code, name, kind, desks, active, "
		"created_at, updated_at) VALUES (?, ?, ?, 'BENCH', 'bench', 'fixed', 4, 1, ?, ?)",
		"iitii", site, area, cmd->scope_paths[0], now, now) < 0 ||
	    fk_db_begin(db, true, &err) < 0)
		bench_die("site", &err);
	int64_t tube0 = fk_id_next() + 1000;
	fk_id_next(); /* keep later ids of this process apart from the bulk ranges */
	run(db, "insert the received tubes",
	    "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < ?) "
	    "INSERT INTO tubes (id, round_id, code, site_id, status, capacity, n, opened_by, "
	    "opened_at, closed_at, received_at) SELECT ? + i, ?, 'R' || CAST(i AS TEXT), ?, "
	    "'received', 10, 10, 1, 0, 0, 0 FROM s",
	    "iiii", tubes, tube0, r.id, site);
	run(db, "insert their samples, ten per tube",
	    "INSERT INTO samples (id, round_id, tube_id, person_id, building_id, area_path, "
	    "scanned_by, scanned_at, voided) SELECT ? + rn, ?, ? + (rn - 1) / 10, id, area_id, "
	    "area_path, 1, 0, 0 FROM (SELECT id, area_id, area_path, ROW_NUMBER() OVER (ORDER BY "
	    "id) AS rn FROM people) p WHERE rn <= ?",
	    "iiii", tube0 + tubes + 1000, r.id, tube0, tubes * POOL);
	run(db, "count them as sampled per building",
	    "UPDATE round_stats SET sampled = sampled + x.k FROM (SELECT building_id, COUNT(*) "
	    "AS k FROM samples WHERE round_id = ? GROUP BY building_id) x WHERE "
	    "round_stats.round_id = ? AND round_stats.area_id = x.building_id",
	    "ii", r.id, r.id, 0, 0);
	if (fk_db_commit(db, &err) < 0)
		bench_die("commit", &err);
	return r.id;
}

/* One in a thousand positive, one in a thousand invalid, the rest negative. */
static const char *result_of(long long i)
{
	return i % 1000 == 500 ? "positive" : i % 1000 == 700 ? "invalid" : "negative";
}

static double apply(struct fk_db *db, const struct fk_principal *lab, int64_t round_id,
		    long long tubes, int batch, long long *changed)
{
	struct fk_tx tx;
	struct fk_err err = {0};
	enum tb_outcome outcome;
	struct tb_tube t;
	char code[24];
	uint64_t t0 = fk_mono_ns();

	*changed = 0;
	for (long long i = 0; i < tubes; i++) {
		if (i % batch == 0 && fk_tx_begin(db, &tx, &err) < 0)
			bench_die("begin", &err);
		snprintf(code, sizeof(code), "R%lld", i);
		if (tb_result_apply(NULL, db, lab, round_id, code, result_of(i), &t, &outcome,
				    &err) < 0)
			bench_die(code, &err);
		*changed += outcome == TB_APPLIED;
		if ((i % batch == batch - 1 || i == tubes - 1) && fk_tx_end(db, &tx, 0, &err) < 0)
			bench_die("commit", &err);
	}
	return bench_secs(t0);
}

static int64_t count(struct fk_db *db, const char *sql, int64_t round_id)
{
	struct fk_err err = {0};
	int64_t n = -1;

	if (fk_db_one_i64(db, &err, &n, sql, "i", round_id) < 0)
		bench_die(sql, &err);
	return n;
}

int main(int argc, char **argv)
{
	residents = bench_arg(argc, argv, "--residents", 10000000);
	long long tubes = bench_arg(argc, argv, "--tubes", residents / POOL);
	int batch = (int)bench_arg(argc, argv, "--batch", 1000);
	char path[128];
	long long changed;

	if (tubes < 1 || tubes * POOL > residents || batch < 1)
		bench_die("--tubes must be 1..residents/10 and --batch >= 1", NULL);
	bench_store_ensure(residents, store, sizeof(store));
	snprintf(path, sizeof(path), "/tmp/fk-bench-results-%d.db", (int)getpid());
	uint64_t t0 = fk_mono_ns();
	copy_file(store, path);
	printf("copied %s (%lld residents) in %.1f s; setting up:\n", store, residents,
	       bench_secs(t0));
	struct fk_db *db = bench_open_store(path);
	struct fk_principal cmd = over_district(db, FK_ROLE_COMMANDER);
	struct fk_principal lab = over_district(db, FK_ROLE_LAB);
	int64_t round_id = fill(db, &cmd, tubes);
	uint64_t c0 = bench_cpu_ns();
	double secs = apply(db, &lab, round_id, tubes, batch, &changed);
	double cpu = bench_cpu_secs(c0);
	printf("%lld tube results (%lld people) through tb_result_apply, %d per transaction:\n"
	       "  %.1f s, %.0f results/s, %.1f us each (CPU %.1f s); goal: under 30 s\n",
	       changed, changed * POOL, batch, secs, (double)changed / secs,
	       secs * 1e6 / (double)changed, cpu);
	printf("  counters: %lld people resulted, %lld positive, %lld retests pending\n",
	       (long long)count(db,
				"SELECT CAST(SUM(resulted) AS BIGINT) FROM round_stats "
				"WHERE round_id = ?",
				round_id),
	       (long long)count(db,
				"SELECT CAST(SUM(positive) AS BIGINT) FROM round_stats "
				"WHERE round_id = ?",
				round_id),
	       (long long)count(db, "SELECT COUNT(*) FROM retests WHERE round_id = ?", round_id));
	fk_db_close(db);
	remove_db(path);
	return 0;
}
