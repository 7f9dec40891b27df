/* bench_stock: a stock balance over a ledger of 1,000,000 moves. Makes a private SQLite store,
 * writes --moves moves (default 1,000,000) with SQL over --places stock places (default 200)
 * and 50 items, four lots each, spread over the last 30 days (receipts, and issues of a
 * tenth of a receipt), of which a tenth falls on one busy place and item; then the running
 * totals per lot and the daily use from the ledger's sums, as the ledger keeps them, and checks
 * every total equals its moves' sum. Then times, called directly on the store:
 *   - a balance as the stock board shows it (sp_balances for one place and item: its lots,
 *     the last 7 days' use, days left, low), --calls times (default 5,000) over random pairs,
 *     and again on the busy pair;
 * beside the bare figure of the same run: the running total read in bare SQL. Issue 19's
 * goal: the balance's p99 under 10 ms. Figures are printed with their ratio to the bare one.
 *
 *   bench_stock [--moves N] [--places N] [--calls N] */
#include "bench.h"
#include "policy/policy.h"
#include "supplies/internal.h"

#define ITEMS	  50
#define LOTS	  4
#define DB_PATH	  "bench_stock.db"
#define DAYS30_MS (30 * SP_DAY_MS)

static void remove_store(void)
{
	remove(DB_PATH);
	remove(DB_PATH "-wal");
	remove(DB_PATH "-shm");
}

static void exec(struct fk_db *db, const char *sql, const char *fmt, int64_t a, int64_t b,
		 int64_t c)
{
	struct fk_err err = {0};

	if (fk_db_run(db, &err, sql, fmt, a, b, c) < 0)
		bench_die(sql, &err);
}

/* The places (ids 1..places) and items (ids 1..ITEMS), every place under area /1/. */
static void catalog(struct fk_db *db, long long places)
{
	exec(db,
	     "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
	     "INSERT INTO stock_places (id, name, kind, ref_id, area_id, area_path, created_at) "
	     "SELECT i, 'place ' || i, 'warehouse', NULL, 1, '/1/', 0 FROM n",
	     "i", places, 0, 0);
	exec(db,
	     "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
	     "INSERT INTO stock_items (id, name, unit, category, low_at, created_at) SELECT i, "
	     "'item ' || i, 'box', 'ppe', 5, 0 FROM n",
	     "i", ITEMS, 0, 0);
}

#define MOVES_SQL                                                                                  \
	"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) INSERT "      \
	"INTO stock_moves (id, kind, place_id, item_id, lot, expiry, qty, source, reason, ref, "   \
	"peer_place_id, note, area_path, by_user, at) SELECT i, CASE WHEN i % 3 = 0 THEN "         \
	"'receive' ELSE 'issue' END, CASE WHEN i > ? THEN 1 ELSE 1 + (i / 49) % ? END, "           \
	"CASE WHEN i > ? THEN 1 ELSE 2 + i % 49 END, 'L' || ((i / 10000) % 4), '2027-0' || "       \
	"(1 + (i / 10000) % 4) || '-01', CASE WHEN i % 3 = 0 THEN 30.0 ELSE -3.0 END, CASE WHEN "  \
	"i % 3 = 0 THEN 'purchase' END, NULL, NULL, NULL, NULL, '/1/', 0, ? - (i * 7919) % ? "     \
	"FROM n"

/* Move i: the last tenth on place 1, item 1 (the busy pair), the rest spread over every
 * other pair; one in three a receipt of 30, the others issues of 3; at times over the 30 days
 * before now. The running totals are then the ledger's sums, as the moves would have left
 * them. */
static void ledger(struct fk_db *db, long long moves, long long places, int64_t now)
{
	struct fk_err err = {0};
	uint64_t t0 = fk_mono_ns();
	int64_t busy_from = (int64_t)(moves - moves / 10);

	if (fk_db_begin(db, true, &err) < 0)
		bench_die("begin", &err);
	if (fk_db_run(db, &err, MOVES_SQL, "iiiiii", (int64_t)moves, busy_from, (int64_t)places,
		      busy_from, now, DAYS30_MS) < 0)
		bench_die("moves", &err);
	exec(db,
	     "INSERT INTO stock_lots (place_id, item_id, lot, expiry, qty, area_path) SELECT "
	     "place_id, item_id, lot, MIN(expiry), SUM(qty), MIN(area_path) FROM stock_moves "
	     "GROUP BY place_id, item_id, lot",
	     "", 0, 0, 0);
	exec(db,
	     "INSERT INTO stock_use (place_id, item_id, day, qty) SELECT place_id, item_id, (at + "
	     "28800000) / 86400000, -SUM(qty) FROM stock_moves WHERE kind = 'issue' GROUP BY "
	     "place_id, item_id, (at + 28800000) / 86400000",
	     "", 0, 0, 0);
	if (fk_db_commit(db, &err) < 0 || fk_db_exec(db, "ANALYZE", &err) < 0)
		bench_die("commit", &err);
	printf("wrote %lld moves over %lld places and %d items in %.1f s\n", moves, places, ITEMS,
	       bench_secs(t0));
}

static void check_totals(struct fk_db *db)
{
	struct fk_err err = {0};
	int64_t wrong = 0, lots = 0;

	if (fk_db_one_i64(
		db, &err, &wrong,
		"SELECT COUNT(*) FROM stock_lots l WHERE ABS(l.qty - (SELECT SUM(qty) FROM "
		"stock_moves m WHERE m.place_id = l.place_id AND m.item_id = l.item_id AND "
		"m.lot = l.lot)) > 1e-6",
		"") < 0 ||
	    fk_db_one_i64(db, &err, &lots, "SELECT COUNT(*) FROM stock_lots", "") < 0)
		bench_die("check", &err);
	if (wrong != 0) {
		fprintf(stderr, "bench: %lld running totals differ from their moves\n",
			(long long)wrong);
		exit(1);
	}
	printf("%lld running totals, each equal to its moves' sum\n", (long long)lots);
}

/* ---- timing ---- */

static uint64_t board_once(struct fk_db *db, const struct fk_principal *who, int64_t place,
			   int64_t item, int64_t now)
{
	struct sp_balance_query q = {.place_id = place, .item_id = item, .now = now};
	struct fk_err err = {0};
	json_t *items = json_array();
	uint64_t t0 = fk_mono_ns();

	if (sp_balances(db, who, &q, items, &err) < 0)
		bench_die("balance", &err);
	t0 = fk_mono_ns() - t0;
	if (json_array_size(items) != 1)
		bench_die("balance: not one line", NULL);
	json_decref(items);
	return t0;
}

static uint64_t bare_once(struct fk_db *db, int64_t place, int64_t item)
{
	struct fk_err err = {0};
	struct fk_q *q;
	uint64_t t0 = fk_mono_ns();

	if (fk_db_query(db, &q,
			"SELECT SUM(qty) FROM stock_lots WHERE place_id = ? AND item_id = ?",
			&err) < 0)
		bench_die("bare", &err);
	fk_q_bind_i64(q, 1, place);
	fk_q_bind_i64(q, 2, item);
	if (fk_q_step(q, &err) < 0)
		bench_die("bare", &err);
	fk_q_done(q);
	return fk_mono_ns() - t0;
}

static void report(const char *what, uint64_t *ns, long long n, double bare_p99)
{
	struct bench_pct p = bench_percentiles(ns, (size_t)n);

	printf("  %-34s p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms", what, p.p50, p.p99, p.max);
	if (bare_p99 > 0)
		printf("  (%.0fx the bare p99)", p.p99 / bare_p99);
	printf("\n");
}

static void timings(struct fk_db *db, long long places, long long calls, int64_t now)
{
	struct fk_principal who = {.user_id = 1, .role = FK_ROLE_ADMIN, .nscopes = 1};
	uint64_t *bare = calloc((size_t)calls, sizeof(*bare));
	uint64_t *board = calloc((size_t)calls, sizeof(*board));
	uint64_t *busy = calloc((size_t)calls, sizeof(*busy));

	snprintf(who.scope_paths[0], sizeof(who.scope_paths[0]), "/1/");
	srand(19);
	for (long long i = 0; i < calls; i++) {
		int64_t place = 1 + rand() % places, item = 2 + rand() % (ITEMS - 1);

		bare[i] = bare_once(db, place, item);
		board[i] = board_once(db, &who, place, item, now);
		busy[i] = board_once(db, &who, 1, 1, now);
	}
	struct bench_pct b = bench_percentiles(bare, (size_t)calls);

	printf("over %lld calls each:\n", calls);
	report("bare: the running total in SQL", bare, calls, 0);
	report("a balance (a random pair)", board, calls, b.p99);
	report("a balance (the busy pair)", busy, calls, b.p99);
	free(bare);
	free(board);
	free(busy);
}

int main(int argc, char **argv)
{
	long long moves = bench_arg(argc, argv, "--moves", 1000000);
	long long places = bench_arg(argc, argv, "--places", 200);
	long long calls = bench_arg(argc, argv, "--calls", 5000);
	struct fk_err err = {0};
	int64_t now = fk_now_ms();
	struct fk_db *db;

	if (places < 1 || calls < 1)
		bench_die("--places and --calls must be at least 1", NULL);
	remove_store();
	db = bench_open_store(DB_PATH);
	if (fk_policy_registry_load(fk_modules, &err) < 0)
		bench_die("policies", &err);
	catalog(db, places);
	ledger(db, moves, places, now);
	check_totals(db);
	timings(db, places, calls, now);
	fk_db_close(db);
	remove_store();
	return 0;
}
