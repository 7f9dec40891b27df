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

/* Declared path columns of the modules in use (paths.c). Inside a move's transaction, rewrites
 * every declared column from old_prefix to new_prefix. */
int area_paths_moved(struct fk_db *db, const char *old_prefix, const char *new_prefix,
		     struct fk_err *err);
/* The first declared blocks_delete column with rows at or under path: *count of them and
 * *what they are (the declaration's name); *count 0 when none. */
int area_paths_blocking(struct fk_db *db, const char *path, int64_t *count, const char **what,
			struct fk_err *err);
/* Counts a move (paths.c): caches of paths compare fk_area_moves(). */
void area_moves_bump(void);

/* Access rules (scope.c). Reading needs the area in scope. Writing needs its parent in
 * scope: a community worker edits the grids of its community, not the community itself;
 * admin may also edit its scope roots. */
bool area_may_read(const struct fk_principal *who, const struct fk_area *a);
bool area_may_write(const struct fk_principal *who, const struct fk_area *a);
/* May who create or move an area under parent_id? 0 = a root: the system only (FK_EPERM
 * "root_outside_scope" for any account). A parent
 * outside the scope answers FK_ENOTFOUND naming field, as a missing one does. who NULL =
 * the system: anything goes. */
int area_check_parent(struct fk_db *db, const struct fk_principal *who, int64_t parent_id,
		      const char *field, struct fk_err *err);

/* The route table (api.c). */
extern const struct fk_route area_routes[];

/* Kind from English or Chinese ("网格" -> "grid"); NULL if unknown. */
const char *area_kind_norm(const char *s);

#endif
