/* area: the tree of areas (SPEC §1) — district, street, community, grid, building, unit,
 * household, and compounds/parks of their own kind — with materialized paths ("/1/12/305/",
 * ids of the ancestors and itself), codes and responsible persons. A scope is a set of area
 * paths, so the scope filter every people query uses lives here too.
 *
 * Writes (create, update, move, delete, import) run in their own transaction, or inside the
 * caller's when one is open (fk_db_in_tx), so a bulk loader may wrap many of them in one.
 *
 * Higher modules keep copies of area paths in their own tables (people.area_path, a round's
 * areas...). They declare those columns in their descriptor (struct fk_area_path in
 * platform/module.h) and the area module keeps them right: a move rewrites every declared
 * column in its transaction, a delete is refused while declared blocking rows lie under the
 * area, and the column marked residents feeds residents_count and the grid-size warning of
 * GET /areas/{id}. A module that caches paths in memory compares fk_area_moves(). */
#ifndef FK_AREA_H
#define FK_AREA_H
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "base/err.h"
#include "base/buf.h"
#include "base/csv.h"
#include "base/report.h"
#include "store/db.h"
#include "http/http.h"
#include "users/principal.h"

extern const struct fk_module fk_module_area;

#define FK_AREA_PATH_MAX 256 /* bytes with the NUL; limits the depth to about 12 */
#define FK_AREA_NAME_MAX 64  /* characters (UTF-8) */
#define FK_AREA_CODE_MAX 32  /* bytes of [A-Za-z0-9_-] */
#define FK_AREA_RESP_MAX 20  /* responsible persons per area */

struct fk_area {
	int64_t id;
	int64_t parent_id; /* 0 for a root */
	char path[FK_AREA_PATH_MAX];
	int depth;     /* root = 0 */
	char kind[24]; /* district, street, community, village, grid, building, unit,
			  household, compound, park, other */
	char name[FK_AREA_NAME_MAX * 4 + 1];
	char code[64];	   /* unique across the store */
	char *responsible; /* JSON array text [{"title","name","phone"}], malloc'd or NULL */
	bool has_point;	   /* lat/lng set */
	double lat, lng;
};

/* True for one of the kinds above. */
bool fk_area_kind_valid(const char *kind);
/* Checks kind, name, code, responsible and the point; FK_EINVAL naming the field. */
int fk_area_validate(const struct fk_area *a, struct fk_err *err);
/* The name and code of a place set up in an area (a sampling site, a checkpoint): name 1 to
 * FK_AREA_NAME_MAX characters ("invalid_name"), code 1 to FK_PLACE_CODE_MAX of [A-Za-z0-9_-]
 * ("invalid_code"); FK_EINVAL naming the field, else 0. */
#define FK_PLACE_CODE_MAX 32
int fk_place_label_check(const char *name, const char *code, struct fk_err *err);
/* Checks a responsible array (JSON: [{title,name,phone}], name required, phones validated
 * and normalised) and writes its canonical compact text to *out (malloc'd). Errors name
 * the field as "responsible[2].phone". */
int fk_area_responsible_text(json_t *arr, char **out, struct fk_err *err);

/* Creates an area under parent_id (0 = a root; only the CLI and admin make roots). Fills
 * a->id, a->path, a->depth. FK_ECONFLICT on a taken code, FK_ENOTFOUND on a missing parent,
 * FK_EINVAL on a bad kind, name or code, FK_EUNPROC "too_deep" past FK_AREA_PATH_MAX. */
int fk_area_create(struct fk_db *db, struct fk_area *a, struct fk_err *err);
/* Reads an area by id or by code. FK_ENOTFOUND if missing. Call fk_area_release after. */
int fk_area_get(struct fk_db *db, int64_t id, struct fk_area *out, struct fk_err *err);
int fk_area_get_by_code(struct fk_db *db, const char *code, struct fk_area *out,
			struct fk_err *err);
void fk_area_release(struct fk_area *a);
/* Reads area id for a caller and checks it lies in who's scope (who NULL: no check). An
 * area missing or outside the scope is the same FK_ENOTFOUND "area_not_found" naming field,
 * so a caller learns nothing of areas it may not see. Call fk_area_release after. */
int fk_area_get_in_scope(struct fk_db *db, const struct fk_principal *who, int64_t id,
			 const char *field, struct fk_area *out, struct fk_err *err);
/* The subtree a list's query parameter name (e.g. "area_id") chooses: *under is the area's
 * path, in the request's arena, when the area lies in the caller's scope; NULL when the
 * parameter is absent or empty. FK_EINVAL "invalid_id" naming name for a malformed id;
 * FK_ENOTFOUND "area_not_found" naming name for an area missing or outside the scope.
 *   const char *under;
 *   if ((rc = fk_req_area_under(req, "area_id", &under, err)) < 0) return rc; */
int fk_req_area_under(struct fk_req *req, const char *name, const char **under, struct fk_err *err);
/* Writes kind, name, code, responsible and the point of the area a->id (its parent, path
 * and depth are not touched: see fk_area_move). FK_ENOTFOUND, FK_ECONFLICT "code_taken". */
int fk_area_update(struct fk_db *db, const struct fk_area *a, struct fk_err *err);
/* Moves area id under new_parent_id (0 = make it a root), rewriting the paths of its whole
 * subtree and of every declared path column (struct fk_area_path), and records the move in
 * area_moves for user_id (0 = system). One transaction. FK_EUNPROC "move_into_self" when the
 * new parent is the area or one of its descendants. Moving to the current parent is a no-op.
 * *moved (may be NULL) tells whether anything changed. */
int fk_area_move(struct fk_db *db, int64_t id, int64_t new_parent_id, int64_t user_id, bool *moved,
		 struct fk_err *err);
/* Deletes a leaf area. FK_ECONFLICT "area_not_empty" if it has children or residents. */
int fk_area_delete(struct fk_db *db, int64_t id, struct fk_err *err);

int fk_area_children_count(struct fk_db *db, int64_t id, int64_t *out, struct fk_err *err);
/* Residents at or under path, from the module column declared residents; 0 when none is. */
int fk_area_residents_count(struct fk_db *db, const char *path, int64_t *out, struct fk_err *err);

/* A list of areas (malloc'd); release with fk_area_list_release. */
struct fk_area_list {
	struct fk_area *items;
	size_t n;
};
void fk_area_list_release(struct fk_area_list *l);

struct fk_area_query {
	int64_t parent_id; /* children of this area; 0 = see below */
	const char *kind;  /* only this kind, or NULL */
	const char *q;	   /* name or code contains, or NULL */
	int limit;	   /* 0 = 1000 */
};
/* Areas within who's scopes, ordered by code. With parent_id: its children (FK_ENOTFOUND if
 * the parent is missing or outside the scope). Without: the scope roots when neither kind
 * nor q is given, else every area in the scopes matching them. */
int fk_area_list(struct fk_db *db, const struct fk_principal *who, const struct fk_area_query *f,
		 struct fk_area_list *out, struct fk_err *err);
/* The ancestors of a, root first. */
int fk_area_ancestors(struct fk_db *db, const struct fk_area *a, struct fk_area_list *out,
		      struct fk_err *err);

/* Imports areas from CSV (columns code,name,kind,parent_code,responsible_title,
 * responsible_name,responsible_phone[,lat,lng]; or 编码,名称,类型,上级编码,职务,负责人,电话
 * [,纬度,经度]), upserting by code, parents from the store or anywhere in the file. who NULL
 * means the system (no scope limit, roots allowed). A broken quote, a bad encoding or a
 * missing column fails with FK_EINVAL naming the line and nothing written; bad rows are
 * reported in rep (which the caller initialises and releases) while good rows are kept, all
 * in one transaction. Importing the same file twice changes nothing. */
int fk_area_import_csv(struct fk_db *db, const char *data, size_t len, enum fk_csv_enc enc,
		       const struct fk_principal *who, struct fk_import_report *rep,
		       struct fk_err *err);

/* Changes whenever an area moves (before the rewrite and again after its transaction): a
 * cache of area paths made at one value is stale at another. */
uint64_t fk_area_moves(void);

/* ---- scopes: every query on people data goes through these ---- */

/* True when path lies inside one of who's scopes. who NULL: false. */
bool fk_scope_covers(const struct fk_principal *who, const char *path);
/* True when path and one of who's scopes overlap: path lies inside the scope, or the scope
 * lies inside path's subtree (a grid worker overlaps its community). who NULL: false. For
 * hints that name no person (a round's figures moved), never for people data. */
bool fk_scope_overlaps(const struct fk_principal *who, const char *path);
/* Appends to sql a condition limiting column col (a materialized path) to who's scopes:
 * "((col >= ? AND col < ?) OR ...)". A principal without scopes gets "(1 = 0)": no rows.
 * Returns the number of placeholders added. */
int fk_scope_sql(const struct fk_principal *who, const char *col, struct fk_buf *sql);
/* Binds the values for the placeholders fk_scope_sql added, from index first; returns the
 * next free index. */
int fk_scope_bind(const struct fk_principal *who, struct fk_q *q, int first);

/* Narrowing to one subtree (scope_sql.c): fk_subtree_sql appends " AND col >= ? AND col < ?"
 * when path is not NULL (nothing when it is), and fk_subtree_bind binds those two from idx,
 * returning the next free index. */
void fk_subtree_sql(const char *col, const char *path, struct fk_buf *sql);
int fk_subtree_bind(const char *path, struct fk_q *q, int idx);

/* A list over the rows inside who's scopes, as one prepared statement (scope_sql.c): the SQL
 * is head, then the range of the subtree under when it is not NULL (first, so that SQLite
 * walks the index over that narrower range), then the scope condition on col (fk_scope_sql),
 * then tail. */
struct fk_scoped_query {
	const char *head;  /* "SELECT ... WHERE c.round_id = ? AND " */
	int nhead;	   /* its '?' placeholders, bound by the caller from 1 */
	const char *col;   /* the rows' materialized path column, "p.area_path" */
	const char *under; /* an area path the caller chose and checked, or NULL */
	const char *tail;  /* " ORDER BY ... LIMIT ?", or NULL; its placeholders from *next */
};
/* Prepares the query and binds the scope's and the subtree's values; *next is the index of
 * tail's first placeholder. The SQL text depends only on the query and on how many scopes who
 * has, so the statement cache keeps one per shape. <0 with err filled: *out is NULL.
 *   struct fk_scoped_query sq = {.head = "SELECT id FROM people p WHERE p.household = ? AND ",
 *                                .nhead = 1, .col = "p.area_path", .tail = " LIMIT ?"};
 *   rc = fk_scoped_query(db, who, &sq, &q, &i, err);
 *   if (rc == 0) { fk_q_bind_text(q, 1, household); fk_q_bind_i64(q, i, limit); ... } */
int fk_scoped_query(struct fk_db *db, const struct fk_principal *who,
		    const struct fk_scoped_query *sq, struct fk_q **out, int *next,
		    struct fk_err *err);

/* ---- subtree ranges ---- */

/* For a read of the rows at or under path (`col >= path AND col < upper`): checks that path
 * fits (FK_EINVAL "too_long" naming area_path) and writes the range's upper end into upper
 * (fk_prefix_upper). */
int fk_area_upper(const char *path, char upper[FK_AREA_PATH_MAX + 5], struct fk_err *err);

/* ---- shapes (dashboard) ---- */

#define FK_AREA_GEOMETRY_MAX_POINTS 100000 /* positions in one area's shape */

/* Checks g is a GeoJSON Polygon or MultiPolygon of closed rings of at least four
 * [longitude, latitude] positions in range, at most FK_AREA_GEOMETRY_MAX_POINTS in all.
 * FK_EUNPROC "invalid_geometry" naming the part at fault under field ("geometry.coordinates[0]
 * [2]"), else 0. Does not keep g. */
int fk_area_geometry_check(json_t *g, const char *field, struct fk_err *err);
/* Checks g as above and stores it as area id's shape (g NULL clears it); does not keep g.
 * FK_ENOTFOUND "area_not_found" when there is no such area. No scope check. */
int fk_area_geometry_set(struct fk_db *db, int64_t id, json_t *g, struct fk_err *err);
/* Stores the shapes of a GeoJSON FeatureCollection whose features carry properties.code (an
 * area code) and a geometry, all or none in one transaction (the caller's when one is open).
 * A feature at fault fails the whole import naming it: "features[3].properties.code"
 * (FK_EINVAL missing_field, FK_EUNPROC unknown_area) or "features[3].geometry..."
 * (invalid_geometry); not a FeatureCollection: FK_EINVAL "invalid_geojson". *count gets the
 * features stored. Does not keep fc. */
int fk_area_import_geometry(struct fk_db *db, json_t *fc, size_t *count, struct fk_err *err);
/* The shapes of area parent_id's children that have one, as a new GeoJSON FeatureCollection
 * in *out (the caller owns it), each feature's properties {id, code, name, kind}, by code.
 * No scope check: the caller checks the parent. */
int fk_area_children_shapes(struct fk_db *db, int64_t parent_id, json_t **out, struct fk_err *err);

#endif
