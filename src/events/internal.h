/* events internals: the ring and its subscribers (events.c), the SSE stream (sse.c), the
 * alerts table (alert.c) and the handlers (api.c) share these. */
#ifndef FK_EVENTS_INTERNAL_H
#define FK_EVENTS_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include "area/area.h"
#include "base/buf.h"
#include "events/events.h"
#include "platform/module.h"
#include "users/principal.h"

#define EV_PING_MS	 15000		  /* heartbeat comment on every stream */
#define EV_STREAM_MAX_MS (10 * 60 * 1000) /* then the stream ends; clients reconnect */
#define EV_RETRY_MS	 3000		  /* the reconnect delay clients are told */
#define EV_PER_USER_MAX	 16		  /* open streams per user */
#define EV_FILL_BYTES	 (64u << 10)	  /* events formatted per read, at most about */

/* ---- the ring and its subscribers (events.c) ---- */

/* Whether kind is 1..FK_EVENT_KIND_MAX bytes of [a-z0-9_.], and path a materialized path
 * ("/1/12/", digits between slashes, shorter than FK_AREA_PATH_MAX). */
bool ev_kind_valid(const char *kind);
bool ev_path_valid(const char *path);

/* One open stream: who it is for (copied at connect, so the request may end), where it is
 * in the ring, and the bytes formatted but not yet sent. Owned by the stream. */
struct ev_sub {
	struct fk_principal who;
	int64_t last_id;   /* the newest event delivered or skipped */
	struct fk_buf out; /* pending bytes: out.data[off..len) */
	size_t off;
	uint64_t next_ping_ns, end_ns;
	struct fk_stream *stream; /* NULL until attached (and in unit tests) */
	struct ev_sub *prev, *next;
};

/* Registers a subscriber for who. resume: deliver the events after last_id still in the
 * ring (with a "resync" event first when some after it were lost: evicted, or raised before
 * this process started); otherwise only events from now on. The stream begins with its
 * retry delay and a ": connected" comment. FK_ELIMIT "too_many_streams" past
 * EV_PER_USER_MAX streams of one user. */
int ev_sub_open(const struct fk_principal *who, bool resume, int64_t last_id, struct ev_sub **out,
		struct fk_err *err);
/* Lets publish wake s's stream from now on. */
void ev_sub_attach(struct ev_sub *s, struct fk_stream *stream);
/* Unregisters s (no wake reaches its stream after this returns) and frees it. */
void ev_sub_close(struct ev_sub *s);
/* Appends to s->out the text of the events after s->last_id that reach s (its scope covers
 * the event's area, or overlaps it for a wide event), until about max bytes; returns how many
 * events were appended. */
int ev_sub_fill(struct ev_sub *s, size_t max);
/* Open streams (all users). */
int ev_sub_count(void);
/* Empties the ring (tests). */
void ev_ring_reset(void);

/* One event as the relay stores it and the listener reads it back (a row of table events).
 * The strings are borrowed. */
struct ev_event {
	int64_t id; /* 0 until the store gives one */
	const char *kind, *area_path;
	const char *data; /* the data line: a compact JSON object */
	bool wide;
	int64_t at; /* epoch ms when published */
};

/* Makes the ring take its ids from the store (a PostgreSQL store: the events come through
 * ev_ring_add, in id order, ids one apart) and empties it; last_id: the newest id of the
 * store already past, so an id up to it is past and a resume from below it is resync. */
void ev_ring_share(int64_t last_id);
/* Back to ids of this process (tests). */
void ev_ring_unshare(void);
/* Adds events heard from the store, ids rising, and wakes the streams they reach. An id at
 * or below the ring's newest is skipped (heard already); one more than one above it means
 * events were lost between (pruned while this server was away): the ring is emptied first,
 * and a resume from before the lost events gets resync. */
void ev_ring_add(const struct ev_event *e, size_t n);

/* ---- the relay to other servers (relay.c) ---- */

/* Takes a copy of e into the relay's queue and returns true when a relay runs (a PostgreSQL
 * store); false otherwise (the caller then keeps the event in this process). */
bool ev_relay_offer(const struct ev_event *e);
/* Starts the relay thread, writing to the store at url (it opens its own connection), and
 * makes ev_relay_offer take events; stops it after writing what is queued (one try). */
int ev_relay_run(const char *url, struct fk_err *err);
void ev_relay_halt(void);
/* At start on a PostgreSQL store: fills the ring from the newest events stored, then starts
 * the relay and the listener threads. Nothing to do on SQLite. */
int ev_relay_start(struct fk_app *app, void **state, struct fk_err *err);
/* Stops both threads, after writing what is queued (one try). */
void ev_relay_stop(struct fk_app *app, void *state);
/* The job events.prune: deletes stored events older than EV_KEEP_MS or past the newest
 * EV_KEEP_ROWS. */
int ev_prune(struct fk_app *app, struct fk_db *db, struct fk_err *err);
#define EV_KEEP_MS   (24 * 3600 * 1000LL)
#define EV_KEEP_ROWS 100000

/* ---- alerts (alert.c) ---- */

struct ev_alert {
	int64_t id;
	char kind[FK_EVENT_KIND_MAX + 1];
	char area_path[FK_AREA_PATH_MAX];
	char *title_zh, *title_en; /* malloc'd */
	char *payload;		   /* compact JSON object text, malloc'd, or NULL */
	int64_t raised_at, acked_at, acked_by;
};
void ev_alert_release(struct ev_alert *a);

struct ev_alert_list {
	struct ev_alert *items;
	size_t n;
};
void ev_alert_list_release(struct ev_alert_list *l);

struct ev_alert_query {
	int acked;	   /* -1 any, 0 not yet acknowledged, 1 acknowledged */
	const char *kind;  /* or NULL */
	const char *under; /* only at or under this area path, or NULL */
	int limit;	   /* 1..200 */
};

/* Checks and fills a (kind, path, titles) and stores it as a new alert: a->id, raised_at
 * set. Takes a->payload as is (NULL or object text). */
int ev_alert_insert(struct fk_db *db, struct ev_alert *a, struct fk_err *err);
/* Alerts within who's scope matching q, newest first. */
int ev_alert_list(struct fk_db *db, const struct fk_principal *who, const struct ev_alert_query *q,
		  struct ev_alert_list *out, struct fk_err *err);
/* Reads alert id. FK_ENOTFOUND "alert_not_found" if there is none. */
int ev_alert_get(struct fk_db *db, int64_t id, struct ev_alert *out, struct fk_err *err);
/* Marks alert id acknowledged by user_id now, unless it already is; *changed tells which. */
int ev_alert_ack(struct fk_db *db, int64_t id, int64_t user_id, bool *changed, struct fk_err *err);
/* {id, kind, area_id, area_path, area_name, title, title_zh, title_en, payload, raised_at,
 * acked, acked_at, acked_by}; title in lang ("zh" or "en"). area_name may be NULL. */
json_t *ev_alert_json(const struct ev_alert *a, const char *area_name, const char *lang);
/* Publishes the event kind ("alert", "alert_ack") carrying a's JSON, once db's transaction
 * commits (at once when none is open, or db is NULL). */
void ev_alert_publish(struct fk_db *db, const char *kind, const struct ev_alert *a,
		      const char *area_name);
/* The id of the area a path ends with ("/1/12/305/" -> 305), 0 if none. */
int64_t ev_path_area_id(const char *path);

/* ---- handlers ---- */

extern const struct fk_route ev_routes[];
int ev_stream_handler(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
