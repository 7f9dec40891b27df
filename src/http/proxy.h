/* proxy: who a request comes from. The TCP peer's address, unless the peer is one of the
 * trusted proxies (--trusted-proxies, a list of CIDR ranges): then the client is the rightmost
 * address of X-Forwarded-For that is not itself a trusted proxy, and the scheme is what
 * X-Forwarded-Proto says. From anyone else both headers are ignored. */
#ifndef FK_HTTP_PROXY_H
#define FK_HTTP_PROXY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/err.h"

struct fk_cidr {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	int bits;
};

struct fk_proxies {
	struct fk_cidr *ranges;
	int n;
};

/* Parses "CIDR[,CIDR...]" ("10.0.0.0/8", "::1/128"; an address alone is one host) into out
 * (free with fk_proxies_free); NULL or "" is none. FK_EINVAL naming the setting and the bad
 * range. */
int fk_proxies_parse(const char *list, struct fk_proxies *out, struct fk_err *err);
void fk_proxies_free(struct fk_proxies *p);
/* True when ip (text; an IPv4-mapped IPv6 address counts as its IPv4) is inside a range. */
bool fk_proxies_contain(const struct fk_proxies *p, const char *ip);
/* True for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104. */
bool fk_ip_is_loopback(const char *ip);

/* The client address and scheme of a request from peer: out (size bytes) gets the client
 * address; returns "https" or "http". xff is the X-Forwarded-For value (several headers
 * joined with ','), proto the X-Forwarded-Proto value; both may be NULL. tls: the connection
 * itself is TLS. */
const char *fk_proxies_resolve(const struct fk_proxies *p, const char *peer, const char *xff,
			       const char *proto, bool tls, char *out, size_t size);

#endif
