/* stream: streaming replies (Server-Sent Events) without a thread per client. A stream's body
 * comes from its module's read function, called on MHD's worker thread; when read has nothing
 * to send, the connection is suspended (MHD stops polling it) until fk_stream_wake, the
 * stream's tick, or the server stopping resumes it.
 *
 * One mutex per server guards the list of live streams, the stopping flag and each stream's
 * suspended/pending flags, so a wake can never be lost between "read found nothing" and
 * "suspend": the reader re-checks pending under the lock before it suspends. MHD forbids
 * resuming a connection that is not suspended and stopping a daemon that has suspended
 * connections; the suspended flag, only changed under the lock, keeps both promises.
 *
 * Lock order: the module's own lock (held while it calls fk_stream_wake) before this mutex,
 * before MHD's internal ones. The module's read is never called with this mutex held.
 *
 * One ticker thread per server (started with the first stream) wakes streams whose tick is
 * due, so a module can send heartbeats and notice a client gone away. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/clock.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "http/internal.h"

#define TICKER_MAX_SLEEP_MS 1000
#define STREAM_BLOCK	    (16u << 10)

struct fk_stream {
	struct fk_streams *owner;
	struct MHD_Connection *conn;
	struct fk_stream_ops ops;
	void *cls;
	struct fk_stream *prev, *next; /* in owner->head once its response exists */
	bool listed;
	bool suspended; /* MHD_suspend_connection was called and not yet undone */
	bool pending;	/* woken while running: read again before suspending */
	uint64_t next_tick_ns;
};

struct fk_streams {
	pthread_mutex_t mu;
	pthread_cond_t tick; /* signalled to stop the ticker */
	struct fk_stream *head;
	bool stopping;
	bool ticker_running;
	pthread_t ticker;
};

struct fk_streams *fk_streams_new(void)
{
	struct fk_streams *ss = fk_xcalloc(1, sizeof(*ss));
	pthread_condattr_t ca;

	pthread_mutex_init(&ss->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ss->tick, &ca);
	pthread_condattr_destroy(&ca);
	return ss;
}

/* Caller holds ss->mu. */
static void wake_locked(struct fk_stream *s)
{
	if (s->suspended) {
		s->suspended = false;
		MHD_resume_connection(s->conn);
	} else {
		s->pending = true;
	}
}

void fk_stream_wake(struct fk_stream *s)
{
	pthread_mutex_lock(&s->owner->mu);
	wake_locked(s);
	pthread_mutex_unlock(&s->owner->mu);
}

static struct timespec deadline_in(unsigned ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

static void *ticker_main(void *arg)
{
	struct fk_streams *ss = arg;

	pthread_mutex_lock(&ss->mu);
	while (!ss->stopping) {
		uint64_t now = fk_mono_ns();
		struct timespec until;

		for (struct fk_stream *s = ss->head; s; s = s->next) {
			if (!s->ops.tick_ms || now < s->next_tick_ns)
				continue;
			s->next_tick_ns = now + (uint64_t)s->ops.tick_ms * 1000000u;
			wake_locked(s);
		}
		until = deadline_in(TICKER_MAX_SLEEP_MS);
		while (!ss->stopping && pthread_cond_timedwait(&ss->tick, &ss->mu, &until) == EINTR)
			;
	}
	pthread_mutex_unlock(&ss->mu);
	return NULL;
}

/* Caller holds ss->mu. A ticker that cannot start leaves ticks undelivered (wakes still
 * work), which is logged rather than failing the request. */
static void ticker_start_locked(struct fk_streams *ss)
{
	int rc;

	if (ss->ticker_running || ss->stopping)
		return;
	rc = pthread_create(&ss->ticker, NULL, ticker_main, ss);
	if (rc != 0) {
		fk_error("http stream ticker did not start: %s", strerror(rc));
		return;
	}
	ss->ticker_running = true;
}

static void list_add(struct fk_streams *ss, struct fk_stream *s)
{
	pthread_mutex_lock(&ss->mu);
	s->next = ss->head;
	if (ss->head)
		ss->head->prev = s;
	ss->head = s;
	s->listed = true;
	if (s->ops.tick_ms) {
		s->next_tick_ns = fk_mono_ns() + (uint64_t)s->ops.tick_ms * 1000000u;
		ticker_start_locked(ss);
	}
	pthread_mutex_unlock(&ss->mu);
}

static void list_remove(struct fk_streams *ss, struct fk_stream *s)
{
	pthread_mutex_lock(&ss->mu);
	if (s->listed) {
		if (s->prev)
			s->prev->next = s->next;
		else
			ss->head = s->next;
		if (s->next)
			s->next->prev = s->prev;
		s->listed = false;
	}
	pthread_mutex_unlock(&ss->mu);
}

/* MHD's content reader. Returning 0 is only allowed together with a suspend (else MHD
 * polls the reader in a busy loop), hence the loop when a wake came in during read. */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct fk_stream *s = cls;
	struct fk_streams *ss = s->owner;

	(void)pos;
	for (;;) {
		bool stop;
		long n;

		pthread_mutex_lock(&ss->mu);
		stop = ss->stopping;
		s->pending = false;
		pthread_mutex_unlock(&ss->mu);
		if (stop)
			return MHD_CONTENT_READER_END_OF_STREAM;
		n = s->ops.read(s->cls, buf, max);
		if (n > 0)
			return (ssize_t)(n > (long)max ? (long)max : n);
		if (n < 0)
			return MHD_CONTENT_READER_END_OF_STREAM;
		pthread_mutex_lock(&ss->mu);
		if (!s->pending && !ss->stopping) {
			MHD_suspend_connection(s->conn);
			s->suspended = true;
			pthread_mutex_unlock(&ss->mu);
			return 0;
		}
		pthread_mutex_unlock(&ss->mu);
	}
}

/* The module's free comes first: once it returns the module wakes the stream no more, and
 * only then may the handle go. */
static void stream_free(void *cls)
{
	struct fk_stream *s = cls;

	s->ops.free(s->cls);
	list_remove(s->owner, s);
	free(s);
}

struct fk_stream *fk_resp_stream(struct fk_req *req, struct fk_resp *resp,
				 const struct fk_stream_ops *ops, void *cls)
{
	struct fk_exchange *x = fk_exchange_of(req);
	struct fk_stream *s = fk_xcalloc(1, sizeof(*s));

	if (!ops || !ops->read || !ops->free)
		FK_BUG("fk_resp_stream needs read and free");
	if (resp->stream)
		fk_stream_cancel(resp->stream);
	s->owner = x->srv->streams;
	s->conn = x->conn;
	s->ops = *ops;
	s->cls = cls;
	resp->stream = s;
	return s;
}

void fk_stream_cancel(struct fk_stream *s)
{
	if (s)
		stream_free(s);
}

struct MHD_Response *fk_stream_response(struct fk_stream *s)
{
	struct MHD_Response *mr;

	mr = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK, stream_read, s,
					       stream_free);
	if (!mr) {
		stream_free(s);
		return NULL;
	}
	list_add(s->owner, s);
	return mr;
}

void fk_streams_stop(struct fk_streams *ss)
{
	bool join;

	if (!ss)
		return;
	pthread_mutex_lock(&ss->mu);
	ss->stopping = true;
	for (struct fk_stream *s = ss->head; s; s = s->next)
		wake_locked(s);
	pthread_cond_broadcast(&ss->tick);
	join = ss->ticker_running;
	ss->ticker_running = false;
	pthread_mutex_unlock(&ss->mu);
	if (join)
		pthread_join(ss->ticker, NULL);
}

void fk_streams_free(struct fk_streams *ss)
{
	if (!ss)
		return;
	fk_streams_stop(ss);
	if (ss->head)
		FK_BUG("streams left after the daemon stopped");
	pthread_cond_destroy(&ss->tick);
	pthread_mutex_destroy(&ss->mu);
	free(ss);
}
