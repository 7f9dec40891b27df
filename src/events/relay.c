/* relay: on a PostgreSQL store, the events this server publishes go through the store, so
 * that every server hears them. Publish hands a copy to the queue and returns (it never waits
 * for the store); the relay thread writes what is queued in one short transaction that first
 * moves the one row of event_counter — its row lock makes servers take turns, so ids follow
 * the order of the commits, one apart — inserts the rows of table events and NOTIFYs
 * fk_events. The listener (listen.c) of every server, this one too, then reads them into its
 * ring: a stream delivers only what came back from the store, so ids are the same everywhere.
 * While the store cannot be reached the queue keeps up to EV_QUEUE_MAX events (later ones are
 * dropped, and logged) and the thread retries every EV_RETRY_WRITE_MS. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "base/id.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "events/internal.h"

#define EV_QUEUE_MAX	  20000
#define EV_BATCH_MAX	  500
#define EV_RETRY_WRITE_MS 1000
#define EV_WRITE_TRIES	  3 /* a batch the store refuses this many times is dropped */

struct queued {
	struct queued *next;
	struct ev_event e; /* its strings live after it, in the same allocation */
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool running, stopping;
	struct queued *head, **tail;
	size_t n;
	int64_t dropped;
	char *url;
	pthread_t thread;
} rl = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static struct queued *copy_of(const struct ev_event *e)
{
	size_t nk = strlen(e->kind) + 1, np = strlen(e->area_path) + 1, nd = strlen(e->data) + 1;
	struct queued *q = fk_xmalloc(sizeof(*q) + nk + np + nd);
	char *p = (char *)(q + 1);

	q->next = NULL;
	q->e = *e;
	q->e.kind = memcpy(p, e->kind, nk);
	q->e.area_path = memcpy(p + nk, e->area_path, np);
	q->e.data = memcpy(p + nk + np, e->data, nd);
	return q;
}

/* Caller holds rl.mu. */
static void count_dropped_locked(void)
{
	if (rl.dropped++ % 1000 == 0)
		fk_warn("event=events_dropped total=%lld reason=\"store unreachable, queue full\"",
			(long long)rl.dropped + 1);
}

bool ev_relay_offer(const struct ev_event *e)
{
	pthread_mutex_lock(&rl.mu);
	if (!rl.running) {
		pthread_mutex_unlock(&rl.mu);
		return false;
	}
	if (rl.n >= EV_QUEUE_MAX) {
		count_dropped_locked();
		pthread_mutex_unlock(&rl.mu);
		return true;
	}
	*rl.tail = copy_of(e);
	rl.tail = &(*rl.tail)->next;
	rl.n++;
	pthread_cond_signal(&rl.cv);
	pthread_mutex_unlock(&rl.mu);
	return true;
}

/* ---- writing a batch ---- */

/* Takes n ids; *first gets the first of them. The first event of a store sets its base. */
static int take_ids(struct fk_db *db, size_t n, int64_t *first, struct fk_err *err)
{
	struct fk_q *q;
	int64_t base = fk_id_next();
	int rc =
	    fk_db_query(db, &q,
			"UPDATE event_counter SET base = CASE WHEN base = 0 THEN ? ELSE base END, "
			"last_id = CASE WHEN base = 0 THEN ? ELSE last_id END + ? "
			"WHERE one = 1 RETURNING last_id",
			err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, base);
	fk_q_bind_i64(q, 2, base);
	fk_q_bind_i64(q, 3, (int64_t)n);
	rc = fk_q_step(q, err);
	if (rc > 0)
		*first = fk_q_i64(q, 0) - (int64_t)n + 1;
	fk_q_done(q);
	if (rc == 0)
		rc = fk_err_set(err, FK_EDB, "no_event_counter", NULL, "缺少事件计数行",
				"the event_counter row is missing");
	return rc < 0 ? rc : 0;
}

static int insert_batch(struct fk_db *db, struct queued *b, size_t n, struct fk_err *err)
{
	int64_t id = 0;
	int rc = take_ids(db, n, &id, err);

	for (struct queued *q = b; rc == 0 && n--; q = q->next)
		rc = fk_db_write(db, err,
				 "INSERT INTO events (id, kind, area_path, wide, body, at) "
				 "VALUES (?, ?, ?, ?, ?, ?)",
				 "ittiti", id++, q->e.kind, q->e.area_path, (int64_t)q->e.wide,
				 q->e.data, q->e.at);
	if (rc == 0)
		rc = fk_db_exec(db, "NOTIFY fk_events", err);
	return rc;
}

/* Writes the first n queued events; on a failure the connection is closed (the next try
 * opens another). *reached: whether the store answered (a write it refused is not retried
 * for ever: see relay_main). */
static int write_batch(struct fk_db **db, struct queued *b, size_t n, bool *reached)
{
	struct fk_err err = {0};
	int rc = *db ? 0 : fk_db_open(rl.url, db, &err);

	*reached = rc == 0;
	if (rc == 0)
		rc = fk_db_begin(*db, true, &err);
	if (rc == 0)
		rc = insert_batch(*db, b, n, &err);
	if (rc == 0)
		rc = fk_db_commit(*db, &err);
	if (rc < 0) {
		fk_warn("event=events_relay_failed count=%zu error=\"%s\"", n, err.en);
		fk_db_close(*db);
		*db = NULL;
	}
	return rc;
}

/* Caller holds rl.mu: frees the first n queued events. */
static void pop_locked(size_t n)
{
	while (n-- && rl.head) {
		struct queued *q = rl.head;
		rl.head = q->next;
		rl.n--;
		free(q);
	}
	if (!rl.head)
		rl.tail = &rl.head;
}

static void wait_retry_locked(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += EV_RETRY_WRITE_MS / 1000;
	pthread_cond_timedwait(&rl.cv, &rl.mu, &ts);
}

/* The queue is only popped here (publish appends at its tail), so the first n entries stay
 * put while the lock is let go. */
static void *relay_main(void *arg)
{
	struct fk_db *db = NULL;
	int refused = 0; /* tries of the batch at the head the store answered and refused */

	(void)arg;
	pthread_mutex_lock(&rl.mu);
	for (;;) {
		struct queued *b;
		size_t n;
		bool reached;
		int rc;
		while (!rl.head && !rl.stopping)
			pthread_cond_wait(&rl.cv, &rl.mu);
		if (!rl.head)
			break;
		b = rl.head;
		n = rl.n < EV_BATCH_MAX ? rl.n : EV_BATCH_MAX;
		pthread_mutex_unlock(&rl.mu);
		rc = write_batch(&db, b, n, &reached);
		refused = rc < 0 && reached ? refused + 1 : 0;
		pthread_mutex_lock(&rl.mu);
		if (rc < 0 && rl.stopping)
			fk_warn("event=events_dropped count=%zu reason=\"stopping\"", rl.n);
		else if (refused >= EV_WRITE_TRIES)
			fk_warn("event=events_dropped count=%zu reason=\"refused\"", n);
		if (rc == 0 || rl.stopping || refused >= EV_WRITE_TRIES) {
			pop_locked(rc == 0 || !rl.stopping ? n : rl.n);
			refused = 0;
		} else {
			wait_retry_locked();
		}
	}
	pthread_mutex_unlock(&rl.mu);
	fk_db_close(db);
	return NULL;
}

/* ---- start and stop ---- */

int ev_relay_run(const char *url, struct fk_err *err)
{
	int rc;

	pthread_mutex_lock(&rl.mu);
	rl.url = fk_xstrdup(url);
	rl.tail = &rl.head;
	rl.stopping = false;
	rc = pthread_create(&rl.thread, NULL, relay_main, NULL);
	rl.running = rc == 0;
	pthread_mutex_unlock(&rl.mu);
	if (rc == 0)
		return 0;
	free(rl.url);
	rl.url = NULL;
	return fk_err_set(err, FK_EINTERNAL, "thread", NULL, "无法启动事件转发线程",
			  "cannot start the events relay thread");
}

void ev_relay_halt(void)
{
	pthread_mutex_lock(&rl.mu);
	if (!rl.running) {
		pthread_mutex_unlock(&rl.mu);
		return;
	}
	rl.running = false; /* publish keeps events in this process from now on */
	rl.stopping = true;
	pthread_cond_signal(&rl.cv);
	pthread_mutex_unlock(&rl.mu);
	pthread_join(rl.thread, NULL);
	free(rl.url);
	rl.url = NULL;
}
