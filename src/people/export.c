/* export: the people module's rows for exports (people.h): residents under an area by id, a page
 * at a time, as text columns, unmasked (the exports module masks them per reader). */
#include <stdio.h>
#include <string.h>
#include "area/area.h"
#include "people/people.h"

const char *const fk_people_export_keys[] = {
    "id",	 "name",      "id_type",   "id_number", "phone", "sex", "birth_date",
    "area_code", "area_name", "household", "residence", "tags",	 NULL};
const char *const fk_people_export_heads[] = {
    "编号",	"姓名", "证件类型", "证件号码", "手机号", "性别", "出生日期",
    "区域编码", "区域", "户室",	    "居住类型", "标签",	  NULL};

#define NCOLS 12

/* One row's columns as text; NULL as "". */
static int emit(struct fk_q *q, int (*row)(void *ctx, const char *const *v, int n), void *ctx,
		int64_t *last_id)
{
	const char *v[NCOLS];

	for (int i = 0; i < NCOLS; i++) {
		v[i] = fk_q_text(q, i);
		if (!v[i])
			v[i] = "";
	}
	*last_id = fk_q_i64(q, 0);
	return row(ctx, v, NCOLS);
}

int fk_people_export_page(struct fk_db *db, const char *under, int64_t after_id, int limit,
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
	    "SELECT p.id, p.name, p.id_type, p.id_number, p.phone, p.sex, p.birth_date, a.code, "
	    "a.name, p.household, p.residence, p.tags FROM people p JOIN areas a ON a.id = "
	    "p.area_id WHERE p.area_path >= ? AND p.area_path < ? AND p.id > ? ORDER BY p.id "
	    "LIMIT ?",
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
