/* internal: what the files of the testing module (rounds, exemptions, sites, call-ups,
 * coverage, door-to-door) share and nobody else uses. Other modules, tubes among them, use
 * testing.h. */
#ifndef FK_TESTING_INTERNAL_H
#define FK_TESTING_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "area/area.h"
#include "audit/audit.h"
#include "base/buf.h"
#include "platform/module.h"
#include "policy/policy.h"
#include "testing/testing.h"

/* ---- planning rules and guideline targets (SPEC §3): policies (policy.c) ---- */

enum tr_policy {
	TR_POL_POOL_SIZES,	/* allowed pool sizes */
	TR_POL_POOL_DEFAULT,	/* a new round's pool size when it names none */
	TR_POL_POOL_BY_GROUP,	/* pool size by group and zone kind */
	TR_POL_ROUND_TARGET,	/* hours: a round within 24 h */
	TR_POL_SAMPLING_TARGET, /* hours: all sampling within 6 h */
	TR_POL_SAMPLING_HARD,	/* hours: 12 h where truly hard */
	TR_POL_SITE_PEOPLE_MIN, /* one site per 2,000-3,000 people */
	TR_POL_SITE_PEOPLE_MAX,
	TR_POL_DESK_PEOPLE_MIN, /* one desk per 600-800 people */
	TR_POL_DESK_PEOPLE_MAX,
	TR_POL_SAMPLER_PEOPLE, /* samplers ~ population / 360 */
	TR_POL_COUNT,
};
extern const struct fk_policy_def tr_policies[];
#define TR_POLICY(name) (&tr_policies[TR_POL_##name])

#define TR_ROUND_MAX_AREAS 64
#define TR_REASON_MAX	   200 /* characters of an exemption reason */

/* ---- audited HTTP writes (shared by every api_*.c): fk_audit_tx_begin/_end ---- */

/* ---- small helpers (util.c) ---- */

/* "[path, path~)": the exclusive upper bound of a materialized path's subtree for SQL that
 * compares with column ranges. out needs FK_AREA_PATH_MAX + 8 bytes. */
char *tr_upper(const char *path, char *out);
/* True when path lies in the subtree of prefix (prefix itself included). */
bool tr_path_under(const char *path, const char *prefix);
/* Parses an ISO 8601 member of a checked body; FK_EINVAL "invalid_time" naming it. */
int tr_body_time(json_t *body, const char *name, int64_t *out, struct fk_err *err);
/* An area in the caller's scope: fk_area_get_in_scope (area/area.h). */
/* {id, name, code, kind, path} of an area. */
json_t *tr_area_brief(const struct fk_area *a);

/* ---- rounds (round.c) ---- */

struct tr_round_area {
	int64_t id;
	char path[FK_AREA_PATH_MAX];
	char name[FK_AREA_NAME_MAX * 4 + 1];
	char code[64];
	char kind[24];
};

struct tr_round_areas {
	int n;
	struct tr_round_area a[TR_ROUND_MAX_AREAS];
};

/* What a create or a change asks for; area_ids NULL keeps the areas. */
struct tr_round_input {
	const char *name;
	const char *note;
	bool has_note;
	int pool_size;			/* 0 = keep (update) or 10 (create) */
	int64_t starts_at, deadline_at; /* 0 = keep (update) / now (create's start) */
	int64_t *area_ids;
	int nareas;
};

/* FK_EINVAL "invalid_pool_size" unless k is among the allowed pool sizes of s. */
int tr_round_check_pool(const struct fk_policy_snap *s, int64_t k, struct fk_err *err);
int tr_round_create(struct fk_db *db, const struct fk_principal *who,
		    const struct tr_round_input *in, struct fk_round *out, struct fk_err *err);
int tr_round_update(struct fk_db *db, const struct fk_principal *who, int64_t id,
		    const struct tr_round_input *in, struct fk_round *out, struct fk_err *err);
/* planned -> sampling: fills round_stats for every building in the round's areas.
 * FK_ECONFLICT "round_open"/"round_closed" when not planned. */
int tr_round_open(struct fk_db *db, const struct fk_principal *who, int64_t id,
		  struct fk_round *out, struct fk_err *err);
/* sampling -> closed; FK_ECONFLICT "round_closed" / "round_not_open". */
int tr_round_close(struct fk_db *db, const struct fk_principal *who, int64_t id,
		   struct fk_round *out, struct fk_err *err);
int tr_round_areas(struct fk_db *db, int64_t id, struct tr_round_areas *out, struct fk_err *err);
/* The round if who may see it (one of its areas meets one of who's scopes), else
 * FK_ENOTFOUND "round_not_found". areas may be NULL. Teaches the coverage pulse the round's
 * areas (tr_coverage_pulse_learn). */
int tr_round_visible(struct fk_db *db, const struct fk_principal *who, int64_t id,
		     struct fk_round *out, struct tr_round_areas *areas, struct fk_err *err);
/* May who change the round: commander or admin whose scopes cover all its areas. */
bool tr_round_writable(const struct fk_principal *who, const struct tr_round_areas *areas);
/* True when path lies inside one of the round's areas. */
bool tr_round_has_path(const struct tr_round_areas *areas, const char *path);
/* Rounds who may see, newest first, before id (0 = from the newest); status NULL = any. */
int tr_round_list(struct fk_db *db, const struct fk_principal *who, const char *status,
		  int64_t before, int limit, json_t *items, struct fk_err *err);
json_t *tr_round_json(const struct fk_round *r, const struct tr_round_areas *areas);
/* The guideline targets and how far the round is from each (coverage and GET /rounds/{id}). */
json_t *tr_round_deadline_json(const struct fk_round *r, int64_t missing);

/* ---- exemptions (exempt.c) ---- */

/* Exempts person_id (in who's scope and in the round) with a reason; updates the counters of
 * an open round. *created tells a new exemption from a changed reason. */
int tr_exempt_add(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		  int64_t person_id, const char *reason, bool *created, struct fk_err *err);
int tr_exempt_remove(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		     int64_t person_id, struct fk_err *err);
/* Exemptions of the round in who's scope (under area when not NULL), as person JSON. */
int tr_exempt_list(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		   const struct fk_area *area, int limit, json_t *items, struct fk_err *err);
/* At open: counts exemptions into the fresh round_stats rows of their people's buildings. */
int tr_exempt_apply(struct fk_db *db, int64_t round_id, const struct tr_round_areas *ra,
		    struct fk_err *err);

/* ---- coverage (coverage.c) ---- */

struct tr_counts {
	int64_t expected, exempt, sampled, resulted, positive, missing;
};

json_t *tr_counts_json(const struct tr_counts *c);
/* Adds deltas to the counters row of (round, area), creating it (negative deltas as 0) when
 * the area has none yet. */
int tr_stats_bump(struct fk_db *db, int64_t round_id, int64_t area_id, const char *area_path,
		  const int64_t delta[5] /* expected, exempt, sampled, resulted, positive */,
		  struct fk_err *err);
/* Sums round_stats under path. */
int tr_counts_under(struct fk_db *db, int64_t round_id, const char *path, struct tr_counts *out,
		    struct fk_err *err);
/* Coverage rows per child of area (or per descendant of kind), or of the caller's top areas
 * in the round when area is NULL; fills rows and totals. */
int tr_coverage(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		const struct tr_round_areas *ra, const struct fk_area *area, const char *kind,
		json_t *rows, struct tr_counts *totals, struct fk_err *err);
/* The areas a caller without area_id sees first: the round's areas in its scope and its
 * scope roots inside the round's areas. */
int tr_top_areas(const struct fk_principal *who, const struct tr_round_areas *ra,
		 struct tr_round_areas *out);
/* Turnaround of the round's tubes: {tubes, sampled_to_received, received_to_resulted,
 * sampled_to_resulted} each {count, p50_ms, p90_ms, p99_ms, max_ms}. site_id 0 = all. */
int tr_turnaround(struct fk_db *db, int64_t round_id, int64_t site_id, json_t **out,
		  struct fk_err *err);
/* "N tested, all negative" and its parts, in zh and en. */
json_t *tr_summary_json(const struct tr_counts *c, const char *lang);

/* ---- missing and door-to-door lists (door.c) ---- */

struct tr_list_query {
	int64_t round_id;
	const struct tr_round_areas *ra;
	const struct fk_area *area;
	bool door; /* only people tagged home_sampling, bedridden or elderly_alone, or living in a
		    * door-to-door zone: */
	json_t *zone_paths; /* door: those zones' paths (fk_zone_door_paths), or NULL */
	int limit;
	const char *cursor;
};

/* The columns tr_person_row_json reads (people p joined with their area a). */
#define TR_PERSON_COLS                                                                             \
	"p.id, p.name, p.sex, p.birth_date, p.phone, p.household, p.tags, p.area_id, "             \
	"p.area_path, a.name, a.code"
#define TR_PERSON_NCOLS 11
/* A person of a list as the API shows it: phone masked unless who may see it. */
json_t *tr_person_row_json(struct fk_q *q, const struct fk_principal *who);

/* People of the round under area, in who's scope, neither exempt nor sampled; ordered by
 * building, household and id; paged by a keyset cursor. Items as the API shows them (phones
 * masked per who). next_cursor "" on the last page. */
int tr_missing_list(struct fk_db *db, const struct fk_principal *who, const struct tr_list_query *f,
		    json_t *items, char *next_cursor, size_t cursor_size, struct fk_err *err);

/* ---- sites (site.c) ---- */

struct tr_site {
	int64_t id;
	int64_t area_id;
	char area_path[FK_AREA_PATH_MAX];
	char code[64];
	char name[FK_AREA_NAME_MAX * 4 + 1];
	char kind[8]; /* fixed, mobile */
	int desks;
	char hours[128 * 4 + 1];
	bool has_point;
	double lat, lng;
	bool active;
};

int tr_site_save(struct fk_db *db, const struct fk_principal *who, struct tr_site *s, bool create,
		 struct fk_err *err);
/* The site if who may see it (its area in scope; a registrar: bound to it). */
int tr_site_get(struct fk_db *db, const struct fk_principal *who, int64_t id, struct tr_site *out,
		struct fk_err *err);
int tr_site_set_areas(struct fk_db *db, const struct fk_principal *who, int64_t id,
		      const int64_t *area_ids, int n, struct fk_err *err);
/* The registrars to bind: n user ids or n usernames (the other NULL); field names the body
 * member errors point at ("user_ids" or "usernames"). */
struct tr_registrar_pick {
	const int64_t *ids;
	const char *const *names;
	int n;
	const char *field;
	/* The caller, or NULL: an account none of whose scopes overlaps who's reads as unknown. */
	const struct fk_principal *who;
};
/* Replaces the site's registrars with the picks, or changes nothing when one breaks a rule
 * of tr_registrars_check. */
int tr_site_set_registrars(struct fk_db *db, const struct tr_site *s,
			   const struct tr_registrar_pick *p, struct fk_err *err);
/* The site JSON with its assigned areas and registrars. */
int tr_site_json(struct fk_db *db, const struct tr_site *s, json_t **out, struct fk_err *err);
/* The sites who may see (a registrar: those it is bound to), under the area path under when
 * not NULL, as JSON appended to items. */
int tr_site_list(struct fk_db *db, const struct fk_principal *who, const char *under, json_t *items,
		 struct fk_err *err);

/* ---- registrar accounts for sites (registrar.c) ---- */

/* Checks each pick, in the order given, as a registrar for a site at site_path: an existing
 * account the caller may see ("unknown_user": 400 for an id, 422 for a username, the same for
 * an account of another jurisdiction as for none), enabled and of role registrar
 * (422 "not_a_registrar"), with a scope overlapping the site's area (422
 * "registrar_out_of_scope"). The first failure is the error, naming p->field and the id or
 * name. On success out[i] is the id of pick i. */
int tr_registrars_check(struct fk_db *db, const char *site_path, const struct tr_registrar_pick *p,
			int64_t *out, struct fk_err *err);

struct tr_candidate_query {
	const char *site_path;
	const char *q;	    /* start of the username or part of the display name; NULL = all */
	const char *cursor; /* the last username of the previous page; NULL = first page */
	int limit;	    /* >= 1 */
};
/* The registrars tr_registrars_check would accept at the site, ordered by username, as
 * {id, username, display_name} appended to items. next_cursor gets the page's last username
 * when more follow, else "". */
int tr_registrar_candidates(struct fk_db *db, const struct tr_candidate_query *f, json_t *items,
			    char *next_cursor, size_t next_size, struct fk_err *err);

/* The round plan: people per site, sites and desks needed, warnings. */
int tr_round_plan(struct fk_db *db, const struct fk_principal *who, const struct fk_round *r,
		  const struct tr_round_areas *ra, json_t **out, struct fk_err *err);

/* ---- call-ups (callup.c) ---- */

int tr_callup_set(struct fk_db *db, const struct fk_principal *who, const struct fk_round *r,
		  const struct tr_round_areas *ra, int64_t area_id, int64_t slot_start,
		  int64_t slot_end, const char *field, struct fk_err *err);
int tr_callup_done(struct fk_db *db, const struct fk_principal *who, const struct fk_round *r,
		   int64_t area_id, json_t **out, struct fk_err *err);
int tr_callup_list(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		   const struct fk_area *area, json_t *items, struct fk_err *err);

/* ---- the coverage pulse (pulse.c) ---- */

/* fk_testing_coverage_moved (testing.h) is the pulse; these are its parts. */
/* fk_testing_coverage_moved at a given monotonic time in ms (tests); true when it published. */
bool tr_coverage_pulse_at(int64_t round_id, const char *path, int64_t now_ms);
/* Teaches the pulse the areas of round_id (tr_round_visible does it on every read). */
void tr_coverage_pulse_learn(int64_t round_id, const struct tr_round_areas *ra);

/* ---- HTTP handlers and bodies (api_round.c, api_site.c, api_coverage.c) ---- */

extern const struct fk_field tr_round_create_body[], tr_round_update_body[], tr_exempt_body[],
    tr_site_create_body[], tr_site_update_body[], tr_site_areas_body[], tr_site_registrars_body[],
    tr_callups_body[];

int tr_api_round_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_round_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_round_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_round_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_round_open(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_round_close(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_round_plan(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_exempt_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_exempt_add(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_exempt_remove(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_site_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_site_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_site_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_site_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_site_areas(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_site_registrars(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_site_candidates(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_coverage(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_missing(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_door(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_turnaround(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_summary(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_callup_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_callup_set(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int tr_api_callup_done(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
