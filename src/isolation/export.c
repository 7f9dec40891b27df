/* export: the isolation module's rows for exports (isolation.h): the placements of people under
 * an area, by id, a page at a time, as text columns, unmasked. */
#include <stdlib.h>
#include "area/area.h"
#include "base/buf.h"
#include "isolation/isolation.h"

const char *const fk_placements_export_keys[] = {"id",	   "name",     "id_number", "phone",
						 "kind",   "reason",   "start_day", "end_day",
						 "status", "facility", NULL};
const char *const fk_placements_export_heads[] = {"编号",     "姓名",	  "证件号码", "手机号",
						  "管控方式", "原因",	  "开始日期", "解除日期",
						  "状态",     "隔离场所", NULL};

#define NCOLS 10

static const struct fk_page_cols COLS = {.ncols = NCOLS, .key = {0}, .nkey = 1};

int fk_placements_export_page(struct fk_db *db, const char *under, const char *after, int limit,
			      int (*row)(void *ctx, const char *const *v, int n), void *ctx,
			      char *next, size_t next_size, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	struct fk_q *q;
	int rc;

	fk_copy_text(next, next_size, after);
	if ((rc = fk_area_upper(under, upper, err)) < 0)
		return rc;
	/* The filters are kept off their indexes (|| '', + 0): each page then walks the ids
	 * in order from the cursor, where a range on an index would sort the whole subtree. */
	rc = fk_db_query(
	    db, &q,
	    "SELECT pl.id, p.name, p.id_number, p.phone, pl.kind, pl.reason, pl.start_day, "
	    "pl.end_day, pl.status, f.name FROM placements pl JOIN people p ON p.id = pl.person_id "
	    "LEFT JOIN facilities f ON f.id = pl.facility_id WHERE pl.area_path || '' >= ? "
	    "AND pl.area_path || '' < ? AND pl.id > ? ORDER BY pl.id LIMIT ?",
	    err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, under);
	fk_q_bind_text(q, 2, upper);
	fk_q_bind_i64(q, 3, after && *after ? strtoll(after, NULL, 10) : 0);
	fk_q_bind_i64(q, 4, limit);
	return fk_q_page_rows(q, &COLS, row, ctx, next, next_size, err);
}
