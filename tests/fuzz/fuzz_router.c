/* fuzz_router: libFuzzer harness for http/router's request side, on the real route table (the
 * built-in routes, every module's and the test clock's, compiled as `serve --test-clock` does,
 * listed as `fangkong routes` lists them): fk_router_match on a fuzzed method and path, checked
 * against a plain matcher written from the rules in router.c (one segment per {param}, one
 * trailing slash ignored, the most literal route wins, 405 with Allow naming every method the
 * path has, GET of a non-API path to the static fallback); the query string after '?' cut
 * into name=value pairs and decoded as libmicrohttpd decodes it for fk_req_query
 * (MHD_http_unescape), the values read as ids; and what follows a newline as an
 * Accept-Language header (fk_http_lang).
 * Input: byte 0 picks the method, then "path[?query][\nAccept-Language]". */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/id.h"
#include "http/internal.h"
#include "modules.h"
#include "platform/jobs.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_router: check failed at line %d: %s\n", __LINE__,    \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define PLAIN_MAX_SEGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fk_router router;
static bool ready;

static void build_router(void)
{
	const struct fk_module **all;
	struct fk_err err = {0};
	size_t n = 0, k = 0;

	while (fk_modules[n])
		n++;
	all = calloc(n + 3, sizeof(*all));
	CHECK(all != NULL);
	all[k++] = &fk_http_builtin;
	for (size_t i = 0; i < n; i++)
		all[k++] = fk_modules[i];
	all[k++] = &fk_module_test_clock;
	if (fk_router_init(&router, all, &err) < 0) {
		fprintf(stderr, "fuzz_router: the route table does not compile: %s\n", err.en);
		abort();
	}
	free(all); /* the router keeps the routes, not the list */
	ready = true;
}

/* A path cut as the rules say: after the leading '/', one trailing '/' dropped, segments
 * between slashes; -1 when one is empty. */
struct plain_path {
	int n;
	const char *s[PLAIN_MAX_SEGS];
	size_t len[PLAIN_MAX_SEGS];
};

static void plain_split(const char *path, struct plain_path *pp)
{
	size_t total = strlen(path);
	const char *p = path + 1, *end = path + total;

	pp->n = 0;
	if (total > 1 && path[total - 1] == '/')
		end--;
	if (total > 1 && end == p) { /* "//": an empty segment */
		pp->n = -1;
		return;
	}
	while (p < end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		size_t len = slash ? (size_t)(slash - p) : (size_t)(end - p);

		if (len == 0 || pp->n == PLAIN_MAX_SEGS) {
			pp->n = -1;
			return;
		}
		pp->s[pp->n] = p;
		pp->len[pp->n++] = len;
		p += len + (slash ? 1 : 0);
		if (slash && p == end) { /* "a//" ends in an empty segment */
			pp->n = -1;
			return;
		}
	}
}

/* The pattern's segments against the path's; literal[i] tells which were literal. */
static bool plain_match(const char *pattern, const struct plain_path *pp, bool *literal)
{
	const char *p = pattern + 1;
	int i = 0;

	if (pp->n < 0)
		return false;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		if (i == pp->n)
			return false;
		literal[i] = p[0] != '{';
		if (literal[i] && (len != pp->len[i] || memcmp(p, pp->s[i], len) != 0))
			return false;
		i++;
		p += len + (slash ? 1 : 0);
	}
	return i == pp->n;
}

/* a more literal than b: at the first position where they differ, a is literal. */
static bool more_literal(const bool *a, const bool *b, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i];
	return false;
}

static bool api_path(const char *path)
{
	return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0;
}

static void check_params(const char *path, const struct plain_path *pp, const struct fk_match *m)
{
	const struct fk_croute *cr = m->cr;
	int k = 0;

	for (int i = 0; i < cr->nsegs; i++) {
		if (!cr->segs[i].param)
			continue;
		CHECK(k < m->nparams);
		CHECK(path + m->params[k].off == pp->s[i] && m->params[k].len == pp->len[i]);
		CHECK(m->params[k].len > 0 &&
		      !memchr(path + m->params[k].off, '/', m->params[k].len));
		k++;
	}
	CHECK(k == m->nparams && k <= FK_MAX_PARAMS);
}

static void check_match(const char *method, const char *path)
{
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	const struct fk_croute *best = NULL;
	bool lit[PLAIN_MAX_SEGS], best_lit[PLAIN_MAX_SEGS];
	bool other[5] = {false};
	static const char *const methods[5] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
	struct plain_path pp = {0};
	struct fk_match m;
	bool any_other = false;

	fk_router_match(&router, method, path, &m);
	if (path[0] == '/' && strlen(path) <= 4096)
		plain_split(path, &pp);
	else
		pp.n = -1;
	for (int i = 0; i < router.n; i++) {
		const struct fk_croute *cr = fk_router_slot(&router, i);

		if (!plain_match(cr->pattern, &pp, lit))
			continue;
		if (strcmp(cr->method, want) != 0) {
			for (int k = 0; k < 5; k++)
				if (strcmp(cr->method, methods[k]) == 0)
					other[k] = any_other = true;
			continue;
		}
		CHECK(best == NULL || more_literal(lit, best_lit, pp.n) ||
		      more_literal(best_lit, lit, pp.n)); /* never two of one shape */
		if (!best || more_literal(lit, best_lit, pp.n)) {
			best = cr;
			memcpy(best_lit, lit, sizeof(lit));
		}
	}
	if (best) {
		CHECK(m.code == 0 && m.cr == best);
		check_params(path, &pp, &m);
		return;
	}
	if (any_other) {
		CHECK(m.code == FK_EMETHOD && m.cr == fk_router_slot(&router, router.n + 1));
		for (int k = 0; k < 5; k++)
			CHECK((strstr(m.allow, methods[k]) != NULL) == other[k]);
		return;
	}
	if (strcmp(want, "GET") == 0 && path[0] == '/' && strlen(path) <= 4096 && !api_path(path)) {
		CHECK(m.code == 0 && m.cr == fk_router_slot(&router, router.n));
		return;
	}
	CHECK(m.code == FK_ENOTFOUND && m.cr == fk_router_slot(&router, router.n + 1));
}

/* name=value&...: each decoded in place as MHD does for the values handlers read, then read
 * as an id the way fk_req_param_id and the id filters do. */
static void check_query(char *q)
{
	for (char *pair = q, *next; pair; pair = next) {
		char *eq, *v;
		size_t before;
		int64_t id = 0;
		char back[24];

		next = strchr(pair, '&');
		if (next)
			*next++ = '\0';
		eq = strchr(pair, '=');
		v = eq ? eq + 1 : pair + strlen(pair);
		if (eq)
			*eq = '\0';
		for (char *p = v; *p; p++)
			if (*p == '+')
				*p = ' ';
		before = strlen(pair);
		CHECK(MHD_http_unescape(pair) <= before);
		before = strlen(v);
		CHECK(MHD_http_unescape(v) <= before);
		if (fk_id_parse(v, &id)) {
			CHECK(id > 0);
			CHECK(strcmp(fk_id_format(id, back), v) == 0);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = {"GET",	"POST", "PUT",	   "PATCH",
					      "DELETE", "HEAD", "OPTIONS", "get"};
	const char *method, *lang;
	char *s, *q, *nl;

	if (!ready)
		build_router();
	if (size == 0)
		return 0;
	method = methods[data[0] % (sizeof(methods) / sizeof(methods[0]))];
	s = malloc(size);
	CHECK(s != NULL);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0'; /* a C string up to the first NUL, as MHD hands it over */
	nl = strchr(s, '\n');
	if (nl)
		*nl = '\0';
	lang = fk_http_lang(nl ? nl + 1 : NULL);
	CHECK(strcmp(lang, "zh") == 0 || strcmp(lang, "en") == 0);
	q = strchr(s, '?');
	if (q)
		*q++ = '\0';
	check_match(method, s);
	if (q)
		check_query(q);
	free(s);
	return 0;
}
