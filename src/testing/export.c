/* export: the testing module's rows for exports (testing.h): the people of a round's areas
 * under an area not yet sampled nor exempt, a page at a time in the order of the people_area
 * index (area path, name, id), as text columns, unmasked. The cursor is "path US name US id"
 * (US: the byte 0x1f), as the people module's export. */
#include <stdlib.h>
#include "area/area.h"
#include "base/buf.h"
#include "people/people.h"
#include "testing/testing.h"

const char *const fk_round_missing_keys[] = {"id",	  "name",      "id_number", "phone",
					     "household", "area_code", "area_name", NULL};
const char *const fk_round_missing_heads[] = {"编号", "姓名",	  "证件号码", "手机号",
					      "户室", "区域编码", "区域",     NULL};

#define NCOLS 7

static const struct fk_page_cols COLS = {.ncols = NCOLS, .key = {NCOLS, 1, 0}, .nkey = 3};

int fk_round_missing_page(struct fk_db *db, int64_t round_id, const char *under, const char *after,
			  int limit, int (*row)(void *ctx, const char *const *v, int n), void *ctx,
			  char *next, size_t next_size, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	char c[3][FK_CURSOR_PART_MAX] = {{0}};
	struct fk_q *q;
	int rc;

	fk_copy_text(next, next_size, after);
	if ((rc = fk_area_upper(under, upper, err)) < 0)
		return rc;
	if (fk_cursor_split(after, c, 3) < 3) { /* the first page: from the subtree's start */
		fk_copy_text(c[0], sizeof(c[0]), under);
		c[1][0] = c[2][0] = '\0';
	}
	rc = fk_db_query(
	    db, &q,
	    "SELECT p.id, p.name, p.id_number, p.phone, p.household, a.code, a.name, p.area_path "
	    "FROM people p JOIN areas a ON a.id = p.area_id WHERE (p.area_path, p.name, p.id) > "
	    "(?, ?, ?) AND p.area_path < ? AND EXISTS (SELECT 1 FROM round_areas ra WHERE "
	    "ra.round_id = ? AND substr(p.area_path, 1, length(ra.area_path)) = ra.area_path) AND "
	    "NOT EXISTS (SELECT 1 FROM samples s WHERE s.round_id = ? AND s.person_id = p.id AND "
	    "s.voided = 0) AND NOT EXISTS (SELECT 1 FROM round_exempt e WHERE e.round_id = ? AND "
	    "e.person_id = p.id) ORDER BY p.area_path, p.name, p.id LIMIT ?",
	    err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, c[0]);
	fk_q_bind_text(q, 2, c[1]);
	fk_q_bind_i64(q, 3, strtoll(c[2], NULL, 10));
	fk_q_bind_text(q, 4, upper);
	fk_q_bind_i64(q, 5, round_id);
	fk_q_bind_i64(q, 6, round_id);
	fk_q_bind_i64(q, 7, round_id);
	fk_q_bind_i64(q, 8, limit);
	return fk_q_page_rows(q, &COLS, row, ctx, next, next_size, err);
}
