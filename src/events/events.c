/* events: the ring of the last FK_EVENTS_RING events and the list of open streams, under one
 * mutex. On SQLite an event gets its id here and goes into the ring at once; on PostgreSQL it
 * goes to the relay (relay.c), which stores it, and comes back to every server's ring through
 * its listener (ev_ring_add), so ids are the store's and the same on every server. An event is
 * formatted once, outside the lock, as the "event:"/"data:" lines of a Server-Sent Event; the lock
 * covers only taking an id, storing the entry and waking the streams it reaches: those whose scope
 * covers the event's area, or, for a wide event, whose scope overlaps it (reaches() is the one
 * place that says so). Each stream keeps its own cursor (the newest id it has seen), so a slow
 * client never holds anyone up and a reconnect with Last-Event-ID is a binary search in the ring.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "events/internal.h"

struct entry {
	int64_t id;
	char *path; /* both in one allocation: path, NUL, the event's lines */
	const char *body;
	size_t body_len;
	bool wide; /* reaches scopes inside the area too (fk_events_publish_wide) */
};

static struct {
	pthread_mutex_t mu;
	struct entry ring[FK_EVENTS_RING];
	size_t head, n;	    /* the oldest entry is ring[head] */
	int64_t last_id;    /* the newest id published */
	int64_t evicted_id; /* the newest id dropped from the ring */
	int64_t boot_id;    /* every id of this process (or, shared, its store) is above it */
	bool shared;	    /* ids come from the store (ev_ring_share) */
	struct ev_sub *subs;
	int nsubs;
} ev = {.mu = PTHREAD_MUTEX_INITIALIZER};

bool ev_kind_valid(const char *kind)
{
	size_t n = kind ? strlen(kind) : 0;

	if (n == 0 || n > FK_EVENT_KIND_MAX)
		return false;
	return strspn(kind, "abcdefghijklmnopqrstuvwxyz0123456789_.") == n;
}

bool ev_path_valid(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	if (n < 3 || n >= FK_AREA_PATH_MAX || path[0] != '/' || path[n - 1] != '/')
		return false;
	for (size_t i = 1; i < n; i++) {
		bool digit = path[i] >= '0' && path[i] <= '9';
		if (!digit && (path[i] != '/' || path[i - 1] == '/'))
			return false;
	}
	return true;
}

/* Caller holds ev.mu. */
static void boot_locked(void)
{
	if (!ev.boot_id && !ev.shared)
		ev.boot_id = fk_id_next();
}

static struct entry *at(size_t i)
{
	return &ev.ring[(ev.head + i) % FK_EVENTS_RING];
}

/* The logical index of the first entry newer than id (ev.n when none). Caller holds ev.mu. */
static size_t first_after(int64_t id)
{
	size_t lo = 0, hi = ev.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (at(mid)->id <= id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether an event about path reaches who. */
static bool reaches(const struct fk_principal *who, const char *path, bool wide)
{
	return wide ? fk_scope_overlaps(who, path) : fk_scope_covers(who, path);
}

/* ---- publishing ---- */

/* The event's data line: {kind, area_id, area_path, at, payload}, compact; NULL when too
 * big. */
static char *format_data(const char *kind, const char *path, json_t *payload, int64_t at)
{
	char area_id[24], at_iso[32];
	json_t *data;
	char *json;

	fk_id_format(ev_path_area_id(path), area_id);
	data = json_pack("{s:s, s:s, s:s, s:s, s:O?}", "kind", kind, "area_id", area_id,
			 "area_path", path, "at", fk_iso8601(at, at_iso), "payload", payload);
	json = data ? json_dumps(data, JSON_COMPACT) : NULL;
	json_decref(data);
	if (json && strlen(json) > FK_EVENT_PAYLOAD_MAX + 1024) {
		free(json);
		json = NULL;
	}
	return json;
}

/* "event: KIND\ndata: {...}\n\n" (the id line is added per stream) behind "PATH\0". */
static char *entry_text(const struct ev_event *e, size_t *body_len)
{
	size_t plen = strlen(e->area_path);
	size_t cap = strlen(e->kind) + strlen(e->data) + 32;
	char *mem = fk_xmalloc(plen + 1 + cap);

	memcpy(mem, e->area_path, plen + 1);
	*body_len =
	    (size_t)snprintf(mem + plen + 1, cap, "event: %s\ndata: %s\n\n", e->kind, e->data);
	return mem;
}

/* Caller holds ev.mu. */
static void push_locked(int64_t id, char *mem, size_t body_len, bool wide)
{
	struct entry *e;

	if (ev.n == FK_EVENTS_RING) {
		e = at(0);
		ev.evicted_id = e->id;
		free(e->path);
		ev.head = (ev.head + 1) % FK_EVENTS_RING;
		ev.n--;
	}
	e = at(ev.n++);
	e->id = id;
	e->path = mem;
	e->body = mem + strlen(mem) + 1;
	e->body_len = body_len;
	e->wide = wide;
	ev.last_id = e->id;
}

/* Caller holds ev.mu: a stream can not be freed meanwhile (ev_sub_close takes it). */
static void wake_locked(const char *path, bool wide)
{
	for (struct ev_sub *s = ev.subs; s; s = s->next)
		if (s->stream && reaches(&s->who, path, wide))
			fk_stream_wake(s->stream);
}

/* On SQLite: an id from this process, into the ring at once. */
static void publish_local(const struct ev_event *e)
{
	size_t body_len = 0;
	char *mem = entry_text(e, &body_len);

	pthread_mutex_lock(&ev.mu);
	boot_locked();
	push_locked(fk_id_next(), mem, body_len, e->wide);
	wake_locked(e->area_path, e->wide);
	pthread_mutex_unlock(&ev.mu);
}

static int publish(const char *kind, const char *area_path, json_t *payload, bool wide)
{
	struct ev_event e = {.kind = kind, .area_path = area_path, .wide = wide};
	char *data = NULL;
	int rc = 0;

	e.at = fk_now_ms();
	if (!ev_kind_valid(kind) || !ev_path_valid(area_path))
		rc = FK_EINVAL;
	else if (payload && !json_is_object(payload))
		rc = FK_EINVAL;
	else if (!(data = format_data(kind, area_path, payload, e.at)))
		rc = FK_ETOOBIG;
	json_decref(payload);
	if (rc < 0)
		return rc;
	e.data = data;
	if (!ev_relay_offer(&e))
		publish_local(&e);
	free(data);
	return 0;
}

int fk_events_publish(const char *kind, const char *area_path, json_t *payload)
{
	return publish(kind, area_path, payload, false);
}

int fk_events_publish_wide(const char *kind, const char *area_path, json_t *payload)
{
	return publish(kind, area_path, payload, true);
}

/* An event held until its transaction commits. */
struct deferred {
	json_t *payload;
	char kind[FK_EVENT_KIND_MAX + 1];
	char path[FK_AREA_PATH_MAX];
};

static void deferred_run(void *arg)
{
	struct deferred *d = arg;
	int rc = publish(d->kind, d->path, d->payload, false);

	if (rc < 0)
		fk_warn("event=events_publish_failed kind=%s code=%s", d->kind, fk_code_name(rc));
	free(d);
}

static void deferred_drop(void *arg)
{
	struct deferred *d = arg;

	json_decref(d->payload);
	free(d);
}

int fk_events_publish_after(struct fk_db *db, const char *kind, const char *area_path,
			    json_t *payload)
{
	struct deferred *d;

	if (!db || !fk_db_in_tx(db) || !ev_kind_valid(kind) || !ev_path_valid(area_path))
		return publish(kind, area_path, payload, false);
	d = fk_xcalloc(1, sizeof(*d));
	d->payload = payload;
	snprintf(d->kind, sizeof(d->kind), "%s", kind);
	snprintf(d->path, sizeof(d->path), "%s", area_path);
	fk_db_after_commit(db, deferred_run, deferred_drop, d);
	return 0;
}

int64_t fk_events_last_id(void)
{
	int64_t id;

	pthread_mutex_lock(&ev.mu);
	id = ev.last_id;
	pthread_mutex_unlock(&ev.mu);
	return id;
}

void ev_ring_reset(void)
{
	pthread_mutex_lock(&ev.mu);
	for (size_t i = 0; i < ev.n; i++)
		free(at(i)->path);
	ev.head = ev.n = 0;
	ev.evicted_id = 0;
	pthread_mutex_unlock(&ev.mu);
}

void ev_ring_share(int64_t last_id)
{
	pthread_mutex_lock(&ev.mu);
	for (size_t i = 0; i < ev.n; i++)
		free(at(i)->path);
	ev.head = ev.n = 0;
	ev.evicted_id = 0;
	ev.shared = true;
	ev.boot_id = ev.last_id = last_id;
	pthread_mutex_unlock(&ev.mu);
}

void ev_ring_unshare(void)
{
	ev_ring_reset();
	pthread_mutex_lock(&ev.mu);
	ev.shared = false;
	ev.boot_id = ev.last_id = 0;
	pthread_mutex_unlock(&ev.mu);
}

/* Caller holds ev.mu. Events missing before id: what the ring holds no longer leads up to
 * it, so it is dropped and a resume from before id gets resync. */
static void gap_locked(int64_t id)
{
	for (size_t i = 0; i < ev.n; i++)
		free(at(i)->path);
	ev.head = ev.n = 0;
	ev.boot_id = id - 1;
	ev.last_id = id - 1;
}

void ev_ring_add(const struct ev_event *e, size_t n)
{
	char **mem = fk_xcalloc(n ? n : 1, sizeof(*mem));
	size_t *len = fk_xcalloc(n ? n : 1, sizeof(*len));

	for (size_t i = 0; i < n; i++)
		mem[i] = entry_text(&e[i], &len[i]);
	pthread_mutex_lock(&ev.mu);
	for (size_t i = 0; i < n; i++) {
		if (e[i].id <= ev.last_id) { /* heard already */
			free(mem[i]);
			continue;
		}
		if (e[i].id != ev.last_id + 1)
			gap_locked(e[i].id);
		push_locked(e[i].id, mem[i], len[i], e[i].wide);
		wake_locked(e[i].area_path, e[i].wide);
	}
	pthread_mutex_unlock(&ev.mu);
	free(mem);
	free(len);
}

/* ---- subscribers ---- */

static int too_many(const struct fk_principal *who, struct fk_err *err)
{
	return fk_err_set(err, FK_ELIMIT, "too_many_streams", NULL,
			  "用户 %s 打开的实时事件连接过多（上限 %d 个），请关闭其他页面后重试",
			  "user %s has too many live event streams open (at most %d); close other "
			  "pages and retry",
			  who->username, EV_PER_USER_MAX);
}

/* Caller holds ev.mu. */
static int user_streams(int64_t user_id)
{
	int n = 0;

	for (struct ev_sub *s = ev.subs; s; s = s->next)
		n += s->who.user_id == user_id;
	return n;
}

/* why: NULL, or the reason of the resync the stream begins with ("gap": events after the
 * client's id were lost; "epoch": its id was never given here, as from a store made anew). */
static void prelude(struct ev_sub *s, const char *why)
{
	fk_buf_printf(&s->out, "retry: %d\n: connected\n\n", EV_RETRY_MS);
	if (why)
		fk_buf_printf(&s->out, "event: resync\ndata: {\"reason\":\"%s\"}\n\n", why);
}

int ev_sub_open(const struct fk_principal *who, bool resume, int64_t last_id, struct ev_sub **out,
		struct fk_err *err)
{
	struct ev_sub *s = fk_xcalloc(1, sizeof(*s));
	uint64_t now = fk_mono_ns();
	bool gap, future;

	*out = NULL;
	s->who = *who;
	fk_buf_init(&s->out, FK_BUF_PAGE_MAX);
	s->next_ping_ns = now + (uint64_t)EV_PING_MS * 1000000u;
	s->end_ns = now + (uint64_t)EV_STREAM_MAX_MS * 1000000u;
	pthread_mutex_lock(&ev.mu);
	if (user_streams(who->user_id) >= EV_PER_USER_MAX) {
		pthread_mutex_unlock(&ev.mu);
		fk_buf_release(&s->out);
		free(s);
		return too_many(who, err);
	}
	boot_locked();
	/* An id above any issued here came from another server: start from now, and say so. */
	future = resume && last_id > ev.last_id;
	gap = resume && (future || ev.evicted_id > last_id || last_id < ev.boot_id);
	s->last_id = resume && !future ? last_id : ev.last_id;
	s->next = ev.subs;
	if (ev.subs)
		ev.subs->prev = s;
	ev.subs = s;
	ev.nsubs++;
	pthread_mutex_unlock(&ev.mu);
	prelude(s, future ? "epoch" : gap ? "gap" : NULL);
	*out = s;
	return 0;
}

void ev_sub_attach(struct ev_sub *s, struct fk_stream *stream)
{
	pthread_mutex_lock(&ev.mu);
	s->stream = stream;
	pthread_mutex_unlock(&ev.mu);
}

void ev_sub_close(struct ev_sub *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&ev.mu);
	if (s->prev)
		s->prev->next = s->next;
	else
		ev.subs = s->next;
	if (s->next)
		s->next->prev = s->prev;
	ev.nsubs--;
	pthread_mutex_unlock(&ev.mu);
	fk_buf_release(&s->out);
	free(s);
}

int ev_sub_fill(struct ev_sub *s, size_t max)
{
	int count = 0;

	pthread_mutex_lock(&ev.mu);
	for (size_t i = first_after(s->last_id); i < ev.n && s->out.len < max; i++) {
		const struct entry *e = at(i);
		if (reaches(&s->who, e->path, e->wide)) {
			fk_buf_printf(&s->out, "id: %lld\n", (long long)e->id);
			fk_buf_append(&s->out, e->body, e->body_len);
			count++;
		}
		s->last_id = e->id;
	}
	pthread_mutex_unlock(&ev.mu);
	return count;
}

int ev_sub_count(void)
{
	int n;

	pthread_mutex_lock(&ev.mu);
	n = ev.nsubs;
	pthread_mutex_unlock(&ev.mu);
	return n;
}
