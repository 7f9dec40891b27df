/* test_duty_lock: two shifts for one worker made at once on PostgreSQL (src/duty/shift.c).
 * A first transaction makes a shift and stays open; a second one, on its own connection and
 * thread, makes an overlapping shift and must wait on the worker's row lock (seen in
 * pg_locks, not guessed with a sleep) until the first commits, then see its shift and be
 * refused with shift_overlap. Without the lock the second would not wait and both shifts
 * would be stored. (SQLite needs no case: its write transactions already take turns.) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <time.h>
#define FK_TEST_NAME "duty_lock"
#include "area_env.h"
#include "base/clock.h"
#include "duty/internal.h"

#define H (3600 * 1000LL)

static const int64_t T0 = 1796774400000LL; /* 2026-12-09T00:00:00Z */

struct second {
	const char *url;
	int rc;
	struct fk_err err;
};

static const struct du_shift_new first_shift = {
    .worker_id = 7, .place_id = 11, .kind = DU_SITE, .starts_at = T0, .ends_at = T0 + 4 * H};
static const struct du_shift_new second_shift = {.worker_id = 7,
						 .place_id = 11,
						 .kind = DU_SITE,
						 .starts_at = T0 + 2 * H,
						 .ends_at = T0 + 6 * H};

static void *make_second(void *arg)
{
	struct second *s = arg;
	struct fk_db *db = NULL;
	int64_t id = 0;

	s->rc = fk_db_open(s->url, &db, &s->err);
	if (s->rc == 0)
		s->rc = fk_db_begin(db, true, &s->err);
	if (s->rc == 0)
		s->rc = du_shift_create(db, NULL, &second_shift, &id, &s->err);
	if (s->rc == 0)
		s->rc = fk_db_commit(db, &s->err);
	else
		fk_db_rollback(db);
	fk_db_close(db);
	return NULL;
}

static void seed(struct fk_db *db)
{
	struct fk_err err = {0};

	area_must(fk_db_run(db, &err,
			    "INSERT INTO sites (id, area_id, area_path, code, name, kind, desks, "
			    "created_at, updated_at) VALUES (11, 1, '/1/', 'S-LOCK', '采样点', "
			    "'fixed', 2, 0, 0)",
			    ""),
		  &err);
	area_must(
	    fk_db_run(db, &err,
		      "INSERT INTO workers (id, name, phone, kind, skills, area_id, area_path, "
		      "active, created_at, updated_at) VALUES (7, '值守', '13900000007', "
		      "'volunteer', '', 1, '/1/', 1, 0, 0)",
		      ""),
	    &err);
}

/* Waits (up to 10 s, polling every 10 ms) until a lock request in the store is waiting. */
static bool someone_waits(const char *url)
{
	struct fk_err err = {0};
	struct fk_db *db;
	struct timespec tick = {0, 10 * 1000 * 1000};
	int64_t n = 0;

	if (fk_db_open(url, &db, &err) < 0)
		return false;
	for (int i = 0; i < 1000 && n == 0; i++) {
		if (fk_db_one_i64(db, &err, &n, "SELECT COUNT(*) FROM pg_locks WHERE NOT granted",
				  "") < 0)
			break;
		if (n == 0)
			nanosleep(&tick, NULL);
	}
	fk_db_close(db);
	return n > 0;
}

static void test_concurrent_overlap(void **state)
{
	struct area_env *e = *state;
	struct fk_db *db = e->db;
	struct second s = {.url = e->url};
	struct fk_err err = {0};
	pthread_t th;
	int64_t id = 0, n = 0;

	seed(db);
	area_must(fk_db_begin(db, true, &err), &err);
	area_must(du_shift_create(db, NULL, &first_shift, &id, &err), &err);
	pthread_create(&th, NULL, make_second, &s);
	assert_true(someone_waits(e->url)); /* the second waits on the worker's lock */
	area_must(fk_db_commit(db, &err), &err);
	pthread_join(th, NULL);
	assert_int_equal(s.rc, FK_ECONFLICT);
	assert_string_equal(s.err.key, "shift_overlap");
	assert_string_equal(s.err.field, "starts_at");
	area_must(
	    fk_db_one_i64(db, &err, &n, "SELECT COUNT(*) FROM shifts WHERE worker_id = 7", ""),
	    &err);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_concurrent_overlap),
	};

	if (!pg_url())
		return pg_missing("test_duty_lock");
	return cmocka_run_group_tests(tests, area_setup_pg, area_teardown_pg);
}
