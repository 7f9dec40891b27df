/* Unit tests for base/arena, base/buf and base/err: alignment, zeroing, caps, messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"

static void test_arena(void **state)
{
	struct fk_arena a;
	char *s, *big;
	unsigned char *p;

	(void)state;
	fk_arena_init(&a);
	for (int i = 1; i < 3000; i += 7) {
		p = fk_arena_alloc(&a, (size_t)i);
		assert_int_equal((uintptr_t)p % 16, 0);
		for (int k = 0; k < i; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xAB, (size_t)i);
	}
	big = fk_arena_alloc(&a, 100000);
	assert_int_equal((uintptr_t)big % 16, 0);
	assert_int_equal(big[99999], 0);
	memset(big, 1, 100000);
	s = fk_arena_strdup(&a, "张三");
	assert_string_equal(s, "张三");
	assert_null(fk_arena_strdup(&a, NULL));
	assert_string_equal(fk_arena_strndup(&a, "abcdef", 3), "abc");
	assert_string_equal(fk_arena_strndup(&a, "ab", 10), "ab");
	assert_string_equal(fk_arena_printf(&a, "%s-%d", "x", 42), "x-42");
	assert_true(a.total > 100000);
	fk_arena_release(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
	/* Reusable after release. */
	assert_string_equal(fk_arena_strdup(&a, "again"), "again");
	fk_arena_release(&a);
}

/* Binary bytes are copied whole; what is handed out is zeroed even in a reused block. */
static void test_arena_bytes(void **state)
{
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
	struct fk_arena a;
	unsigned char *p;

	(void)state;
	fk_arena_init(&a);
	memset(fk_arena_printf(&a, "%s", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), 'y', 10);
	p = fk_arena_memdup(&a, png, sizeof(png));
	assert_memory_equal(p, png, sizeof(png));
	assert_int_equal(p[sizeof(png)], 0);
	assert_string_equal(fk_arena_strndup(&a, (const char *)png, sizeof(png)), "\x89PNG");
	p = fk_arena_alloc(&a, 64);
	for (int i = 0; i < 64; i++)
		assert_int_equal(p[i], 0);
	fk_arena_release(&a);
}

static void test_buf(void **state)
{
	struct fk_buf b;
	char *d;
	size_t len = 99;

	(void)state;
	fk_buf_init(&b, FK_BUF_TEXT_MAX);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	d = fk_buf_detach(&b, &len);
	assert_string_equal(d, "");
	assert_int_equal(len, 0);
	free(d);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(fk_buf_printf(&b, "%d,", i), 0);
	assert_int_equal(strncmp(b.data, "0,1,2,", 6), 0);
	assert_int_equal(b.len, strlen(b.data));
	assert_int_equal(fk_buf_putc(&b, 'z'), 0);
	assert_int_equal(b.data[b.len - 1], 'z');
	fk_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_int_equal(fk_buf_puts(&b, "abc"), 0);
	d = fk_buf_detach(&b, &len);
	assert_string_equal(d, "abc");
	assert_int_equal(len, 3);
	assert_string_equal(b.data, "");
	free(d);
	fk_buf_release(&b);
}

static void test_buf_cap(void **state)
{
	struct fk_buf b;

	(void)state;
	fk_buf_init(&b, 10);
	assert_int_equal(fk_buf_puts(&b, "0123456"), 0);
	assert_int_equal(fk_buf_puts(&b, "7890"), FK_ETOOBIG);
	assert_string_equal(b.data, "0123456");
	assert_int_equal(b.len, 7);
	assert_int_equal(fk_buf_printf(&b, "%s", "abcd"), FK_ETOOBIG);
	assert_string_equal(b.data, "0123456");
	assert_int_equal(fk_buf_printf(&b, "%s", "abc"), 0);
	assert_string_equal(b.data, "0123456abc");
	assert_int_equal(fk_buf_putc(&b, 'x'), FK_ETOOBIG);
	assert_int_equal(b.len, 10);
	assert_true(b.cap <= 11);
	fk_buf_release(&b);
	fk_buf_init(&b, 4);
	assert_int_equal(fk_buf_printf(&b, "%d", 123456), FK_ETOOBIG);
	assert_string_equal(b.data, "");
	fk_buf_release(&b);
}

static void test_err(void **state)
{
	struct fk_err err;

	(void)state;
	assert_int_equal(fk_err_set(&err, FK_ECONFLICT, "dup", "id_number", "第%d行：%s重复",
				    "line %d: %s is a duplicate", 7, "号码"),
			 FK_ECONFLICT);
	assert_int_equal(err.code, FK_ECONFLICT);
	assert_string_equal(err.key, "dup");
	assert_string_equal(err.field, "id_number");
	assert_string_equal(err.zh, "第7行：号码重复");
	assert_string_equal(err.en, "line 7: 号码 is a duplicate");
	assert_int_equal(err.line, 0);
	assert_int_equal(fk_err_set(NULL, FK_EINVAL, "k", NULL, "z", "e"), FK_EINVAL);
	fk_err_set(&err, FK_EINVAL, "k", NULL, "z", "e");
	assert_string_equal(err.field, "");
	fk_err_clear(&err);
	assert_int_equal(err.code, 0);
	assert_string_equal(err.key, "");
	assert_string_equal(fk_code_name(FK_ENOTFOUND), "not_found");
	assert_string_equal(fk_code_name(FK_EINVAL), "invalid");
	assert_string_equal(fk_code_name(-99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_arena), cmocka_unit_test(test_arena_bytes),
	    cmocka_unit_test(test_buf),	  cmocka_unit_test(test_buf_cap),
	    cmocka_unit_test(test_err),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
