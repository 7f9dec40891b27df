/* server: the libmicrohttpd daemon. A pool of threads, each with its own epoll set, accepts
 * connections (HTTP/1.1 keep-alive); for every request it matches the route on MHD's first
 * call, gathers the body up to the route's cap, then hands the exchange to the router.
 * Shutdown stops accepting, lets requests in progress finish, then closes everything. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sodium.h>
#include "base/clock.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "http/internal.h"

/* A bijection, so distinct counter values give distinct ids that do not look sequential. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void request_id(struct fk_server *srv, char out[17])
{
	uint64_t n = atomic_fetch_add_explicit(&srv->rid_next, 1, memory_order_relaxed);

	snprintf(out, 17, "%016" PRIx64, mix64(srv->rid_base + n));
}

static void peer_ip(struct MHD_Connection *c, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	out[0] = '\0';
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  out, (socklen_t)size);
}

static struct fk_exchange *exchange_new(struct fk_server *srv, struct MHD_Connection *c,
					const char *url, const char *method)
{
	struct fk_exchange *x = fk_xcalloc(1, sizeof(*x));

	x->srv = srv;
	x->conn = c;
	x->file_fd = -1;
	x->start_ns = fk_mono_ns();
	x->req.method = method;
	x->req.path = url;
	request_id(srv, x->request_id);
	peer_ip(c, x->peer_ip, sizeof(x->peer_ip));
	fk_guard_head_in(srv->guard, c);
	x->busy = fk_guard_past_limit(srv->guard, c);
	fk_router_match(&srv->router, method, url, &x->match);
	fk_buf_init(&x->body, fk_route_max_body(srv, x->match.cr));
	fk_metrics_in_flight(srv->metrics, 1);
	return x;
}

static bool expects_body(struct MHD_Connection *c)
{
	const char *cl =
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

	if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		return true;
	return cl && strcmp(cl, "0") != 0;
}

/* A body the server will not keep is still read, up to this much past the cap, so the client
 * (busy sending) gets the answer instead of a reset connection. */
#define LINGER_BYTES (8u << 20)

static uint64_t declared_length(struct MHD_Connection *c)
{
	const char *cl =
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	char *end = NULL;
	unsigned long long n;

	if (!cl)
		return 0;
	errno = 0;
	n = strtoull(cl, &end, 10);
	return errno || *end ? UINT64_MAX : n;
}

static bool keeps_body(const struct fk_exchange *x)
{
	return x->match.code == 0 && !x->too_big;
}

static enum MHD_Result reply(struct fk_exchange *x)
{
	struct MHD_Response *mr;
	unsigned status = 500;
	enum MHD_Result ret;

	mr = fk_router_reply(x, &status);
	if (!mr)
		return MHD_NO;
	ret = MHD_queue_response(x->conn, status, mr);
	MHD_destroy_response(mr);
	return ret;
}

static enum MHD_Result respond(struct fk_exchange *x)
{
	x->responded = true;
	if (fk_router_run(x) == FK_DEFERRED && fk_defer_suspend(x))
		return MHD_YES;
	return reply(x);
}

/* MHD calls this once when the headers are in, once per piece of body, and once at the end.
 * Answering before the end makes MHD close the connection, so that is kept for requests whose
 * headers settle the refusal (no route, no session, a role or CSRF token that may not write:
 * not a byte of the body is read) and for bodies too big to read at all. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *size, void **ctx)
{
	struct fk_exchange *x = *ctx;

	(void)version;
	if (!x) {
		uint64_t len;
		x = exchange_new(cls, c, url, method);
		*ctx = x;
		if (!expects_body(c))
			return MHD_YES;
		if (!fk_router_admit(x)) {
			x->responded = true;
			return reply(x);
		}
		len = declared_length(c);
		x->too_big = len > x->body.max;
		if (!keeps_body(x) && len > x->body.max + LINGER_BYTES)
			return respond(x);
		return MHD_YES;
	}
	if (*size) {
		x->received += *size;
		if (keeps_body(x) && fk_buf_append(&x->body, data, *size) < 0)
			x->too_big = true;
		*size = 0;
		return x->received > x->body.max + LINGER_BYTES ? MHD_NO : MHD_YES;
	}
	if (!x->responded)
		return respond(x);
	/* Called again after a deferred reply resumed the connection. */
	return fk_defer_ready(x) ? reply(x) : MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **ctx,
			 enum MHD_RequestTerminationCode toe)
{
	struct fk_server *srv = cls;
	struct fk_exchange *x = *ctx;

	if (!x)
		return;
	if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
		fk_debug("http rid=%s ended early (%d)", x->request_id, (int)toe);
	fk_guard_reply_done(srv->guard, c);
	if (x->file_fd >= 0)
		close(x->file_fd);
	fk_buf_release(&x->body);
	fk_metrics_in_flight(srv->metrics, -1);
	free(x);
	*ctx = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	fk_warn("http mhd=\"%s\"", line);
}

/* ---- listen address ---- */

static int bad_listen(const char *s, struct fk_err *err)
{
	return fk_err_set(
	    err, FK_EINVAL, "bad_listen", "listen",
	    "监听地址“%s”无效，应为 地址:端口，如 127.0.0.1:8080 或 [::1]:8080",
	    "bad listen address \"%s\": use ADDR:PORT, e.g. 127.0.0.1:8080 or [::1]:8080",
	    s ? s : "");
}

static bool parse_port(const char *s, uint16_t *port)
{
	char *end = NULL;
	long v;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

static bool split_listen(const char *s, char *host, size_t hsize, const char **port)
{
	const char *colon;
	size_t n;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= hsize)
			return false;
		snprintf(host, hsize, "%.*s", (int)(close - s - 1), s + 1);
		*port = close + 2;
		return true;
	}
	colon = strrchr(s, ':');
	if (!colon) {
		snprintf(host, hsize, "127.0.0.1");
		*port = s;
		return true;
	}
	n = (size_t)(colon - s);
	if (n >= hsize || memchr(s, ':', n))
		return false;
	snprintf(host, hsize, "%.*s", (int)n, s);
	if (n == 0 || strcmp(host, "*") == 0)
		snprintf(host, hsize, "0.0.0.0");
	else if (strcmp(host, "localhost") == 0)
		snprintf(host, hsize, "127.0.0.1");
	*port = colon + 1;
	return true;
}

int fk_server_parse_listen(const char *s, struct sockaddr_storage *out, struct fk_err *err)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)out;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)out;
	char host[64];
	const char *port_s = NULL;
	uint16_t port;

	memset(out, 0, sizeof(*out));
	if (!s || !split_listen(s, host, sizeof(host), &port_s) || !parse_port(port_s, &port))
		return bad_listen(s, err);
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(port);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(port);
		return 0;
	}
	return bad_listen(s, err);
}

/* ---- start and stop ---- */

static int compile_routes(struct fk_server *srv, struct fk_err *err)
{
	const struct fk_module *const *mods = srv->app->modules;
	const struct fk_module **all;
	size_t n = 0;
	int rc;

	while (mods && mods[n])
		n++;
	all = fk_xcalloc(n + 2, sizeof(*all));
	all[0] = &fk_http_builtin;
	for (size_t i = 0; i < n; i++)
		all[i + 1] = mods[i];
	rc = fk_router_init(&srv->router, all, err);
	free(all);
	return rc;
}

static unsigned daemon_flags(const struct fk_server *srv)
{
	/* Suspend/resume: streaming replies sleep without holding a worker thread. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC |
			 MHD_ALLOW_SUSPEND_RESUME;

	if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
		flags |= MHD_USE_EPOLL | MHD_USE_TURBO;
	else if (MHD_is_feature_supported(MHD_FEATURE_POLL) == MHD_YES)
		flags |= MHD_USE_POLL;
	if (srv->addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (srv->tls)
		flags |= MHD_USE_TLS;
	return flags;
}

/* The connections libmicrohttpd takes: those served and, past them, a reserve that is answered
 * 503 at once (guard.h), so that a full server refuses instead of leaving clients unanswered. */
static unsigned conns_reserve(unsigned max_conns)
{
	return max_conns / 16 > 64 ? max_conns / 16 : 64;
}

/* Each connection is a descriptor: raise the soft limit as far as needed (and allowed), and
 * serve fewer connections, saying so, when the hard limit is lower. */
#define FDS_OTHER 256 /* store connections, files sent, the log, the listen socket */
static unsigned fit_open_files(unsigned want)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)want + conns_reserve(want) + FDS_OTHER;
	unsigned fit;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return want;
	if (rl.rlim_cur < need) {
		rl.rlim_cur = rl.rlim_max < need ? rl.rlim_max : need;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur >= need)
		return want;
	fit = rl.rlim_cur > FDS_OTHER + 16 ? (unsigned)((rl.rlim_cur - FDS_OTHER) * 16 / 17) : 16;
	fk_warn("http max_conns=%u lowered to %u: the open-file limit is %llu (raise ulimit -n)",
		want, fit, (unsigned long long)rl.rlim_cur);
	return fit;
}

/* A connection's memory (libmicrohttpd's default, stated): about what an idle one costs, as
 * the request head is read into half of it and may grow into most of the rest. The server's
 * own caps on a head (router.c FK_URI_MAX, FK_HEAD_MAX) fit well inside, so that they answer
 * in JSON; only a larger head meets libmicrohttpd's own refusal. */
#define CONN_MEMORY (32u << 10)

static const char *not_started(const struct fk_server *srv)
{
	return srv->tls ? "the HTTPS daemon did not start (is --tls-key the key of --tls-cert, "
			  "both PEM?)"
			: "the HTTP daemon did not start";
}

static int start_daemon(struct fk_server *srv, const struct fk_server_opts *o,
			const struct sockaddr_storage *sa, struct fk_err *err)
{
	const union MHD_DaemonInfo *info;
	unsigned served = fit_open_files(o->max_conns ? o->max_conns : 1024u);
	/* MHD warns about a pool of one thread, so a single thread gets no pool option; the
	 * certificate and key (PEM) when the server speaks TLS. */
	struct MHD_OptionItem pool[4] = {{MHD_OPTION_END, 0, NULL}};
	int k = 0;

	if (o->threads > 1)
		pool[k++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, o->threads, NULL};
	if (srv->tls) {
		pool[k++] =
		    (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)o->tls_cert};
		pool[k++] =
		    (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)o->tls_key};
	}
	pool[k] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};

	srv->guard = fk_guard_new(&(struct fk_guard_opts){
	    .max_conns = served,
	    .head_timeout_s = o->head_timeout_s ? o->head_timeout_s : 10u,
	    .idle_timeout_s = o->timeout_s ? o->timeout_s : 60u,
	});
	errno = 0;
	srv->mhd = MHD_start_daemon(
	    daemon_flags(srv), 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER,
	    on_mhd_log, NULL, MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)sa, MHD_OPTION_ARRAY,
	    pool, MHD_OPTION_CONNECTION_LIMIT, served + conns_reserve(served),
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->max_per_ip, MHD_OPTION_NOTIFY_CONNECTION,
	    fk_guard_on_connection, srv->guard, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)CONN_MEMORY, MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s ? o->timeout_s : 60u,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
	    MHD_OPTION_END);
	if (!srv->mhd)
		return fk_err_set(err, FK_EINTERNAL, "listen_failed", "listen",
				  "无法在 %s 上监听：%s", "cannot listen on %s: %s", o->listen,
				  errno ? strerror(errno) : not_started(srv));
	info = MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : 0;
	return 0;
}

/* TLS needs both PEM texts and a libmicrohttpd built with GnuTLS (Debian's is). */
static int setup_tls(struct fk_server *srv, const struct fk_server_opts *o, struct fk_err *err)
{
	bool cert = o->tls_cert && *o->tls_cert, key = o->tls_key && *o->tls_key;

	if (!cert && !key)
		return 0;
	if (cert != key)
		return fk_err_set(err, FK_EINVAL, "bad_setting", cert ? "tls-key" : "tls-cert",
				  "--tls-cert 与 --tls-key 须同时给出",
				  "--tls-cert and --tls-key go together: give both or neither");
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
		return fk_err_set(err, FK_EINVAL, "bad_setting", "tls-cert",
				  "此 libmicrohttpd 不支持 TLS",
				  "this libmicrohttpd was built without TLS");
	srv->tls = true;
	return 0;
}

/* The write rate buckets (router.c check_rate); a rate of 0 makes none. */
static void setup_rates(struct fk_server *srv, const struct fk_server_opts *o)
{
	if (o->write_rate > 0) {
		srv->write_user = fk_xmalloc(sizeof(*srv->write_user));
		fk_throttle_init(srv->write_user, (int)o->write_rate);
	}
	if (o->write_rate_ip > 0) {
		srv->write_ip = fk_xmalloc(sizeof(*srv->write_ip));
		fk_throttle_init(srv->write_ip, (int)o->write_rate_ip);
	}
}

static void free_throttle(struct fk_throttle *t)
{
	if (!t)
		return;
	fk_throttle_destroy(t);
	free(t);
}

int fk_server_start(struct fk_app *app, const struct fk_server_opts *opts, struct fk_server **out,
		    struct fk_err *err)
{
	struct fk_server *srv = fk_xcalloc(1, sizeof(*srv));
	json_malloc_t jmalloc;
	int rc;

	*out = NULL;
	srv->app = app;
	srv->streams = fk_streams_new();
	pthread_mutex_init(&srv->defer_mu, NULL);
	srv->max_body = opts->max_body;
	srv->version = opts->version;
	srv->proxies = opts->proxies;
	srv->metrics_token =
	    opts->metrics_token && *opts->metrics_token ? opts->metrics_token : NULL;
	setup_rates(srv, opts);
	if (sodium_init() < 0)
		FK_BUG("libsodium failed to initialise");
	randombytes_buf(&srv->rid_base, sizeof(srv->rid_base));
	json_get_alloc_funcs(&jmalloc, &srv->json_free);
	rc = fk_server_parse_listen(opts->listen, &srv->addr, err);
	if (rc == 0)
		rc = setup_tls(srv, opts, err);
	if (rc == 0)
		rc = compile_routes(srv, err);
	if (rc == 0 && app->web_dir)
		rc = fk_static_open(app->web_dir, &srv->web, err);
	if (rc == 0) {
		srv->metrics = fk_metrics_new(fk_router_slots(&srv->router));
		rc = start_daemon(srv, opts, &srv->addr, err);
	}
	if (rc < 0) {
		fk_server_stop(srv, 0);
		return rc;
	}
	*out = srv;
	return 0;
}

uint16_t fk_server_port(const struct fk_server *srv)
{
	return srv->port;
}

char *fk_server_url(const struct fk_server *srv, char *out, size_t size)
{
	const struct sockaddr_in *v4 = (const struct sockaddr_in *)(const void *)&srv->addr;
	const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)(const void *)&srv->addr;
	const char *scheme = srv->tls ? "https" : "http";
	char host[INET6_ADDRSTRLEN] = "";

	if (srv->addr.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof(host));
		snprintf(out, size, "%s://[%s]:%u", scheme, host, (unsigned)srv->port);
	} else {
		inet_ntop(AF_INET, &v4->sin_addr, host, sizeof(host));
		snprintf(out, size, "%s://%s:%u", scheme, host, (unsigned)srv->port);
	}
	return out;
}

static void wait_in_flight(struct fk_server *srv, unsigned grace_ms)
{
	uint64_t until = fk_mono_ns() + (uint64_t)grace_ms * 1000000u;
	struct timespec pause = {0, 5 * 1000000L};

	while (fk_metrics_in_flight(srv->metrics, 0) > 0 && fk_mono_ns() < until)
		nanosleep(&pause, NULL);
}

void fk_server_stop(struct fk_server *srv, unsigned grace_ms)
{
	if (!srv)
		return;
	if (srv->mhd) {
		MHD_socket ls = MHD_quiesce_daemon(srv->mhd);
		/* Streams never end on their own: end them, the grace period is for requests. */
		fk_streams_stop(srv->streams);
		wait_in_flight(srv, grace_ms);
		/* Deferred work always ends (a store error ends it too): wait for all of it. */
		fk_defer_drain(srv);
		MHD_stop_daemon(srv->mhd);
		if (ls != MHD_INVALID_SOCKET)
			close(ls);
	}
	fk_guard_free(srv->guard);
	fk_streams_free(srv->streams);
	pthread_mutex_destroy(&srv->defer_mu);
	fk_static_close(srv->web);
	fk_metrics_free(srv->metrics);
	fk_router_release(&srv->router);
	free_throttle(srv->write_user);
	free_throttle(srv->write_ip);
	free(srv);
}
