/* Unit tests for http: route compilation and matching (params, the most literal route, 404 and
 * 405), status mapping, Accept-Language and listen addresses; then the whole request path
 * through a real daemon on a loopback port: session, role, CSRF, body checks, caps, error
 * JSON, request ids, metrics and static files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "base/log.h"
#include "http/internal.h"
#include "http_client.h"

/* ---- a module of test routes ---- */

static int h_echo(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *q = fk_req_query(req, "q");

	(void)err;
	fk_resp_json(resp, 200,
		     json_pack("{s:s, s:s?, s:s, s:s}", "id", fk_req_param(req, "id"), "q", q,
			       "lang", req->lang, "route", req->route));
	return 0;
}

static int h_id(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t id, limit;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = fk_req_query_int(req, "limit", 50, 1, 500, &limit, err);
	if (rc < 0)
		return rc;
	fk_resp_json(resp, 200, json_pack("{s:I, s:I}", "id", (json_int_t)id, "limit", limit));
	return 0;
}

static int h_two(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	(void)err;
	fk_resp_json(
	    resp, 201,
	    json_pack("{s:s, s:s}", "a", fk_req_param(req, "a"), "b", fk_req_param(req, "b")));
	return 0;
}

static int h_write(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	(void)err;
	fk_resp_json(resp, 200,
		     json_pack("{s:s, s:b}", "user", req->who ? req->who->username : "", "has_body",
			       req->body != NULL));
	return 0;
}

static int h_raw(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	(void)err;
	resp->body = fk_arena_printf(req->arena, "%zu:%s", req->raw_len, req->raw_body);
	resp->body_len = strlen(resp->body);
	resp->content_type = "text/plain";
	fk_resp_header(resp, "X-Test", "yes");
	return 0;
}

static int h_fail(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	(void)req;
	(void)resp;
	return fk_err_set(err, FK_EDB, "db_broken", NULL, "数据库坏了：秘密", "db broke: secret");
}

static int h_me(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	(void)req;
	(void)err;
	fk_resp_json(resp, 200, json_pack("{s:s}", "me", "yes"));
	return 0;
}

/* Deferred replies: another thread answers after GET /api/v1/later/{ms} waited ms; "now"
 * answers before the handler even returns; "fail" answers with an error. */
struct later {
	struct fk_req *req;
	struct fk_resp *resp;
	struct fk_err *err;
	long ms;
	bool fail;
};

static void later_answer(struct later *l)
{
	int rc = 0;

	if (l->fail)
		rc = fk_err_set(l->err, FK_ECONFLICT, "late_refusal", "x", "稍后拒绝",
				"refused late");
	else
		fk_resp_json(l->resp, 201, json_pack("{s:i}", "waited", (int)l->ms));
	fk_req_done(l->req, rc);
}

static void *later_thread(void *arg)
{
	struct later *l = arg;
	struct timespec ts = {l->ms / 1000, (l->ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
	later_answer(l);
	return NULL;
}

static int h_later(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *arg = fk_req_param(req, "ms");
	struct later *l = fk_arena_alloc(req->arena, sizeof(*l));
	pthread_t th;

	*l = (struct later){.req = req, .resp = resp, .err = err, .fail = strcmp(arg, "fail") == 0};
	l->ms = strcmp(arg, "now") == 0 || l->fail ? 0 : strtol(arg, NULL, 10);
	fk_req_defer(req);
	if (strcmp(arg, "now") == 0) {
		later_answer(l);
		return FK_DEFERRED;
	}
	if (pthread_create(&th, NULL, later_thread, l) != 0)
		FK_BUG("no thread");
	pthread_detach(th);
	return FK_DEFERRED;
}

static const struct fk_field note_body[] = {
    {.name = "title", .type = FK_J_STRING, .required = true, .max_len = 10},
    {.name = "n", .type = FK_J_INT},
    FK_FIELDS_END,
};

#define NODB FK_RF_NO_DB
static const struct fk_route test_routes[] = {
    {.method = "GET", .path = "/api/v1/echo/{id}", .fn = h_echo, .flags = NODB, .summary = "echo"},
    {.method = "GET",
     .path = "/api/v1/things/{id}",
     .fn = h_id,
     .flags = NODB,
     .summary = "one thing"},
    {.method = "PATCH",
     .path = "/api/v1/things/{id}",
     .fn = h_id,
     .flags = NODB,
     .summary = "patch"},
    {.method = "GET", .path = "/api/v1/things/me", .fn = h_me, .flags = NODB, .summary = "literal"},
    {.method = "POST",
     .path = "/api/v1/pairs/{a}/to/{b}",
     .fn = h_two,
     .flags = NODB,
     .summary = "two params"},
    {.method = "POST",
     .path = "/api/v1/notes",
     .fn = h_write,
     .roles = FK_R(ADMIN) | FK_R(GRID),
     .flags = NODB,
     .body = note_body,
     .summary = "write"},
    {.method = "POST",
     .path = "/api/v1/plain",
     .fn = h_write,
     .roles = FK_ROLES_ALL,
     .flags = NODB,
     .summary = "no body"},
    {.method = "POST",
     .path = "/api/v1/login",
     .fn = h_write,
     .flags = NODB | FK_RF_NO_CSRF,
     .summary = "public write"},
    {.method = "POST",
     .path = "/api/v1/raw",
     .fn = h_raw,
     .flags = NODB | FK_RF_RAW_BODY,
     .max_body = 16,
     .summary = "raw, capped"},
    {.method = "GET", .path = "/api/v1/fail", .fn = h_fail, .flags = NODB, .summary = "500"},
    {.method = "GET",
     .path = "/api/v1/later/{ms}",
     .fn = h_later,
     .flags = NODB,
     .summary = "deferred"},
    FK_ROUTES_END,
};
static const struct fk_module test_module = {.name = "test", .routes = test_routes};
static const struct fk_module *const test_modules[] = {&test_module, NULL};

/* Session from the cookie "t=ROLE": CSRF token "tok". */
static int fake_auth(struct fk_req *req, struct fk_err *err)
{
	const char *t = fk_req_cookie(req, "t");
	struct fk_principal *who;
	int role = t ? fk_role_parse(t) : -1;

	if (role < 0)
		return fk_err_set(err, FK_EAUTH, "unauthenticated", NULL, "会话已过期", "expired");
	who = fk_arena_alloc(req->arena, sizeof(*who));
	who->user_id = 7;
	who->role = (enum fk_role)role;
	snprintf(who->username, sizeof(who->username), "u_%s", t);
	snprintf(who->csrf, sizeof(who->csrf), "tok");
	req->who = who;
	return 0;
}

/* ---- matching ---- */

static struct fk_router rt;

static int setup_router(void **state)
{
	(void)state;
	return fk_router_init(&rt, test_modules, NULL);
}

static int teardown_router(void **state)
{
	(void)state;
	fk_router_release(&rt);
	return 0;
}

static const char *param(const struct fk_match *m, const char *path, int i, char *buf)
{
	memcpy(buf, path + m->params[i].off, m->params[i].len);
	buf[m->params[i].len] = '\0';
	return buf;
}

static void test_match_params(void **state)
{
	struct fk_match m;
	char buf[64];
	const char *p = "/api/v1/pairs/12/to/abc";

	(void)state;
	fk_router_match(&rt, "POST", p, &m);
	assert_int_equal(m.code, 0);
	assert_string_equal(m.cr->pattern, "/api/v1/pairs/{a}/to/{b}");
	assert_int_equal(m.nparams, 2);
	assert_string_equal(param(&m, p, 0, buf), "12");
	assert_string_equal(param(&m, p, 1, buf), "abc");

	fk_router_match(&rt, "GET", "/api/v1/echo/5/", &m);
	assert_int_equal(m.code, 0);
	assert_string_equal(m.cr->pattern, "/api/v1/echo/{id}");
	fk_router_match(&rt, "HEAD", "/api/v1/echo/5", &m);
	assert_int_equal(m.code, 0);
}

static void test_match_literal_wins(void **state)
{
	struct fk_match m;

	(void)state;
	fk_router_match(&rt, "GET", "/api/v1/things/me", &m);
	assert_int_equal(m.code, 0);
	assert_string_equal(m.cr->pattern, "/api/v1/things/me");
	fk_router_match(&rt, "GET", "/api/v1/things/42", &m);
	assert_string_equal(m.cr->pattern, "/api/v1/things/{id}");
}

static void test_match_404_405(void **state)
{
	struct fk_match m;

	(void)state;
	fk_router_match(&rt, "DELETE", "/api/v1/things/42", &m);
	assert_int_equal(m.code, FK_EMETHOD);
	assert_string_equal(m.allow, "GET, PATCH");
	assert_ptr_equal(m.cr, &rt.unmatched);
	fk_router_match(&rt, "GET", "/api/v1/nothing", &m);
	assert_int_equal(m.code, FK_ENOTFOUND);
	fk_router_match(&rt, "GET", "/api/v1/echo", &m);
	assert_int_equal(m.code, FK_ENOTFOUND);
	fk_router_match(&rt, "GET", "/api/v1/echo/1/2", &m);
	assert_int_equal(m.code, FK_ENOTFOUND);
	fk_router_match(&rt, "GET", "/api/v1//echo/1", &m);
	assert_int_equal(m.code, FK_ENOTFOUND);
	fk_router_match(&rt, "GET", "/api/v1/echo//", &m);
	assert_int_equal(m.code, FK_ENOTFOUND);
	/* More segments than any route may have. */
	fk_router_match(&rt, "GET", "/api/v1/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q", &m);
	assert_int_equal(m.code, FK_ENOTFOUND);
	/* Non-API GETs go to the static fallback; other methods do not. */
	fk_router_match(&rt, "GET", "/people/12", &m);
	assert_int_equal(m.code, 0);
	assert_ptr_equal(m.cr, &rt.fallback);
	fk_router_match(&rt, "POST", "/people/12", &m);
	assert_int_equal(m.code, FK_ENOTFOUND);
	fk_router_match(&rt, "GET", "/api", &m);
	assert_int_equal(m.code, FK_ENOTFOUND);
}

static void expect_bad(const struct fk_route *routes)
{
	const struct fk_module mod = {.name = "bad", .routes = routes};
	const struct fk_module *const mods[] = {&mod, NULL};
	struct fk_router r;
	struct fk_err err = {0};

	assert_int_equal(fk_router_init(&r, mods, &err), FK_EINVAL);
	assert_string_equal(err.key, "bad_route");
	assert_non_null(strstr(err.en, "bad"));
}

static void test_bad_routes(void **state)
{
	const struct fk_route dup[] = {{.method = "GET", .path = "/a/{x}", .fn = h_me},
				       {.method = "GET", .path = "/a/{y}", .fn = h_me},
				       FK_ROUTES_END};
	const struct fk_route noslash[] = {{.method = "GET", .path = "a", .fn = h_me},
					   FK_ROUTES_END};
	const struct fk_route brace[] = {{.method = "GET", .path = "/a/{x", .fn = h_me},
					 FK_ROUTES_END};
	const struct fk_route many[] = {
	    {.method = "GET", .path = "/{a}/{b}/{c}/{d}/{e}", .fn = h_me}, FK_ROUTES_END};
	const struct fk_route method[] = {{.method = "FETCH", .path = "/a", .fn = h_me},
					  FK_ROUTES_END};
	const struct fk_route empty[] = {{.method = "GET", .path = "/a//b", .fn = h_me},
					 FK_ROUTES_END};

	const struct fk_route mine[] = {{.method = "GET", .path = "/x/{id}", .fn = h_me},
					FK_ROUTES_END};
	const struct fk_route theirs[] = {{.method = "GET", .path = "/x/{code}", .fn = h_me},
					  FK_ROUTES_END};
	const struct fk_module m1 = {.name = "zones", .routes = mine};
	const struct fk_module m2 = {.name = "gates", .routes = theirs};
	const struct fk_module *const two[] = {&m1, &m2, NULL};
	struct fk_router r;
	struct fk_err err = {0};

	(void)state;
	/* Two modules with one route: the start fails naming both. */
	assert_int_equal(fk_router_init(&r, two, &err), FK_EINVAL);
	assert_string_equal(err.key, "bad_route");
	assert_non_null(strstr(err.en, "module gates: route GET /x/{code}"));
	assert_non_null(strstr(err.en, "module zones's /x/{id}"));
	expect_bad(dup);
	expect_bad(noslash);
	expect_bad(brace);
	expect_bad(many);
	expect_bad(method);
	expect_bad(empty);
}

static void test_status_map(void **state)
{
	(void)state;
	assert_int_equal(fk_http_status(FK_OK), 200);
	assert_int_equal(fk_http_status(FK_EINVAL), 400);
	assert_int_equal(fk_http_status(FK_EAUTH), 401);
	assert_int_equal(fk_http_status(FK_EPERM), 403);
	assert_int_equal(fk_http_status(FK_ENOTFOUND), 404);
	assert_int_equal(fk_http_status(FK_EMETHOD), 405);
	assert_int_equal(fk_http_status(FK_ECONFLICT), 409);
	assert_int_equal(fk_http_status(FK_ETOOBIG), 413);
	assert_int_equal(fk_http_status(FK_EUNPROC), 422);
	assert_int_equal(fk_http_status(FK_ELIMIT), 429);
	assert_int_equal(fk_http_status(FK_EINTERNAL), 500);
	assert_int_equal(fk_http_status(FK_EDB), 500);
	assert_int_equal(fk_http_status(-99), 500);
}

static void test_lang(void **state)
{
	(void)state;
	assert_string_equal(fk_http_lang(NULL), "zh");
	assert_string_equal(fk_http_lang(""), "zh");
	assert_string_equal(fk_http_lang("en-US,en;q=0.9"), "en");
	assert_string_equal(fk_http_lang("zh-CN,zh;q=0.9,en;q=0.8"), "zh");
	assert_string_equal(fk_http_lang("fr, en;q=0.5, zh;q=0.4"), "en");
	assert_string_equal(fk_http_lang("de-DE"), "zh");
	assert_string_equal(fk_http_lang("EN"), "en");
	assert_string_equal(fk_http_lang("eng"), "zh");
}

static void test_listen(void **state)
{
	struct sockaddr_storage sa;
	struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)&sa;
	struct fk_err err;

	(void)state;
	assert_int_equal(fk_server_parse_listen("127.0.0.1:8080", &sa, &err), 0);
	assert_int_equal(sa.ss_family, AF_INET);
	assert_int_equal(ntohs(v4->sin_port), 8080);
	assert_int_equal(fk_server_parse_listen("0", &sa, &err), 0);
	assert_int_equal(ntohl(v4->sin_addr.s_addr), INADDR_LOOPBACK);
	assert_int_equal(fk_server_parse_listen(":9000", &sa, &err), 0);
	assert_int_equal(v4->sin_addr.s_addr, htonl(INADDR_ANY));
	assert_int_equal(fk_server_parse_listen("[::1]:80", &sa, &err), 0);
	assert_int_equal(sa.ss_family, AF_INET6);
	assert_int_equal(fk_server_parse_listen("localhost:1", &sa, &err), 0);
	assert_int_equal(fk_server_parse_listen("1.2.3.4:65536", &sa, &err), FK_EINVAL);
	assert_string_equal(err.field, "listen");
	assert_int_equal(fk_server_parse_listen("1.2.3.4:", &sa, &err), FK_EINVAL);
	assert_int_equal(fk_server_parse_listen("nohost:80", &sa, &err), FK_EINVAL);
	assert_int_equal(fk_server_parse_listen("::1:80", &sa, &err), FK_EINVAL);
	assert_int_equal(fk_server_parse_listen("1.2.3.4:8x", &sa, &err), FK_EINVAL);
}

/* ---- the whole path, over a socket ---- */

static void expect_error(const struct reply *r, int status, const char *code, const char *field)
{
	char want[128];

	assert_int_equal(r->status, status);
	snprintf(want, sizeof(want), "{\"error\":{\"code\":\"%s\"", code);
	assert_non_null(strstr(r->body, want));
	assert_non_null(strstr(r->body, "\"message_zh\""));
	assert_non_null(strstr(r->body, "\"message_en\""));
	if (field)
		snprintf(want, sizeof(want), "\"field\":\"%s\"", field);
	else
		snprintf(want, sizeof(want), "\"field\":null");
	assert_non_null(strstr(r->body, want));
}

static struct fk_app app;
static struct fk_server *srv;
static uint16_t port;
static struct reply r;

static int setup_server(void **state)
{
	struct fk_server_opts o = {
	    .listen = "127.0.0.1:0", .threads = 2, .max_body = 64, .version = "9.9.9"};
	struct fk_err err = {0};

	(void)state;
	app = (struct fk_app){.modules = test_modules, .authenticate = fake_auth};
	if (fk_server_start(&app, &o, &srv, &err) < 0) {
		fprintf(stderr, "server: %s\n", err.en);
		return -1;
	}
	port = fk_server_port(srv);
	return port ? 0 : -1;
}

static int teardown_server(void **state)
{
	(void)state;
	fk_server_stop(srv, 1000);
	return 0;
}

struct later_client {
	pthread_t th;
	char path[64];
	struct reply r;
};

static void *later_client_run(void *arg)
{
	struct later_client *c = arg;

	request(port, "GET", c->path, NULL, NULL, &c->r);
	return NULL;
}

/* Replies another thread finishes: late, at once, refused; many at a time, each its own. */
static void test_serve_deferred(void **state)
{
	struct later_client c[24];
	char want[64];

	(void)state;
	request(port, "GET", "/api/v1/later/now", NULL, NULL, &r);
	assert_int_equal(r.status, 201);
	assert_string_equal(r.body, "{\"waited\":0}");
	expect_error((request(port, "GET", "/api/v1/later/fail", NULL, NULL, &r), &r), 409,
		     "late_refusal", "x");
	for (int i = 0; i < 24; i++) {
		snprintf(c[i].path, sizeof(c[i].path), "/api/v1/later/%d", (i * 7) % 40);
		pthread_create(&c[i].th, NULL, later_client_run, &c[i]);
	}
	for (int i = 0; i < 24; i++) {
		pthread_join(c[i].th, NULL);
		assert_int_equal(c[i].r.status, 201);
		snprintf(want, sizeof(want), "{\"waited\":%d}", (i * 7) % 40);
		assert_string_equal(c[i].r.body, want);
	}
}

static void test_serve_echo(void **state)
{
	char h[128];

	(void)state;
	request(port, "GET", "/api/v1/echo/abc?q=a%20b+c", "Accept-Language: en-US,en\r\n", NULL,
		&r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"id\":\"abc\",\"q\":\"a b c\",\"lang\":\"en\","
				    "\"route\":\"/api/v1/echo/{id}\"}");
	assert_string_equal(header(&r, "Content-Type", h, sizeof(h)),
			    "application/json; charset=utf-8");
	assert_string_equal(header(&r, "Cache-Control", h, sizeof(h)), "no-store");
	header(&r, "X-Request-Id", h, sizeof(h));
	assert_int_equal(strlen(h), 16);
	assert_int_equal(strspn(h, "0123456789abcdef"), 16);
}

static void test_serve_not_found(void **state)
{
	char h[128];

	(void)state;
	request(port, "GET", "/api/v1/nope", NULL, NULL, &r);
	expect_error(&r, 404, "no_route", NULL);
	assert_non_null(strstr(r.body, "\"line\":null"));
	assert_non_null(strstr(r.body, "\"message\":\"没有这个地址"));
	request(port, "GET", "/api/v1/nope", "Accept-Language: en\r\n", NULL, &r);
	assert_non_null(strstr(r.body, "\"message\":\"no such route: GET /api/v1/nope\""));
	request(port, "DELETE", "/api/v1/things/1", NULL, NULL, &r);
	expect_error(&r, 405, "method_not_allowed", NULL);
	assert_string_equal(header(&r, "Allow", h, sizeof(h)), "GET, PATCH");
	request(port, "GET", "/somepage", NULL, NULL, &r);
	expect_error(&r, 404, "no_route", NULL);
	request(port, "GET", "/", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body,
			    "{\"name\":\"fangkong\",\"version\":\"9.9.9\",\"api\":\"/api/v1\"}");
}

static void test_serve_params(void **state)
{
	(void)state;
	request(port, "GET", "/api/v1/things/abc", NULL, NULL, &r);
	expect_error(&r, 404, "not_found", "id");
	request(port, "GET", "/api/v1/things/5?limit=0", NULL, NULL, &r);
	expect_error(&r, 400, "invalid_query", "limit");
	request(port, "GET", "/api/v1/things/5?limit=7", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"id\":5,\"limit\":7}");
	request(port, "GET", "/api/v1/things/me", NULL, NULL, &r);
	assert_string_equal(r.body, "{\"me\":\"yes\"}");
	request(port, "POST", "/api/v1/pairs/x/to/y", NULL, NULL, &r);
	assert_int_equal(r.status, 201);
	assert_string_equal(r.body, "{\"a\":\"x\",\"b\":\"y\"}");
}

/* An encoded NUL does not cut the address short (it would make /things/%00 the list of
 * things), and a path or query that is not UTF-8 is refused naming the parameter. */
static void test_serve_address(void **state)
{
	char s[] = "a%00b%41%zz%4";

	(void)state;
	assert_int_equal(fk_address_unescape(NULL, NULL, s), 10);
	assert_memory_equal(s,
			    "a\xC0\x80"
			    "bA%zz%4",
			    11);
	request(port, "GET", "/api/v1/things/5%00", NULL, NULL, &r);
	expect_error(&r, 400, "invalid_address", "id");
	request(port, "GET", "/api/v1/things/%FF", NULL, NULL, &r);
	expect_error(&r, 400, "invalid_address", "id");
	request(port, "GET", "/api/v1/things/5?limit=7%00", NULL, NULL, &r);
	expect_error(&r, 400, "invalid_address", "limit");
	request(port, "GET", "/api/v1/echo/x?q=%ED%A0%80", NULL, NULL, &r);
	expect_error(&r, 400, "invalid_address", "q");
	request(port, "GET", "/api/v1/echo/%E4%B8%AD?q=%F0%9F%98%B7", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
}

static void test_serve_session_role_csrf(void **state)
{
	const char *note = "{\"title\":\"hi\"}";

	(void)state;
	request(port, "POST", "/api/v1/notes", NULL, note, &r);
	expect_error(&r, 401, "login_required", NULL);
	assert_non_null(strstr(r.body, "会话已过期"));
	request(port, "POST", "/api/v1/notes", "Cookie: t=lab\r\nX-CSRF-Token: tok\r\n", note, &r);
	expect_error(&r, 403, "forbidden", NULL);
	request(port, "POST", "/api/v1/notes", "Cookie: t=admin\r\n", note, &r);
	expect_error(&r, 403, "csrf", NULL);
	request(port, "POST", "/api/v1/notes", "Cookie: t=admin\r\nX-CSRF-Token: tok2\r\n", note,
		&r);
	expect_error(&r, 403, "csrf", NULL);
	request(port, "POST", "/api/v1/notes", "Cookie: t=admin\r\nX-CSRF-Token: to\r\n", note, &r);
	expect_error(&r, 403, "csrf", NULL);
	request(port, "POST", "/api/v1/notes", "Cookie: t=grid\r\nX-CSRF-Token: tok\r\n", note, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"user\":\"u_grid\",\"has_body\":true}");
	/* A public write needs no token and has no principal. */
	request(port, "POST", "/api/v1/login", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"user\":\"\",\"has_body\":false}");
}

static void test_serve_bodies(void **state)
{
	const char *auth = "Cookie: t=admin\r\nX-CSRF-Token: tok\r\n";

	(void)state;
	request(port, "POST", "/api/v1/notes", auth, "{\"title\":5}", &r);
	expect_error(&r, 400, "wrong_type", "title");
	request(port, "POST", "/api/v1/notes", auth, "{\"title\":\"a\",\"x\":1}", &r);
	expect_error(&r, 400, "unknown_field", "x");
	request(port, "POST", "/api/v1/notes", auth, "{}", &r);
	expect_error(&r, 400, "missing_field", "title");
	request(port, "POST", "/api/v1/notes", auth, "{\"title\":", &r);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "\"code\":\"invalid_json\""));
	request(port, "POST", "/api/v1/notes", auth, NULL, &r);
	expect_error(&r, 400, "body_required", NULL);
	request(port, "POST", "/api/v1/plain", auth, "x", &r);
	expect_error(&r, 400, "unexpected_body", NULL);
	request(port, "POST", "/api/v1/plain", auth, NULL, &r);
	assert_int_equal(r.status, 200);
	request(port, "GET", "/api/v1/echo/1", NULL, "{}", &r);
	expect_error(&r, 400, "unexpected_body", NULL);
}

static void test_serve_caps(void **state)
{
	char h[64], big[200];
	const char *chunked = "POST /api/v1/raw HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
			      "Transfer-Encoding: chunked\r\n\r\n"
			      "a\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n";

	(void)state;
	request(port, "POST", "/api/v1/raw", NULL, "hello", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "5:hello");
	assert_string_equal(header(&r, "X-Test", h, sizeof(h)), "yes");
	assert_string_equal(header(&r, "Content-Type", h, sizeof(h)), "text/plain");
	request(port, "POST", "/api/v1/raw", NULL, "0123456789abcdef", &r);
	assert_int_equal(r.status, 200);
	request(port, "POST", "/api/v1/raw", NULL, "0123456789abcdefg", &r);
	expect_error(&r, 413, "body_too_big", NULL);
	assert_non_null(strstr(r.body, "16"));
	exchange(port, chunked, strlen(chunked), &r);
	expect_error(&r, 413, "body_too_big", NULL);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	request(port, "POST", "/api/v1/notes", "Cookie: t=admin\r\nX-CSRF-Token: tok\r\n", big, &r);
	expect_error(&r, 413, "body_too_big", NULL);
}

static void test_serve_500(void **state)
{
	char rid[32], want[64];

	(void)state;
	request(port, "GET", "/api/v1/fail", NULL, NULL, &r);
	expect_error(&r, 500, "internal", NULL);
	assert_null(strstr(r.body, "secret"));
	assert_null(strstr(r.body, "秘密"));
	header(&r, "X-Request-Id", rid, sizeof(rid));
	snprintf(want, sizeof(want), "request id %s", rid);
	assert_non_null(strstr(r.body, want));
}

static void test_serve_keep_alive(void **state)
{
	const char *one = "GET /api/v1/things/me HTTP/1.1\r\nHost: t\r\n\r\n";
	const char *two = "GET /api/v1/things/1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
	int fd = connect_to(port);
	size_t got = 0;
	ssize_t n;
	char *second;

	(void)state;
	send_all(fd, one, strlen(one));
	send_all(fd, two, strlen(two));
	while ((n = read(fd, r.raw + got, sizeof(r.raw) - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	r.raw[got] = '\0';
	assert_non_null(strstr(r.raw, "{\"me\":\"yes\"}"));
	second = strstr(r.raw + 1, "HTTP/1.1 200");
	assert_non_null(second);
	assert_non_null(strstr(second, "{\"id\":1,\"limit\":50}"));
}

static void test_serve_metrics(void **state)
{
	const char *p;

	(void)state;
	request(port, "GET", "/metrics", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "fk_http_requests_total{route=\"/api/v1/echo/{id}\","
				       "method=\"GET\",status=\"200\"} 1\n"));
	assert_non_null(strstr(r.body, "fk_http_requests_total{route=\"unmatched\",method=\"*\","
				       "status=\"405\"} 1\n"));
	assert_non_null(strstr(r.body, "fk_http_request_duration_seconds_bucket{route=\"/api/v1/"
				       "echo/{id}\",method=\"GET\",le=\"+Inf\"} 2\n"));
	assert_non_null(strstr(r.body, "fk_http_request_duration_seconds_count{route=\"/api/v1/"
				       "raw\",method=\"POST\"}"));
	/* At least this request; one just answered may not have been counted out yet. */
	p = strstr(r.body, "\nfk_http_requests_in_flight ");
	assert_non_null(p);
	assert_true(strtol(p + 28, NULL, 10) >= 1);
	assert_non_null(strstr(r.body, "fk_build_info{version=\"9.9.9\"} 1\n"));
}

/* ---- static files ---- */

static char webdir[64];
static struct fk_app web_app;
static struct fk_server *web_srv;
static uint16_t web_port;

static void put_file(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", webdir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup_web(void **state)
{
	struct fk_server_opts o = {.listen = "127.0.0.1:0", .threads = 1, .version = "1"};
	char assets[128];

	(void)state;
	snprintf(webdir, sizeof(webdir), "/tmp/fk-web-XXXXXX");
	if (!mkdtemp(webdir))
		return -1;
	snprintf(assets, sizeof(assets), "%s/assets", webdir);
	mkdir(assets, 0755);
	put_file("index.html", "<html>app</html>");
	put_file("assets/index-Ab3dE9_x.js", "console.log(1)");
	put_file("assets/my-component.css", "p{}");
	put_file("robots.txt", "User-agent: *");
	web_app = (struct fk_app){.modules = test_modules, .web_dir = webdir};
	if (fk_server_start(&web_app, &o, &web_srv, NULL) < 0)
		return -1;
	web_port = fk_server_port(web_srv);
	return 0;
}

static int teardown_web(void **state)
{
	const char *files[] = {"index.html",
			       "assets/index-Ab3dE9_x.js",
			       "assets/my-component.css",
			       "robots.txt",
			       "assets",
			       ""};
	char path[256];

	(void)state;
	fk_server_stop(web_srv, 1000);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", webdir, files[i]);
		remove(path);
	}
	return 0;
}

static void test_static_files(void **state)
{
	char h[128], etag[64], inm[128];

	(void)state;
	request(web_port, "GET", "/", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "<html>app</html>");
	assert_string_equal(header(&r, "Content-Type", h, sizeof(h)), "text/html; charset=utf-8");
	assert_string_equal(header(&r, "Cache-Control", h, sizeof(h)), "no-cache");
	header(&r, "ETag", etag, sizeof(etag));
	assert_true(strlen(etag) > 2);

	request(web_port, "GET", "/assets/index-Ab3dE9_x.js", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "console.log(1)");
	assert_string_equal(header(&r, "Cache-Control", h, sizeof(h)),
			    "public, max-age=31536000, immutable");
	assert_string_equal(header(&r, "Content-Type", h, sizeof(h)),
			    "text/javascript; charset=utf-8");
	request(web_port, "GET", "/assets/my-component.css", NULL, NULL, &r);
	assert_string_equal(header(&r, "Cache-Control", h, sizeof(h)), "no-cache");
	request(web_port, "GET", "/robots.txt", NULL, NULL, &r);
	assert_string_equal(header(&r, "Content-Type", h, sizeof(h)), "text/plain; charset=utf-8");

	snprintf(inm, sizeof(inm), "If-None-Match: %s\r\n", etag);
	request(web_port, "GET", "/index.html", inm, NULL, &r);
	assert_int_equal(r.status, 304);
	assert_string_equal(r.body, "");
	request(web_port, "HEAD", "/", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "");
}

static void test_static_fallback(void **state)
{
	(void)state;
	request(web_port, "GET", "/people/12", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "<html>app</html>");
	request(web_port, "GET", "/assets/missing.js", NULL, NULL, &r);
	expect_error(&r, 404, "no_route", NULL);
	request(web_port, "GET", "/favicon.ico", NULL, NULL, &r);
	assert_int_equal(r.status, 404);
	request(web_port, "GET", "/api/v1/nothing", NULL, NULL, &r);
	expect_error(&r, 404, "no_route", NULL);
	request(web_port, "GET", "/../../etc/passwd", NULL, NULL, &r);
	assert_int_equal(r.status, 404);
	request(web_port, "GET", "/assets/../index.html", NULL, NULL, &r);
	assert_int_equal(r.status, 404);
	request(web_port, "GET", "/%2e%2e/etc/passwd", NULL, NULL, &r);
	assert_int_equal(r.status, 404);
	request(web_port, "POST", "/people/12", NULL, NULL, &r);
	expect_error(&r, 404, "no_route", NULL);
}

int main(void)
{
	const struct CMUnitTest match_tests[] = {
	    cmocka_unit_test(test_match_params),  cmocka_unit_test(test_match_literal_wins),
	    cmocka_unit_test(test_match_404_405), cmocka_unit_test(test_bad_routes),
	    cmocka_unit_test(test_status_map),	  cmocka_unit_test(test_lang),
	    cmocka_unit_test(test_listen),
	};
	const struct CMUnitTest serve_tests[] = {
	    cmocka_unit_test(test_serve_echo),	  cmocka_unit_test(test_serve_not_found),
	    cmocka_unit_test(test_serve_params),  cmocka_unit_test(test_serve_session_role_csrf),
	    cmocka_unit_test(test_serve_bodies),  cmocka_unit_test(test_serve_caps),
	    cmocka_unit_test(test_serve_500),	  cmocka_unit_test(test_serve_keep_alive),
	    cmocka_unit_test(test_serve_metrics), cmocka_unit_test(test_serve_deferred),
	    cmocka_unit_test(test_serve_address),
	};
	const struct CMUnitTest web_tests[] = {
	    cmocka_unit_test(test_static_files),
	    cmocka_unit_test(test_static_fallback),
	};
	int fails = 0;

	fails += cmocka_run_group_tests_name("match", match_tests, setup_router, teardown_router);
	fails += cmocka_run_group_tests_name("serve", serve_tests, setup_server, teardown_server);
	fails += cmocka_run_group_tests_name("web", web_tests, setup_web, teardown_web);
	return fails ? 1 : 0;
}
