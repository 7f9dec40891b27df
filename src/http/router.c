/* router: fk_router_run / fk_router_reply, the one place where a request's arena and store
 * connection are set up and released and where the checks every route relies on run (the route
 * tables and their matching are route_table.c's), in this order: head (connection limit, address
 * and header caps), route, session, role, CSRF, write rate, body, handler. Every reply, refusals
 * included, is JSON and carries the security headers (render). The client address and scheme are
 * decided once, in setup (http/proxy.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sodium.h>
#include "base/clock.h"
#include "base/log.h"
#include "http/internal.h"

/* ---- dispatch ---- */

static int check_route(struct fk_exchange *x, struct fk_resp *resp, struct fk_err *err)
{
	if (x->match.code == FK_EMETHOD) {
		fk_resp_header(resp, "Allow", x->match.allow);
		return fk_err_set(err, FK_EMETHOD, "method_not_allowed", NULL,
				  "%s 不支持 %s 方法（可用：%s）",
				  "%s does not allow %s (allowed: %s)", x->req.path, x->req.method,
				  x->match.allow);
	}
	if (x->match.code < 0)
		return fk_err_set(err, FK_ENOTFOUND, "no_route", NULL, "没有这个地址：%s %s",
				  "no such route: %s %s", x->req.method, x->req.path);
	if (x->too_big)
		return fk_err_set(err, FK_ETOOBIG, "body_too_big", NULL,
				  "请求体过大，上限为 %zu 字节",
				  "request body too big: the limit is %zu bytes",
				  fk_route_max_body(x->srv, x->match.cr));
	return 0;
}

static void take_params(struct fk_exchange *x)
{
	struct fk_req *req = &x->req;
	const struct fk_croute *cr = x->match.cr;
	int k = 0;

	for (int i = 0; i < cr->nsegs && k < x->match.nparams; i++) {
		if (!cr->segs[i].param)
			continue;
		req->param_names[k] = fk_arena_strndup(req->arena, cr->segs[i].s, cr->segs[i].len);
		req->param_values[k] = fk_arena_strndup(
		    req->arena, req->path + x->match.params[k].off, x->match.params[k].len);
		k++;
	}
	req->nparams = k;
}

/* Session routes get a connection even when flagged FK_RF_NO_DB: the session lives there. */
static int open_db(struct fk_exchange *x, const struct fk_route *r, struct fk_err *err)
{
	struct fk_store *store = x->srv->app->store;

	if ((r->flags & FK_RF_NO_DB) && (r->roles == 0 || !store))
		return 0;
	if (!store)
		return fk_err_set(err, FK_EINTERNAL, "no_store", NULL, "没有配置数据存储",
				  "no store is configured");
	x->req.db = fk_store_acquire(store);
	return 0;
}

static int check_session(struct fk_exchange *x, const struct fk_route *r, struct fk_err *err)
{
	struct fk_app *app = x->srv->app;
	int rc;

	if (r->roles == 0)
		return 0;
	rc = app->authenticate ? app->authenticate(&x->req, err) : FK_EAUTH;
	if (rc == 0 && x->req.who)
		return 0;
	if (rc < 0 && rc != FK_EAUTH)
		return rc;
	/* One code for every way of not being logged in, so clients know to show the login;
	 * the hook's message (expired, disabled...) is kept. */
	if (rc == 0 || !err || !err->zh[0])
		fk_err_set(err, FK_EAUTH, "login_required", NULL, "请先登录",
			   "please log in first");
	else
		snprintf(err->key, sizeof(err->key), "login_required");
	return FK_EAUTH;
}

static int check_role(struct fk_exchange *x, const struct fk_route *r, struct fk_err *err)
{
	const struct fk_principal *who = x->req.who;

	if (r->roles == 0 || (r->roles & (1u << who->role)))
		return 0;
	return fk_err_set(err, FK_EPERM, "forbidden", NULL, "角色“%s”无权执行此操作",
			  "the role \"%s\" may not do this", fk_role_name(who->role));
}

static bool is_safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

static int check_csrf(struct fk_exchange *x, const struct fk_route *r, struct fk_err *err)
{
	const struct fk_principal *who = x->req.who;
	const char *tok;
	size_t n;

	if (!who || (r->flags & FK_RF_NO_CSRF) || is_safe_method(x->req.method))
		return 0;
	tok = fk_req_header(&x->req, "X-CSRF-Token");
	n = strnlen(who->csrf, sizeof(who->csrf));
	if (tok && n > 0 && strlen(tok) == n && sodium_memcmp(tok, who->csrf, n) == 0)
		return 0;
	return fk_err_set(err, FK_EPERM, "csrf", NULL,
			  "缺少或错误的 CSRF 令牌（请求头 X-CSRF-Token）",
			  "missing or wrong CSRF token (header X-CSRF-Token)");
}

/* A logged-in user's writes, per user and per client address (--write-rate, --write-rate-ip):
 * a token bucket each (base/throttle.h) on the request clock, so the test clock moves it.
 * Counted once, though a request with a body passes the header checks twice. */
static int check_rate(struct fk_exchange *x, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_server *srv = x->srv;
	const struct fk_principal *who = x->req.who;
	struct fk_throttle *t = NULL;
	const char *key = NULL;
	char user[24];
	int64_t now;

	if (!who || is_safe_method(x->req.method) || x->write_counted)
		return 0;
	x->write_counted = true;
	now = fk_now_ms();
	snprintf(user, sizeof(user), "u%" PRId64, who->user_id);
	if (srv->write_user && !fk_throttle_take(srv->write_user, user, now))
		t = srv->write_user, key = user;
	else if (srv->write_ip && !fk_throttle_take(srv->write_ip, x->client_ip, now))
		t = srv->write_ip, key = x->client_ip;
	if (!t)
		return 0;
	int wait = fk_throttle_wait_s(t, key, now);

	fk_resp_header(resp, "Retry-After", fk_arena_printf(x->req.arena, "%d", wait));
	bool by_user = t == srv->write_user;

	return fk_err_set(err, FK_ELIMIT, "rate_limited", NULL,
			  "写操作过于频繁（%s%.0s），请 %d 秒后再试",
			  "too many writes (%.0s%s): try again in %d s", by_user ? "账号" : "地址",
			  by_user ? "this user" : "this address", wait);
}

int fk_route_json_body(const struct fk_route *r, const char *data, size_t len, json_t **out,
		       struct fk_err *err)
{
	int rc;

	*out = NULL;
	if (len == 0)
		return fk_err_set(err, FK_EINVAL, "body_required", NULL, "需要 JSON 请求体",
				  "a JSON body is required");
	rc = fk_json_parse_object(data, len, out, err);
	return rc < 0 ? rc : fk_json_check(*out, r->body, err);
}

static int check_body(struct fk_exchange *x, const struct fk_route *r, struct fk_err *err)
{
	struct fk_req *req = &x->req;
	size_t len = x->body.len;

	if (r->flags & FK_RF_RAW_BODY) {
		req->raw_body = x->body.data;
		req->raw_len = len;
		return 0;
	}
	if (r->body)
		return fk_route_json_body(r, x->body.data, len, &req->body, err);
	if (len > 0)
		return fk_err_set(err, FK_EINVAL, "unexpected_body", NULL, "此地址不接受请求体",
				  "this route takes no request body");
	return 0;
}

/* The caps of a request head; together well inside a connection's memory (server.c
 * CONN_MEMORY), so that these answer first, in JSON. */
#define FK_URI_MAX  (8u << 10)
#define FK_HEAD_MAX (12u << 10)

static enum MHD_Result add_bytes(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	size_t *n = cls;

	(void)kind;
	*n += strlen(key) + (value ? strlen(value) : 0) + 4; /* "k: v\r\n", "k=v&" */
	return MHD_YES;
}

static size_t head_bytes(struct MHD_Connection *c, enum MHD_ValueKind kind)
{
	size_t n = 0;

	MHD_get_connection_values(c, kind, add_bytes, &n);
	return n;
}

/* A server past its connection limit answers at once and closes (guard.h); then the head's
 * caps. Both come before the route, so that nothing past them costs more than their reply. */
static int check_head(struct fk_exchange *x, struct fk_resp *resp, struct fk_err *err)
{
	if (x->busy && !(x->match.cr->r->flags & FK_RF_PAST_LIMIT)) {
		fk_resp_header(resp, "Retry-After", "5");
		fk_resp_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
		return fk_err_set(err, FK_EBUSY, "server_busy", NULL,
				  "服务器连接数已满，请稍后再试",
				  "the server is at its connection limit; try again shortly");
	}
	if (strlen(x->req.path) + head_bytes(x->conn, MHD_GET_ARGUMENT_KIND) > FK_URI_MAX)
		return fk_err_set(
		    err, FK_EURI, "uri_too_long", NULL, "请求地址过长，上限为 %u 字节",
		    "the request address is too long: the limit is %u bytes", FK_URI_MAX);
	if (head_bytes(x->conn, MHD_HEADER_KIND) > FK_HEAD_MAX)
		return fk_err_set(
		    err, FK_EHEAD, "headers_too_large", NULL, "请求头过大，上限为 %u 字节",
		    "the request headers are too large: the limit is %u bytes", FK_HEAD_MAX);
	return fk_address_check(x, err);
}

/* What the headers alone settle: head, route, session, role, CSRF, write rate. */
static int header_checks(struct fk_exchange *x, struct fk_resp *resp, struct fk_err *err)
{
	const struct fk_route *r = x->match.cr->r;
	int rc;

	rc = check_head(x, resp, err);
	if (rc == 0)
		rc = check_route(x, resp, err);
	if (rc == 0)
		rc = open_db(x, r, err);
	if (rc == 0)
		rc = check_session(x, r, err);
	if (rc == 0)
		rc = check_role(x, r, err);
	if (rc == 0)
		rc = check_csrf(x, r, err);
	if (rc == 0)
		rc = check_rate(x, resp, err);
	return rc;
}

/* A route that may read the replica swaps its primary connection for one of the read store's,
 * once the session is checked; it keeps the primary's when no replica answers. */
static void use_replica(struct fk_exchange *x, const struct fk_route *r)
{
	struct fk_store *reads = x->srv->app->read_store;
	struct fk_db *db;

	if (!(r->flags & FK_RF_REPLICA) || !reads || !x->req.db || x->on_replica)
		return;
	db = fk_store_acquire(reads);
	if (!db)
		return;
	fk_store_release(x->srv->app->store, x->req.db);
	x->req.db = db;
	x->on_replica = true;
}

static int run(struct fk_exchange *x, struct fk_resp *resp, struct fk_err *err)
{
	const struct fk_route *r = x->match.cr->r;
	int rc;

	rc = header_checks(x, resp, err);
	if (rc == 0)
		rc = check_body(x, r, err);
	if (rc == 0) {
		use_replica(x, r);
		take_params(x);
		rc = r->fn(&x->req, resp, err);
	}
	return rc;
}

/* ---- replies ---- */

/* A failure that said nothing gets its code's default reply (base/err.c's table). */
static void fill_default(struct fk_err *err, int code)
{
	const struct fk_code_info *c = fk_code_info(code);

	fk_err_set(err, c->code, c->key, NULL, c->zh, c->en);
}

/* {"code", "message" (in lang), "message_zh", "message_en", "field", "line"} of err. */
static json_t *error_object(const char *lang, const struct fk_err *err)
{
	const char *msg = strcmp(lang, "en") == 0 ? err->en : err->zh;
	json_t *e = json_object();

	json_object_set_new(e, "code", json_string(err->key));
	json_object_set_new(e, "message", json_string(msg));
	json_object_set_new(e, "message_zh", json_string(err->zh));
	json_object_set_new(e, "message_en", json_string(err->en));
	json_object_set_new(e, "field", err->field[0] ? json_string(err->field) : json_null());
	json_object_set_new(e, "line", err->line > 0 ? json_integer(err->line) : json_null());
	return e;
}

static json_t *error_json(struct fk_exchange *x, const struct fk_err *err)
{
	return json_pack("{s:o}", "error", error_object(x->req.lang, err));
}

void fk_resp_error_with(struct fk_req *req, struct fk_resp *resp, int rc, const struct fk_err *err,
			json_t *body)
{
	json_object_set_new(body, "error", error_object(req->lang, err));
	fk_resp_json(resp, fk_http_status(err->code < 0 ? err->code : rc), body);
}

/* The details of a 500 go to the log, under the request id the client is shown (a 503 is a
 * refusal that says what it is). */
static void error_reply(struct fk_exchange *x, int rc, struct fk_err *err, struct fk_resp *resp)
{
	int code = err->code < 0 ? err->code : rc;
	int status = fk_http_status(code);

	if (!err->key[0] || (!err->zh[0] && !err->en[0]))
		fill_default(err, code);
	if (status == 500) {
		fk_error("http 500 rid=%s method=%s route=%s code=%s key=%s field=%s msg=\"%s\"",
			 x->request_id, x->req.method, x->match.cr->pattern, fk_code_name(code),
			 err->key, err->field, err->en);
		fk_err_set(err, code, "internal", NULL, "服务器内部错误（请求编号 %s）",
			   "internal error (request id %s)", x->request_id);
	}
	fk_stream_cancel(resp->stream);
	resp->stream = NULL;
	json_decref(resp->json);
	resp->json = error_json(x, err);
	resp->body = NULL;
	resp->body_len = 0;
	resp->content_type = NULL;
	resp->status = status;
}

static bool has_header(const struct fk_resp *resp, const char *name)
{
	for (int i = 0; i < resp->nheaders; i++)
		if (strcasecmp(resp->header_names[i], name) == 0)
			return true;
	return false;
}

static struct MHD_Response *make_body(struct fk_exchange *x, struct fk_resp *resp)
{
	struct MHD_Response *mr;
	char *s;

	if (resp->stream)
		return fk_stream_response(resp->stream);
	if (x->file_fd >= 0) {
		mr = MHD_create_response_from_fd64(x->file_size, x->file_fd);
		if (!mr)
			close(x->file_fd);
		x->file_fd = -1; /* MHD closes it with the response */
		return mr;
	}
	if (!resp->json)
		return MHD_create_response_from_buffer(
		    resp->body_len, (void *)(resp->body ? resp->body : ""), MHD_RESPMEM_MUST_COPY);
	if (!resp->content_type)
		resp->content_type = "application/json; charset=utf-8";
	s = json_dumps(resp->json, JSON_COMPACT);
	if (!s) {
		fk_error("http rid=%s route=%s: reply is not serialisable JSON", x->request_id,
			 x->match.cr->pattern);
		resp->status = 500;
		return MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	return MHD_create_response_from_buffer_with_free_callback(strlen(s), s, x->srv->json_free);
}

static struct MHD_Response *render(struct fk_exchange *x, struct fk_resp *resp)
{
	struct MHD_Response *mr;

	if (resp->status == 0)
		resp->status = 200;
	mr = make_body(x, resp);
	if (!mr)
		return NULL;
	for (int i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(mr, resp->header_names[i], resp->header_values[i]);
	if (resp->content_type)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
	if (!has_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL))
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (!has_header(resp, "Content-Security-Policy"))
		MHD_add_response_header(mr, "Content-Security-Policy", FK_CSP_NONE);
	MHD_add_response_header(mr, "X-Frame-Options", "DENY");
	MHD_add_response_header(mr, "Referrer-Policy", "same-origin");
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(mr, "Permissions-Policy", FK_PERMISSIONS);
	MHD_add_response_header(mr, "Cross-Origin-Opener-Policy", "same-origin");
	if (x->req.scheme && strcmp(x->req.scheme, "https") == 0)
		MHD_add_response_header(mr, "Strict-Transport-Security", "max-age=31536000");
	MHD_add_response_header(mr, "X-Request-Id", x->request_id);
	return mr;
}

static void finish(struct fk_exchange *x, unsigned status, int64_t user_id)
{
	uint64_t ns = fk_mono_ns() - x->start_ns;

	fk_metrics_observe(x->srv->metrics, x->match.cr->index, (int)status, ns);
	fk_info("http rid=%s method=%s route=%s status=%u ms=%.3f ip=%s user=%" PRId64,
		x->request_id, x->req.method, x->match.cr->pattern, status, (double)ns / 1e6,
		x->client_ip, user_id);
}

static enum MHD_Result join_xff(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *value)
{
	struct fk_exchange *x = cls;
	const char *sofar = x->req.client_ip; /* the joined value so far, in the arena */

	(void)kind;
	if (strcasecmp(key, "X-Forwarded-For") != 0 || !value)
		return MHD_YES;
	x->req.client_ip = sofar ? fk_arena_printf(x->req.arena, "%s,%s", sofar, value)
				 : fk_arena_printf(x->req.arena, "%s", value);
	return MHD_YES;
}

/* The client address and scheme, decided once per request: the TCP peer's, unless the peer is
 * a trusted proxy (proxy.h). Every X-Forwarded-For header counts, in order. */
static void resolve_client(struct fk_exchange *x)
{
	struct fk_req *req = &x->req;
	const char *xff = NULL;

	req->client_ip = NULL;
	if (x->conn && fk_proxies_contain(x->srv->proxies, x->peer_ip)) {
		MHD_get_connection_values(x->conn, MHD_HEADER_KIND, join_xff, x);
		xff = req->client_ip;
	}
	req->scheme = fk_proxies_resolve(x->srv->proxies, x->peer_ip, xff,
					 fk_req_header(req, "X-Forwarded-Proto"), x->srv->tls,
					 x->client_ip, sizeof(x->client_ip));
	req->client_ip = x->client_ip;
}

static void setup(struct fk_exchange *x)
{
	struct fk_req *req = &x->req;

	fk_arena_init(&x->arena);
	req->arena = &x->arena;
	req->app = x->srv->app;
	req->conn = x->conn;
	req->route = x->match.cr->pattern;
	req->request_id = x->request_id;
	resolve_client(x);
	req->lang = fk_http_lang(fk_req_header(req, "Accept-Language"));
}

/* The request's store connection back and its arena freed (the principal lives there). */
static void teardown(struct fk_exchange *x)
{
	struct fk_req *req = &x->req;

	req->who = NULL;
	if (req->db)
		fk_store_release(fk_exchange_store(x), req->db);
	req->db = NULL;
	x->on_replica = false;
	fk_arena_release(&x->arena);
}

bool fk_router_admit(struct fk_exchange *x)
{
	int rc;

	setup(x);
	rc = header_checks(x, &x->resp, &x->err);
	if (rc < 0) {
		x->rc = rc;
		return false;
	}
	teardown(x);
	return true;
}

/* A deferred request's rc, resp and err are another thread's until fk_req_done. */
int fk_router_run(struct fk_exchange *x)
{
	int rc;

	setup(x);
	rc = run(x, &x->resp, &x->err);
	if (rc != FK_DEFERRED)
		x->rc = rc;
	return rc;
}

struct MHD_Response *fk_router_reply(struct fk_exchange *x, unsigned *status)
{
	struct fk_req *req = &x->req;
	struct fk_resp *resp = &x->resp;
	struct MHD_Response *mr;
	int64_t user_id;

	if (x->rc < 0)
		error_reply(x, x->rc, &x->err, resp);
	mr = render(x, resp);
	*status = (unsigned)resp->status;
	user_id = req->who ? req->who->user_id : 0;
	json_decref(req->body);
	req->body = NULL;
	json_decref(resp->json);
	resp->json = NULL;
	teardown(x);
	finish(x, *status, user_id);
	return mr;
}

/* ---- Accept-Language ---- */

static const char *lang_of(const char *tag, size_t len)
{
	if (len >= 2 && strncasecmp(tag, "zh", 2) == 0 && (len == 2 || tag[2] == '-'))
		return "zh";
	if (len >= 2 && strncasecmp(tag, "en", 2) == 0 && (len == 2 || tag[2] == '-'))
		return "en";
	return NULL;
}

static double quality(const char *p, const char *end)
{
	const char *q = memchr(p, ';', (size_t)(end - p));
	double v = 1.0;

	while (q && q < end && (*q == ';' || *q == ' '))
		q++;
	if (q && q + 2 <= end && q[0] == 'q' && q[1] == '=') {
		char tmp[8] = {0};
		size_t n = (size_t)(end - q - 2) < sizeof(tmp) - 1 ? (size_t)(end - q - 2)
								   : sizeof(tmp) - 1;
		memcpy(tmp, q + 2, n);
		v = strtod(tmp, NULL);
	}
	return v;
}

const char *fk_http_lang(const char *al)
{
	const char *best = "zh";
	double best_q = 0.0;

	for (const char *p = al; p && *p;) {
		const char *end = strchr(p, ',');
		size_t n;
		const char *lang;
		double q;

		end = end ? end : p + strlen(p);
		while (p < end && *p == ' ')
			p++;
		n = strcspn(p, ";, ");
		n = n > (size_t)(end - p) ? (size_t)(end - p) : n;
		lang = lang_of(p, n);
		q = quality(p, end);
		if (lang && q > best_q) {
			best = lang;
			best_q = q;
		}
		p = *end ? end + 1 : end;
	}
	return best;
}
