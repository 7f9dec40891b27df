/* Unit tests for base/throttle: the bucket per address, its refill over time, the wait it
 * names, and addresses kept apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "base/throttle.h"

static int setup(void **state)
{
	struct fk_throttle *t = malloc(sizeof(*t));

	fk_throttle_init(t, 3);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	fk_throttle_destroy(*state);
	free(*state);
	return 0;
}

static void test_burst_then_refused(void **state)
{
	struct fk_throttle *t = *state;

	for (int i = 0; i < 3; i++)
		assert_true(fk_throttle_take(t, "10.0.0.1", 1000));
	assert_false(fk_throttle_take(t, "10.0.0.1", 1000));
	assert_int_equal(fk_throttle_wait_s(t, "10.0.0.1", 1000), 20);
	/* Another address has its own bucket. */
	assert_true(fk_throttle_take(t, "10.0.0.2", 1000));
}

static void test_refill(void **state)
{
	struct fk_throttle *t = *state;

	for (int i = 0; i < 3; i++)
		assert_true(fk_throttle_take(t, "a", 1000));
	assert_false(fk_throttle_take(t, "a", 20000)); /* 19 s: not yet one token */
	assert_true(fk_throttle_take(t, "a", 21000));  /* 20 s: one */
	assert_false(fk_throttle_take(t, "a", 21000));
	assert_int_equal(fk_throttle_wait_s(t, "a", 1000000), 0); /* a long idle: full */
	for (int i = 0; i < 3; i++)
		assert_true(fk_throttle_take(t, "a", 1000000));
	assert_false(fk_throttle_take(t, "a", 1000000));
	/* The clock set back: still empty, and refilled from the new time on. */
	assert_false(fk_throttle_take(t, "a", 500000));
	assert_false(fk_throttle_take(t, "a", 519000));
	assert_true(fk_throttle_take(t, "a", 521000));
}

static void test_empty_address(void **state)
{
	struct fk_throttle *t = *state;

	for (int i = 0; i < 3; i++)
		assert_true(fk_throttle_take(t, i % 2 ? "" : NULL, 5));
	assert_false(fk_throttle_take(t, "-", 5)); /* NULL and "" are one address, "-" */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_burst_then_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refill, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty_address, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
