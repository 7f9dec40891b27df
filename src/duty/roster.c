/* roster: the shifts of a week — at one place, of one worker, under an area, or the caller's
 * own ("my shifts") — within the caller's scope, by start. */
#include <string.h>
#include "base/buf.h"
#include "duty/internal.h"

/* The filters of q after the head's week range, in a fixed order so that each shape of
 * query is one cached statement. */
static void roster_filters(const struct du_roster_query *q, struct fk_buf *sql)
{
	if (q->kind >= 0)
		fk_buf_puts(sql, " AND place_kind = ?");
	if (q->place_id)
		fk_buf_puts(sql, " AND place_id = ?");
	if (q->worker_id)
		fk_buf_puts(sql, " AND worker_id = ?");
	if (q->mine_user_id > 0)
		fk_buf_puts(sql, " AND worker_user_id = ?");
}

static int roster_bind(const struct du_roster_query *q, struct fk_q *st, int i)
{
	if (q->kind >= 0)
		fk_q_bind_text(st, i++, du_kind_name((enum du_kind)q->kind));
	if (q->place_id)
		fk_q_bind_i64(st, i++, q->place_id);
	if (q->worker_id)
		fk_q_bind_i64(st, i++, q->worker_id);
	if (q->mine_user_id > 0)
		fk_q_bind_i64(st, i++, q->mine_user_id);
	return i;
}

static int roster_prepare(struct fk_db *db, const struct fk_principal *who,
			  const struct du_roster_query *q, struct fk_q **st, struct fk_err *err)
{
	struct fk_buf sql;
	int rc, i = 4;

	fk_buf_init(&sql, 8192);
	fk_buf_puts(&sql, DU_SHIFT_SELECT " WHERE starts_at < ? AND starts_at > ? AND ends_at > ?");
	roster_filters(q, &sql);
	fk_subtree_sql("area_path", q->under, &sql);
	if (q->mine_user_id <= 0) {
		fk_buf_puts(&sql, " AND ");
		fk_scope_sql(who, "area_path", &sql);
	}
	fk_buf_puts(&sql, " ORDER BY starts_at, id LIMIT ?");
	rc = fk_db_query(db, st, sql.data, err);
	fk_buf_release(&sql);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(*st, 1, q->to);
	fk_q_bind_i64(*st, 2, q->from - DU_SHIFT_MAX_MS);
	fk_q_bind_i64(*st, 3, q->from);
	i = fk_subtree_bind(q->under, *st, roster_bind(q, *st, i));
	if (q->mine_user_id <= 0)
		i = fk_scope_bind(who, *st, i);
	fk_q_bind_i64(*st, i, DU_ROSTER_MAX + 1);
	return 0;
}

int du_roster(struct fk_db *db, const struct fk_principal *who, const struct du_roster_query *q,
	      json_t *out, struct fk_err *err)
{
	struct fk_q *st = NULL;
	json_t *items;
	bool more = false;
	int rc = roster_prepare(db, who, q, &st, err);

	if (rc < 0)
		return rc;
	items = json_array();
	while ((rc = fk_q_step(st, err)) > 0) {
		if (json_array_size(items) == DU_ROSTER_MAX) {
			more = true;
			break;
		}
		json_array_append_new(items, du_shift_row(st));
	}
	fk_q_done(st);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	json_object_set_new(out, "items", items);
	json_object_set_new(out, "truncated", json_boolean(more));
	return 0;
}
