/* events: live events and alerts. An event is a small JSON message about an area (a positive
 * pool in a building, a notice to a grid); it is kept in an in-memory ring of the last
 * FK_EVENTS_RING events and pushed at once to every open GET /api/v1/events stream whose
 * scope covers the event's area (a wide event: whose scope overlaps it). An alert is an event that
 * is also stored (table alerts), to be listed and acknowledged later (GET /api/v1/alerts, POST
 * /api/v1/alerts/{id}/ack).
 *
 * On SQLite events live in the memory of the one `fangkong serve` process. On PostgreSQL they
 * go through the store (table events, NOTIFY fk_events), so every server on it hears every
 * event, with the same ids, and a stream resumes with Last-Event-ID on any of them (see
 * docs/internals.md, "Live events"). Publish an event once the write it tells of has
 * committed: after fk_db_commit, or with fk_events_publish_after inside the transaction. */
#ifndef FK_EVENTS_H
#define FK_EVENTS_H
#include <stdint.h>
#include <jansson.h>
#include "base/err.h"
#include "store/db.h"
#include "http/http.h"

extern const struct fk_module fk_module_events;

#define FK_EVENTS_RING	     10000	 /* events kept for Last-Event-ID resumes */
#define FK_EVENT_KIND_MAX    32		 /* bytes of [a-z0-9_.] */
#define FK_EVENT_PAYLOAD_MAX (16u << 10) /* bytes of payload JSON (about: 1 KiB slack) */
#define FK_ALERT_TITLE_MAX   200	 /* characters of each title */

/* Publishes an event of kind (e.g. "alert", "round_opened") about the area at area_path (a
 * materialized path "/1/12/305/"; subscribers whose scope covers it get it). payload (an
 * object or NULL) is stolen, also on error. Thread-safe; never waits for the store or a
 * client: on SQLite it holds one lock to store the event and wake the streams it concerns;
 * on PostgreSQL it queues the event for the relay, and the streams get it a few ms later,
 * when it comes back from the store.
 * Returns 0, or FK_EINVAL for a bad kind or path, FK_ETOOBIG for an oversized payload. */
int fk_events_publish(const char *kind, const char *area_path, json_t *payload);
/* fk_events_publish for a hint about a whole subtree (a round's coverage moved): it reaches
 * every stream whose scope overlaps area_path — covers it, or lies inside it — so a grid
 * worker hears about its community too. Such a payload reaches users who may not see every
 * record in the area: it must carry no personal data (ids of rounds or areas, counts at most).
 * Same ownership, errors and cost as fk_events_publish. */
int fk_events_publish_wide(const char *kind, const char *area_path, json_t *payload);
/* fk_events_publish once the transaction open on db commits (at once when none is open);
 * nothing is published when it rolls back. kind and area_path are checked at once
 * (FK_EINVAL); an oversized payload is found at the commit and logged. Same ownership. */
int fk_events_publish_after(struct fk_db *db, const char *kind, const char *area_path,
			    json_t *payload);
/* The id of the newest event in this server's ring (0 before the first). Ids increase. */
int64_t fk_events_last_id(void);

/* Stores an alert (table alerts) of kind (e.g. "positive_pool", "notice") about the area at
 * area_path, with a title in both languages and payload (an object or NULL; stolen, also on
 * error), and publishes the event "alert" carrying it. Runs inside the caller's transaction
 * when one is open; the event then goes out when it commits, and never if it rolls back.
 * *id (may be NULL) gets the alert's id.
 * FK_EINVAL naming the field for a bad kind, path or title. */
int fk_alert_raise(struct fk_db *db, const char *kind, const char *area_path, const char *title_zh,
		   const char *title_en, json_t *payload, int64_t *id, struct fk_err *err);

/* ---- figures (dashboard) ---- */

/* The alerts about areas at or under path not yet acknowledged, of kind (e.g. "stock_low"),
 * or of every kind when kind is NULL, in *out. No scope check. 0 or the store's error. */
int fk_alerts_open_count(struct fk_db *db, const char *path, const char *kind, int64_t *out,
			 struct fk_err *err);

#endif
