/* internal: what the files of the dashboard module share.
 *
 *   figures.c   the panels of one area and the headline figures of each child, each figure
 *               read through its owning module's header (counters, never a scan)
 *   snapshot.c  the job that keeps a round's curve, and the curve's read
 *   api.c       the handlers: the dashboard, the curve, the shapes, an area's shape */
#ifndef FK_DASHBOARD_INTERNAL_H
#define FK_DASHBOARD_INTERNAL_H
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "http/http.h"
#include "policy/policy.h"
#include "dashboard/dashboard.h"

#define DB_CHILDREN_MAX 500 /* children shown on one dashboard */

/* ---- figures.c ---- */

/* The panels of the area at path at epoch ms now, for round_id (0: no round panel), as a new
 * object {people, round, cases, zones, placements, requests, duty, stock, alerts}. Each
 * panel comes from one module's public read; a module not built shows no panel. */
int db_panels(struct fk_db *db, const char *path, int64_t round_id, int64_t now, json_t **out,
	      struct fk_err *err);
/* The headline figures of the area at path, for a drill-down row: {people, registered,
 * sampled, pct, positives, cases, zones, placements, requests_open, requests_overdue}. */
int db_headline(struct fk_db *db, const char *path, int64_t round_id, int64_t now, json_t **out,
		struct fk_err *err);
/* sampled / registered as a percentage with one decimal; 0 when registered is 0. Pure. */
double db_pct(int64_t sampled, int64_t registered);

/* ---- snapshot.c ---- */

enum { DB_POL_SNAPSHOT_MINUTES };
extern const struct fk_policy_def db_policies[];

/* Takes a snapshot of every open round over every district, street and community it
 * concerns, at now, unless one was taken less than the policy's minutes ago. *taken (may be
 * NULL) gets the rows written. One transaction. */
int db_snapshot(struct fk_db *db, int64_t now, int64_t *taken, struct fk_err *err);
int db_snapshot_job(struct fk_app *app, struct fk_db *db, struct fk_err *err);
/* The curve of round_id over the area at (area_id, path): its snapshots, oldest first, then
 * the live figure at now, as a new array of {at, sampled, registered, pct}. */
int db_curve(struct fk_db *db, int64_t round_id, int64_t area_id, const char *path, int64_t now,
	     json_t **out, struct fk_err *err);

/* ---- api.c ---- */

extern const struct fk_field db_body_geometry[];
int db_api_dashboard(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int db_api_curve(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int db_api_shapes(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int db_api_geometry(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
