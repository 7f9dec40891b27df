/* export: the tubes module's rows for exports (tubes.h): a round's live samples under an area,
 * by sample id, a page at a time, as text columns, unmasked. */
#include <stdlib.h>
#include "area/area.h"
#include "base/buf.h"
#include "tubes/tubes.h"

const char *const fk_tubes_results_keys[] = {"id",	  "name",	"id_number", "phone",
					     "tube",	  "scanned_at", "result",    "area_code",
					     "area_name", NULL};
const char *const fk_tubes_results_heads[] = {"样本编号", "姓名", "证件号码", "手机号", "试管编码",
					      "采样时间", "结果", "区域编码", "区域",	NULL};

#define NCOLS 9

static const struct fk_page_cols COLS = {.ncols = NCOLS, .times = 1u << 5, .key = {0}, .nkey = 1};

int fk_tubes_results_page(struct fk_db *db, int64_t round_id, const char *under, const char *after,
			  int limit, int (*row)(void *ctx, const char *const *v, int n), void *ctx,
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
	    "SELECT s.id, p.name, p.id_number, p.phone, t.code, s.scanned_at, s.result, a.code, "
	    "a.name FROM samples s JOIN people p ON p.id = s.person_id JOIN tubes t ON t.id = "
	    "s.tube_id JOIN areas a ON a.id = s.building_id WHERE s.round_id + 0 = ? AND "
	    "s.voided = 0 AND s.area_path || '' >= ? AND s.area_path || '' < ? AND s.id > ? ORDER "
	    "BY "
	    "s.id LIMIT ?",
	    err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, round_id);
	fk_q_bind_text(q, 2, under);
	fk_q_bind_text(q, 3, upper);
	fk_q_bind_i64(q, 4, after && *after ? strtoll(after, NULL, 10) : 0);
	fk_q_bind_i64(q, 5, limit);
	return fk_q_page_rows(q, &COLS, row, ctx, next, next_size, err);
}
