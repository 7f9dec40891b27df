/* export: the people module's rows for exports (people.h): residents under an area a page at
 * a time in the order of the people_area index (area path, name, id), so that each page is one
 * range read of the index whatever the subtree's size; as text columns, unmasked (the exports
 * module masks them per reader). The cursor is "path US name US id" (US: the byte 0x1f,
 * which no path or name holds). */
#include <stdlib.h>
#include "area/area.h"
#include "base/buf.h"
#include "people/people.h"

const char *const fk_people_export_keys[] = {
    "id",	 "name",      "id_type",   "id_number", "phone", "sex", "birth_date",
    "area_code", "area_name", "household", "residence", "tags",	 NULL};
const char *const fk_people_export_heads[] = {
    "编号",	"姓名", "证件类型", "证件号码", "手机号", "性别", "出生日期",
    "区域编码", "区域", "户室",	    "居住类型", "标签",	  NULL};

#define NCOLS 12

static const struct fk_page_cols COLS = {.ncols = NCOLS, .key = {NCOLS, 1, 0}, .nkey = 3};

int fk_people_export_page(struct fk_db *db, const char *under, const char *after, int limit,
			  int (*row)(void *ctx, const char *const *v, int n), void *ctx, char *next,
			  size_t next_size, struct fk_err *err)
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
	    "SELECT p.id, p.name, p.id_type, p.id_number, p.phone, p.sex, p.birth_date, a.code, "
	    "a.name, p.household, p.residence, p.tags, p.area_path FROM people p JOIN areas a ON "
	    "a.id = p.area_id WHERE (p.area_path, p.name, p.id) > (?, ?, ?) AND p.area_path < ? "
	    "ORDER BY p.area_path, p.name, p.id LIMIT ?",
	    err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, c[0]);
	fk_q_bind_text(q, 2, c[1]);
	fk_q_bind_i64(q, 3, strtoll(c[2], NULL, 10));
	fk_q_bind_text(q, 4, upper);
	fk_q_bind_i64(q, 5, limit);
	return fk_q_page_rows(q, &COLS, row, ctx, next, next_size, err);
}
