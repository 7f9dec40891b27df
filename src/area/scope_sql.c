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
	fk_scope_sql(who, sq->col, &sql);
	fk_subtree_sql(sq->col, sq->under, &sql);
	if (sq->tail)
		fk_buf_puts(&sql, sq->tail);
	rc = fk_db_query(db, out, sql.data, err);
	fk_buf_release(&sql);
	if (rc < 0)
		return rc;
	*next = fk_subtree_bind(sq->under, *out, fk_scope_bind(who, *out, sq->nhead + 1));
	return 0;
}
