/* route_table: the route tables of the modules compiled once at start ({name} matches one
 * path segment; routes are checked for shape and duplicates) and matched per request: the most
 * literal route wins, a path with routes of other methods is 405 with their Allow list, and a
 * GET outside /api/ falls back to the static files. The dispatch is router.c's. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "base/xmalloc.h"
#include "http/internal.h"

#define MAX_PATH 4096

static const struct fk_route fallback_route = {
    .method = "GET",
    .path = "/*",
    .fn = fk_static_handler,
    .flags = FK_RF_NO_DB | FK_RF_NO_CSRF,
    .summary = "static files",
};
static const struct fk_route unmatched_route = {
    .method = "*",
    .path = "",
    .flags = FK_RF_NO_DB,
    .summary = "no route",
};

static int bad_route(struct fk_err *err, const char *module, const struct fk_route *r,
		     const char *why)
{
	return fk_err_set(err, FK_EINVAL, "bad_route", "path", "模块 %s 的路由 %s %s 有误：%s",
			  "module %s: route %s %s: %s", module, r->method ? r->method : "?",
			  r->path ? r->path : "?", why);
}

/* Two routes of one shape: both named, whichever modules they are in. */
static int same_route(struct fk_err *err, const char *module, const struct fk_route *r,
		      const struct fk_croute *first)
{
	return fk_err_set(err, FK_EINVAL, "bad_route", "path",
			  "模块 %s 的路由 %s %s 与模块 %s 的 %s 重复",
			  "module %s: route %s %s is the same as module %s's %s", module, r->method,
			  r->path, first->module, first->pattern);
}

static bool known_method(const char *m)
{
	static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
	for (size_t i = 0; m && i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(m, methods[i]) == 0)
			return true;
	return false;
}

static int add_segment(struct fk_croute *cr, const char *p, size_t len, int *nparams)
{
	if (cr->nsegs == FK_MAX_SEGS || len > 255)
		return -1;
	cr->segs[cr->nsegs].s = p;
	cr->segs[cr->nsegs].len = (unsigned short)len;
	cr->segs[cr->nsegs].param = p[0] == '{';
	if (p[0] == '{') {
		if (len < 3 || p[len - 1] != '}' || ++*nparams > FK_MAX_PARAMS)
			return -1;
		cr->segs[cr->nsegs].s = p + 1;
		cr->segs[cr->nsegs].len = (unsigned short)(len - 2);
	}
	cr->nsegs++;
	return 0;
}

static int compile(struct fk_croute *cr, const struct fk_route *r, const char *module,
		   struct fk_err *err)
{
	const char *p = r->path;
	int nparams = 0;

	if (!known_method(r->method) || !r->fn)
		return bad_route(err, module, r, "method or handler missing");
	if (!p || p[0] != '/')
		return bad_route(err, module, r, "the path must start with /");
	*cr = (struct fk_croute){.r = r, .module = module, .method = r->method, .pattern = p};
	for (p++; *p;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 0 || add_segment(cr, p, len, &nparams) < 0)
			return bad_route(err, module, r,
					 "bad segment, or too many segments or params");
		p += len + (slash ? 1 : 0);
	}
	return 0;
}

static bool same_shape(const struct fk_croute *a, const struct fk_croute *b)
{
	if (strcmp(a->method, b->method) != 0 || a->nsegs != b->nsegs)
		return false;
	for (int i = 0; i < a->nsegs; i++) {
		if (a->segs[i].param != b->segs[i].param)
			return false;
		if (!a->segs[i].param && (a->segs[i].len != b->segs[i].len ||
					  memcmp(a->segs[i].s, b->segs[i].s, a->segs[i].len) != 0))
			return false;
	}
	return true;
}

static int count_routes(const struct fk_module *const *mods)
{
	int n = 0;
	for (int i = 0; mods && mods[i]; i++)
		for (const struct fk_route *r = mods[i]->routes; r && r->method; r++)
			n++;
	return n;
}

static int compile_module(struct fk_router *rt, const struct fk_module *mod, struct fk_err *err)
{
	for (const struct fk_route *r = mod->routes; r && r->method; r++) {
		struct fk_croute *cr = &rt->routes[rt->n];
		int rc = compile(cr, r, mod->name, err);

		if (rc < 0)
			return rc;
		for (int j = 0; j < rt->n; j++)
			if (same_shape(&rt->routes[j], cr))
				return same_route(err, mod->name, r, &rt->routes[j]);
		cr->index = rt->n++;
	}
	return 0;
}

int fk_router_init(struct fk_router *rt, const struct fk_module *const *mods, struct fk_err *err)
{
	int rc;

	*rt = (struct fk_router){0};
	rt->routes = fk_xcalloc((size_t)count_routes(mods) + 1, sizeof(*rt->routes));
	for (int i = 0; mods && mods[i]; i++) {
		rc = compile_module(rt, mods[i], err);
		if (rc < 0) {
			fk_router_release(rt);
			return rc;
		}
	}
	rt->fallback = (struct fk_croute){.r = &fallback_route,
					  .module = "http",
					  .method = "GET",
					  .pattern = "static",
					  .index = rt->n};
	rt->unmatched = (struct fk_croute){.r = &unmatched_route,
					   .module = "http",
					   .method = "*",
					   .pattern = "unmatched",
					   .index = rt->n + 1};
	return 0;
}

void fk_router_release(struct fk_router *rt)
{
	free(rt->routes);
	*rt = (struct fk_router){0};
}

int fk_router_slots(const struct fk_router *rt)
{
	return rt->n + 2;
}

const struct fk_croute *fk_router_slot(const struct fk_router *rt, int index)
{
	if (index >= 0 && index < rt->n)
		return &rt->routes[index];
	return index == rt->n ? &rt->fallback : &rt->unmatched;
}

/* A request path cut into its segments once, for every route to compare with. n = -1 when
 * no route can match it (an empty segment, or more segments than any route has). One
 * trailing slash is ignored. */
struct path_segs {
	int n;
	unsigned short off[FK_MAX_SEGS], len[FK_MAX_SEGS];
};

static void split_path(const char *path, struct path_segs *ps)
{
	const char *p = path + 1;

	ps->n = 0;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 0 || ps->n == FK_MAX_SEGS) {
			ps->n = -1;
			return;
		}
		ps->off[ps->n] = (unsigned short)(p - path);
		ps->len[ps->n++] = (unsigned short)len;
		p += len;
		if (*p == '/' && p[1] == '\0')
			break;
		p += *p == '/';
	}
}

/* Matches the path (cut into ps) against one route; *score has a bit per literal segment,
 * earlier ones higher, so the most literal route wins ("/users/me" over "/users/{id}"). */
static bool match_route(const struct fk_croute *cr, const char *path, const struct path_segs *ps,
			struct fk_match *m, unsigned *score)
{
	if (ps->n != cr->nsegs)
		return false;
	m->nparams = 0;
	*score = 0;
	for (int i = 0; i < ps->n; i++) {
		if (cr->segs[i].param) {
			m->params[m->nparams].off = ps->off[i];
			m->params[m->nparams++].len = ps->len[i];
		} else if (ps->len[i] != cr->segs[i].len ||
			   memcmp(path + ps->off[i], cr->segs[i].s, ps->len[i]) != 0) {
			return false;
		} else {
			*score |= 1u << (31 - i);
		}
	}
	return true;
}

static void allow_add(struct fk_match *m, const char *method)
{
	size_t n = strlen(m->allow);
	if (strstr(m->allow, method))
		return;
	snprintf(m->allow + n, sizeof(m->allow) - n, "%s%s", n ? ", " : "", method);
}

static bool is_api(const char *path)
{
	return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0;
}

void fk_router_match(const struct fk_router *rt, const char *method, const char *path,
		     struct fk_match *m)
{
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	struct fk_match tmp;
	struct path_segs ps;
	unsigned score, best = 0;

	*m = (struct fk_match){.cr = &rt->unmatched, .code = FK_ENOTFOUND};
	if (path[0] != '/' || strlen(path) > MAX_PATH)
		return;
	split_path(path, &ps);
	for (int i = 0; i < rt->n; i++) {
		const struct fk_croute *cr = &rt->routes[i];
		if (!match_route(cr, path, &ps, &tmp, &score))
			continue;
		if (strcmp(cr->method, want) != 0) {
			allow_add(m, cr->method);
			continue;
		}
		if (m->code == 0 && score <= best)
			continue;
		tmp.cr = cr;
		tmp.code = 0;
		memcpy(tmp.allow, m->allow, sizeof(tmp.allow));
		*m = tmp;
		best = score;
	}
	if (m->code == 0)
		return;
	if (m->allow[0])
		m->code = FK_EMETHOD;
	else if (strcmp(want, "GET") == 0 && !is_api(path))
		*m = (struct fk_match){.cr = &rt->fallback, .code = 0};
}

size_t fk_route_max_body(const struct fk_server *srv, const struct fk_croute *cr)
{
	if (cr->r && cr->r->max_body)
		return cr->r->max_body;
	return srv->max_body ? srv->max_body : (size_t)1 << 20;
}
