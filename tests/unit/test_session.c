/* Unit tests for users/token.c, users/throttle.c and users/principal_cache.c: session tokens
 * and their hashes, CSRF tokens, the per-IP login throttle, the account lockout rule, the
 * masking policy, and the cache of who is calling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "users/internal.h"

static bool all_base64url(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

static void test_token_roundtrip(void **state)
{
	unsigned char raw[USERS_TOKEN_BYTES], back[USERS_TOKEN_BYTES];
	char text[USERS_TOKEN_TEXT];

	(void)state;
	users_token_new(raw, text);
	assert_int_equal(strlen(text), 43);
	assert_true(all_base64url(text));
	assert_true(users_token_decode(text, back));
	assert_memory_equal(raw, back, sizeof raw);
}

static void test_token_known(void **state)
{
	unsigned char raw[USERS_TOKEN_BYTES];

	(void)state;
	assert_true(users_token_decode("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", raw));
	for (int i = 0; i < USERS_TOKEN_BYTES; i++)
		assert_int_equal(raw[i], i);
}

static void test_token_rejects(void **state)
{
	unsigned char raw[USERS_TOKEN_BYTES];
	const char *bad[] = {
	    NULL,
	    "",
	    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh",   /* one short */
	    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8A", /* one long */
	    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", /* padding */
	    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH+8",  /* standard alphabet */
	    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH 8",  /* space */
	    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9",  /* non-zero trailing bits */
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(users_token_decode(bad[i], raw));
}

static void test_token_hash(void **state)
{
	unsigned char zero[USERS_TOKEN_BYTES] = {0}, seq[USERS_TOKEN_BYTES];
	char hex[USERS_TOKEN_HEX];

	(void)state;
	for (int i = 0; i < USERS_TOKEN_BYTES; i++)
		seq[i] = (unsigned char)i;
	users_token_hash(zero, hex);
	assert_string_equal(hex,
			    "89eb0d6a8a691dae2cd15ed0369931ce0a949ecafa5c3f93f8121833646e15c3");
	users_token_hash(seq, hex);
	assert_string_equal(hex,
			    "cb2f5160fc1f7e05a55ef49d340b48da2e5a78099d53393351cd579dd42503d6");
}

static void test_tokens_differ(void **state)
{
	unsigned char a[USERS_TOKEN_BYTES], b[USERS_TOKEN_BYTES];
	char ta[USERS_TOKEN_TEXT], tb[USERS_TOKEN_TEXT], ha[USERS_TOKEN_HEX], hb[USERS_TOKEN_HEX];

	(void)state;
	users_token_new(a, ta);
	users_token_new(b, tb);
	assert_string_not_equal(ta, tb);
	users_token_hash(a, ha);
	users_token_hash(b, hb);
	assert_string_not_equal(ha, hb);
}

static void test_csrf(void **state)
{
	char a[USERS_CSRF_TEXT], b[USERS_CSRF_TEXT];

	(void)state;
	users_csrf_new(a);
	users_csrf_new(b);
	assert_int_equal(strlen(a), 32);
	assert_true(strlen(a) < sizeof((struct fk_principal *)0)->csrf);
	assert_true(all_base64url(a));
	assert_string_not_equal(a, b);
}

static struct fk_throttle throttle; /* large: not on the stack */

static void test_throttle_limit(void **state)
{
	int64_t t0 = 1700000000000LL;

	(void)state;
	fk_throttle_init(&throttle, 20);
	for (int i = 0; i < 20; i++)
		assert_true(fk_throttle_take(&throttle, "10.0.0.1", t0));
	assert_false(fk_throttle_take(&throttle, "10.0.0.1", t0));
	assert_false(fk_throttle_take(&throttle, "10.0.0.1", t0 + 1000));
	/* another address is not affected */
	assert_true(fk_throttle_take(&throttle, "10.0.0.2", t0));
	/* one attempt comes back every 3 s (20 a minute) */
	assert_true(fk_throttle_take(&throttle, "10.0.0.1", t0 + 3100));
	assert_false(fk_throttle_take(&throttle, "10.0.0.1", t0 + 3200));
	/* after a quiet minute the bucket is full again, but no fuller */
	for (int i = 0; i < 20; i++)
		assert_true(fk_throttle_take(&throttle, "10.0.0.1", t0 + 600000));
	assert_false(fk_throttle_take(&throttle, "10.0.0.1", t0 + 600000));
}

static void test_throttle_many_ips(void **state)
{
	int64_t t0 = 1700000000000LL;
	char ip[64];

	(void)state;
	fk_throttle_init(&throttle, 3);
	for (int i = 0; i < 3; i++)
		assert_true(fk_throttle_take(&throttle, "192.0.2.1", t0));
	/* a thousand other addresses neither free nor refill the first one's bucket */
	for (int i = 0; i < 1000; i++) {
		snprintf(ip, sizeof ip, "198.51.%d.%d", i / 256, i % 256);
		assert_true(fk_throttle_take(&throttle, ip, t0 + 1));
	}
	assert_false(fk_throttle_take(&throttle, "192.0.2.1", t0 + 20));
	/* far more addresses than slots: the table keeps working, each still limited */
	for (int i = 0; i < 3 * FK_THROTTLE_SLOTS; i++) {
		snprintf(ip, sizeof ip, "203.0.%d.%d", i / 256, i % 256);
		fk_throttle_take(&throttle, ip, t0 + 100);
	}
	for (int i = 0; i < 3; i++)
		assert_true(fk_throttle_take(&throttle, "192.0.2.99", t0 + 200));
	assert_false(fk_throttle_take(&throttle, "192.0.2.99", t0 + 200));
}

static void test_throttle_long_ip(void **state)
{
	char ip[200];

	(void)state;
	memset(ip, 'f', sizeof ip - 1);
	ip[sizeof ip - 1] = '\0';
	fk_throttle_init(&throttle, 2);
	assert_true(fk_throttle_take(&throttle, ip, 1000));
	assert_true(fk_throttle_take(&throttle, ip, 1000));
	assert_false(fk_throttle_take(&throttle, ip, 1000));
	assert_true(fk_throttle_take(&throttle, NULL, 1000));
}

static void test_lockout(void **state)
{
	struct users_lock s = {0};
	struct users_lock_rule rule = {5, 60 * 60 * 1000, 15 * 60 * 1000};
	int64_t now = 1700000000000LL;

	(void)state;
	for (int i = 1; i < rule.after; i++) {
		s = users_lock_fail(s, now + i, &rule);
		assert_int_equal(s.failed, i);
		assert_false(users_lock_active(&s, now + i));
	}
	s = users_lock_fail(s, now + 10, &rule);
	assert_int_equal(s.failed, 0);
	assert_int_equal(s.locked_until, now + 10 + 15 * 60 * 1000);
	assert_true(users_lock_active(&s, now + 11));
	/* failures while locked change nothing */
	assert_int_equal(users_lock_fail(s, now + 20, &rule).locked_until, s.locked_until);
	assert_true(users_lock_active(&s, s.locked_until - 1));
	assert_false(users_lock_active(&s, s.locked_until));
	/* after the lock, counting starts again */
	s = users_lock_fail(s, s.locked_until + 1, &rule);
	assert_int_equal(s.failed, 1);
	assert_false(users_lock_active(&s, s.locked_until + 2));
}

/* Failures spread wider than the window never lock; within it they do. */
static void test_lockout_window(void **state)
{
	struct users_lock s = {0};
	struct users_lock_rule rule = {3, 60 * 1000, 15 * 60 * 1000};
	int64_t now = 1700000000000LL;

	(void)state;
	for (int i = 0; i < 10; i++) {
		now += rule.window_ms + 1;
		s = users_lock_fail(s, now, &rule);
		assert_int_equal(s.failed, 1);
		assert_int_equal(s.failed_at, now);
		assert_false(users_lock_active(&s, now));
	}
	s = users_lock_fail(s, now + rule.window_ms, &rule);
	assert_int_equal(s.failed, 2);
	s = users_lock_fail(s, now + 2 * rule.window_ms, &rule);
	assert_true(users_lock_active(&s, now + 2 * rule.window_ms + 1));
}

/* A pair's own lock refuses its address; the name's lock refuses every address but one that
 * logged in with the name within USERS_KNOWN_SOURCE_MS; the later of two locks is said. */
static void test_lock_refusal(void **state)
{
	int64_t now = 1700000000000LL;
	struct users_lock none = {0};
	struct users_lock pair = {.locked_until = now + 1000};
	struct users_lock name = {.locked_until = now + 5000};
	struct users_lock known = {.ok_at = now - 1000};
	struct users_lock stale = {.ok_at = now - USERS_KNOWN_SOURCE_MS - 1};

	(void)state;
	assert_int_equal(users_lock_refusal(&none, &none, now), 0);
	assert_int_equal(users_lock_refusal(&pair, &none, now), now + 1000);
	assert_int_equal(users_lock_refusal(&pair, &none, now + 1000), 0);
	assert_int_equal(users_lock_refusal(&none, &name, now), now + 5000);
	assert_int_equal(users_lock_refusal(&pair, &name, now), now + 5000);
	assert_int_equal(users_lock_refusal(&known, &name, now), 0);
	assert_int_equal(users_lock_refusal(&stale, &name, now), now + 5000);
	/* a known address is still held by its own lock */
	known.locked_until = now + 1000;
	assert_int_equal(users_lock_refusal(&known, &name, now), now + 1000);
}

static void test_role_masks(void **state)
{
	bool id, phone;

	(void)state;
	users_role_masks(FK_ROLE_COMMUNITY, &id, &phone);
	assert_true(id && phone);
	users_role_masks(FK_ROLE_GRID, &id, &phone);
	assert_true(!id && phone);
	users_role_masks(FK_ROLE_BUILDING, &id, &phone);
	assert_true(!id && phone);
	for (int r = 0; r < FK_ROLE_COUNT; r++) {
		if (r == FK_ROLE_COMMUNITY || r == FK_ROLE_GRID || r == FK_ROLE_BUILDING)
			continue;
		users_role_masks((enum fk_role)r, &id, &phone);
		assert_true(!id && !phone);
	}
}

static struct fk_principal someone(int64_t id, const char *path)
{
	struct fk_principal w = {.user_id = id, .role = FK_ROLE_GRID, .nscopes = 1};

	snprintf(w.scope_paths[0], sizeof w.scope_paths[0], "%s", path);
	return w;
}

/* A cached principal is believed for USERS_CACHE_MS, until its session expires, and until
 * anything it was made of changes; another session's hash never finds it. */
static void test_principal_cache(void **state)
{
	char a[USERS_TOKEN_HEX], b[USERS_TOKEN_HEX];
	struct fk_principal w = someone(11, "/1/2/"), got;
	const int64_t now = 1000000;
	uint64_t gen = users_cache_generation();

	(void)state;
	assert_true(users_session_hash("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", a));
	assert_true(users_session_hash("HwECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", b));
	assert_false(users_session_hash("not a token", b));
	assert_true(users_session_hash("HwECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", b));
	assert_false(users_cache_get(a, now, &got));
	users_cache_put(a, &w, now + 60000, gen, now);
	assert_true(users_cache_get(a, now + 1, &got));
	assert_int_equal(got.user_id, 11);
	assert_string_equal(got.scope_paths[0], "/1/2/");
	assert_false(users_cache_get(b, now + 1, &got));
	/* Too old, or the session over: read again. */
	assert_false(users_cache_get(a, now + USERS_CACHE_MS, &got));
	users_cache_put(a, &w, now + 10, gen, now);
	assert_false(users_cache_get(a, now + 10, &got));
	/* A change anywhere makes every entry stale, also one loaded while it happened. */
	users_cache_put(a, &w, now + 60000, gen, now);
	users_cache_forget_all();
	assert_false(users_cache_get(a, now + 1, &got));
	users_cache_put(a, &w, now + 60000, gen, now);
	assert_false(users_cache_get(a, now + 1, &got));
	users_cache_put(a, &w, now + 60000, users_cache_generation(), now);
	assert_true(users_cache_get(a, now + 1, &got));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_token_roundtrip),  cmocka_unit_test(test_token_known),
	    cmocka_unit_test(test_token_rejects),    cmocka_unit_test(test_token_hash),
	    cmocka_unit_test(test_tokens_differ),    cmocka_unit_test(test_csrf),
	    cmocka_unit_test(test_throttle_limit),   cmocka_unit_test(test_throttle_many_ips),
	    cmocka_unit_test(test_throttle_long_ip), cmocka_unit_test(test_lockout),
	    cmocka_unit_test(test_lockout_window),   cmocka_unit_test(test_lock_refusal),
	    cmocka_unit_test(test_role_masks),	     cmocka_unit_test(test_principal_cache),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
