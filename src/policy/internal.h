/* internal: what the policy module's files share — the snapshot, the registry's checks,
 * the store's tables, the HTTP handlers and the policies declared here for modules to come. */
#ifndef FK_POLICY_INTERNAL_H
#define FK_POLICY_INTERNAL_H
#include <stdatomic.h>
#include "http/http.h"
#include "platform/module.h"
#include "policy/policy.h"

#define POLICY_LIST_MAX	  32   /* items of an INT_LIST */
#define POLICY_REASON_MAX 500  /* characters of an edit's reason */
#define POLICY_CHECK_MS	  1000 /* the cache looks at the store's version at most this often */

/* Immutable once made; shared by the threads that hold a reference. */
struct fk_policy_snap {
	atomic_int refs;
	int64_t version;
	json_t *values; /* key -> stored value; a key not here has its default */
};

struct fk_policy_snap *policy_snap_new(json_t *values, int64_t version); /* steals values */

const char *policy_type_name(enum fk_policy_type t);
const char *policy_unit_name(enum fk_policy_unit u); /* NULL when there is none */
int64_t policy_unit_ms(enum fk_policy_unit u);

/* Every collected key -> its value in snap overlaid with changes (may be NULL): what an edit
 * would leave. A new reference. */
json_t *policy_values_all(const struct fk_policy_snap *snap, json_t *changes);

/* ---- store.c ---- */
/* Versions newest first, before (0 = from the newest), at most limit, into items. */
int policy_history(struct fk_db *db, int64_t before, int64_t limit, json_t *items,
		   struct fk_err *err);

/* ---- api.c ---- */
extern const struct fk_route policy_routes[];

/* ---- future.c: declared for the modules to come, under their prefixes ---- */
extern const struct fk_policy_def policy_future_defs[];

#endif
