/* Unit tests for http/proxy: CIDR ranges parsed (IPv4, IPv6, IPv4-mapped) and refused, the
 * client address walked out of X-Forwarded-For from the right, the scheme believed only from a
 * trusted peer, and what loopback is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "http/proxy.h"

static void test_parse_and_contain(void **state)
{
	struct fk_proxies p;
	struct fk_err err = {0};

	(void)state;
	assert_int_equal(
	    fk_proxies_parse(" 10.0.0.0/8 , 192.168.1.7,2001:db8::/32,::ffff:172.16.0.0/108", &p,
			     &err),
	    0);
	assert_int_equal(p.n, 4);
	assert_true(fk_proxies_contain(&p, "10.200.3.4"));
	assert_false(fk_proxies_contain(&p, "11.0.0.1"));
	assert_true(fk_proxies_contain(&p, "192.168.1.7"));
	assert_false(fk_proxies_contain(&p, "192.168.1.8"));
	assert_true(fk_proxies_contain(&p, "2001:db8:1::5"));
	assert_false(fk_proxies_contain(&p, "2001:db9::5"));
	/* IPv4-mapped addresses and ranges are their IPv4 selves. */
	assert_true(fk_proxies_contain(&p, "::ffff:10.1.1.1"));
	assert_true(fk_proxies_contain(&p, "172.16.9.9"));
	assert_false(fk_proxies_contain(&p, "172.32.0.1"));
	assert_false(fk_proxies_contain(&p, "not an address"));
	assert_false(fk_proxies_contain(&p, NULL));
	fk_proxies_free(&p);

	assert_int_equal(fk_proxies_parse("10.0.0.1/31", &p, &err), 0);
	assert_true(fk_proxies_contain(&p, "10.0.0.0"));
	assert_false(fk_proxies_contain(&p, "10.0.0.2"));
	fk_proxies_free(&p);

	assert_int_equal(fk_proxies_parse("", &p, &err), 0);
	assert_int_equal(p.n, 0);
	assert_false(fk_proxies_contain(&p, "127.0.0.1"));
}

static void test_parse_refused(void **state)
{
	static const char *const bad[] = {
	    "10.0.0.0/33", "::1/129",	  "10.0.0.0/", "10.0.0.0/8x",	     "host.example",
	    "10.0.0.0/8,", ",10.0.0.0/8", "1.2.3",     "::ffff:10.0.0.0/95", "10.0.0.0/-1",
	};
	struct fk_proxies p;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fk_err err = {0};

		assert_int_equal(fk_proxies_parse(bad[i], &p, &err), FK_EINVAL);
		assert_string_equal(err.field, "trusted-proxies");
		assert_non_null(strstr(err.en, "is not a CIDR range"));
		assert_null(p.ranges);
	}
}

static void test_resolve(void **state)
{
	struct fk_proxies p;
	struct fk_err err = {0};
	char out[48];

	(void)state;
	assert_int_equal(fk_proxies_parse("127.0.0.1,10.0.0.0/8", &p, &err), 0);
	/* An untrusted peer: its own address and the connection's scheme. */
	assert_string_equal(
	    fk_proxies_resolve(&p, "198.51.100.1", "203.0.113.9", "https", false, out, sizeof(out)),
	    "http");
	assert_string_equal(out, "198.51.100.1");
	/* A trusted one: the rightmost untrusted address, the last scheme. */
	assert_string_equal(fk_proxies_resolve(&p, "127.0.0.1", "203.0.113.9, 198.51.100.2",
					       "http, HTTPS", false, out, sizeof(out)),
			    "https");
	assert_string_equal(out, "198.51.100.2");
	fk_proxies_resolve(&p, "127.0.0.1", "198.51.100.2,10.1.1.1 ,10.2.2.2", NULL, false, out,
			   sizeof(out));
	assert_string_equal(out, "198.51.100.2");
	/* Every hop trusted: the leftmost. Garbage: the last trusted hop. */
	fk_proxies_resolve(&p, "127.0.0.1", "10.1.1.1", NULL, false, out, sizeof(out));
	assert_string_equal(out, "10.1.1.1");
	fk_proxies_resolve(&p, "127.0.0.1", "198.51.100.2, junk", NULL, false, out, sizeof(out));
	assert_string_equal(out, "127.0.0.1");
	fk_proxies_resolve(&p, "127.0.0.1", "", NULL, false, out, sizeof(out));
	assert_string_equal(out, "127.0.0.1");
	/* A scheme that is neither word is http; TLS is https whatever a proxy says. */
	assert_string_equal(
	    fk_proxies_resolve(&p, "127.0.0.1", NULL, "ftp", false, out, sizeof(out)), "http");
	assert_string_equal(
	    fk_proxies_resolve(&p, "127.0.0.1", NULL, "http", true, out, sizeof(out)), "https");
	/* No proxies at all. */
	assert_string_equal(
	    fk_proxies_resolve(NULL, "::1", "1.2.3.4", "https", false, out, sizeof(out)), "http");
	assert_string_equal(out, "::1");
	fk_proxies_free(&p);
}

static void test_loopback(void **state)
{
	(void)state;
	assert_true(fk_ip_is_loopback("127.0.0.1"));
	assert_true(fk_ip_is_loopback("127.9.8.7"));
	assert_true(fk_ip_is_loopback("::1"));
	assert_true(fk_ip_is_loopback("::ffff:127.0.0.1"));
	assert_false(fk_ip_is_loopback("128.0.0.1"));
	assert_false(fk_ip_is_loopback("::2"));
	assert_false(fk_ip_is_loopback("192.0.2.2"));
	assert_false(fk_ip_is_loopback(""));
	assert_false(fk_ip_is_loopback(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_and_contain),
	    cmocka_unit_test(test_parse_refused),
	    cmocka_unit_test(test_resolve),
	    cmocka_unit_test(test_loopback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
