/* http: what a module sees of HTTP. A module exports a table of routes (method, path pattern,
 * handler, roles allowed, body schema); the router checks session, role, CSRF, body size and
 * JSON shape once, before any handler runs (the first four on the headers, before a byte of a
 * body is read), then calls the handler with a request whose arena, store connection and
 * principal are set up and torn down in exactly one place (router.c).
 *
 * A handler parses, calls module functions and renders; it returns 0 with resp filled, or a
 * negative FK_E* code with err filled, which the router turns into
 *   {"error":{"code","message","message_zh","message_en","field","line"}} and a status. */
#ifndef FK_HTTP_H
#define FK_HTTP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "store/db.h"
#include "users/principal.h"

struct fk_app;
struct fk_job; /* platform/jobs.h */

#define FK_MAX_PARAMS	    4
#define FK_MAX_RESP_HEADERS 8

struct fk_req {
	struct fk_arena *arena;
	struct fk_app *app;
	struct fk_db *db; /* a store connection held for this request */
	const char *method;
	const char *path;  /* without the query string */
	const char *route; /* the matched pattern, e.g. "/api/v1/areas/{id}" */
	const char *request_id;
	const char *client_ip;
	const char *lang;     /* "zh" or "en", from Accept-Language (default "zh") */
	json_t *body;	      /* checked JSON object when the route has a body schema */
	const char *raw_body; /* the body bytes for FK_RF_RAW_BODY routes (NUL-terminated) */
	size_t raw_len;
	struct fk_principal *who; /* NULL only on public routes */
	int nparams;
	const char *param_names[FK_MAX_PARAMS];
	const char *param_values[FK_MAX_PARAMS];
	void *conn; /* the MHD connection, for headers and query */

	/* client_ip is the peer's address, or the client a trusted proxy names (http/proxy.h);
	 * scheme is "https" (the server's TLS, or a trusted proxy says so) or "http". */
	const char *scheme;
};

struct fk_resp {
	int status;	  /* 200 unless set */
	json_t *json;	  /* reply body (a new reference, released by the router) */
	const char *body; /* or raw bytes (arena or static) with content_type */
	size_t body_len;
	const char *content_type;
	int nheaders;
	const char *header_names[FK_MAX_RESP_HEADERS];
	const char *header_values[FK_MAX_RESP_HEADERS];
	struct fk_stream *stream; /* or a streaming body: see fk_resp_stream */
};

typedef int (*fk_handler)(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

enum fk_route_flags {
	FK_RF_RAW_BODY = 1 << 0,   /* keep the body as bytes (CSV upload), no JSON check */
	FK_RF_NO_CSRF = 1 << 1,	   /* writes that need no CSRF token (login) */
	FK_RF_NO_DB = 1 << 2,	   /* the handler needs no store connection */
	FK_RF_PAST_LIMIT = 1 << 3, /* served past --max-conns too (the liveness probe) */
};

struct fk_route {
	const char *method; /* "GET", "POST", "PATCH", "PUT", "DELETE" */
	const char *path;   /* "/api/v1/areas/{id}": {name} matches one segment */
	fk_handler fn;
	unsigned roles;		     /* FK_R(...) mask; 0 = public, no session needed */
	unsigned flags;		     /* enum fk_route_flags */
	const struct fk_field *body; /* JSON body schema; NULL = no JSON body expected */
	size_t max_body;	     /* 0 = 1 MiB */
	const char *summary;	     /* one line, for docs and `fangkong routes` */
};
#define FK_ROUTES_END                                                                              \
	{                                                                                          \
		.method = NULL                                                                     \
	}

/* A module's descriptor (struct fk_module) and the server-wide state (struct fk_app) are in
 * platform/module.h. */
struct fk_module;

/* One scheduled job's counters in this process. The scheduler is the only writer. */
struct fk_job_stats {
	const char *name;
	_Atomic uint64_t runs, failures, overruns;
	_Atomic int64_t last_duration_ms;
	_Atomic int64_t
	    last_check_ms; /* when (by fk_now_ms) this server last looked if it was due */
};

/* Request accessors. Strings live as long as the request. */
const char *fk_req_param(struct fk_req *req, const char *name); /* path parameter */
const char *fk_req_query(struct fk_req *req, const char *name); /* query string, decoded */
const char *fk_req_header(struct fk_req *req, const char *name);
const char *fk_req_cookie(struct fk_req *req, const char *name);
/* Path parameter as a 64-bit id; FK_ENOTFOUND "not_found" if it is not one. */
int fk_req_param_id(struct fk_req *req, const char *name, int64_t *out, struct fk_err *err);
/* Query integer within [min,max], def when absent; FK_EINVAL naming the parameter if bad. */
int fk_req_query_int(struct fk_req *req, const char *name, int64_t def, int64_t min, int64_t max,
		     int64_t *out, struct fk_err *err);

/* Response helpers. fk_resp_json steals the reference. */
void fk_resp_json(struct fk_resp *resp, int status, json_t *json);
void fk_resp_header(struct fk_resp *resp, const char *name, const char *value);
/* Replies as the router replies to a failure rc filled in err (its status, {"error":{…}}),
 * with body's members beside "error" (the bad rows of an import, each with its line and
 * field). body (an object) is stolen. For a handler that returns 0 after it. */
void fk_resp_error_with(struct fk_req *req, struct fk_resp *resp, int rc, const struct fk_err *err,
			json_t *body);

/* Streaming replies (Server-Sent Events). A handler calls fk_resp_stream, sets status,
 * content_type and headers as usual, and returns 0; json and body are then ignored. The body
 * comes from ops->read, called on a server thread whenever the connection can take more; when
 * read has nothing to send, the connection sleeps, holding no thread, until fk_stream_wake,
 * its next tick, or the server stopping (then the body ends: read is not called again). An
 * error return from the handler cancels the stream (ops->free runs at once). */
struct fk_stream;
struct fk_stream_ops {
	/* Copies up to max bytes into buf; returns how many (> 0), 0 when there is nothing to send
	 * now, or < 0 to end the body. Must not block. */
	long (*read)(void *cls, char *buf, size_t max);
	/* Runs once when the stream is over (body ended, client gone, server stopping, or the
	 * reply was never sent). From then on the handle is dead: the module must stop calling
	 * fk_stream_wake before free returns (a lock held around both settles the race). */
	void (*free)(void *cls);
	unsigned tick_ms; /* read is also called at least this often (heartbeats); 0 = never */
};
/* Makes resp a stream over cls (the module's state, handed to read and free); returns the
 * handle to wake it, valid until ops->free runs. */
struct fk_stream *fk_resp_stream(struct fk_req *req, struct fk_resp *resp,
				 const struct fk_stream_ops *ops, void *cls);
/* Has read called again soon (new data to send). Thread-safe, never blocks for long; may be
 * called before the reply is sent and while read runs (read then runs once more). */
void fk_stream_wake(struct fk_stream *s);

/* Deferred replies. A handler whose work another thread does (the group commit of the
 * testing module) calls fk_req_defer(req) before it hands the work over with resp and err,
 * then returns FK_DEFERRED at once: the server thread goes on with other connections while
 * this one waits, holding no thread and no store connection (fk_req_defer gives req->db back
 * and sets it NULL). The other thread fills resp (or err) and calls fk_req_done(req, rc)
 * exactly once, rc as a handler's return (0 or an FK_E* code); the reply then goes out from
 * the connection's own thread. req and what its arena holds stay valid until fk_req_done;
 * after it, the other thread must not touch them, nor the handler after handing over. */
#define FK_DEFERRED 1
void fk_req_defer(struct fk_req *req);
void fk_req_done(struct fk_req *req, int rc);

/* The HTTP status for an FK_E* code, from the table in base/err.c (400, 401, 403, 404, 405,
 * 409, 413, 422, 429; 500 for the rest and for codes not in it). */
int fk_http_status(int code);

#endif
