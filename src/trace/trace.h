/* trace: tracing (SPEC §10) — cases (positive people: confirmed, asymptomatic, recovered),
 * their close and secondary contacts with the place and time they shared, the move of a
 * close contact who becomes a case (their contacts proposed, the old case's secondary
 * contacts moved up in one confirmation), and the transmission graph with generations.
 *
 * A settled positive retest becomes a case at once: the module listens to tubes' signal
 * FK_SIGNAL_POSITIVE_RETEST. Modules above it (isolation) reach it through the calls below;
 * everything else goes through its routes. */
#ifndef FK_TRACE_H
#define FK_TRACE_H
#include <stdbool.h>
#include <stdint.h>
#include "base/err.h"
#include "platform/module.h"
#include "store/db.h"
#include "users/principal.h"

#define FK_TRACE_KIND_MAX 16

/* A contact as another module needs it. */
struct fk_trace_contact {
	int64_t id, case_id, person_id;
	char kind[FK_TRACE_KIND_MAX];	/* "close" or "secondary" */
	char status[FK_TRACE_KIND_MAX]; /* listed, placed, became_case, moved */
};

/* Reads contact id into out when who's scope covers the contact's person (who NULL: the
 * system, no scope). FK_ENOTFOUND "contact_not_found" naming field (e.g. "contact_id") when
 * there is none or it is outside the scope; else 0 or a store error. */
int fk_trace_contact_get(struct fk_db *db, const struct fk_principal *who, int64_t id,
			 const char *field, struct fk_trace_contact *out, struct fk_err *err);

/* Marks contact id placed under placement_id, in the caller's transaction. 0, or
 * FK_ENOTFOUND "contact_not_found", or a store error. */
int fk_trace_contact_placed(struct fk_db *db, int64_t id, int64_t placement_id, struct fk_err *err);

/* Makes person_id a case found by found_by ("retest", "isolation_test", ...), in the caller's
 * transaction, by the system (no scope). A person who is a close contact of a case gets that
 * case as source, one generation on, and their contact row becomes "became_case"; the
 * move-up of the old case's secondary contacts waits for a worker's confirmation. A person
 * who already is a case keeps it: *created false. *case_id (may be NULL) is the case's id.
 * 0 or a store error. */
int fk_trace_case_found(struct fk_db *db, int64_t person_id, const char *found_by, int64_t *case_id,
			bool *created, struct fk_err *err);

extern const struct fk_module fk_module_trace;

/* ---- figures (dashboard) ---- */

/* The cases whose home lies at or under path: total, and active (confirmed or asymptomatic,
 * not recovered). No scope check: the caller checks path. 0 or the store's error. */
struct fk_case_figures {
	int64_t total, active;
};
int fk_trace_case_figures(struct fk_db *db, const char *path, struct fk_case_figures *out,
			  struct fk_err *err);

/* ---- figures (daily report) ---- */

/* The cases made at or under area path `under` over [from, to) (epoch ms) into *cases.
 * Reads only; 0 or a store error. */
int fk_trace_day_cases(struct fk_db *db, const char *under, int64_t from, int64_t to,
		       int64_t *cases, struct fk_err *err);

#endif
