/* move: re-parenting an area. The subtree's materialized paths are rewritten in one UPDATE
 * over the path range, the path columns modules declare follow (paths.c), and the move is
 * recorded in area_moves so a building moved between grids keeps its history (SPEC §1). */
#include <string.h>
#include "area/area_int.h"
#include "base/clock.h"
#include "base/id.h"

struct move {
	struct fk_area a;      /* the area as it was */
	struct fk_area parent; /* the new parent, id 0 for a root */
	char new_prefix[FK_AREA_PATH_MAX];
	int new_depth;
};

/* Reads the new parent and refuses a cycle. */
static int load_parent(struct fk_db *db, struct move *m, int64_t parent_id, struct fk_err *err)
{
	int rc;

	if (parent_id == 0)
		return 0;
	rc = fk_area_get(db, parent_id, &m->parent, err);
	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_ENOTFOUND, "parent_not_found", "parent_id",
				  "上级区域不存在", "the parent area does not exist");
	if (rc < 0)
		return rc;
	if (strncmp(m->parent.path, m->a.path, strlen(m->a.path)) == 0)
		return fk_err_set(err, FK_EUNPROC, "move_into_self", "parent_id",
				  "不能把区域“%s”移到它自己或它的下级区域之下",
				  "area \"%s\" cannot be moved under itself or one of its "
				  "descendants",
				  m->a.name);
	return 0;
}

/* Computes the new prefix and checks the deepest path of the subtree still fits. */
static int plan(struct fk_db *db, struct move *m, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	int64_t longest = 0;
	int n, rc;

	n = snprintf(m->new_prefix, sizeof(m->new_prefix), "%s%lld/",
		     m->parent.id ? m->parent.path : "/", (long long)m->a.id);
	m->new_depth = m->parent.id ? m->parent.depth + 1 : 0;
	rc = fk_db_one_i64(db, err, &longest,
			   "SELECT MAX(LENGTH(path)) FROM areas WHERE path >= ? AND path < ?", "tt",
			   m->a.path, fk_prefix_upper(m->a.path, upper));
	if (rc < 0)
		return rc;
	if (n < 0 || (size_t)n >= sizeof(m->new_prefix) ||
	    (size_t)longest - strlen(m->a.path) + (size_t)n >= FK_AREA_PATH_MAX)
		return fk_err_set(err, FK_EUNPROC, "too_deep", "parent_id", "区域层级过深",
				  "the area tree would be too deep");
	return 0;
}

/* Rewrites the paths and depths of the subtree, then the moved area's parent. */
static int rewrite(struct fk_db *db, const struct move *m, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	struct fk_q *q;
	int64_t now = fk_now_ms();
	int rc;

	rc = fk_db_query(db, &q,
			 "UPDATE areas SET path = ? || substr(path, ?), depth = depth + ?, "
			 "updated_at = ? WHERE path >= ? AND path < ?",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, m->new_prefix);
	fk_q_bind_i64(q, 2, (int64_t)strlen(m->a.path) + 1);
	fk_q_bind_i64(q, 3, m->new_depth - m->a.depth);
	fk_q_bind_i64(q, 4, now);
	fk_q_bind_text(q, 5, m->a.path);
	fk_q_bind_text(q, 6, fk_prefix_upper(m->a.path, upper));
	rc = fk_q_step(q, err);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	rc = fk_db_query(db, &q, "UPDATE areas SET parent_id = ? WHERE id = ?", err);
	if (rc < 0)
		return rc;
	if (m->parent.id)
		fk_q_bind_i64(q, 1, m->parent.id);
	else
		fk_q_bind_null(q, 1);
	fk_q_bind_i64(q, 2, m->a.id);
	rc = fk_q_step(q, err);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static int record(struct fk_db *db, const struct move *m, int64_t user_id, struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	rc = fk_db_query(db, &q,
			 "INSERT INTO area_moves (id, area_id, old_parent_id, new_parent_id, "
			 "old_path, new_path, at, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, fk_id_next());
	fk_q_bind_i64(q, 2, m->a.id);
	if (m->a.parent_id)
		fk_q_bind_i64(q, 3, m->a.parent_id);
	else
		fk_q_bind_null(q, 3);
	if (m->parent.id)
		fk_q_bind_i64(q, 4, m->parent.id);
	else
		fk_q_bind_null(q, 4);
	fk_q_bind_text(q, 5, m->a.path);
	fk_q_bind_text(q, 6, m->new_prefix);
	fk_q_bind_i64(q, 7, fk_now_ms());
	fk_q_bind_i64(q, 8, user_id);
	rc = fk_q_step(q, err);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int fk_area_move(struct fk_db *db, int64_t id, int64_t new_parent_id, int64_t user_id, bool *moved,
		 struct fk_err *err)
{
	struct move m;
	struct fk_tx tx;
	int rc;

	memset(&m, 0, sizeof(m));
	if (moved)
		*moved = false;
	rc = fk_tx_begin(db, &tx, err);
	if (rc < 0)
		return rc;
	rc = fk_area_get(db, id, &m.a, err);
	if (rc < 0 || m.a.parent_id == new_parent_id)
		goto out;
	rc = load_parent(db, &m, new_parent_id, err);
	if (rc == 0)
		rc = plan(db, &m, err);
	if (rc == 0)
		rc = rewrite(db, &m, err);
	if (rc == 0) {
		area_moves_bump();
		rc = area_paths_moved(db, m.a.path, m.new_prefix, err);
	}
	if (rc == 0)
		rc = record(db, &m, user_id, err);
	if (rc == 0 && moved)
		*moved = true;
out:
	fk_area_release(&m.a);
	fk_area_release(&m.parent);
	rc = fk_tx_end(db, &tx, rc, err);
	area_moves_bump(); /* again once committed: a cache filled meanwhile read the old paths */
	return rc;
}
