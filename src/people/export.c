/* export: the people module's rows for exports (people.h): residents under an area a page at
 * a time in the order of the people_area index (area path, name, id), so that each page is one
 * range read of the index whatever the subtree's size; as text columns, unmasked (the exports
 * module masks them per reader). The cursor is "path US name US id" (US: the byte 0x1f,
 * which no path or name holds). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

struct cursor {
	char path[FK_AREA_PATH_MAX];
	char name[FK_PERSON_NAME_MAX * 4 + 1];
	long long id;
};

/* The page's start: after the cursor, or the first row at or under `under`. */
static void cursor_parse(const char *after, const char *under, struct cursor *c)
{
	const char *a = after ? strchr(after, '\x1f') : NULL;
	const char *b = a ? strchr(a + 1, '\x1f') : NULL;

	memset(c, 0, sizeof(*c));
	if (!b) {
		fk_copy_text(c->path, sizeof(c->path), under);
		return;
	}
	snprintf(c->path, sizeof(c->path), "%.*s", (int)(a - after), after);
	snprintf(c->name, sizeof(c->name), "%.*s", (int)(b - a - 1), a + 1);
	c->id = strtoll(b + 1, NULL, 10);
}

static int emit(struct fk_q *q, int (*row)(void *ctx, const char *const *v, int n), void *ctx,
		char *next, size_t next_size)
{
	const char *v[NCOLS];

	for (int i = 0; i < NCOLS; i++) {
		v[i] = fk_q_text(q, i);
		if (!v[i])
			v[i] = "";
	}
	snprintf(next, next_size, "%s\x1f%s\x1f%lld", fk_q_text(q, NCOLS), v[1],
		 (long long)fk_q_i64(q, 0));
	return row(ctx, v, NCOLS);
}

int fk_people_export_page(struct fk_db *db, const char *under, const char *after, int limit,
			  int (*row)(void *ctx, const char *const *v, int n), void *ctx, char *next,
			  size_t next_size, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	struct cursor c;
	struct fk_q *q;
	int rc;

	fk_copy_text(next, next_size, after);
	if (strlen(under) >= FK_AREA_PATH_MAX)
		return 0;
	fk_prefix_upper(under, upper);
	cursor_parse(after, under, &c);
	rc = fk_db_query(
	    db, &q,
	    "SELECT p.id, p.name, p.id_type, p.id_number, p.phone, p.sex, p.birth_date, a.code, "
	    "a.name, p.household, p.residence, p.tags, p.area_path FROM people p JOIN areas a ON "
	    "a.id = p.area_id WHERE (p.area_path, p.name, p.id) > (?, ?, ?) AND p.area_path < ? "
	    "ORDER BY p.area_path, p.name, p.id LIMIT ?",
	    err);
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, c.path);
	fk_q_bind_text(q, 2, c.name);
	fk_q_bind_i64(q, 3, c.id);
	fk_q_bind_text(q, 4, upper);
	fk_q_bind_i64(q, 5, limit);
	while ((rc = fk_q_step(q, err)) > 0)
		if ((rc = emit(q, row, ctx, next, next_size)) < 0)
			break;
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
