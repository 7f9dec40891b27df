/* test_jobs: the test clock and the job scheduler on a real store (SQLite, and PostgreSQL when
 * FK_PG_URL is set), driven by fk_sched_run_due and the test clock, with no thread and no
 * sleep: a job runs once when due, not before, not twice; a time-of-day job runs at 08:00 CST
 * and again the next day; a failed run is counted and rescheduled; an overrun is reported;
 * bad declarations are refused; a job held by another connection is left alone. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#define FK_TEST_NAME "test_jobs"
/* The store set-up of the area tests, without their area helpers. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "area_env.h"
#include "base/clock.h"
#include "platform/jobs.h"

#define EVERY_MS (10 * 60 * 1000)
#define MAX_MS	 5000

static int every_runs, at_runs, fail_runs, slow_runs;
static int watched;

static int run_every(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	(void)app, (void)db, (void)err;
	every_runs++;
	return 0;
}

static int run_at(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	(void)app, (void)db, (void)err;
	at_runs++;
	return 0;
}

/* Fails inside a transaction it leaves open: the scheduler must roll it back. */
static int run_fail(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	(void)app;
	fail_runs++;
	fk_db_begin(db, true, NULL);
	return fk_err_set(err, FK_EUNPROC, "nothing_to_do", NULL, "失败", "the \"thing\" failed");
}

/* Takes longer than its max_ms, by the test clock. */
static int run_slow(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	(void)app, (void)db, (void)err;
	slow_runs++;
	fk_clock_advance_ms(MAX_MS + 1);
	return 0;
}

static const struct fk_job every_jobs[] = {
    {.name = "t.every", .every_ms = EVERY_MS, .run = run_every},
    FK_JOBS_END,
};
static const struct fk_job at_jobs[] = {
    {.name = "t.daily", .at = "08:00", .run = run_at},
    FK_JOBS_END,
};
static const struct fk_job fail_jobs[] = {
    {.name = "t.fail", .every_ms = EVERY_MS, .run = run_fail},
    FK_JOBS_END,
};
static const struct fk_job slow_jobs[] = {
    {.name = "t.slow", .every_ms = EVERY_MS, .run = run_slow, .max_ms = MAX_MS},
    FK_JOBS_END,
};

static const struct fk_module every_mod = {.name = "every", .jobs = every_jobs};
static const struct fk_module at_mod = {.name = "at", .jobs = at_jobs};
static const struct fk_module fail_mod = {.name = "fail", .jobs = fail_jobs};
static const struct fk_module slow_mod = {.name = "slow", .jobs = slow_jobs};

static int64_t at_cst(const char *iso)
{
	int64_t ms = 0;

	assert_int_equal(fk_iso8601_parse(iso, &ms), 0);
	return ms;
}

static void set_clock(const char *iso)
{
	assert_int_equal(fk_clock_set_ms(at_cst(iso)), 0);
}

static int setup_case(void **state)
{
	struct fk_err err = {0};
	struct fk_db *db = area_env_db(state);

	area_must(fk_db_exec(db, "DELETE FROM job_runs", &err), &err);
	area_must(fk_db_exec(db, "DELETE FROM jobs", &err), &err);
	every_runs = at_runs = fail_runs = slow_runs = 0;
	set_clock("2026-12-07T00:00:00+08:00");
	return 0;
}

/* A scheduler over one module, synced with the store. */
static struct fk_sched *sched_of(struct fk_app *app, const struct fk_module *m, struct fk_db *db)
{
	const struct fk_module *mods[] = {m, NULL};
	struct fk_sched *s = NULL;
	struct fk_err err = {0};

	area_must(fk_sched_new(app, mods, &s, &err), &err);
	area_must(fk_sched_sync(s, db, &err), &err);
	return s;
}

static int run_due(struct fk_sched *s, struct fk_db *db, int64_t *next)
{
	struct fk_err err = {0};
	int rc = fk_sched_run_due(s, db, next, &err);

	area_must(rc, &err);
	return rc;
}

static int64_t one_i64(struct fk_db *db, const char *sql, const char *name)
{
	struct fk_err err = {0};
	int64_t v = -1;

	area_must(fk_db_one_i64(db, &err, &v, sql, "t", name), &err);
	return v;
}

static void test_every_runs_once_when_due(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_app app = {0};
	int64_t t0 = fk_now_ms(), next = 0;
	struct fk_sched *s = sched_of(&app, &every_mod, db);

	assert_int_equal(run_due(s, db, &next), 0);
	assert_true(next >= t0 + EVERY_MS && next <= fk_now_ms() + EVERY_MS);
	assert_int_equal(fk_clock_advance_ms(EVERY_MS - 10000), 0);
	assert_int_equal(run_due(s, db, NULL), 0);
	assert_int_equal(every_runs, 0);
	assert_int_equal(fk_clock_advance_ms(10000), 0);
	assert_int_equal(run_due(s, db, &next), 1);
	assert_int_equal(run_due(s, db, NULL), 0);
	assert_int_equal(every_runs, 1);
	assert_true(next > fk_now_ms() && next <= fk_now_ms() + EVERY_MS);
	assert_string_equal(app.job_stats[0].name, "t.every");
	assert_true(atomic_load(&app.job_stats[0].last_check_ms) >= t0 + EVERY_MS);
	assert_int_equal(atomic_load(&app.job_stats[0].runs), 1);
	assert_int_equal(atomic_load(&app.job_stats[0].failures), 0);
	assert_int_equal(one_i64(db, "SELECT runs FROM jobs WHERE name = ?", "t.every"), 1);
	assert_int_equal(one_i64(db, "SELECT last_ok FROM jobs WHERE name = ?", "t.every"), 1);
	assert_int_equal(one_i64(db,
				 "SELECT count(*) FROM job_runs WHERE name = ? AND result = 'ok' "
				 "AND finished_at IS NOT NULL",
				 "t.every"),
			 1);
	fk_sched_free(s);
	assert_null(app.job_stats);
}

/* Five missed intervals: one run, and the next due time is in the future on the same grid. */
static void test_missed_times_run_once(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_app app = {0};
	struct fk_sched *s = sched_of(&app, &every_mod, db);
	int64_t due = one_i64(db, "SELECT next_due FROM jobs WHERE name = ?", "t.every"), next = 0;

	assert_int_equal(fk_clock_advance_ms(5 * EVERY_MS + 1), 0);
	assert_int_equal(run_due(s, db, &next), 1);
	assert_int_equal(run_due(s, db, NULL), 0);
	assert_int_equal(every_runs, 1);
	assert_true(next > fk_now_ms());
	assert_int_equal((next - due) % EVERY_MS, 0);
	fk_sched_free(s);
}

static void test_at_runs_at_eight_cst_daily(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_app app = {0};
	struct fk_sched *s;
	int64_t next = 0;

	set_clock("2026-12-07T07:59:00+08:00");
	s = sched_of(&app, &at_mod, db);
	assert_int_equal(one_i64(db, "SELECT next_due FROM jobs WHERE name = ?", "t.daily"),
			 at_cst("2026-12-07T08:00:00+08:00"));
	assert_int_equal(run_due(s, db, NULL), 0);
	set_clock("2026-12-07T07:59:50+08:00"); /* the clock goes on at real speed */
	assert_int_equal(run_due(s, db, NULL), 0);
	set_clock("2026-12-07T08:00:00+08:00");
	assert_int_equal(run_due(s, db, &next), 1);
	assert_int_equal(next, at_cst("2026-12-08T08:00:00+08:00"));
	assert_int_equal(run_due(s, db, NULL), 0);
	set_clock("2026-12-07T23:59:00+08:00");
	assert_int_equal(run_due(s, db, NULL), 0);
	assert_int_equal(at_runs, 1);
	set_clock("2026-12-08T08:00:30+08:00");
	assert_int_equal(run_due(s, db, NULL), 1);
	assert_int_equal(at_runs, 2);
	fk_sched_free(s);
}

static void test_next_at(void **state)
{
	(void)state;
	/* 00:30 CST is 16:30 UTC the day before: 08:00 CST the same CST day comes next. */
	assert_int_equal(fk_job_next_at(8 * 60, at_cst("2026-12-07T00:30:00+08:00")),
			 at_cst("2026-12-07T08:00:00+08:00"));
	assert_int_equal(fk_job_next_at(8 * 60, at_cst("2026-12-07T08:00:00+08:00")),
			 at_cst("2026-12-08T08:00:00+08:00"));
	assert_int_equal(fk_job_next_at(0, at_cst("2026-12-31T23:59:00+08:00")),
			 at_cst("2027-01-01T00:00:00+08:00"));
}

static void test_failed_run_counted_and_rescheduled(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_app app = {0};
	struct fk_sched *s = sched_of(&app, &fail_mod, db);
	struct fk_err err = {0};
	struct fk_q *q;

	assert_int_equal(fk_clock_advance_ms(EVERY_MS), 0);
	assert_int_equal(run_due(s, db, NULL), 1);
	assert_false(fk_db_in_tx(db));
	assert_int_equal(atomic_load(&app.job_stats[0].failures), 1);
	assert_int_equal(one_i64(db, "SELECT failures FROM jobs WHERE name = ?", "t.fail"), 1);
	assert_int_equal(one_i64(db, "SELECT last_ok FROM jobs WHERE name = ?", "t.fail"), 0);
	area_must(fk_db_query(db, &q, "SELECT last_error FROM jobs WHERE name = ?", &err), &err);
	fk_q_bind_text(q, 1, "t.fail");
	assert_int_equal(fk_q_step(q, &err), 1);
	assert_string_equal(fk_q_text(q, 0), "the \"thing\" failed");
	fk_q_done(q);
	assert_int_equal(one_i64(db,
				 "SELECT count(*) FROM job_runs WHERE name = ? AND "
				 "result = 'failed'",
				 "t.fail"),
			 1);
	assert_int_equal(run_due(s, db, NULL), 0);
	assert_int_equal(fk_clock_advance_ms(EVERY_MS), 0);
	assert_int_equal(run_due(s, db, NULL), 1);
	assert_int_equal(fail_runs, 2);
	assert_int_equal(atomic_load(&app.job_stats[0].runs), 2);
	assert_int_equal(atomic_load(&app.job_stats[0].failures), 2);
	fk_sched_free(s);
}

static void test_overrun_reported(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_app app = {0};
	struct fk_sched *s = sched_of(&app, &slow_mod, db);

	assert_int_equal(fk_clock_advance_ms(EVERY_MS), 0);
	assert_int_equal(run_due(s, db, NULL), 1);
	assert_int_equal(slow_runs, 1);
	assert_int_equal(atomic_load(&app.job_stats[0].overruns), 1);
	assert_int_equal(atomic_load(&app.job_stats[0].failures), 0);
	assert_true(atomic_load(&app.job_stats[0].last_duration_ms) > MAX_MS);
	assert_int_equal(one_i64(db, "SELECT overruns FROM jobs WHERE name = ?", "t.slow"), 1);
	assert_int_equal(one_i64(db,
				 "SELECT count(*) FROM job_runs WHERE name = ? AND "
				 "result = 'overrun' AND duration_ms > 5000",
				 "t.slow"),
			 1);
	fk_sched_free(s);
}

/* Two schedulers (two servers) on one store, each on its own connection: one run in all. */
static void test_two_schedulers_one_run(void **state)
{
	struct area_env *e = *state;
	struct fk_app app1 = {0}, app2 = {0};
	struct fk_err err = {0};
	struct fk_db *db2 = NULL;
	struct fk_sched *s1 = sched_of(&app1, &every_mod, e->db), *s2;

	area_must(fk_db_open(e->url, &db2, &err), &err);
	s2 = sched_of(&app2, &every_mod, db2);
	assert_int_equal(fk_clock_advance_ms(EVERY_MS), 0);
	assert_int_equal(run_due(s2, db2, NULL) + run_due(s1, e->db, NULL), 1);
	assert_int_equal(run_due(s1, e->db, NULL) + run_due(s2, db2, NULL), 0);
	assert_int_equal(every_runs, 1);
	assert_int_equal(one_i64(e->db, "SELECT count(*) FROM job_runs WHERE name = ?", "t.every"),
			 1);
	fk_sched_free(s1);
	fk_sched_free(s2);
	fk_db_close(db2);
}

/* On PostgreSQL a job whose lock another connection holds is left to it, even when due; on
 * SQLite the lock always succeeds (the write transaction keeps writers apart). */
static void test_lock_held_elsewhere(void **state)
{
	struct area_env *e = *state;
	struct fk_app app = {0};
	struct fk_err err = {0};
	struct fk_db *other = NULL, *third = NULL;
	struct fk_sched *s = sched_of(&app, &every_mod, e->db);
	bool got = false;
	int64_t next = 0;

	area_must(fk_db_open(e->url, &other, &err), &err);
	area_must(fk_db_open(e->url, &third, &err), &err);
	area_must(fk_db_try_lock(other, "job:t.every", &got, &err), &err);
	assert_true(got);
	area_must(fk_db_try_lock(third, "job:t.every", &got, &err), &err);
	assert_int_equal(got, !e->pg);
	assert_int_equal(fk_clock_advance_ms(EVERY_MS), 0);
	assert_int_equal(run_due(s, e->db, &next), e->pg ? 0 : 1);
	if (e->pg)
		assert_true(next > fk_now_ms());
	area_must(fk_db_unlock(other, "job:t.every", &err), &err);
	assert_int_equal(run_due(s, e->db, NULL), e->pg ? 1 : 0);
	assert_int_equal(every_runs, 1);
	fk_sched_free(s);
	fk_db_close(other);
	fk_db_close(third);
}

/* A changed schedule starts the job over from now. */
static void test_changed_schedule_resynced(void **state)
{
	static const struct fk_job other_jobs[] = {
	    {.name = "t.every", .at = "08:00", .run = run_every},
	    FK_JOBS_END,
	};
	static const struct fk_module other_mod = {.name = "every", .jobs = other_jobs};
	struct fk_db *db = area_env_db(state);
	struct fk_app app = {0};
	struct fk_sched *s = sched_of(&app, &every_mod, db);

	fk_sched_free(s);
	s = sched_of(&app, &other_mod, db);
	assert_int_equal(one_i64(db, "SELECT next_due FROM jobs WHERE name = ?", "t.every"),
			 at_cst("2026-12-07T08:00:00+08:00"));
	fk_sched_free(s);
}

static void refused(const struct fk_job *jobs, const char *want)
{
	const struct fk_module m = {.name = "bad", .jobs = jobs};
	const struct fk_module *mods[] = {&every_mod, &m, NULL};
	struct fk_app app = {0};
	struct fk_sched *s = NULL;
	struct fk_err err = {0};

	assert_int_equal(fk_sched_new(&app, mods, &s, &err), FK_EINVAL);
	assert_null(s);
	assert_null(app.job_stats);
	assert_string_equal(err.key, "bad_job");
	if (!strstr(err.en, want) || !strstr(err.en, "module bad"))
		fail_msg("message \"%s\" does not say \"%s\"", err.en, want);
}

static void test_bad_declarations_refused(void **state)
{
	const struct fk_job no_name[] = {{.every_ms = 1000, .run = run_every}, FK_JOBS_END};
	const struct fk_job bad_name[] = {{.name = "Bad Name", .every_ms = 1, .run = run_every},
					  FK_JOBS_END};
	const struct fk_job no_run[] = {{.name = "b.norun", .every_ms = 1000}, FK_JOBS_END};
	const struct fk_job no_when[] = {{.name = "b.never", .run = run_every}, FK_JOBS_END};
	const struct fk_job both[] = {
	    {.name = "b.both", .every_ms = 1, .at = "08:00", .run = run_at}, FK_JOBS_END};
	const struct fk_job bad_at[] = {{.name = "b.at", .at = "24:00", .run = run_at},
					FK_JOBS_END};
	const struct fk_job bad_max[] = {
	    {.name = "b.max", .every_ms = 1, .run = run_at, .max_ms = -1}, FK_JOBS_END};
	const struct fk_job twice[] = {{.name = "t.every", .every_ms = 1, .run = run_at},
				       FK_JOBS_END};

	(void)state;
	refused(no_name, "job 1 (no name): the name must be");
	refused(bad_name, "job 1 (Bad Name): the name must be");
	refused(no_run, "(b.norun): no run function");
	refused(no_when, "(b.never): give one of every_ms");
	refused(both, "(b.both): give one of every_ms");
	refused(bad_at, "(b.at): at must be HH:MM");
	refused(bad_max, "(b.max): max_ms must not be negative");
	refused(twice, "(t.every): another job has this name");
}

static void watcher(void *cls)
{
	*(int *)cls += 1;
}

static void test_clock_moves(void **state)
{
	int64_t before = fk_now_ms(), off = fk_clock_offset_ms();

	(void)state;
	watched = 0;
	assert_true(fk_clock_is_test());
	assert_int_equal(fk_clock_watch(watcher, &watched), 0);
	assert_int_equal(fk_clock_advance_ms(3 * 3600000LL), 0);
	assert_true(fk_now_ms() - before >= 3 * 3600000LL);
	assert_int_equal(fk_clock_offset_ms() - off, 3 * 3600000LL);
	assert_int_equal(fk_clock_advance_ms(-1), FK_EINVAL);
	set_clock("2030-01-01T00:00:00Z");
	assert_true(fk_now_ms() >= at_cst("2030-01-01T00:00:00Z"));
	assert_true(fk_now_ms() < at_cst("2030-01-01T00:00:05Z"));
	assert_int_equal(watched, 2);
	fk_clock_unwatch(watcher, &watched);
	assert_int_equal(fk_clock_advance_ms(1), 0);
	assert_int_equal(watched, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_every_runs_once_when_due, setup_case),
	    cmocka_unit_test_setup(test_missed_times_run_once, setup_case),
	    cmocka_unit_test_setup(test_at_runs_at_eight_cst_daily, setup_case),
	    cmocka_unit_test_setup(test_failed_run_counted_and_rescheduled, setup_case),
	    cmocka_unit_test_setup(test_overrun_reported, setup_case),
	    cmocka_unit_test_setup(test_two_schedulers_one_run, setup_case),
	    cmocka_unit_test_setup(test_lock_held_elsewhere, setup_case),
	    cmocka_unit_test_setup(test_changed_schedule_resynced, setup_case),
	    cmocka_unit_test(test_bad_declarations_refused),
	    cmocka_unit_test(test_next_at),
	    cmocka_unit_test_setup(test_clock_moves, setup_case),
	};

	/* Before the test clock is on, nobody can move it. */
	if (fk_clock_set_ms(0) != FK_EPERM || fk_clock_advance_ms(1) != FK_EPERM) {
		fprintf(stderr, "the clock moved before the test clock was on\n");
		return 1;
	}
	fk_clock_test_enable();
	return area_env_run("jobs", tests, sizeof(tests) / sizeof(tests[0]));
}
