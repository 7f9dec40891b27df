/* export: the requests module's rows for exports (requests.h): the requests of people under an
 * area a page at a time in the order of the requests_path index (area path, id), each page one
 * range read of it; as text columns, unmasked. The cursor is "path US id" (US: 0x1f). */
#include <stdlib.h>
#include "area/area.h"
#include "base/buf.h"
#include "requests/requests.h"

const char *const fk_requests_export_keys[] = {
    "id",	 "created_at", "kind",	    "urgency",	     "status", "level",	 "source",
    "ticket_no", "name",       "id_number", "contact_phone", "detail", "due_at", NULL};
const char *const fk_requests_export_heads[] = {
    "编号",   "提出时间", "类别",     "紧急程度", "状态", "所在层级", "来源",
    "工单号", "姓名",	  "证件号码", "联系电话", "内容", "办理时限", NULL};

#define NCOLS 13

static const struct fk_page_cols COLS = {
    .ncols = NCOLS, .times = 1u << 1 | 1u << 12, .key = {NCOLS, 0}, .nkey = 2};

int fk_requests_export_page(struct fk_db *db, const char *under, const char *after, int limit,
			    int (*row)(void *ctx, const char *const *v, int n), void *ctx,
			    char *next, size_t next_size, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5], c[2][FK_CURSOR_PART_MAX] = {{0}};
	struct fk_q *q;
	int rc;

	fk_copy_text(next, next_size, after);
	if ((rc = fk_area_upper(under, upper, err)) < 0)
		return rc;
	if (fk_cursor_split(after, c, 2) < 2) { /* the first page: from the subtree's start */
		fk_copy_text(c[0], sizeof(c[0]), under);
		c[1][0] = '\0';
	}
	rc = fk_db_query(
	    db, &q,
	    "SELECT r.id, r.created_at, r.kind, r.urgency, r.status, r.level, r.source, "
	    "r.ticket_no, p.name, p.id_number, r.contact_phone, r.detail, r.due_at, r.area_path "
	    "FROM requests r JOIN people p ON p.id = r.person_id WHERE (r.area_path, r.id) > (?, "
	    "?) AND r.area_path < ? ORDER BY r.area_path, r.id LIMIT ?",
	    err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, c[0]);
	fk_q_bind_i64(q, 2, strtoll(c[1], NULL, 10));
	fk_q_bind_text(q, 3, upper);
	fk_q_bind_i64(q, 4, limit);
	return fk_q_page_rows(q, &COLS, row, ctx, next, next_size, err);
}
