/* builtin: the routes every server has, whatever modules it runs: GET /healthz (is the store
 * answering?) and GET /metrics (Prometheus text). /healthz is public; /metrics needs the
 * --metrics-token as a Bearer token when one is set, and else answers loopback clients only. */
#include <inttypes.h>
#include <string.h>
#include <strings.h>
#include <sodium.h>
#include "base/buf.h"
#include "http/internal.h"

static int healthz(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *version = fk_exchange_of(req)->srv->version;
	int64_t one = 0;
	int rc;

	rc = fk_db_one_i64(req->db, err, &one, "SELECT 1", "");
	if (rc < 0)
		return rc;
	fk_resp_json(resp, 200,
		     json_pack("{s:s, s:s, s:s}", "status", "ok", "store", fk_db_kind_name(req->db),
			       "version", version ? version : ""));
	return 0;
}

/* "Authorization: Bearer TOKEN" with the server's token, compared in constant time. */
static bool bearer_matches(struct fk_req *req, const char *token)
{
	const char *h = fk_req_header(req, "Authorization");
	size_t n = strlen(token);

	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return false;
	h += 7;
	while (*h == ' ')
		h++;
	return strlen(h) == n && sodium_memcmp(h, token, n) == 0;
}

static int metrics_allowed(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *token = fk_exchange_of(req)->srv->metrics_token;

	if (token && *token) {
		if (bearer_matches(req, token))
			return 0;
		fk_resp_header(resp, "WWW-Authenticate", "Bearer realm=\"metrics\"");
		return fk_err_set(err, FK_EAUTH, "metrics_token", NULL,
				  "/metrics 需要令牌（请求头 Authorization: Bearer …）",
				  "/metrics needs its token (header Authorization: Bearer ...)");
	}
	if (fk_ip_is_loopback(req->client_ip))
		return 0;
	return fk_err_set(err, FK_EPERM, "metrics_forbidden", NULL,
			  "/metrics 只对本机开放（或设置 --metrics-token）",
			  "/metrics answers this machine only (or set --metrics-token)");
}

static int metrics(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_server *srv = fk_exchange_of(req)->srv;
	struct fk_buf b;
	int rc = metrics_allowed(req, resp, err);

	if (rc < 0)
		return rc;
	fk_buf_init(&b, FK_BUF_PAGE_MAX);
	fk_metrics_render(srv->metrics, &srv->router, srv->version, &b);
	fk_metrics_render_jobs(req->app->job_stats, &b);
	fk_buf_printf(&b,
		      "# HELP fk_http_connections_open Client connections open now.\n"
		      "# TYPE fk_http_connections_open gauge\n"
		      "fk_http_connections_open %u\n"
		      "# HELP fk_http_connections_reaped_total Connections shut for sending no "
		      "request head in time.\n"
		      "# TYPE fk_http_connections_reaped_total counter\n"
		      "fk_http_connections_reaped_total %" PRIu64 "\n",
		      fk_guard_open(srv->guard), fk_guard_reaped(srv->guard));
	resp->body = fk_arena_memdup(req->arena, b.data, b.len);
	resp->body_len = b.len;
	resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
	fk_buf_release(&b);
	return 0;
}

static const struct fk_route builtin_routes[] = {
    {.method = "GET",
     .path = "/healthz",
     .fn = healthz,
     .flags = FK_RF_NO_CSRF | FK_RF_PAST_LIMIT,
     .summary = "Liveness and store check: {status, store, version}"},
    {.method = "GET",
     .path = "/metrics",
     .fn = metrics,
     .flags = FK_RF_NO_DB | FK_RF_NO_CSRF,
     .summary =
	 "Prometheus metrics: requests by route and status, latency, in flight, scheduled jobs "
	 "(Bearer --metrics-token, or loopback clients only)"},
    FK_ROUTES_END,
};

const struct fk_module fk_http_builtin = {
    .name = "http",
    .routes = builtin_routes,
    .init = NULL,
};
