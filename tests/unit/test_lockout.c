/* test_lockout: the login_failures table (users/lockout.c) on both stores, under the default
 * policies (5 in a row lock a pair for 15 minutes, 50 lock a name): a pair locks at its fifth
 * failure and only that pair, an unknown name is counted like any, a success clears the pair's
 * count and makes its address known, a clear lifts every lock of a name and keeps the known
 * address, and the purge deletes only rows that decide nothing any more. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#define FK_TEST_NAME "test_lockout"
#include "area_env.h"
#include "users/internal.h"

#define T0	1700000000000LL
#define LOCK_MS (15 * 60 * 1000LL)
#define DAY_MS	(24 * 3600 * 1000LL)
#define ADDR_A	"10.0.0.1"
#define ADDR_B	"10.0.0.2"

static int wipe(void **state)
{
	struct fk_err err = {0};

	area_must(fk_db_exec(area_env_db(state), "DELETE FROM login_failures", &err), &err);
	return 0;
}

static struct users_lockout read_state(struct fk_db *db, const char *name, const char *source)
{
	struct users_lockout st;
	struct fk_err err = {0};

	area_must(users_lockout_read(db, name, source, &st, &err), &err);
	return st;
}

/* n failures at now; the lock the last one set. */
static struct users_lock_set fail_n(struct fk_db *db, const char *name, const char *source, int n,
				    int64_t now)
{
	struct users_lock_set set = {0};
	struct fk_err err = {0};

	for (int i = 0; i < n; i++)
		area_must(users_lockout_fail(db, name, source, now, &set, &err), &err);
	return set;
}

static void fifth_failure_locks_the_pair_only(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct users_lock_set set = fail_n(db, "nosuchname", ADDR_A, 4, T0);
	struct users_lockout a, b;

	assert_int_equal(set.until, 0);
	set = fail_n(db, "nosuchname", ADDR_A, 1, T0);
	assert_int_equal(set.until, T0 + LOCK_MS);
	assert_false(set.by_name);
	a = read_state(db, "nosuchname", ADDR_A);
	b = read_state(db, "nosuchname", ADDR_B);
	assert_int_equal(users_lock_refusal(&a.pair, &a.name, T0 + 1), T0 + LOCK_MS);
	assert_int_equal(users_lock_refusal(&b.pair, &b.name, T0 + 1), 0);
	assert_int_equal(a.name.failed, 5); /* the name's count over all addresses */
	/* a failure while locked sets nothing new */
	set = fail_n(db, "nosuchname", ADDR_A, 1, T0 + 1);
	assert_int_equal(set.until, 0);
}

static void success_clears_the_pair_and_makes_it_known(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	struct users_lockout st;

	fail_n(db, "grid1", ADDR_A, 4, T0);
	area_must(users_lockout_ok(db, "grid1", ADDR_A, T0 + 1, &err), &err);
	st = read_state(db, "grid1", ADDR_A);
	assert_int_equal(st.pair.failed, 0);
	assert_int_equal(st.pair.ok_at, T0 + 1);
	assert_int_equal(st.name.failed, 4); /* the brake's count is not the owner's to clear */
	assert_int_equal(fail_n(db, "grid1", ADDR_A, 4, T0 + 2).until, 0);
	assert_int_equal(fail_n(db, "grid1", ADDR_A, 1, T0 + 2).until, T0 + 2 + LOCK_MS);
}

static void clear_lifts_every_lock_of_the_name(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	struct users_lockout a, b;

	area_must(users_lockout_ok(db, "lab1", ADDR_B, T0, &err), &err);
	fail_n(db, "lab1", ADDR_A, 5, T0);
	fail_n(db, "lab1", ADDR_B, 5, T0);
	fail_n(db, "grid2", ADDR_A, 5, T0);
	area_must(users_lockout_clear(db, "lab1", &err), &err);
	a = read_state(db, "lab1", ADDR_A);
	b = read_state(db, "lab1", ADDR_B);
	assert_int_equal(users_lock_refusal(&a.pair, &a.name, T0 + 1), 0);
	assert_int_equal(users_lock_refusal(&b.pair, &b.name, T0 + 1), 0);
	assert_int_equal(a.pair.failed + a.name.failed, 0);
	assert_int_equal(b.pair.ok_at, T0);
	a = read_state(db, "grid2", ADDR_A);
	assert_int_equal(users_lock_refusal(&a.pair, &a.name, T0 + 1), T0 + LOCK_MS);
}

static int64_t rows(struct fk_db *db)
{
	struct fk_err err = {0};
	int64_t n = -1;

	area_must(fk_db_one_i64(db, &err, &n, "SELECT COUNT(*) FROM login_failures", ""), &err);
	return n;
}

static void purge_keeps_what_still_decides(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	int64_t n = -1, now = T0 + 2 * DAY_MS;

	fail_n(db, "old", ADDR_A, 1, T0);		    /* a failure a day and more ago: gone */
	fail_n(db, "locked", ADDR_A, 5, now - LOCK_MS / 2); /* still locked: kept (2 rows) */
	fail_n(db, "recent", ADDR_A, 1, now - 1000);	    /* within the window: kept (2 rows) */
	area_must(users_lockout_ok(db, "known", ADDR_B, T0, &err), &err); /* known: kept */
	assert_int_equal(rows(db), 7);
	area_must(users_lockout_purge(db, now, &n, &err), &err);
	assert_int_equal(n, 2);
	assert_int_equal(rows(db), 5);
	area_must(users_lockout_purge(db, T0 + USERS_KNOWN_SOURCE_MS + DAY_MS, &n, &err), &err);
	assert_int_equal(rows(db), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(fifth_failure_locks_the_pair_only, wipe),
	    cmocka_unit_test_setup(success_clears_the_pair_and_makes_it_known, wipe),
	    cmocka_unit_test_setup(clear_lifts_every_lock_of_the_name, wipe),
	    cmocka_unit_test_setup(purge_keeps_what_still_decides, wipe),
	};

	return area_env_run("lockout", tests, sizeof tests / sizeof tests[0]);
}
