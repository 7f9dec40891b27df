/* listen: on a PostgreSQL store, what every server hears. At start the ring is filled with the
 * newest FK_EVENTS_RING stored events; then a listener thread, on a connection of its own,
 * LISTENs on fk_events and after each notification (and each EV_LISTEN_POLL_MS, should one be
 * lost) reads the events after the newest it has, in id order, into the ring. When its
 * connection breaks it opens another (waiting longer each time, up to EV_RECONNECT_MAX_MS)
 * and first reads what it missed. Also the events module's start and stop, and the job that
 * prunes table events. */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include "base/clock.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "events/internal.h"

#define EV_READ_PAGE	    500
#define EV_LISTEN_POLL_MS   1000
#define EV_RECONNECT_MAX_MS 5000

static struct {
	pthread_t thread;
	int wake[2]; /* a byte written to wake[1] stops the thread */
	atomic_bool stopping;
	bool running;
	char *url;
} ls = {.wake = {-1, -1}};

/* ---- reading stored events ---- */

struct rows {
	struct ev_event *e;
	size_t n;
};

static void rows_free(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free((char *)r->e[i].kind);
		free((char *)r->e[i].area_path);
		free((char *)r->e[i].data);
	}
	free(r->e);
	r->e = NULL;
	r->n = 0;
}

/* Runs q (SELECT id, kind, area_path, wide, body, at) to its end into r (at most max rows). */
static int rows_read(struct fk_q *q, size_t max, struct rows *r, struct fk_err *err)
{
	int rc = 0;

	r->e = fk_xcalloc(max, sizeof(*r->e));
	r->n = 0;
	while (r->n < max && (rc = fk_q_step(q, err)) > 0) {
		struct ev_event *e = &r->e[r->n++];
		e->id = fk_q_i64(q, 0);
		e->kind = fk_xstrdup(fk_q_text(q, 1));
		e->area_path = fk_xstrdup(fk_q_text(q, 2));
		e->wide = fk_q_i64(q, 3) != 0;
		e->data = fk_xstrdup(fk_q_text(q, 4));
		e->at = fk_q_i64(q, 5);
	}
	fk_q_done(q);
	if (rc < 0)
		rows_free(r);
	return rc < 0 ? rc : 0;
}

/* Reads the events after the ring's newest into it, page by page. */
static int catch_up(struct fk_db *db, struct fk_err *err)
{
	struct rows r = {0};
	struct fk_q *q;
	int rc;

	do {
		rc = fk_db_query(db, &q,
				 "SELECT id, kind, area_path, wide, body, at FROM events "
				 "WHERE id > ? ORDER BY id LIMIT ?",
				 err);
		if (rc < 0)
			return rc;
		fk_q_bind_i64(q, 1, fk_events_last_id());
		fk_q_bind_i64(q, 2, EV_READ_PAGE);
		rc = rows_read(q, EV_READ_PAGE, &r, err);
		if (rc == 0)
			ev_ring_add(r.e, r.n);
		if (rc == 0 && r.n < EV_READ_PAGE)
			rc = 1;
		rows_free(&r);
	} while (rc == 0 && !atomic_load(&ls.stopping));
	return rc < 0 ? rc : 0;
}

/* The newest FK_EVENTS_RING events and the counter, seen in one snapshot. */
static int ring_load(struct fk_db *db, struct fk_err *err)
{
	struct rows r = {0};
	int64_t last = 0;
	struct fk_q *q;
	int rc = fk_db_begin(db, false, err);

	if (rc == 0)
		rc = fk_db_one_i64(db, err, &last,
				   "SELECT last_id FROM event_counter WHERE one = 1", "");
	if (rc >= 0)
		rc = fk_db_query(db, &q,
				 "SELECT id, kind, area_path, wide, body, at FROM events "
				 "ORDER BY id DESC LIMIT ?",
				 err);
	if (rc >= 0) {
		fk_q_bind_i64(q, 1, FK_EVENTS_RING);
		rc = rows_read(q, FK_EVENTS_RING, &r, err);
	}
	fk_db_rollback(db);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < r.n / 2; i++) { /* oldest first */
		struct ev_event t = r.e[i];
		r.e[i] = r.e[r.n - 1 - i];
		r.e[r.n - 1 - i] = t;
	}
	ev_ring_share(r.n ? r.e[0].id - 1 : last);
	ev_ring_add(r.e, r.n);
	rows_free(&r);
	return 0;
}

/* ---- the listener thread ---- */

static int connect_listener(struct fk_db **db, struct fk_err *err)
{
	int rc = fk_db_open(ls.url, db, err);

	if (rc == 0 && (rc = fk_db_listen(*db, "fk_events", err)) < 0) {
		fk_db_close(*db);
		*db = NULL;
	}
	return rc;
}

static void pause_ms(int ms)
{
	struct pollfd p = {.fd = ls.wake[0], .events = POLLIN};

	poll(&p, 1, ms);
}

static void *listen_main(void *arg)
{
	struct fk_db *db = NULL;
	int backoff = 100;

	(void)arg;
	while (!atomic_load(&ls.stopping)) {
		struct fk_err err = {0};
		int rc = db ? 0 : connect_listener(&db, &err);
		if (rc == 0)
			rc = catch_up(db, &err);
		if (rc == 0)
			rc = fk_db_wait(db, ls.wake[0], EV_LISTEN_POLL_MS, &err);
		if (rc >= 0) {
			backoff = 100;
			continue;
		}
		fk_warn("event=events_listen_failed retry_ms=%d error=\"%s\"", backoff, err.en);
		fk_db_close(db);
		db = NULL;
		pause_ms(backoff);
		backoff = backoff * 2 < EV_RECONNECT_MAX_MS ? backoff * 2 : EV_RECONNECT_MAX_MS;
	}
	fk_db_close(db);
	return NULL;
}

static int listen_run(const char *url, struct fk_err *err)
{
	ls.url = fk_xstrdup(url);
	atomic_store(&ls.stopping, false);
	if (pipe2(ls.wake, O_CLOEXEC) == 0 &&
	    pthread_create(&ls.thread, NULL, listen_main, NULL) == 0) {
		ls.running = true;
		return 0;
	}
	return fk_err_set(err, FK_EINTERNAL, "thread", NULL, "无法启动事件监听线程",
			  "cannot start the events listener thread");
}

static void listen_halt(void)
{
	if (ls.running) {
		atomic_store(&ls.stopping, true);
		if (write(ls.wake[1], "x", 1) < 0)
			fk_warn("event=events_listen_wake_failed");
		pthread_join(ls.thread, NULL);
		ls.running = false;
		ev_ring_unshare();
	}
	for (int i = 0; i < 2; i++) {
		if (ls.wake[i] >= 0)
			close(ls.wake[i]);
		ls.wake[i] = -1;
	}
	free(ls.url);
	ls.url = NULL;
}

/* ---- the module's start and stop ---- */

int ev_relay_start(struct fk_app *app, void **state, struct fk_err *err)
{
	struct fk_db *db = fk_store_acquire(app->store);
	bool pg = fk_db_kind(db) == FK_DB_POSTGRES;
	int rc = pg ? ring_load(db, err) : 0;

	fk_store_release(app->store, db);
	*state = NULL;
	if (!pg || rc < 0)
		return rc;
	rc = listen_run(fk_store_url(app->store), err);
	if (rc == 0)
		rc = ev_relay_run(fk_store_url(app->store), err);
	if (rc < 0)
		listen_halt();
	return rc;
}

void ev_relay_stop(struct fk_app *app, void *state)
{
	(void)app;
	(void)state;
	ev_relay_halt();
	listen_halt();
}

/* ---- the job events.prune ---- */

int ev_prune(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	(void)app;
	if (fk_db_kind(db) != FK_DB_POSTGRES)
		return 0;
	return fk_db_write(db, err,
			   "DELETE FROM events WHERE at < ? OR id <= (SELECT last_id FROM "
			   "event_counter WHERE one = 1) - ?",
			   "ii", fk_now_ms() - EV_KEEP_MS, (int64_t)EV_KEEP_ROWS);
}
