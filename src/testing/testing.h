/* testing: whole-population nucleic-acid testing rounds (SPEC §3) — rounds over a set of areas,
 * exemptions, sampling sites and their desks and registrars, per-building call-up slots, live
 * coverage per area level, turnaround and door-to-door lists (rounds part); tubes, scans,
 * boxes, lab results and positive-pool retests (tubes part).
 *
 * This header is what other modules, and the two halves of the module, may call. */
#ifndef FK_TESTING_H
#define FK_TESTING_H
#include <stdbool.h>
#include <stdint.h>
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

#endif
