/* guard: what keeps a crowd of connections from stopping the server (server.c owns one).
 *
 * libmicrohttpd closes a connection that sends nothing for --timeout seconds, but a client that
 * trickles one header line every few seconds resets that clock forever, and at its connection
 * limit libmicrohttpd stops accepting, so new clients wait in the backlog with no answer. The
 * guard adds, around it:
 *   - a deadline for every request head: --header-timeout seconds from the connection's opening,
 *     --timeout seconds from the reply before on a kept-alive one. A reaper thread shuts the
 *     socket of a connection past it (libmicrohttpd then closes it as it would a hang-up).
 *   - a count of open connections. Past --max-conns the server still accepts, into a reserve
 *     (libmicrohttpd's own limit is max-conns + reserve), and answers each request on a
 *     connection opened past the limit at once with 503 server_busy and a closed connection, except
 * the routes marked FK_RF_PAST_LIMIT (/healthz), which are served. Deadlines are real time (the
 * monotonic clock): the test clock never shuts a connection. The per-address cap is libmicrohttpd's
 * own (MHD_OPTION_PER_IP_CONNECTION_LIMIT). */
#ifndef FK_HTTP_GUARD_H
#define FK_HTTP_GUARD_H
#include <stdbool.h>
#include <stdint.h>
#include <microhttpd.h>

struct fk_guard_opts {
	unsigned max_conns;	 /* served connections; more are answered 503 */
	unsigned head_timeout_s; /* a new connection's request head must be in by then */
	unsigned idle_timeout_s; /* a kept-alive connection's next request head, after a reply */
};

struct fk_guard;
/* Starts the reaper thread. Never NULL (allocation failure aborts). */
struct fk_guard *fk_guard_new(const struct fk_guard_opts *o);
/* Stops the reaper and frees the guard; call after the daemon stopped (no connection is left to
 * notify it). NULL is a no-op. */
void fk_guard_free(struct fk_guard *g);

/* MHD_OPTION_NOTIFY_CONNECTION's callback, cls = the guard: starts watching a new connection,
 * forgets a closed one. */
void fk_guard_on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			    enum MHD_ConnectionNotificationCode code);
/* A request head is in: the connection is no longer reaped until its reply is done. */
void fk_guard_head_in(struct fk_guard *g, struct MHD_Connection *c);
/* The reply is done and the connection kept alive: its next head has idle_timeout_s. */
void fk_guard_reply_done(struct fk_guard *g, struct MHD_Connection *c);
/* True when c was opened while max_conns connections were open already: its requests are
 * answered 503 (those opened within the limit are served whatever came after them). */
bool fk_guard_past_limit(const struct fk_guard *g, struct MHD_Connection *c);
/* Connections open now, and those shut by the reaper since the start (for /metrics). */
unsigned fk_guard_open(const struct fk_guard *g);
uint64_t fk_guard_reaped(const struct fk_guard *g);

#endif
