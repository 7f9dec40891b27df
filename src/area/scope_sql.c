/* scope_sql: list queries filtered to a principal's jurisdiction, built once here rather than
 * by hand in each module: the scope condition (scope.c), an optional subtree the caller chose,
 * and the binding of both. See fk_scoped_query in area.h. */
#include "area/area_int.h"

void fk_subtree_sql(const char *col, const char *path, struct fk_buf *sql)
{
	if (path)
		fk_buf_printf(sql, " AND %s >= ? AND %s < ?", col, col);
}

int fk_subtree_bind(const char *path, struct fk_q *q, int idx)
{
	char upper[FK_AREA_PATH_MAX + 8];

	if (!path)
		return idx;
	fk_q_bind_text(q, idx++, path);
	fk_q_bind_text(q, idx++, fk_prefix_upper(path, upper));
	return idx;
}

int fk_scoped_query(struct fk_db *db, const struct fk_principal *who,
		    const struct fk_scoped_query *sq, struct fk_q **out, int *next,
		    struct fk_err *err)
{
	struct fk_buf sql;
	int rc;

	*out = NULL;
	fk_buf_init(&sql, FK_BUF_SQL_MAX);
	fk_buf_puts(&sql, sq->head);
	/* The subtree's range first: SQLite takes the first of two ranges on one column for the
	 * index, and the subtree is the narrower (a commander listing a 50,000-person zone walked
	 * the whole district's index entries with the scope's range first). */
	if (sq->under)
		fk_buf_printf(&sql, "%s >= ? AND %s < ? AND ", sq->col, sq->col);
	fk_scope_sql(who, sq->col, &sql);
	if (sq->tail)
		fk_buf_puts(&sql, sq->tail);
	rc = fk_db_query(db, out, sql.data, err);
	fk_buf_release(&sql);
	if (rc < 0)
		return rc;
	*next = fk_scope_bind(who, *out, fk_subtree_bind(sq->under, *out, sq->nhead + 1));
	return 0;
}
