/* Unit tests for base/id: layout, ordering, uniqueness across threads, parse/format. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "base/clock.h"
#include "base/id.h"

#define THREADS	   4
#define PER_THREAD 100000

static int64_t ids[THREADS * PER_THREAD];

static void *gen(void *arg)
{
	int64_t *out = arg, prev = 0;

	for (int i = 0; i < PER_THREAD; i++) {
		out[i] = fk_id_next();
		if (out[i] <= prev)
			abort(); /* ids of one thread must increase */
		prev = out[i];
	}
	return NULL;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void test_unique_across_threads(void **state)
{
	pthread_t th[THREADS];

	(void)state;
	for (int t = 0; t < THREADS; t++)
		assert_int_equal(pthread_create(&th[t], NULL, gen, ids + t * PER_THREAD), 0);
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	qsort(ids, THREADS * PER_THREAD, sizeof(ids[0]), cmp_id);
	for (int i = 1; i < THREADS * PER_THREAD; i++)
		assert_true(ids[i] > ids[i - 1]);
	assert_true(ids[0] > 0);
}

static void test_layout(void **state)
{
	int64_t before, id, ms;

	(void)state;
	fk_id_set_node(5);
	before = fk_now_ms();
	id = fk_id_next();
	ms = (id >> 22) + FK_ID_EPOCH_MS;
	assert_int_equal((id >> 12) & 1023, 5);
	assert_true(ms >= before - 1 && ms <= fk_now_ms() + 1000);
	fk_id_set_node(0);
	assert_int_equal((fk_id_next() >> 12) & 1023, 0);
}

static void test_parse_format(void **state)
{
	int64_t v = 42;
	char s[24];

	(void)state;
	assert_true(fk_id_parse("1", &v));
	assert_int_equal(v, 1);
	assert_true(fk_id_parse("9223372036854775807", &v));
	assert_true(v == INT64_MAX);
	assert_string_equal(fk_id_format(INT64_MAX, s), "9223372036854775807");
	assert_string_equal(fk_id_format(123456789012345, s), "123456789012345");
	v = 7;
	assert_false(fk_id_parse("9223372036854775808", &v));
	assert_false(fk_id_parse("0", &v));
	assert_false(fk_id_parse("", &v));
	assert_false(fk_id_parse(NULL, &v));
	assert_false(fk_id_parse("-1", &v));
	assert_false(fk_id_parse("+1", &v));
	assert_false(fk_id_parse("12a", &v));
	assert_false(fk_id_parse(" 12", &v));
	assert_false(fk_id_parse("012", &v));
	assert_false(fk_id_parse("12345678901234567890", &v));
	assert_int_equal(v, 7);
	int64_t id = fk_id_next();
	assert_true(fk_id_parse(fk_id_format(id, s), &v));
	assert_true(v == id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout),
	    cmocka_unit_test(test_unique_across_threads),
	    cmocka_unit_test(test_parse_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
