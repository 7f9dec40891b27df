/* testing: whole-population nucleic-acid testing rounds (SPEC §3) — rounds over a set of areas,
 * exemptions, sampling sites and their desks and registrars, per-building call-up slots, live
 * coverage per area level, turnaround and door-to-door lists. Tubes, scans, boxes and lab
 * results are the tubes module's (tubes/tubes.h), which stands on this one.
 *
 * This header is what other modules may call: rounds, the counters a sample moves, the desk's
 * view of a site, and the hint that a round's coverage moved. */
#ifndef FK_TESTING_H
#define FK_TESTING_H
#include <stdbool.h>
#include <stdint.h>
#include "area/area.h"
#include "base/err.h"
#include "store/db.h"
#include "http/http.h"
#include "users/principal.h"

extern const struct fk_module fk_module_testing;

/* ---- rounds ---- */

#define FK_ROUND_NAME_MAX 64  /* characters */
#define FK_ROUND_NOTE_MAX 500 /* characters */

enum fk_round_status {
	FK_ROUND_PLANNED = 1, /* created, not yet open: no counters yet */
	FK_ROUND_SAMPLING,    /* open: scans are accepted, round_stats filled */
	FK_ROUND_CLOSED,      /* closed: no more scans; results may still arrive */
};

struct fk_round {
	int64_t id;
	char name[FK_ROUND_NAME_MAX * 4 + 1];
	enum fk_round_status status;
	int pool_size;	     /* people per tube: 1, 5, 10 or 20 */
	int64_t starts_at;   /* epoch ms */
	int64_t deadline_at; /* epoch ms; after starts_at */
	int64_t opened_at;   /* 0 until opened */
	int64_t closed_at;   /* 0 until closed */
	int64_t created_by;  /* user id, 0 = system */
	int64_t created_at;
	char note[FK_ROUND_NOTE_MAX * 4 + 1];
	/* The policy versions the round followed (0 = the defaults): made (pool size, targets)
	 * and opened (targets then in force; 0 until opened), and the targets themselves, kept
	 * so a later policy change does not move them. */
	int64_t policy_version;
	int64_t opened_policy_version;
	int64_t round_target_ms;
	int64_t sampling_target_ms;
};

/* "planned", "sampling", "closed". */
const char *fk_round_status_name(enum fk_round_status s);

/* Reads round id (no scope check: rounds carry no people data; callers that expose a round
 * check the scope of what they show). FK_ENOTFOUND "round_not_found" if there is none. */
int fk_round_get(struct fk_db *db, int64_t id, struct fk_round *out, struct fk_err *err);
/* The same for a caller who must see the round: one of its areas overlaps who's scope, else
 * FK_ENOTFOUND "round_not_found", as for a round that does not exist. */
int fk_round_get_visible(struct fk_db *db, const struct fk_principal *who, int64_t id,
			 struct fk_round *out, struct fk_err *err);

/* Whether the person's building is inside one of the round's areas. */
int fk_round_covers_path(struct fk_db *db, int64_t round_id, const char *area_path, bool *out,
			 struct fk_err *err);

/* Adds deltas to the per-building counters of an open or closed round. Call it in the same
 * transaction as the scan / undo / void / result that causes the change. A building that has
 * no row yet (a visitor registered at a building outside the round's areas at open time, or a
 * resident moved in later) gets one with expected 0. FK_ENOTFOUND "area_not_found" if
 * building_id is not an area. */
int fk_round_stats_add(struct fk_db *db, int64_t round_id, int64_t building_id, int sampled,
		       int resulted, int positive, struct fk_err *err);

/* ---- sites, as a sampling desk sees one ---- */

struct fk_site_desk {
	int64_t area_id;
	char path[FK_AREA_PATH_MAX]; /* the site's area path */
	bool active;
	bool bound; /* user_id is one of the site's registrars */
};

/* Reads site site_id for a desk of user_id, in one query (a tube open runs it). No scope
 * check: the caller checks the path against its principal. FK_ENOTFOUND "site_not_found"
 * naming site_id if there is none. */
int fk_testing_site_desk(struct fk_db *db, int64_t site_id, int64_t user_id,
			 struct fk_site_desk *out, struct fk_err *err);
/* FK_ENOTFOUND "site_not_found" naming field (may be NULL): the one reply for a site that does
 * not exist and for one the caller may not see. */
int fk_testing_site_not_found(const char *field, struct fk_err *err);

/* ---- sites, as a roster names one ---- */

struct fk_site_brief {
	int64_t id, area_id;
	char name[260];
	char area_name[260];
	char path[FK_AREA_PATH_MAX]; /* the site's area path */
	int desks;
	bool active;
};
/* Reads site id (no scope check: the caller checks path against its principal).
 * FK_ENOTFOUND "site_not_found" naming field (may be NULL) if there is none. */
int fk_testing_site_brief(struct fk_db *db, int64_t id, const char *field,
			  struct fk_site_brief *out, struct fk_err *err);
/* The active sites at or under path, by id, into *out (malloc'd, the caller frees; NULL when
 * none) and *n. 0 or a store error. */
int fk_testing_sites_under(struct fk_db *db, const char *path, struct fk_site_brief **out, int *n,
			   struct fk_err *err);

/* ---- the coverage pulse ---- */

/* Tells every screen showing round_id's coverage that its figures moved: publishes the wide
 * event "coverage" {round_id} (events.h), at most once a second per round (the first call of
 * a quiet second publishes, the others of that second do nothing). Call it after the change
 * is committed; round_id <= 0 does nothing, so a reply replayed from a client key (no tube
 * read) may pass what it has. Thread-safe and cheap enough for every scan: it never touches
 * the store nor waits (one short mutex), and publishes nothing personal.
 *
 * Where the event goes: the deepest area path all the round's areas lie in, published wide,
 * so every user whose scope overlaps one of the round's areas receives it — a scope that
 * overlaps an area lies inside that ancestor or covers the area, and so overlaps the
 * ancestor too. Others under the ancestor (a sibling community, when a round spans two)
 * receive it as well; it names only the round, so that costs them one refresh. While the
 * round's areas are not known here (the module learns them whenever it reads a round for a caller),
 * or share no ancestor, the event goes to path instead — the caller's best cheap guess, such as the
 * site's area path of the tube (users overlapping the site then hear of it); NULL: nothing is
 * published. */
void fk_testing_coverage_moved(int64_t round_id, const char *path);

/* ---- figures (dashboard) ---- */

/* The newest open (sampling) round one of whose areas lies at or under path or holds it, in
 * *round_id; 0 when there is none. No scope check. 0 or the store's error. */
int fk_round_open_over(struct fk_db *db, const char *path, int64_t *round_id, struct fk_err *err);
/* The ids of every open (sampling) round, oldest first, into *ids (malloc'd, the caller
 * frees; NULL when none) and *n. 0 or the store's error. */
int fk_rounds_open(struct fk_db *db, int64_t **ids, int *n, struct fk_err *err);

/* A round's counters summed over the buildings at or under path (round_stats, moved as the
 * samples are): expected (residents less the exempt at open, and visitors since), exempt,
 * sampled, resulted, positive. No scope check. 0 or the store's error. */
struct fk_round_figures {
	int64_t expected, exempt, sampled, resulted, positive;
};
int fk_round_figures_under(struct fk_db *db, int64_t round_id, const char *path,
			   struct fk_round_figures *out, struct fk_err *err);

/* ---- rows (exports) ---- */

/* The columns of fk_round_missing_page, NULL-ended: keys and headings (Chinese). */
extern const char *const fk_round_missing_keys[];
extern const char *const fk_round_missing_heads[];
/* The people at or under area path `under` living in round round_id's areas, neither sampled
 * (a live sample) nor exempt, in the order of the people_area index (area, name, id), up to limit,
 * each given to row as text columns (see fk_people_export_page: the same contract, unmasked). 0 or
 * an error. */
int fk_round_missing_page(struct fk_db *db, int64_t round_id, const char *under, const char *after,
			  int limit, int (*row)(void *ctx, const char *const *v, int n), void *ctx,
			  char *next, size_t next_size, struct fk_err *err);

#endif
