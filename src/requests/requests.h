/* requests: residents' requests handled in a closed loop (SPEC §7) — medicine, medical care,
 * living supplies, help for the elderly, complaints — raised by the resident on the phone, by
 * a worker for them, from a hotline ticket or a follow-up call; each sits at the lowest level
 * that can take it (building, grid, community, street), has a deadline by kind and urgency
 * from the policies, climbs one level when the deadline passes (job requests.escalate), and
 * closes only on the resident's confirmation or a worker's recorded reason.
 *
 * Modules above it (calls) raise requests through the call below; everything else goes
 * through its routes. */
#ifndef FK_REQUESTS_H
#define FK_REQUESTS_H
#include <stdint.h>
#include "base/err.h"
#include "platform/module.h"
#include "store/db.h"
#include "users/principal.h"

extern const struct fk_module fk_module_requests;

/* A request to raise for a person. kind: medicine, medical, supplies, elderly_help,
 * complaint, other; urgency: normal or urgent; source: resident, worker, hotline or call. */
struct fk_request_new {
	int64_t person_id;
	const char *kind, *urgency, *detail, *source;
	const char *contact_phone; /* may be NULL */
	int64_t call_id;	   /* the follow-up call it came from, or 0 */
};

/* Raises r for who (the person must be in who's scope: FK_ENOTFOUND "person_not_found" naming
 * person_id otherwise) in the caller's transaction: places it at its level, sets its
 * deadline, logs it and raises its event and alert. *id (may be NULL) gets its id.
 * FK_EINVAL naming the field for a bad kind, urgency or detail; else 0 or a store error. */
int fk_request_raise(struct fk_db *db, const struct fk_principal *who,
		     const struct fk_request_new *r, int64_t *id, struct fk_err *err);

/* ---- figures (dashboard) ---- */

/* The requests of people whose home lies at or under path still to be met: open (open or
 * accepted) and, of those, overdue (their deadline at or before now, epoch ms). No scope
 * check: the caller checks path. 0 or the store's error. */
struct fk_request_figures {
	int64_t open, overdue;
};
int fk_request_figures(struct fk_db *db, const char *path, int64_t now,
		       struct fk_request_figures *out, struct fk_err *err);

/* ---- figures (daily report) ---- */

struct fk_requests_day {
	int64_t hotline_tickets; /* requests from the hotline made in the day */
	int64_t handled;	 /* requests marked done, closed or confirmed in the day */
	int64_t overdue;	 /* requests past their deadline and not closed at the day's end */
};
/* The day's requests at or under area path `under` over [from, to) (epoch ms). Reads only;
 * 0 or a store error. */
int fk_requests_day_figures(struct fk_db *db, const char *under, int64_t from, int64_t to,
			    struct fk_requests_day *out, struct fk_err *err);

/* ---- rows (exports) ---- */

/* The columns of fk_requests_export_page, NULL-ended: keys and headings (Chinese). */
extern const char *const fk_requests_export_keys[];
extern const char *const fk_requests_export_heads[];
/* The requests of people at or under area path `under`, in the order of the requests_path index
 * (area, id), up to limit, each given to row as text columns (see fk_people_export_page: the same
 * contract, unmasked). 0 or an error. */
int fk_requests_export_page(struct fk_db *db, const char *under, const char *after, int limit,
			    int (*row)(void *ctx, const char *const *v, int n), void *ctx,
			    char *next, size_t next_size, struct fk_err *err);

#endif
