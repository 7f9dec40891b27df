/* server: the HTTP daemon `fangkong serve` runs (libmicrohttpd, a thread pool over epoll).
 * The caller owns the app and its store; the server owns the daemon, the compiled routes, the
 * metrics and the static file root, all freed by fk_server_stop. */
#ifndef FK_HTTP_SERVER_H
#define FK_HTTP_SERVER_H
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include "base/err.h"
#include "http/http.h"

struct fk_proxies;

struct fk_server_opts {
	const char *listen;  /* "ADDR:PORT", "[V6ADDR]:PORT" or "PORT"; port 0 = any free one */
	int threads;	     /* MHD thread pool size, >= 1 */
	size_t max_body;     /* body cap for routes whose max_body is 0 */
	unsigned max_conns;  /* connections served; a reserve past it is answered 503 (guard.h) */
	unsigned max_per_ip; /* connections from one address; 0 = no cap */
	unsigned head_timeout_s;	  /* a new connection's request head must be in by then */
	unsigned timeout_s;		  /* idle keep-alive connections are closed after this */
	const char *version;		  /* shown by /healthz, / and /metrics */
	const struct fk_proxies *proxies; /* trusted proxies (http/proxy.h), kept; NULL: none */
	const char *metrics_token;	  /* kept; NULL or "": /metrics for loopback clients only */
	const char *tls_cert, *tls_key;	  /* PEM text, both or neither: serve HTTPS */
	unsigned write_rate;		  /* writes per user per minute; 0 = no limit */
	unsigned write_rate_ip;		  /* writes per client address per minute; 0 = no limit */
};

/* The routes every server has: GET /healthz and GET /metrics (listed by `fangkong routes`). */
extern const struct fk_module fk_http_builtin;

struct fk_server;
/* Compiles the routes of fk_http_builtin and app->modules (a bad pattern or a duplicate route
 * is an FK_EINVAL naming it), opens app->web_dir and starts listening. */
int fk_server_start(struct fk_app *app, const struct fk_server_opts *opts, struct fk_server **out,
		    struct fk_err *err);
/* The port actually bound (useful with port 0). */
uint16_t fk_server_port(const struct fk_server *srv);
/* "http://127.0.0.1:8080" (https with TLS; the address listened on, the port bound) into out;
 * returns out. */
char *fk_server_url(const struct fk_server *srv, char *out, size_t size);
/* Stops accepting, lets requests in progress finish (up to grace_ms), closes every connection
 * and frees the server. NULL is a no-op. */
void fk_server_stop(struct fk_server *srv, unsigned grace_ms);

/* Parses a listen address into a sockaddr_in or sockaddr_in6; FK_EINVAL naming "listen" when
 * it is not one. */
int fk_server_parse_listen(const char *s, struct sockaddr_storage *out, struct fk_err *err);

#endif
