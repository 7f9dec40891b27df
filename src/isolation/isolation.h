/* isolation: isolation and health monitoring's placements (SPEC §6) — isolation facilities
 * 隔离场所 with rooms and capacity, placements of a person (centralised isolation, home
 * isolation, home health monitoring) for a reason with the policy's days and test days, a
 * contact placed in one step, transfers 转运 from home to a facility, occupancy, releases on
 * the planned day by a job, extensions with a reason, overdue placements, and the tests due
 * while placed (a positive one is a case, through the trace module).
 *
 * The health module above it reads the placements table in its own SQL (the half-day lists
 * filter on it) and the call below; everything else goes through its routes. */
#ifndef FK_ISOLATION_H
#define FK_ISOLATION_H
#include <stdbool.h>
#include <stdint.h>
#include "base/err.h"
#include "platform/module.h"
#include "store/db.h"

#define FK_ISOLATION_DAY_LEN 11 /* "YYYY-MM-DD" and its NUL */

/* A placement as another module needs it. */
struct fk_placement {
	int64_t id, person_id;
	char area_path[256];
	char kind[20];			      /* centralised, home_isolation, home_monitoring */
	char status[12];		      /* active, overdue, released, cancelled */
	char start_day[FK_ISOLATION_DAY_LEN]; /* day 1 */
	char end_day[FK_ISOLATION_DAY_LEN];   /* the day of release */
};

/* The placement of person_id that covers day ("YYYY-MM-DD": start_day <= day < end_day),
 * not cancelled, into out: *found false when none. 0 or a store error. */
int fk_placement_on(struct fk_db *db, int64_t person_id, const char *day, struct fk_placement *out,
		    bool *found, struct fk_err *err);

/* A facility as a roster names one. */
struct fk_facility_brief {
	int64_t id, area_id;
	char name[260];
	char area_name[260];
	char path[256]; /* the facility's area path */
	bool active;
};
/* Reads facility id (no scope check: the caller checks path against its principal).
 * FK_ENOTFOUND "facility_not_found" naming field (may be NULL) if there is none. */
int fk_isolation_facility_brief(struct fk_db *db, int64_t id, const char *field,
				struct fk_facility_brief *out, struct fk_err *err);
/* The active facilities at or under path, by id, into *out (malloc'd, the caller frees;
 * NULL when none) and *n. 0 or a store error. */
int fk_isolation_facilities_under(struct fk_db *db, const char *path,
				  struct fk_facility_brief **out, int *n, struct fk_err *err);

extern const struct fk_module fk_module_isolation;

/* ---- figures (dashboard) ---- */

/* The people whose home lies at or under path and who are under a placement in force: under
 * (active or overdue), and overdue (its end passed with a test missing). No scope check.
 * 0 or the store's error. */
struct fk_placement_figures {
	int64_t under, overdue;
};
int fk_placement_figures(struct fk_db *db, const char *path, struct fk_placement_figures *out,
			 struct fk_err *err);

/* ---- figures (daily report) ---- */

/* The people at or under area path `under` under a placement (not cancelled) on day
 * ("YYYY-MM-DD", China Standard Time: start_day <= day < end_day) into *placed. Reads only;
 * 0 or a store error. */
int fk_isolation_day_placed(struct fk_db *db, const char *under, const char *day, int64_t *placed,
			    struct fk_err *err);

/* ---- rows (exports) ---- */

/* The columns of fk_placements_export_page, NULL-ended: keys and headings (Chinese). */
extern const char *const fk_placements_export_keys[];
extern const char *const fk_placements_export_heads[];
/* The placements of people at or under area path `under`, by id (the cursor is the last id read),
 * up to limit, each given to row as text columns (see fk_people_export_page: the same contract,
 * unmasked). 0 or an error. */
int fk_placements_export_page(struct fk_db *db, const char *under, const char *after, int limit,
			      int (*row)(void *ctx, const char *const *v, int n), void *ctx,
			      char *next, size_t next_size, struct fk_err *err);

#endif
