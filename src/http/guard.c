/* guard: request-head deadlines, the reaper that enforces them, and the count of open
 * connections (see guard.h). Connections waiting for a head sit in one of two lists, each in
 * deadline order because each adds one fixed time to "now": new ones (head_timeout) and
 * kept-alive ones after a reply (idle_timeout). The reaper looks at the heads of the lists only. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include "base/clock.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "http/guard.h"

enum { LIST_NONE = -1, LIST_NEW = 0, LIST_KEPT = 1, NLISTS = 2 };
#define REAPER_TICK_MS 250

struct guard_conn {
	struct guard_conn *prev, *next;
	int list; /* LIST_*, under the guard's mutex */
	int64_t deadline_ms;
	MHD_socket fd;
	bool past_limit; /* opened when max_conns were open already */
};

struct guard_list {
	struct guard_conn *head, *tail;
};

struct fk_guard {
	pthread_mutex_t mu; /* the lists, the conns' list fields, stop */
	pthread_cond_t wake;
	pthread_t reaper;
	bool stop;
	struct guard_list lists[NLISTS];
	int64_t timeout_ms[NLISTS];
	unsigned max_conns;
	atomic_uint open;
	_Atomic uint64_t reaped;
};

/* Timeouts are real time (base/clock.h): the test clock, which moves the domain's days and
 * deadlines, never shuts a connection. */
static int64_t guard_now_ms(void)
{
	return (int64_t)(fk_mono_ns() / 1000000u);
}

static void list_unlink(struct fk_guard *g, struct guard_conn *gc)
{
	struct guard_list *l;

	if (gc->list == LIST_NONE)
		return;
	l = &g->lists[gc->list];
	if (gc->prev)
		gc->prev->next = gc->next;
	else
		l->head = gc->next;
	if (gc->next)
		gc->next->prev = gc->prev;
	else
		l->tail = gc->prev;
	gc->prev = gc->next = NULL;
	gc->list = LIST_NONE;
}

static void list_append(struct fk_guard *g, struct guard_conn *gc, int which)
{
	struct guard_list *l = &g->lists[which];

	list_unlink(g, gc);
	gc->deadline_ms = guard_now_ms() + g->timeout_ms[which];
	gc->list = which;
	gc->prev = l->tail;
	gc->next = NULL;
	if (l->tail)
		l->tail->next = gc;
	else
		l->head = gc;
	l->tail = gc;
}

/* Shutting the socket (not closing it: the descriptor stays libmicrohttpd's) makes its next
 * read see the end, and it closes the connection itself. Under the mutex, so the connection
 * cannot be closed (and its descriptor reused) meanwhile: its close notice waits for it. */
static void reap_expired(struct fk_guard *g, int64_t now)
{
	for (int i = 0; i < NLISTS; i++) {
		struct guard_conn *gc;
		while ((gc = g->lists[i].head) && gc->deadline_ms <= now) {
			list_unlink(g, gc);
			shutdown(gc->fd, SHUT_RDWR);
			atomic_fetch_add(&g->reaped, 1);
			fk_debug("http reaped fd=%d: no request head before the deadline",
				 (int)gc->fd);
		}
	}
}

static void wait_tick(struct fk_guard *g)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += REAPER_TICK_MS * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&g->wake, &g->mu, &ts);
}

static void *reaper_main(void *arg)
{
	struct fk_guard *g = arg;

	pthread_mutex_lock(&g->mu);
	while (!g->stop) {
		reap_expired(g, guard_now_ms());
		wait_tick(g);
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

struct fk_guard *fk_guard_new(const struct fk_guard_opts *o)
{
	struct fk_guard *g = fk_xcalloc(1, sizeof(*g));
	pthread_condattr_t ca;

	g->timeout_ms[LIST_NEW] = (int64_t)o->head_timeout_s * 1000;
	g->timeout_ms[LIST_KEPT] = (int64_t)o->idle_timeout_s * 1000;
	g->max_conns = o->max_conns;
	pthread_mutex_init(&g->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&g->reaper, NULL, reaper_main, g) != 0)
		FK_BUG("cannot start the connection reaper");
	return g;
}

void fk_guard_free(struct fk_guard *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->mu);
	g->stop = true;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->reaper, NULL);
	pthread_cond_destroy(&g->wake);
	pthread_mutex_destroy(&g->mu);
	free(g);
}

static void conn_started(struct fk_guard *g, struct MHD_Connection *c, void **socket_context)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct guard_conn *gc = fk_xcalloc(1, sizeof(*gc));

	gc->list = LIST_NONE;
	gc->fd = ci ? ci->connect_fd : MHD_INVALID_SOCKET;
	*socket_context = gc;
	gc->past_limit = atomic_fetch_add(&g->open, 1) >= g->max_conns;
	if (gc->fd == MHD_INVALID_SOCKET)
		return; /* not reapable; libmicrohttpd's idle timeout still holds */
	pthread_mutex_lock(&g->mu);
	list_append(g, gc, LIST_NEW);
	pthread_mutex_unlock(&g->mu);
}

static void conn_closed(struct fk_guard *g, void **socket_context)
{
	struct guard_conn *gc = *socket_context;

	if (!gc)
		return;
	pthread_mutex_lock(&g->mu);
	list_unlink(g, gc);
	pthread_mutex_unlock(&g->mu);
	free(gc);
	*socket_context = NULL;
	atomic_fetch_sub(&g->open, 1);
}

void fk_guard_on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			    enum MHD_ConnectionNotificationCode code)
{
	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		conn_started(cls, c, socket_context);
	else if (code == MHD_CONNECTION_NOTIFY_CLOSED)
		conn_closed(cls, socket_context);
}

static struct guard_conn *conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct guard_conn *gc = ci ? ci->socket_context : NULL;

	return gc && gc->fd != MHD_INVALID_SOCKET ? gc : NULL;
}

void fk_guard_head_in(struct fk_guard *g, struct MHD_Connection *c)
{
	struct guard_conn *gc = conn_of(c);

	if (!gc)
		return;
	pthread_mutex_lock(&g->mu);
	list_unlink(g, gc);
	pthread_mutex_unlock(&g->mu);
}

void fk_guard_reply_done(struct fk_guard *g, struct MHD_Connection *c)
{
	struct guard_conn *gc = conn_of(c);

	if (!gc)
		return;
	pthread_mutex_lock(&g->mu);
	list_append(g, gc, LIST_KEPT);
	pthread_mutex_unlock(&g->mu);
}

bool fk_guard_past_limit(const struct fk_guard *g, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	const struct guard_conn *gc = ci ? ci->socket_context : NULL;

	return gc ? gc->past_limit : atomic_load(&g->open) > g->max_conns;
}

unsigned fk_guard_open(const struct fk_guard *g)
{
	return atomic_load(&g->open);
}

uint64_t fk_guard_reaped(const struct fk_guard *g)
{
	return atomic_load(&g->reaped);
}
