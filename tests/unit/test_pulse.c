/* test_pulse: the coverage pulse (src/testing/pulse.c) — at most one "coverage" event a second
 * per round, on the leading edge, whatever the number of callers and threads; the event names
 * only the round and goes wide at the common ancestor of the round's areas (or the caller's
 * path while they are unknown), so it reaches the streams inside those areas and not beside
 * them. The clock is passed in, so no test sleeps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <string.h>
#include <cmocka.h>
#include "base/clock.h"
#include "events/internal.h"
#include "area/area_int.h"
#include "testing/internal.h"

static struct ev_sub *sub_for(const char *path)
{
	static int64_t next_user = 5000;
	struct fk_principal w;
	struct ev_sub *s = NULL;

	memset(&w, 0, sizeof(w));
	w.role = FK_ROLE_GRID;
	w.user_id = next_user++;
	if (path)
		snprintf(w.scope_paths[w.nscopes++], sizeof(w.scope_paths[0]), "%s", path);
	assert_int_equal(ev_sub_open(&w, false, 0, &s, NULL), 0);
	return s;
}

/* The coverage events pending for s (its buffer keeps them for further checks). */
static int pulses(struct ev_sub *s)
{
	int n = 0;

	ev_sub_fill(s, (size_t)1 << 30);
	for (const char *p = s->out.data; p && (p = strstr(p, "event: coverage\n")); p++)
		n++;
	return n;
}

static void learn(int64_t round_id, const char *a, const char *b)
{
	struct tr_round_areas ra = {0};

	snprintf(ra.a[ra.n++].path, FK_AREA_PATH_MAX, "%s", a);
	if (b)
		snprintf(ra.a[ra.n++].path, FK_AREA_PATH_MAX, "%s", b);
	tr_coverage_pulse_learn(round_id, &ra);
}

static int ring_setup(void **state)
{
	(void)state;
	ev_ring_reset();
	return 0;
}

static void test_once_a_second(void **state)
{
	struct ev_sub *s = sub_for("/1/");
	int64_t t0 = 1000000;

	(void)state;
	learn(101, "/1/2/", "/1/3/5/");
	assert_true(tr_coverage_pulse_at(101, "/1/2/9/", t0)); /* the leading edge */
	for (int64_t t = t0; t < t0 + 1000; t += 3)
		assert_false(tr_coverage_pulse_at(101, "/1/2/9/", t));
	assert_int_equal(pulses(s), 1);
	assert_true(tr_coverage_pulse_at(101, "/1/2/9/", t0 + 1000));
	assert_false(tr_coverage_pulse_at(101, "/1/2/9/", t0 + 1999));
	assert_true(tr_coverage_pulse_at(101, "/1/2/9/", t0 + 5000)); /* after a quiet spell */
	/* Another round keeps its own second. */
	assert_true(tr_coverage_pulse_at(102, "/1/3/", t0 + 5001));
	assert_false(tr_coverage_pulse_at(102, "/1/3/", t0 + 5002));
	fk_buf_reset(&s->out);
	assert_int_equal(pulses(s), 3);
	/* The event names the round and nothing else, at the areas' common ancestor. */
	assert_non_null(strstr(s->out.data, "\"area_path\":\"/1/\",\"at\""));
	assert_non_null(strstr(s->out.data, "\"payload\":{\"round_id\":\"101\"}}"));
	assert_non_null(strstr(s->out.data, "\"area_path\":\"/1/3/\""));
	assert_non_null(strstr(s->out.data, "\"payload\":{\"round_id\":\"102\"}}"));
	ev_sub_close(s);
}

/* Wide at the ancestor: scopes inside the round's areas hear of it, scopes beside them not. */
static void test_reach(void **state)
{
	struct ev_sub *top = sub_for("/1/"), *comm = sub_for("/1/2/"), *grid = sub_for("/1/2/7/");
	struct ev_sub *sib = sub_for("/1/3/"), *other = sub_for("/2/"), *none = sub_for(NULL);

	(void)state;
	learn(201, "/1/2/", NULL);
	assert_true(tr_coverage_pulse_at(201, "/1/2/7/", 1000));
	assert_int_equal(pulses(top), 1);
	assert_int_equal(pulses(comm), 1);
	assert_int_equal(pulses(grid), 1);
	assert_int_equal(pulses(sib), 0);
	assert_int_equal(pulses(other), 0);
	assert_int_equal(pulses(none), 0);
	/* A round over two communities reaches both, and (from their ancestor) their sibling. */
	learn(202, "/1/2/", "/1/4/");
	assert_true(tr_coverage_pulse_at(202, "/1/2/7/", 1000));
	assert_int_equal(pulses(grid), 2);
	assert_int_equal(pulses(sib), 1);
	assert_int_equal(pulses(other), 0);
	ev_sub_close(top);
	ev_sub_close(comm);
	ev_sub_close(grid);
	ev_sub_close(sib);
	ev_sub_close(other);
	ev_sub_close(none);
}

/* Until the round's areas are known the caller's path stands in; with no path at all nothing
 * goes out, and the second is not used up. */
static void test_unknown_round(void **state)
{
	struct ev_sub *g3 = sub_for("/1/3/"), *g4 = sub_for("/1/4/");

	(void)state;
	assert_false(tr_coverage_pulse_at(0, "/1/3/", 1000));
	assert_false(tr_coverage_pulse_at(-5, "/1/3/", 1000));
	assert_false(tr_coverage_pulse_at(301, NULL, 1000));
	assert_false(tr_coverage_pulse_at(301, "", 1001));
	assert_true(tr_coverage_pulse_at(301, "/1/3/", 1002));
	assert_int_equal(pulses(g3), 1);
	assert_int_equal(pulses(g4), 0);
	/* Areas under different roots share no ancestor: still the caller's path. */
	learn(302, "/1/4/", "/2/");
	assert_true(tr_coverage_pulse_at(302, "/1/3/", 1000));
	assert_int_equal(pulses(g3), 2);
	assert_int_equal(pulses(g4), 0);
	/* Learnt, then forgotten (an area moved): the caller's path again. */
	learn(303, "/1/4/", NULL);
	assert_true(tr_coverage_pulse_at(303, "/1/3/", 1000));
	assert_int_equal(pulses(g4), 1);
	assert_int_equal(pulses(g3), 2);
	area_moves_bump(); /* what an area move does */
	assert_true(tr_coverage_pulse_at(303, "/1/3/", 2000));
	assert_int_equal(pulses(g3), 3);
	assert_int_equal(pulses(g4), 1);
	ev_sub_close(g3);
	ev_sub_close(g4);
}

#define THREADS	   8
#define PER_THREAD 5000

struct burst {
	int64_t round_id, now;
	int published;
};

static void *scanner(void *arg)
{
	struct burst *b = arg;

	for (int i = 0; i < PER_THREAD; i++)
		b->published += tr_coverage_pulse_at(b->round_id, "/1/2/", b->now + i % 500);
	return NULL;
}

/* Forty thousand scans from eight threads within one second: one event. */
static void test_threads(void **state)
{
	struct ev_sub *s = sub_for("/1/");
	struct burst b[THREADS];
	pthread_t th[THREADS];
	int total = 0;

	(void)state;
	for (int t = 0; t < THREADS; t++) {
		b[t] = (struct burst){.round_id = 401, .now = 50000};
		assert_int_equal(pthread_create(&th[t], NULL, scanner, &b[t]), 0);
	}
	for (int t = 0; t < THREADS; t++) {
		assert_int_equal(pthread_join(th[t], NULL), 0);
		total += b[t].published;
	}
	assert_int_equal(total, 1);
	assert_int_equal(pulses(s), 1);
	ev_sub_close(s);
}

/* On the real clock: as many seconds begun as events, however many calls. */
static void test_real_clock(void **state)
{
	struct ev_sub *s = sub_for("/1/");
	uint64_t t0 = fk_mono_ns(), ms;

	(void)state;
	for (int i = 0; i < 20000; i++)
		fk_testing_coverage_moved(501, "/1/2/");
	ms = (fk_mono_ns() - t0) / 1000000u;
	assert_true(pulses(s) >= 1);
	assert_true((uint64_t)pulses(s) <= ms / 1000 + 1);
	ev_sub_close(s);
}

/* Far more rounds than slots: each still pulses on its first change. */
static void test_many_rounds(void **state)
{
	struct ev_sub *s = sub_for("/1/");

	(void)state;
	for (int64_t r = 0; r < 2000; r++)
		assert_true(tr_coverage_pulse_at(600000 + r * 4096, "/1/2/", 7000));
	assert_int_equal(pulses(s), 2000);
	ev_sub_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_once_a_second, ring_setup),
	    cmocka_unit_test_setup(test_reach, ring_setup),
	    cmocka_unit_test_setup(test_unknown_round, ring_setup),
	    cmocka_unit_test_setup(test_threads, ring_setup),
	    cmocka_unit_test_setup(test_real_clock, ring_setup),
	    cmocka_unit_test_setup(test_many_rounds, ring_setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
