/* import: people who serve from a CSV file (UTF-8 or GBK) or from rows a spreadsheet reader
 * sent as JSON ({rows:[{header: value}]}, as the people import takes them). Header names:
 * name, phone, kind, organisation, skills, area_code (or 姓名, 手机号/电话, 类型, 单位,
 * 技能, 区域编码); kinds and skills in English or Chinese. A row is matched by phone: a worker
 * with that phone (in the caller's scope) is updated, else one is made. All rows or none: a
 * file with a bad row stores nothing (the caller rolls back), its errors naming each bad
 * row's line and field. */
#include <stdlib.h>
#include <string.h>
#include "base/csv.h"
#include "base/phone.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "workforce/internal.h"

enum { C_NAME, C_PHONE, C_KIND, C_ORG, C_SKILLS, C_AREA, NCOLS };
static const char *const col_en[NCOLS] = {"name",	  "phone",  "kind",
					  "organisation", "skills", "area_code"};
static const char *const col_zh[NCOLS] = {"姓名", "手机号", "类型", "单位", "技能", "区域编码"};
static const char *const col_zh2[NCOLS] = {"名字", "电话", "人员类型", "派出单位", "专长", "区域"};
static const bool col_required[NCOLS] = {true, true, true, false, false, false};

#define IMPORT_MAX_ROWS 20000

struct in_row {
	long line;
	char *f[NCOLS];
};

struct parse_ctx {
	int col[NCOLS];
	bool header;
	struct in_row *rows;
	int n, cap;
	struct fk_err *err;
};

static bool col_is(const char *name, int k)
{
	return strcmp(name, col_en[k]) == 0 || strcmp(name, col_zh[k]) == 0 ||
	       strcmp(name, col_zh2[k]) == 0;
}

static int header_row(struct parse_ctx *c, char **fields, size_t nf)
{
	for (int k = 0; k < NCOLS; k++) {
		c->col[k] = -1;
		for (size_t j = 0; j < nf; j++)
			if (fields[j] && col_is(fk_utf8_trim(fields[j]), k))
				c->col[k] = (int)j;
		if (c->col[k] < 0 && col_required[k])
			return fk_err_set(c->err, FK_EINVAL, "missing_column", col_en[k],
					  "缺少列：%s", "missing column: %s", col_en[k]);
	}
	c->header = true;
	return 0;
}

static int row_fn(void *ctx, long line, char **fields, size_t nf)
{
	struct parse_ctx *c = ctx;
	struct in_row *r;

	if (!c->header)
		return header_row(c, fields, nf) < 0 ? 1 : 0;
	if (c->n == IMPORT_MAX_ROWS) {
		fk_err_set(c->err, FK_ETOOBIG, "too_many_rows", "file", "最多 %d 行",
			   "at most %d rows", IMPORT_MAX_ROWS);
		return 1;
	}
	if (c->n == c->cap)
		c->rows = fk_xrealloc(c->rows, (size_t)(c->cap = c->cap ? c->cap * 2 : 64) *
						   sizeof(*c->rows));
	r = &c->rows[c->n++];
	r->line = line;
	for (int k = 0; k < NCOLS; k++) {
		const char *v = c->col[k] >= 0 && (size_t)c->col[k] < nf ? fields[c->col[k]] : "";
		r->f[k] = fk_xstrdup(v ? v : "");
		fk_utf8_trim(r->f[k]);
	}
	return 0;
}

static void rows_free(struct parse_ctx *c)
{
	for (int i = 0; i < c->n; i++)
		for (int k = 0; k < NCOLS; k++)
			free(c->rows[i].f[k]);
	free(c->rows);
}

/* The cell of column k in a JSON row: a member named as the column, as text. */
static const char *json_cell(json_t *row, int k)
{
	const char *key;
	json_t *v;

	json_object_foreach(row, key, v)
	{
		if (col_is(key, k) && json_is_string(v))
			return json_string_value(v);
	}
	return "";
}

/* Rows from JSON objects keyed by the columns' names (English or Chinese). */
static int json_rows(json_t *rows, struct parse_ctx *c)
{
	size_t i;
	json_t *row;

	c->header = true;
	for (int k = 0; k < NCOLS; k++)
		c->col[k] = k;
	json_array_foreach(rows, i, row)
	{
		char *f[NCOLS];
		for (int k = 0; k < NCOLS; k++)
			f[k] = (char *)json_cell(row, k);
		if (row_fn(c, (long)i + 2, f, NCOLS))
			return c->err->code;
	}
	return 0;
}

/* ---- checking and storing ---- */

static void row_error(json_t *errors, long line, const struct fk_err *e)
{
	json_array_append_new(errors, json_pack("{s:I, s:s, s:s, s:s, s:s}", "line",
						(json_int_t)line, "field", e->field, "code", e->key,
						"message", e->zh, "message_en", e->en));
}

/* The area of a row: its area_code in who's scope, else the default area. */
static int row_area(struct fk_db *db, const struct fk_principal *who, const char *code, int64_t def,
		    int64_t *out, struct fk_err *err)
{
	struct fk_area a = {0};
	int rc;

	*out = def;
	if (!code[0])
		return def ? 0
			   : fk_err_set(err, FK_EINVAL, "missing_field", "area_code",
					"请填写区域编码", "area_code is required");
	rc = fk_area_get_by_code(db, code, &a, err);
	if (rc == 0 && !fk_scope_covers(who, a.path))
		rc = FK_ENOTFOUND;
	*out = a.id;
	fk_area_release(&a);
	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_EINVAL, "unknown_area", "area_code",
				  "区域编码 %s 不存在或不在管辖范围内",
				  "area code %s does not exist or is outside your scope", code);
	return rc;
}

/* Checks and stores one row: *created tells whether it made a worker. */
static int row_store(struct fk_db *db, const struct fk_principal *who, const struct in_row *r,
		     int64_t def_area, json_t *seen, bool *created, struct fk_err *err)
{
	struct wf_worker w = {.active = true};
	int64_t area_id = 0;
	int rc = wf_skills_cell(r->f[C_SKILLS], "skills", w.skills, sizeof(w.skills), err);

	if (rc == 0)
		rc = row_area(db, who, r->f[C_AREA], def_area, &area_id, err);
	if (rc == 0)
		rc = fk_phone_normalize(r->f[C_PHONE], w.phone, err);
	if (rc == 0 && json_object_get(seen, w.phone))
		return fk_err_set(err, FK_EINVAL, "duplicate_phone", "phone",
				  "手机号与第 %lld 行重复", "the phone repeats line %lld",
				  (long long)json_integer_value(json_object_get(seen, w.phone)));
	if (rc < 0)
		return rc;
	json_object_set_new(seen, w.phone, json_integer(r->line));
	rc = wf_worker_by_phone(db, w.phone, &w, err);
	if (rc > 0 && !fk_scope_covers(who, w.area_path))
		return fk_err_set(err, FK_ECONFLICT, "phone_taken", "phone",
				  "手机号已属于管辖范围外的服务人员",
				  "a worker outside your scope has this phone");
	if (rc < 0)
		return rc;
	*created = rc == 0;
	fk_copy_text(w.name, sizeof(w.name), r->f[C_NAME]);
	fk_copy_text(w.kind, sizeof(w.kind), wf_zh_name(r->f[C_KIND]));
	fk_copy_text(w.organisation, sizeof(w.organisation), r->f[C_ORG]);
	rc = wf_skills_cell(r->f[C_SKILLS], "skills", w.skills, sizeof(w.skills), err);
	w.area_id = area_id;
	return rc < 0 ? rc : wf_worker_save(db, who, &w, *created, err);
}

static int store_rows(struct fk_db *db, const struct fk_principal *who, struct parse_ctx *c,
		      int64_t def_area, json_t *out, struct fk_err *err)
{
	json_t *errors = json_object_get(out, "errors"), *seen = json_object();
	int64_t created = 0, updated = 0;
	int rc = 0;

	for (int i = 0; rc == 0 && i < c->n; i++) {
		struct fk_err e = {0};
		bool made = false;
		int r = row_store(db, who, &c->rows[i], def_area, seen, &made, &e);
		if (r == FK_EDB || r == FK_EINTERNAL) {
			*err = e;
			rc = r;
		} else if (r < 0) {
			row_error(errors, c->rows[i].line, &e);
		} else {
			created += made;
			updated += !made;
		}
	}
	json_decref(seen);
	json_object_set_new(out, "created", json_integer(json_array_size(errors) ? 0 : created));
	json_object_set_new(out, "updated", json_integer(json_array_size(errors) ? 0 : updated));
	if (rc == 0 && json_array_size(errors))
		rc = fk_err_set(
		    err, FK_EUNPROC, "import_invalid", "file", "文件有 %zu 行有误，未导入任何人员",
		    "%zu rows are wrong: nothing was imported", json_array_size(errors));
	return rc;
}

int wf_import(struct fk_db *db, const struct fk_principal *who, const char *data, size_t len,
	      json_t *rows, int64_t def_area, json_t **out, struct fk_err *err)
{
	struct parse_ctx c = {.err = err};
	int rc = rows ? json_rows(rows, &c)
		      : fk_csv_parse(data, len, FK_ENC_AUTO, row_fn, &c, NULL, err);

	*out = NULL;
	if (rc > 0) /* row_fn stopped the parse: err says why */
		rc = err->code;
	if (rc == 0 && (!c.header || c.n == 0))
		rc = fk_err_set(err, FK_EINVAL, "empty_file", "file", "文件没有数据行",
				"the file has no rows");
	if (rc == 0) {
		*out = json_pack("{s:I, s:I, s:[]}", "created", (json_int_t)0, "updated",
				 (json_int_t)0, "errors");
		rc = store_rows(db, who, &c, def_area, *out, err);
	}
	rows_free(&c);
	if (rc < 0 && rc != FK_EUNPROC) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
