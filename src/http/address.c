/* address: the request address as the router reads it. MHD unescapes the path and the query
 * with our callback, which keeps an encoded NUL ("%00") from cutting the string short: it
 * becomes the bytes C0 80, never valid UTF-8. The router then refuses, 400 naming the path
 * parameter or query member, an address whose text is not valid UTF-8. */
#include <stdio.h>
#include <string.h>
#include "base/utf8.h"
#include "http/internal.h"

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t fk_address_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char *out = s;

	(void)cls;
	(void)c;
	for (const char *p = s; *p; p++) {
		int hi = p[0] == '%' ? hex_value(p[1]) : -1, lo = hi >= 0 ? hex_value(p[2]) : -1;

		if (lo < 0) {
			*out++ = *p;
			continue;
		}
		if (hi == 0 && lo == 0) {
			*out++ = (char)0xC0; /* an encoded NUL: kept, and refused as not UTF-8 */
			*out++ = (char)0x80;
		} else {
			*out++ = (char)(hi * 16 + lo);
		}
		p += 2;
	}
	*out = '\0';
	return (size_t)(out - s);
}

static bool text_ok(const char *s)
{
	return fk_utf8_valid(s, strlen(s));
}

struct bad_arg {
	const char *name;
	bool found;
};

static enum MHD_Result find_bad_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				    const char *value)
{
	struct bad_arg *b = cls;

	(void)kind;
	if (text_ok(key) && (!value || text_ok(value)))
		return MHD_YES;
	b->found = true;
	b->name = text_ok(key) ? key : NULL;
	return MHD_NO;
}

/* The name of the path parameter that holds the first invalid byte, or NULL. */
static const char *bad_param(const struct fk_exchange *x, size_t at, char *name, size_t size)
{
	const struct fk_croute *cr = x->match.cr;
	int k = 0;

	for (int i = 0; cr && i < cr->nsegs && k < x->match.nparams; i++) {
		if (!cr->segs[i].param)
			continue;
		if (at >= x->match.params[k].off &&
		    at < (size_t)x->match.params[k].off + x->match.params[k].len) {
			snprintf(name, size, "%.*s", (int)cr->segs[i].len, cr->segs[i].s);
			return name;
		}
		k++;
	}
	return NULL;
}

static int refuse(const char *field, struct fk_err *err)
{
	return fk_err_set(
	    err, FK_EINVAL, "invalid_address", field,
	    "请求地址%s%.0s%s含无效字符（须为 UTF-8，不得含 NUL）",
	    "the request address%.0s%s%s holds an invalid character (UTF-8 without NUL "
	    "only)",
	    field ? "：" : "", field ? ": " : "", field ? field : "");
}

int fk_address_check(struct fk_exchange *x, struct fk_err *err)
{
	size_t len = strlen(x->req.path), at = fk_utf8_valid_prefix(x->req.path, len);
	struct bad_arg b = {0};
	char name[64];

	if (at < len)
		return refuse(bad_param(x, at, name, sizeof(name)), err);
	MHD_get_connection_values(x->conn, MHD_GET_ARGUMENT_KIND, find_bad_arg, &b);
	return b.found ? refuse(b.name, err) : 0;
}
