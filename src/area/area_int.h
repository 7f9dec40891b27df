/* area_int: what the files of the area module share and nobody else uses. */
#ifndef FK_AREA_INT_H
#define FK_AREA_INT_H
#include "area/area.h"
#include "policy/policy.h"

/* ---- policy.c: grid size bounds ---- */
enum area_policy {
	AREA_POL_GRID_RESIDENTS_MAX,
	AREA_POL_GRID_HOUSEHOLDS_MIN,
	AREA_POL_GRID_HOUSEHOLDS_MAX,
	AREA_POL_RURAL_GRID_HOUSEHOLDS,
	AREA_POL_COUNT,
};
extern const struct fk_policy_def area_policies[];

/* The columns area_row reads, in its order. */
#define AREA_COLS "id, parent_id, path, depth, kind, name, code, responsible, lat, lng"

/* Fills out from the current row of a query selecting AREA_COLS (responsible is malloc'd). */
void area_row(struct fk_q *q, struct fk_area *out);

/* Begins a write transaction unless one is open; *owned tells area_tx_end whether to end it. */
int area_tx_begin(struct fk_db *db, bool *owned, struct fk_err *err);
/* With rc == 0 commits an owned transaction, else rolls it back; returns rc or the commit's
 * error. A transaction the caller opened is left to the caller. */
int area_tx_end(struct fk_db *db, bool owned, int rc, struct fk_err *err);

/* Hooks (hooks.c). */
int area_hooks_moved(struct fk_db *db, const char *old_prefix, const char *new_prefix,
		     struct fk_err *err);
/* Sum of the residents counter and the delete checks for path. */
int area_hooks_blocking(struct fk_db *db, const char *path, int64_t *count, struct fk_err *err);

/* Access rules (scope.c). Reading needs the area in scope. Writing needs its parent in
 * scope: a community worker edits the grids of its community, not the community itself;
 * admin may also edit its scope roots. */
bool area_may_read(const struct fk_principal *who, const struct fk_area *a);
bool area_may_write(const struct fk_principal *who, const struct fk_area *a);
/* May who create or move an area under parent_id? 0 = a root: admin only (FK_EPERM). A parent
 * outside the scope answers FK_ENOTFOUND naming field, as a missing one does. who NULL =
 * the system: anything goes. */
int area_check_parent(struct fk_db *db, const struct fk_principal *who, int64_t parent_id,
		      const char *field, struct fk_err *err);

/* The route table (api.c). */
extern const struct fk_route area_routes[];

/* Kind from English or Chinese ("网格" -> "grid"); NULL if unknown. */
const char *area_kind_norm(const char *s);

#endif
