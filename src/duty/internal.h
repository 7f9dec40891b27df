/* internal: what the files of the duty module share. A function that writes expects the
 * caller's write transaction (the request's audited one) unless it says otherwise.
 *
 *   span.c    the pure rules: a shift's bounds, overlap, a week's range, what a place needs
 *   place.c   a place (site, checkpoint, facility) read through its module's header
 *   shift.c   making a shift (the overlap check under the worker's lock), removing one
 *   roster.c  the shifts of a place, a worker or the caller in a week
 *   now.c     who is on duty where now, and the places short of their rule
 *   api.c     the handlers */
#ifndef FK_DUTY_INTERNAL_H
#define FK_DUTY_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "audit/audit.h"
#include "http/http.h"
#include "policy/policy.h"
#include "users/principal.h"
#include "duty/duty.h"

#define DU_HOUR_MS	(3600 * 1000LL)
#define DU_DAY_MS	(24 * DU_HOUR_MS)
#define DU_SHIFT_MAX_MS DU_DAY_MS /* a shift is at most a day long */
#define DU_ROLE_MAX	32	  /* characters of a shift's role */
#define DU_ROSTER_MAX	5000	  /* shifts in one roster reply */

/* ---- span.c ---- */

enum du_kind { DU_SITE = 0, DU_CHECKPOINT, DU_FACILITY, DU_KINDS };
/* "site", "checkpoint", "facility" -> its kind; -1 for anything else. */
int du_kind_parse(const char *s);
const char *du_kind_name(enum du_kind k);
/* Checks a shift's bounds: ends after it starts, at most DU_SHIFT_MAX_MS. FK_EINVAL naming
 * ends_at. */
int du_span_check(int64_t starts_at, int64_t ends_at, struct fk_err *err);
/* Whether [a0, a1) and [b0, b1) share a moment (touching ends do not). */
bool du_overlaps(int64_t a0, int64_t a1, int64_t b0, int64_t b1);
/* The week s names, "YYYY-Www" (ISO 8601) or a day "YYYY-MM-DD" (its Monday-to-Sunday week),
 * as [*from, *to) in epoch ms, weeks starting Monday 00:00 China Standard Time. FK_EINVAL
 * naming field when s is neither. */
int du_week_range(const char *s, const char *field, int64_t *from, int64_t *to, struct fk_err *err);
/* The week holding epoch ms at, as du_week_range. */
void du_week_of(int64_t at, int64_t *from, int64_t *to);
/* The staff a place needs: per_desk x desks for a site, per_gate for a checkpoint,
 * per_facility for a facility. Pure. */
int du_need(enum du_kind k, int desks, int per_desk, int per_gate, int per_facility);

/* Whether paths[i] lies under another of paths[0..n) or repeats an earlier one: a board over
 * several scopes reads it with that one. Pure. */
bool du_path_covered(const char *const *paths, int n, int i);

/* ---- place.c ---- */

struct du_place {
	enum du_kind kind;
	int64_t id, area_id;
	char name[260], area_name[260];
	char path[FK_AREA_PATH_MAX];
	int desks;
	bool active;
};
/* Reads the place of kind k and id for who: FK_ENOTFOUND naming place_id when it does not
 * exist or lies outside who's scope (who NULL: no check). */
int du_place_get(struct fk_db *db, const struct fk_principal *who, enum du_kind k, int64_t id,
		 struct du_place *out, struct fk_err *err);
/* Appends every active place at or under path, by kind then id, to *out (malloc'd, grown;
 * start with NULL and 0; the caller frees) and *n. */
int du_places_under(struct fk_db *db, const char *path, struct du_place **out, int *n,
		    struct fk_err *err);

/* ---- shift.c ---- */

struct du_shift_new {
	int64_t worker_id, place_id, starts_at, ends_at;
	enum du_kind kind;
	const char *role; /* or NULL */
};
/* Makes a shift for who; its id in *id. The worker (fk_worker_get) and the place must lie in
 * who's scope (404 naming worker_id / place_id); bounds as du_span_check; a shift of the same
 * worker that overlaps is FK_ECONFLICT "shift_overlap" naming starts_at, with the other
 * shift's id and times in the message, checked under the worker's lock. */
int du_shift_create(struct fk_db *db, const struct fk_principal *who, const struct du_shift_new *n,
		    int64_t *id, struct fk_err *err);
/* Removes shift id if it lies in who's scope, else FK_ENOTFOUND "shift_not_found". */
int du_shift_delete(struct fk_db *db, const struct fk_principal *who, int64_t id,
		    struct fk_err *err);
/* The columns du_shift_row reads; append the WHERE. */
#define DU_SHIFT_SELECT                                                                            \
	"SELECT id, worker_id, worker_name, place_kind, place_id, place_name, starts_at, "         \
	"ends_at, "                                                                                \
	"role FROM shifts"
/* One row of DU_SHIFT_SELECT as a shift's JSON: {id, worker:{id, name}, worker_id,
 * place_kind, place_id, place_name, starts_at, ends_at, role}. */
json_t *du_shift_row(struct fk_q *q);
/* The JSON of shift id (no scope check). */
int du_shift_json(struct fk_db *db, int64_t id, json_t **out, struct fk_err *err);

/* ---- roster.c ---- */

struct du_roster_query {
	int64_t from, to;     /* the week */
	int kind;	      /* -1: any place */
	int64_t place_id;     /* 0: any */
	int64_t worker_id;    /* 0: any */
	int64_t mine_user_id; /* > 0: only this account's own shifts, any scope */
	const char *under;    /* an area path in scope, or NULL */
};
/* The shifts meeting q that overlap [from, to), by start, into out's "items" (at most
 * DU_ROSTER_MAX; "truncated" true when there were more), within who's scope unless mine. */
int du_roster(struct fk_db *db, const struct fk_principal *who, const struct du_roster_query *q,
	      json_t *out, struct fk_err *err);

/* ---- now.c ---- */

enum { DU_POL_PER_DESK, DU_POL_PER_GATE, DU_POL_PER_FACILITY };
extern const struct fk_policy_def du_policies[];

/* The board at at: every active place under any of paths (n of them; a path under another is
 * read once, with it) with who is on duty there and whether it is short of its need, into
 * *out (a new object). */
int du_now(struct fk_db *db, const char *const *paths, int npaths, int64_t at, json_t **out,
	   struct fk_err *err);

/* ---- api.c ---- */

extern const struct fk_field du_body_shift[];
int du_api_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int du_api_delete(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int du_api_roster(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int du_api_now(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
