/* internal: what the files of the zones module share — the pure rule (rule.c: schemes, kinds,
 * levels, what a level asks, days remaining, when a proposal is due), zones and their history
 * (zone.c), the cache of active zones behind app->zone_of (cache.c), proposals with the job
 * and the positive-pool listener that make them (propose.c), the handlers (api.c) and the
 * descriptor with its policies (module.c).
 *
 * A function that writes expects the caller's write transaction (fk_tx_begin or the request's
 * audited one) unless it says otherwise. */
#ifndef FK_ZONES_INTERNAL_H
#define FK_ZONES_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "audit/audit.h"
#include "http/http.h"
#include "platform/module.h"
#include "policy/policy.h"
#include "zones/zones.h"

#define ZN_DAY_MS	 (24LL * 3600 * 1000)
#define ZN_REASON_MAX	 500 /* characters */
#define ZN_CASE_REF_MAX	 64  /* characters */
#define ZN_TUBE_CODE_MAX 32

/* ---- the rule (rule.c): pure, no store ---- */

enum { ZN_SCHEME_2204 = 202204, ZN_SCHEME_2206 = 202206, ZN_SCHEME_2211 = 202211 };

/* Whether scheme is one of the three. */
bool zn_scheme_valid(int64_t scheme);
/* The level of kind in scheme (3 sealed/high, 2 controlled/medium, 1 precaution/low), 0 when
 * the scheme has no such kind. */
int zn_kind_level(int64_t scheme, const char *kind);
/* The kind of scheme at level, or NULL. */
const char *zn_kind_at(int64_t scheme, int level);
/* The kinds of scheme, strictest first, as "a, b, c" (static text). */
const char *zn_scheme_kinds(int64_t scheme);
/* The Chinese name of kind ("封控区", "高风险区"...), or kind itself. */
const char *zn_kind_zh(const char *kind);
/* What a zone of level asks of its people; household: sealed zones sample one tube per
 * household instead of one per person. level 0 leaves out all zero. */
void zn_rule_of(int level, bool household, struct fk_zone_rule *out);

/* The lift rule's numbers, from the policies. */
struct zn_days {
	int64_t level3, level2, high_2211; /* days without a positive before the change */
	int64_t first3_ms, first2_ms;	   /* first screening due after the start */
};
/* The change the rule leads to for a zone of scheme and level: *to_kind the next lower kind
 * (NULL: lifted); returns the days it needs, 0 when no rule applies (level 1). */
int64_t zn_lift_days(const struct zn_days *d, int64_t scheme, int level, const char **to_kind);
/* When the count starts: the later of the kind's start and the last positive (0 = none). */
int64_t zn_count_start(int64_t kind_since, int64_t last_positive);
/* Whole days left before the rule is met (rounded up), 0 once met; -1 when days is 0. */
int64_t zn_days_remaining(int64_t count_start, int64_t days, int64_t now);
/* When the rule's last day begins (the all-negative round must be sampled from then on). */
int64_t zn_last_day_from(int64_t count_start, int64_t days);
/* Whether a proposal is due: days > 0, the days have passed since count_start, and the last
 * day had an all-negative round. */
bool zn_proposal_due(int64_t count_start, int64_t days, int64_t now, bool last_day_negative);
/* The zone's first screening deadline: started_at + 24 h (level 3) or 48 h (level 2) by the
 * policies; 0 for level 1. */
int64_t zn_first_screening_due(const struct zn_days *d, int level, int64_t started_at);

/* ---- policies (module.c) ---- */

enum {
	ZN_POL_SCHEME,
	ZN_POL_SEALED_SAMPLING,
	ZN_POL_LEVEL3_DAYS,
	ZN_POL_LEVEL2_DAYS,
	ZN_POL_HIGH_2211_DAYS,
	ZN_POL_FIRST3_HOURS,
	ZN_POL_FIRST2_HOURS,
};
extern const struct fk_policy_def zn_policies[];
/* The rule's numbers from snapshot s. */
void zn_days_from(const struct fk_policy_snap *s, struct zn_days *out);

/* ---- zones (zone.c) ---- */

struct zn_zone {
	int64_t id, area_id;
	char area_path[FK_AREA_PATH_MAX];
	char area_name[FK_AREA_NAME_MAX * 4 + 1];
	char area_code[64];
	char area_kind[24];
	char kind[FK_ZONE_KIND_MAX];
	int level;
	int64_t scheme;
	char status[12]; /* active, lifted */
	char reason[ZN_REASON_MAX * 4 + 1];
	char source_tube_code[ZN_TUBE_CODE_MAX + 1];
	char case_ref[ZN_CASE_REF_MAX * 4 + 1];
	int64_t started_at, kind_since, lifted_at, created_by, created_at, policy_version;
};

struct zn_draw {
	int64_t area_id;
	const char *kind, *reason, *source_tube_code, *case_ref;
	int64_t started_at; /* 0 = now */
	int64_t proposal_id;
};

/* Draws a zone over d->area_id (in who's scope: FK_ENOTFOUND "area_not_found" otherwise, as
 * for a missing area). The kind must be of the scheme in force (FK_EUNPROC "invalid_kind"
 * naming kind); another active zone of another kind over the very same area is FK_ECONFLICT
 * "zone_conflict"; the same kind again is that zone back (*created false); started_at in the
 * future FK_EINVAL "future_time"; a source_tube_code that is no positive tube FK_EUNPROC
 * "not_positive". Records the event "drawn". */
int zn_zone_draw(struct fk_db *db, const struct fk_principal *who, const struct zn_draw *d,
		 struct zn_zone *out, bool *created, struct fk_err *err);
/* The columns of a zone read (zones z joined with areas a) and the row into z. */
#define ZN_ZONE_COLS                                                                               \
	"z.id, z.area_id, z.area_path, z.kind, z.level, z.scheme, z.status, z.reason, "            \
	"COALESCE(z.source_tube_code, ''), COALESCE(z.case_ref, ''), z.started_at, z.kind_since, " \
	"COALESCE(z.lifted_at, 0), z.created_by, z.created_at, z.policy_version, a.name, a.code, " \
	"a.kind"
void zn_zone_row(struct fk_q *q, struct zn_zone *z);
/* Reads zone id; FK_ENOTFOUND "zone_not_found" when missing or outside who's scope (who NULL:
 * no check). */
int zn_zone_get(struct fk_db *db, const struct fk_principal *who, int64_t id, struct zn_zone *out,
		struct fk_err *err);
/* Downgrades zone z to kind, or lifts it (kind NULL); records the event with reason,
 * proposal_id (0 = none), the user (0 = the system) and policy version. */
int zn_zone_change(struct fk_db *db, const struct zn_zone *z, const char *kind, const char *reason,
		   int64_t proposal_id, const struct fk_principal *who, int64_t policy_version,
		   struct fk_err *err);
/* Appends one history row. */
int zn_event_add(struct fk_db *db, int64_t zone_id, const char *action, const char *kind,
		 const char *from_kind, const char *reason, int64_t proposal_id,
		 const struct fk_principal *who, int64_t policy_version, struct fk_err *err);

struct zn_list_query {
	const char *kind, *status;   /* NULL = any */
	const struct fk_area *under; /* NULL = the whole scope */
	int limit;
};
/* Zones in who's scope, newest first, as JSON (zn_zone_json) appended to items. */
int zn_zone_list(struct fk_db *db, const struct fk_principal *who, const struct zn_list_query *f,
		 json_t *items, struct fk_err *err);
/* The zone as the API shows it, with its rule, people count, days remaining and first
 * screening due; history adds its events and pending proposals. */
int zn_zone_json(struct fk_db *db, const struct zn_zone *z, bool history, json_t **out,
		 struct fk_err *err);
/* The people living in zone z within who's scope, by area path and name, after cursor id
 * (0 = first page), at most limit; IDs masked unless who->see_id. */
int zn_zone_people(struct fk_db *db, const struct fk_principal *who, const struct zn_zone *z,
		   const char *after, int limit, json_t *items, char *next, size_t nsize,
		   struct fk_err *err);
/* Lift state of z now: days remaining (-1: no rule), the kind it goes to, whether a proposal
 * is due; reads the last positive and the last day's round through the tubes module. */
struct zn_lift {
	int64_t days, count_start, remaining, due_at, policy_version;
	const char *to_kind; /* NULL: lifted */
	bool due;
};
int zn_lift_state(struct fk_db *db, const struct zn_zone *z, int64_t now, struct zn_lift *out,
		  struct fk_err *err);

/* ---- the cache of active zones (cache.c) ---- */

/* The module's state: installs app->zone_of and app->zone_door_paths. */
struct zn_cache;
struct zn_cache *zn_cache_new(void);
void zn_cache_free(struct zn_cache *c);
/* Drops what the cache holds: call after a committed change of zones on this server. */
void zn_cache_forget(struct fk_app *app);
int zn_zone_of(struct fk_app *app, struct fk_db *db, const char *area_path,
	       struct fk_zone_rule *out, struct fk_err *err);
int zn_zone_door_paths(struct fk_app *app, struct fk_db *db, const char *under, json_t *paths,
		       struct fk_err *err);

/* ---- proposals (propose.c) ---- */

/* The job: proposes a downgrade or lift for every active zone whose rule is met. */
int zn_propose_job(struct fk_app *app, struct fk_db *db, struct fk_err *err);
/* The listener of tubes.positive_pool: a pending proposal to draw a level-3 zone over each
 * building of the pool not already under one. */
int zn_on_positive_pool(struct fk_app *app, struct fk_db *db, const json_t *payload,
			struct fk_err *err);
/* Confirms (reason may be NULL) or rejects (reason required) proposal id; a proposal no
 * longer pending is FK_ECONFLICT "proposal_decided". *zone_id gets the zone it drew or
 * changed. */
int zn_proposal_decide(struct fk_db *db, const struct fk_principal *who, int64_t id, bool confirm,
		       const char *reason, int64_t *zone_id, struct fk_err *err);
/* Proposals in who's scope with status (NULL = pending), newest first. */
int zn_proposal_list(struct fk_db *db, const struct fk_principal *who, const char *status,
		     int64_t zone_id, int limit, json_t *items, struct fk_err *err);
/* One proposal as JSON; FK_ENOTFOUND "proposal_not_found" outside who's scope. */
int zn_proposal_read(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
		     struct fk_err *err);

/* ---- HTTP (api.c) ---- */

extern const struct fk_field zn_body_draw[], zn_body_decide[], zn_body_lift[];
int zn_api_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int zn_api_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int zn_api_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int zn_api_people(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int zn_api_lift(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int zn_api_kinds(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int zn_api_of_person(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int zn_api_of_area(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int zn_api_proposals(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int zn_api_confirm(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int zn_api_reject(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
