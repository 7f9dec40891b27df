/* gates: checkpoints 卡口/门岗 and the people who pass them (SPEC §5) — checkpoints over
 * areas with their duty staff (volunteer accounts), the pass log (a resident's sampling code
 * or ID number, an outsider registered in full, or a duty staff member), the rule at the gate
 * under the zones in force (platform/zone_rule.h), and fever referrals followed to their
 * close.
 *
 * Other modules reach it through its descriptor (its routes answer over HTTP) and the read of
 * a checkpoint below (the duty roster names one). */
#ifndef FK_GATES_H
#define FK_GATES_H
#include <stdbool.h>
#include <stdint.h>
#include "base/err.h"
#include "platform/module.h"
#include "store/db.h"

extern const struct fk_module fk_module_gates;

/* A checkpoint as a roster names one. */
struct fk_checkpoint_brief {
	int64_t id, area_id;
	char name[260];
	char area_name[260];
	char path[256]; /* the checkpoint's area path */
	bool active;
};
/* Reads checkpoint id (no scope check: the caller checks path against its principal).
 * FK_ENOTFOUND "checkpoint_not_found" naming field (may be NULL) if there is none. */
int fk_gates_checkpoint_brief(struct fk_db *db, int64_t id, const char *field,
			      struct fk_checkpoint_brief *out, struct fk_err *err);
/* The active checkpoints at or under path, by id, into *out (malloc'd, the caller frees;
 * NULL when none) and *n. 0 or a store error. */
int fk_gates_checkpoints_under(struct fk_db *db, const char *path, struct fk_checkpoint_brief **out,
			       int *n, struct fk_err *err);

#endif
