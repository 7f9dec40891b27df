/* http internals: what server.c, router.c, req.c, metrics.c, static.c and builtin.c share.
 * Modules never include this; they see http.h only.
 *
 * One request is one struct fk_exchange, created by server.c on MHD's first call and freed
 * when MHD reports the request completed. Its struct fk_req comes first so code that holds
 * a req (the built-in handlers) can get back to the exchange. */
#ifndef FK_HTTP_INTERNAL_H
#define FK_HTTP_INTERNAL_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <microhttpd.h>
#include "base/buf.h"
#include "base/throttle.h"
#include "http/guard.h"
#include "http/http.h"
#include "http/proxy.h"
#include "http/server.h"
#include "platform/module.h"

#define FK_MAX_SEGS 16

/* A route compiled for matching: its pattern cut into segments once, at start. */
struct fk_croute {
	const struct fk_route *r;
	const char *module;
	const char *method; /* metrics label: the route's method, or "*" for the catch-alls */
	const char *pattern;
	int index; /* metrics slot */
	int nsegs;
	struct {
		const char *s;
		unsigned short len;
		bool param;
	} segs[FK_MAX_SEGS];
};

struct fk_router {
	struct fk_croute *routes;
	int n;
	struct fk_croute fallback;  /* GET of a non-API path: static files or the root JSON */
	struct fk_croute unmatched; /* 404 / 405 */
};

/* The result of matching one method and path. */
struct fk_match {
	const struct fk_croute *cr; /* the route, or router->unmatched */
	int code;		    /* 0, FK_ENOTFOUND or FK_EMETHOD */
	char allow[64];		    /* for 405: the methods the path has */
	int nparams;
	struct {
		unsigned short off, len;
	} params[FK_MAX_PARAMS];
};

int fk_router_init(struct fk_router *rt, const struct fk_module *const *mods, struct fk_err *err);
void fk_router_release(struct fk_router *rt);
/* HEAD matches GET routes. A trailing slash is ignored. */
void fk_router_match(const struct fk_router *rt, const char *method, const char *path,
		     struct fk_match *m);
/* Number of metrics slots the router uses (routes + fallback + unmatched). */
int fk_router_slots(const struct fk_router *rt);
const struct fk_croute *fk_router_slot(const struct fk_router *rt, int index);

struct fk_metrics;
struct fk_metrics *fk_metrics_new(int nslots);
void fk_metrics_free(struct fk_metrics *m);
void fk_metrics_observe(struct fk_metrics *m, int slot, int status, uint64_t ns);
/* Adds delta to the in-flight gauge; returns the new value. */
int fk_metrics_in_flight(struct fk_metrics *m, int delta);
int fk_metrics_render(struct fk_metrics *m, const struct fk_router *rt, const char *version,
		      struct fk_buf *out);
/* The scheduled jobs' counters (app->job_stats); nothing when stats is NULL. */
int fk_metrics_render_jobs(const struct fk_job_stats *stats, struct fk_buf *out);

struct fk_static;
int fk_static_open(const char *dir, struct fk_static **out, struct fk_err *err);
void fk_static_close(struct fk_static *st);
/* The fallback handler: a file under the web dir, index.html for SPA paths, or (no --web) the
 * root JSON on "/" and no_route elsewhere. */
int fk_static_handler(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

struct fk_server {
	struct MHD_Daemon *mhd;
	struct fk_app *app;
	struct fk_router router;
	struct fk_metrics *metrics;
	struct fk_static *web;
	size_t max_body; /* for routes with max_body 0 */
	const char *version;
	uint16_t port;
	struct sockaddr_storage addr;
	uint64_t rid_base;
	atomic_uint_fast64_t rid_next;
	void (*json_free)(void *);
	struct fk_streams *streams; /* the live streaming replies (stream.c) */
	struct fk_guard *guard;	    /* head deadlines, open connections (guard.c) */
	pthread_mutex_t defer_mu;   /* the deferred flags of every exchange (defer.c) */
	int deferred_pending;	    /* deferred requests not done yet, under defer_mu */

	/* Hardening: the trusted proxies (the caller's, or NULL); the daemon speaks HTTPS;
	 * /metrics needs this Bearer token (NULL: loopback clients only); the write rate buckets
	 * per user and per client address (NULL: no limit). */
	const struct fk_proxies *proxies;
	bool tls;
	const char *metrics_token;
	struct fk_throttle *write_user, *write_ip;
};

struct fk_exchange {
	struct fk_req req; /* first: fk_exchange_of(req) */
	struct fk_server *srv;
	struct MHD_Connection *conn;
	struct fk_match match;
	struct fk_buf body;
	uint64_t received; /* body bytes read, kept or not */
	bool too_big;
	bool busy; /* opened past max_conns: answered 503 unless the route is FK_RF_PAST_LIMIT */
	bool responded;
	uint64_t start_ns;
	char request_id[17];
	char peer_ip[48];   /* the TCP peer */
	char client_ip[48]; /* the client: the peer, or what a trusted proxy forwarded (proxy.h) */
	bool write_counted; /* this write was taken from the write rate buckets (router.c) */
	struct fk_arena arena;
	int file_fd; /* a static file to send (closed by MHD), or -1 */
	uint64_t file_size;
	/* The handler's reply and error, kept here so that a deferred reply outlives the call. */
	struct fk_resp resp;
	struct fk_err err;
	int rc;
	/* Deferred replies (defer.c), under srv->defer_mu: the handler deferred; the work is done
	 * (rc set); the connection is suspended waiting for it. */
	bool deferred, defer_done, suspended;
};

static inline struct fk_exchange *fk_exchange_of(struct fk_req *req)
{
	return (struct fk_exchange *)req;
}

/* Content-Security-Policy of the replies that are data (the API): nothing may load from them,
 * nothing may frame them. The web app's pages get FK_CSP_APP (static.c). */
#define FK_CSP_NONE                                                                                \
	"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
/* Scripts only from the server itself; styles may be inline (the UI libraries set them). */
#define FK_CSP_APP                                                                                 \
	"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "                \
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "                  \
	"media-src 'self' blob:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "    \
	"form-action 'self'; frame-ancestors 'none'"

/* Permissions-Policy of every reply: the camera for the page itself (a registrar scans tubes
 * and codes with it), no location, no microphone. */
#define FK_PERMISSIONS "camera=(self), geolocation=(), microphone=()"

size_t fk_route_max_body(const struct fk_server *srv, const struct fk_croute *cr);
/* The JSON body check of a route with a body schema, as every request to it runs it: len
 * bytes (none: "body_required") parsed into *out (a new reference, or NULL), then checked
 * against r->body. 0 or FK_EINVAL naming the field; *out is the caller's either way. */
int fk_route_json_body(const struct fk_route *r, const char *data, size_t len, json_t **out,
		       struct fk_err *err);
/* For a request with a body, on its headers alone: the checks they settle (route, session,
 * role, CSRF, write rate), so that a refused request is answered before a byte of its body
 * is read. True when it may go on (what the checks took is given back, but the write rate's
 * token); false with the refusal held for fk_router_reply. */
bool fk_router_admit(struct fk_exchange *x);
/* Runs one request through the checks and its handler; with fk_router_reply, the only place
 * where a request's arena and store connection are set up and released. Returns the
 * handler's result, FK_DEFERRED when the reply will come later (see fk_req_defer). */
int fk_router_run(struct fk_exchange *x);
/* The response to queue for a request that has run (and whose deferred work is done). */
struct MHD_Response *fk_router_reply(struct fk_exchange *x, unsigned *status);

/* Deferred replies (defer.c). After a handler deferred: suspends the connection and returns
 * true, or returns false when the work is already done (reply now). */
bool fk_defer_suspend(struct fk_exchange *x);
/* True once a deferred request's work is done and its connection resumed. */
bool fk_defer_ready(struct fk_exchange *x);
/* Waits until no deferred request is left waiting for its work (at shutdown: MHD must not
 * stop with connections suspended, nor be resumed after it stopped). */
void fk_defer_drain(struct fk_server *srv);

/* Streaming replies (stream.c). The registry lives from fk_server_start to fk_server_stop:
 * fk_streams_stop ends every stream (readers see the end, sleepers are resumed) and stops the
 * ticker; fk_streams_free, after the daemon stopped, frees it. */
struct fk_streams;
struct fk_streams *fk_streams_new(void);
void fk_streams_stop(struct fk_streams *ss);
void fk_streams_free(struct fk_streams *ss);
/* The MHD response of a stream (NULL, with the stream freed, if MHD cannot make one). */
struct MHD_Response *fk_stream_response(struct fk_stream *s);
/* Frees a stream whose reply will not be sent (runs ops->free). NULL is a no-op. */
void fk_stream_cancel(struct fk_stream *s);

/* "zh" or "en" from an Accept-Language value (NULL -> "zh"). */
const char *fk_http_lang(const char *accept_language);

#endif
