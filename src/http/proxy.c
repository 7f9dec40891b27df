/* proxy: the trusted proxies' ranges (parsed once at start with inet_pton) and the one rule
 * that turns a request's peer, X-Forwarded-For and X-Forwarded-Proto into its client address
 * and scheme (proxy.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include "base/xmalloc.h"
#include "http/proxy.h"

#define SETTING "trusted-proxies"

/* An address as 16 bytes; an IPv4 one (or an IPv4-mapped IPv6 one) in the first 4. */
static bool parse_ip(const char *s, int *family, uint8_t out[16])
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	memset(out, 0, 16);
	if (inet_pton(AF_INET, s, out) == 1) {
		*family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, out) != 1)
		return false;
	*family = AF_INET6;
	if (memcmp(out, mapped, sizeof(mapped)) == 0) {
		memmove(out, out + 12, 4);
		memset(out + 4, 0, 12);
		*family = AF_INET;
	}
	return true;
}

static int bad_range(const char *range, struct fk_err *err)
{
	return fk_err_set(err, FK_EINVAL, "bad_setting", SETTING,
			  "“%s”不是 CIDR 地址段（如 10.0.0.0/8、::1/128）",
			  "\"%s\" is not a CIDR range (e.g. 10.0.0.0/8, ::1/128)", range);
}

/* One "ADDR[/BITS]" of at most 63 characters. */
static int parse_range(const char *s, size_t len, struct fk_cidr *c, struct fk_err *err)
{
	char text[64], *slash, *end = NULL;
	long bits;

	snprintf(text, sizeof(text), "%.*s", (int)(len < 63 ? len : 63), s);
	if (len == 0 || len > 63)
		return bad_range(text, err);
	slash = strchr(text, '/');
	if (slash)
		*slash = '\0';
	if (!parse_ip(text, &c->family, c->addr)) {
		if (slash)
			*slash = '/';
		return bad_range(text, err);
	}
	c->bits = c->family == AF_INET ? 32 : 128;
	if (!slash)
		return 0;
	*slash = '/';
	errno = 0;
	bits = strtol(slash + 1, &end, 10);
	if (errno || end == slash + 1 || *end || bits < 0 || bits > (strchr(text, ':') ? 128 : 32))
		return bad_range(text, err);
	/* An IPv4-mapped range "::ffff:10.0.0.0/104" is the IPv4 range 10.0.0.0/8. */
	c->bits = c->family == AF_INET && strchr(text, ':') ? (int)bits - 96 : (int)bits;
	return c->bits < 0 ? bad_range(text, err) : 0;
}

int fk_proxies_parse(const char *list, struct fk_proxies *out, struct fk_err *err)
{
	size_t cap = 1;

	*out = (struct fk_proxies){0};
	if (!list || !*list)
		return 0;
	for (const char *p = list; *p; p++)
		cap += *p == ',';
	out->ranges = fk_xcalloc(cap, sizeof(*out->ranges));
	for (const char *p = list;; p++) {
		size_t len = strcspn(p, ",");
		const char *s = p;
		size_t n = len;

		while (n > 0 && *s == ' ')
			s++, n--;
		while (n > 0 && s[n - 1] == ' ')
			n--;
		if (parse_range(s, n, &out->ranges[out->n], err) < 0) {
			fk_proxies_free(out);
			return FK_EINVAL;
		}
		out->n++;
		p += len;
		if (!*p)
			break;
	}
	return 0;
}

void fk_proxies_free(struct fk_proxies *p)
{
	free(p->ranges);
	*p = (struct fk_proxies){0};
}

static bool in_range(const struct fk_cidr *c, int family, const uint8_t a[16])
{
	int whole = c->bits / 8, rest = c->bits % 8;

	if (c->family != family || memcmp(c->addr, a, (size_t)whole) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));

	return (c->addr[whole] & mask) == (a[whole] & mask);
}

static bool contains(const struct fk_proxies *p, int family, const uint8_t a[16])
{
	for (int i = 0; p && i < p->n; i++)
		if (in_range(&p->ranges[i], family, a))
			return true;
	return false;
}

bool fk_proxies_contain(const struct fk_proxies *p, const char *ip)
{
	uint8_t a[16];
	int family;

	return ip && parse_ip(ip, &family, a) && contains(p, family, a);
}

bool fk_ip_is_loopback(const char *ip)
{
	static const uint8_t one[16] = {[15] = 1};
	uint8_t a[16];
	int family;

	if (!ip || !parse_ip(ip, &family, a))
		return false;
	return family == AF_INET ? a[0] == 127 : memcmp(a, one, 16) == 0;
}

/* The last element of a comma list, spaces trimmed, into out; false when it is empty. */
static bool last_item(const char *list, size_t end, char *out, size_t size)
{
	size_t start = end, n;

	while (start > 0 && list[start - 1] != ',')
		start--;
	while (start < end && list[start] == ' ')
		start++;
	n = end - start;
	while (n > 0 && list[start + n - 1] == ' ')
		n--;
	if (n == 0 || n >= size)
		return false;
	memcpy(out, list + start, n);
	out[n] = '\0';
	return true;
}

/* Walks X-Forwarded-For from the right while the hop that added an entry is trusted. */
static void forwarded_client(const struct fk_proxies *p, const char *xff, char *out, size_t size)
{
	size_t end = strlen(xff);
	char item[64];
	uint8_t a[16];
	int family;

	while (end > 0) {
		size_t at = end;

		while (at > 0 && xff[at - 1] != ',')
			at--;
		if (!last_item(xff, end, item, sizeof(item)) || !parse_ip(item, &family, a))
			return; /* not an address: the last trusted hop is the client we know */
		snprintf(out, size, "%s", item);
		if (!contains(p, family, a))
			return;
		end = at > 0 ? at - 1 : 0;
	}
}

const char *fk_proxies_resolve(const struct fk_proxies *p, const char *peer, const char *xff,
			       const char *proto, bool tls, char *out, size_t size)
{
	const char *scheme = tls ? "https" : "http";
	char item[16];

	snprintf(out, size, "%s", peer ? peer : "");
	if (!p || p->n == 0 || !fk_proxies_contain(p, peer))
		return scheme;
	if (xff)
		forwarded_client(p, xff, out, size);
	if (!tls && proto && last_item(proto, strlen(proto), item, sizeof(item)))
		scheme = strcasecmp(item, "https") == 0 ? "https" : "http";
	return scheme;
}
