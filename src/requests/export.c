/* export: the requests module's rows for exports (requests.h): the requests of people under an
 * area, by id, a page at a time, as text columns, unmasked. */
#include <stdio.h>
#include <string.h>
#include "area/area.h"
#include "base/clock.h"
#include "requests/requests.h"

const char *const fk_requests_export_keys[] = {
    "id",	 "created_at", "kind",	    "urgency",	     "status", "level",	 "source",
    "ticket_no", "name",       "id_number", "contact_phone", "detail", "due_at", NULL};
const char *const fk_requests_export_heads[] = {
    "编号",   "提出时间", "类别",     "紧急程度", "状态", "所在层级", "来源",
    "工单号", "姓名",	  "证件号码", "联系电话", "内容", "办理时限", NULL};

#define NCOLS 13

/* One row's columns as text; epoch ms columns as ISO 8601. */
static int emit(struct fk_q *q, int (*row)(void *ctx, const char *const *v, int n), void *ctx,
		int64_t *last_id)
{
	const char *v[NCOLS];
	char times[NCOLS][32];

	for (int i = 0; i < NCOLS; i++) {
		v[i] = fk_q_text(q, i);
		if (!v[i])
			v[i] = "";
		else if (i == 1 || i == 12)
			v[i] = fk_iso8601(fk_q_i64(q, i), times[i]);
	}
	*last_id = fk_q_i64(q, 0);
	return row(ctx, v, NCOLS);
}

int fk_requests_export_page(struct fk_db *db, const char *under, int64_t after_id, int limit,
			    int (*row)(void *ctx, const char *const *v, int n), void *ctx,
			    int64_t *last_id, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	struct fk_q *q;
	int rc;

	*last_id = after_id;
	if (strlen(under) >= FK_AREA_PATH_MAX)
		return 0;
	fk_prefix_upper(under, upper);
	rc = fk_db_query(
	    db, &q,
	    "SELECT r.id, r.created_at, r.kind, r.urgency, r.status, r.level, r.source, "
	    "r.ticket_no, p.name, p.id_number, r.contact_phone, r.detail, r.due_at FROM requests r "
	    "JOIN people p ON p.id = r.person_id WHERE r.area_path >= ? AND r.area_path < ? AND "
	    "r.id > ? ORDER BY r.id LIMIT ?",
	    err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, under);
	fk_q_bind_text(q, 2, upper);
	fk_q_bind_i64(q, 3, after_id);
	fk_q_bind_i64(q, 4, limit);
	while ((rc = fk_q_step(q, err)) > 0)
		if ((rc = emit(q, row, ctx, last_id)) < 0)
			break;
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
