/* events: live events and alerts. An event is a small JSON message about an area (a positive
 * pool in a building, a notice to a grid); it is kept in an in-memory ring of the last
 * FK_EVENTS_RING events and pushed at once to every open GET /api/v1/events stream whose
 * scope covers the event's area (a wide event: whose scope overlaps it). An alert is an event that
 * is also stored (table alerts), to be listed and acknowledged later (GET /api/v1/alerts, POST
 * /api/v1/alerts/{id}/ack).
 *
 * Events live in the memory of one `fangkong serve` process: a stream sees the events raised
 * by the process it is connected to (see docs/usage.md for several servers). */
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
 * object or NULL) is stolen, also on error. Thread-safe; never touches the store or waits
 * for a client: it holds one lock only to store the event and wake the streams it concerns,
 * so a request thread may call it inside its transaction.
 * Returns 0, or FK_EINVAL for a bad kind or path, FK_ETOOBIG for an oversized payload. */
int fk_events_publish(const char *kind, const char *area_path, json_t *payload);
/* fk_events_publish for a hint about a whole subtree (a round's coverage moved): it reaches
 * every stream whose scope overlaps area_path — covers it, or lies inside it — so a grid
 * worker hears about its community too. Such a payload reaches users who may not see every
 * record in the area: it must carry no personal data (ids of rounds or areas, counts at most).
 * Same ownership, errors and cost as fk_events_publish. */
int fk_events_publish_wide(const char *kind, const char *area_path, json_t *payload);
/* The id of the newest event published so far (0 before the first). Ids increase. */
int64_t fk_events_last_id(void);

/* Stores an alert (table alerts) of kind (e.g. "positive_pool", "notice") about the area at
 * area_path, with a title in both languages and payload (an object or NULL; stolen, also on
 * error), and publishes the event "alert" carrying it. Runs inside the caller's transaction
 * when one is open. The event goes out at once: should the caller's transaction roll back
 * afterwards, clients that then read GET /api/v1/alerts will not find it (they treat an
 * event as a hint to refresh, not as the record). *id (may be NULL) gets the alert's id.
 * FK_EINVAL naming the field for a bad kind, path or title. */
int fk_alert_raise(struct fk_db *db, const char *kind, const char *area_path, const char *title_zh,
		   const char *title_en, json_t *payload, int64_t *id, struct fk_err *err);

/* ---- figures (dashboard) ---- */

/* The alerts about areas at or under path not yet acknowledged, of kind (e.g. "stock_low"),
 * or of every kind when kind is NULL, in *out. No scope check. 0 or the store's error. */
int fk_alerts_open_count(struct fk_db *db, const char *path, const char *kind, int64_t *out,
			 struct fk_err *err);

#endif
