/* import: the hotline's tickets 政务热线 as CSV (header row: ticket_no, received_at, name,
 * phone, id_number, area_code, kind, urgency, detail; or 工单号, 受理时间, 姓名, 电话,
 * 身份证号, 区域编码, 类型, 紧急程度, 内容). All rows or none: every row is checked first and
 * a file with a bad row stores nothing, its errors naming each bad row's line and field. A
 * ticket imported before is a duplicate, counted and skipped, so a file imported again
 * doubles nothing. The person is the registered one with the ID number (in the caller's
 * scope), else a new one in the area of area_code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/csv.h"
#include "base/idcard.h"
#include "base/phone.h"
#include "base/xmalloc.h"
#include "people/people.h"
#include "requests/internal.h"

enum { C_TICKET, C_AT, C_NAME, C_PHONE, C_ID, C_AREA, C_KIND, C_URGENCY, C_DETAIL, NCOLS };
static const char *const col_en[NCOLS] = {"ticket_no", "received_at", "name",
					  "phone",     "id_number",   "area_code",
					  "kind",      "urgency",     "detail"};
static const char *const col_zh[NCOLS] = {"工单号",   "受理时间", "姓名",     "电话", "身份证号",
					  "区域编码", "类型",	  "紧急程度", "内容"};

#define IMPORT_MAX_ROWS 20000

struct ticket {
	long line;
	char *f[NCOLS];
	int64_t received_at;
};

struct parse_ctx {
	int col[NCOLS]; /* field index of each column, -1 when missing */
	bool header;
	struct ticket *rows;
	int n, cap;
	struct fk_err *err;
};

static int header_row(struct parse_ctx *c, char **fields, size_t nf)
{
	for (int k = 0; k < NCOLS; k++) {
		c->col[k] = -1;
		for (size_t j = 0; j < nf; j++)
			if (strcmp(fields[j], col_en[k]) == 0 || strcmp(fields[j], col_zh[k]) == 0)
				c->col[k] = (int)j;
		if (c->col[k] < 0)
			return fk_err_set(c->err, FK_EINVAL, "missing_column", col_en[k],
					  "缺少列：%s", "missing column: %s", col_en[k]);
	}
	c->header = true;
	return 0;
}

static int row_fn(void *ctx, long line, char **fields, size_t nf)
{
	struct parse_ctx *c = ctx;
	struct ticket *t;

	if (!c->header)
		return header_row(c, fields, nf);
	if (c->n == IMPORT_MAX_ROWS)
		return fk_err_set(c->err, FK_ETOOBIG, "too_many_rows", NULL, "一次最多导入 %d 行",
				  "at most %d rows at once", IMPORT_MAX_ROWS);
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->rows = fk_xrealloc(c->rows, (size_t)c->cap * sizeof(*c->rows));
	}
	t = &c->rows[c->n++];
	memset(t, 0, sizeof(*t));
	t->line = line;
	for (int k = 0; k < NCOLS; k++)
		t->f[k] = fk_xstrdup((size_t)c->col[k] < nf ? fields[c->col[k]] : "");
	return 0;
}

static void rows_free(struct parse_ctx *c)
{
	for (int i = 0; i < c->n; i++)
		for (int k = 0; k < NCOLS; k++)
			free(c->rows[i].f[k]);
	free(c->rows);
}

static void row_error(json_t *errors, long line, const struct fk_err *e)
{
	json_array_append_new(errors, json_pack("{s:I, s:s, s:s, s:s, s:s}", "line",
						(json_int_t)line, "field", e->field, "code", e->key,
						"message", e->zh, "message_en", e->en));
}

/* received_at: "YYYY-MM-DD HH:MM[:SS]" in China Standard Time, or with its zone. */
static int time_parse(const char *s, int64_t *ms, struct fk_err *err)
{
	size_t n = strlen(s);
	char buf[40];

	/* "YYYY-MM-DD HH:MM" gets its seconds, a time with no zone China's. */
	snprintf(buf, sizeof(buf), "%s%s%s", s, n == 16 ? ":00" : "",
		 n == 16 || n == 19 ? "+08:00" : "");
	if (!*s || fk_iso8601_parse(buf, ms) < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_time", "received_at",
				  "受理时间格式应为 YYYY-MM-DD HH:MM",
				  "received_at must be "
				  "YYYY-MM-DD HH:MM");
	return 0;
}

/* The checks that need no store. */
static int row_check(struct ticket *t, struct fk_err *err)
{
	char phone[24];
	int rc = 0;

	if (!*t->f[C_TICKET] || strlen(t->f[C_TICKET]) > 64)
		return fk_err_set(err, FK_EINVAL, "invalid_ticket_no", "ticket_no",
				  "工单号须为 1 到 64 个字符",
				  "ticket_no must be 1 to 64 characters");
	if ((rc = time_parse(t->f[C_AT], &t->received_at, err)) < 0)
		return rc;
	if (rq_text_check(t->f[C_NAME], "name", FK_PERSON_NAME_MAX, true, err) < 0)
		return FK_EINVAL;
	if (fk_phone_normalize(t->f[C_PHONE], phone, err) < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_phone", "phone", "电话格式不正确",
				  "the phone is not valid");
	if (fk_idcard_parse(FK_IDT_RESIDENT, t->f[C_ID], NULL, err) < 0)
		return FK_EINVAL;
	if (!rq_kind_norm(t->f[C_KIND]))
		return fk_err_set(err, FK_EINVAL, "invalid_kind", "kind", "诉求类型无效：%s",
				  "unknown kind: %s", t->f[C_KIND]);
	if (!rq_urgency_norm(t->f[C_URGENCY]))
		return fk_err_set(err, FK_EINVAL, "invalid_urgency", "urgency",
				  "紧急程度须为 一般 或 紧急", "urgency must be normal or urgent");
	return rq_text_check(t->f[C_DETAIL], "detail", RQ_DETAIL_MAX, true, err);
}

/* The person of the ticket: the registered one by ID number, else a new one. */
static int person_of(struct fk_db *db, const struct fk_principal *who, const struct ticket *t,
		     struct fk_person *p, struct fk_err *err)
{
	struct fk_area a = {0};
	struct fk_idcard id;
	int64_t pid = 0;
	int rc = fk_idcard_parse(FK_IDT_RESIDENT, t->f[C_ID], &id, err);

	if (rc == 0)
		rc = fk_db_one_i64(db, err, &pid,
				   "SELECT id FROM people WHERE id_number = ? AND id_type = "
				   "'resident'",
				   "t", id.number);
	if (rc > 0) {
		rc = fk_person_get(db, who, pid, p, err);
		return rc == FK_ENOTFOUND ? fk_err_set(err, rc, "person_not_found", "id_number",
						       "该身份证号的人员不在您的管辖范围内",
						       "the person is outside your scope")
					  : rc;
	}
	if (rc == 0)
		rc = fk_area_get_by_code(db, t->f[C_AREA], &a, err);
	if (rc == 0 && !fk_scope_covers(who, a.path))
		rc = FK_ENOTFOUND;
	fk_area_release(&a);
	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, rc, "area_not_found", "area_code", "没有该区域：%s",
				  "no such area: %s", t->f[C_AREA]);
	if (rc < 0)
		return rc;
	memset(p, 0, sizeof(*p));
	p->id_type = FK_IDT_RESIDENT;
	snprintf(p->id_number, sizeof(p->id_number), "%s", id.number);
	snprintf(p->name, sizeof(p->name), "%s", t->f[C_NAME]);
	snprintf(p->phone, sizeof(p->phone), "%s", t->f[C_PHONE]);
	p->area_id = a.id;
	return fk_person_create(db, who, p, err);
}

/* Stores one checked ticket; *dup when its ticket_no is stored already. */
static int row_store(struct fk_db *db, const struct fk_principal *who, const struct ticket *t,
		     bool *dup, struct fk_err *err)
{
	struct fk_person *p = fk_xcalloc(1, sizeof(*p));
	struct rq_prep *prep = fk_xcalloc(1, sizeof(*prep));
	struct fk_request_new n = {.kind = t->f[C_KIND],
				   .urgency = t->f[C_URGENCY],
				   .detail = t->f[C_DETAIL],
				   .source = "hotline",
				   .contact_phone = t->f[C_PHONE]};
	int64_t seen = 0;
	int rc = fk_db_one_i64(db, err, &seen, "SELECT id FROM requests WHERE ticket_no = ?", "t",
			       t->f[C_TICKET]);

	*dup = rc > 0;
	if (rc == 0)
		rc = person_of(db, who, t, p, err);
	if (rc == 0) {
		n.person_id = p->id;
		rc = rq_prepare(db, who, &n, p, prep, err);
	}
	if (rc == 0)
		rc = rq_store(db, who, prep, t->f[C_TICKET], t->received_at, err);
	free(prep);
	free(p);
	return rc < 0 ? rc : 0;
}

/* Checks and stores every row; errors go to errors (the caller rolls back if any). */
static int store_rows(struct fk_db *db, const struct fk_principal *who, struct parse_ctx *c,
		      json_t *out, struct fk_err *err)
{
	json_t *errors = json_object_get(out, "errors"), *seen = json_object();
	int64_t created = 0, dups = 0;
	int rc = 0;

	for (int i = 0; i < c->n && rc >= 0; i++) {
		struct fk_err e = {0};
		bool dup = false;
		int r = row_check(&c->rows[i], &e);

		if (r == 0 && json_object_get(seen, c->rows[i].f[C_TICKET]))
			r = fk_err_set(&e, FK_EINVAL, "duplicate_in_file", "ticket_no",
				       "工单号在文件中重复",
				       "the ticket appears twice in the file");
		json_object_set_new(seen, c->rows[i].f[C_TICKET], json_true());
		if (r == 0)
			r = row_store(db, who, &c->rows[i], &dup, &e);
		if (r == FK_EDB || r == FK_EINTERNAL) {
			*err = e;
			rc = r;
		} else if (r < 0) {
			row_error(errors, c->rows[i].line, &e);
		} else {
			created += !dup;
			dups += dup;
		}
	}
	json_decref(seen);
	json_object_set_new(out, "created", json_integer(json_array_size(errors) ? 0 : created));
	json_object_set_new(out, "duplicates", json_integer(dups));
	if (rc == 0 && json_array_size(errors))
		rc = fk_err_set(
		    err, FK_EUNPROC, "import_invalid", "file", "文件有 %zu 行有误，未导入任何工单",
		    "%zu rows are wrong: nothing was imported", json_array_size(errors));
	return rc;
}

int rq_import(struct fk_db *db, const struct fk_principal *who, const char *data, size_t len,
	      json_t **out, struct fk_err *err)
{
	struct parse_ctx c = {.err = err};
	int rc = fk_csv_parse(data, len, FK_ENC_AUTO, row_fn, &c, NULL, err);

	*out = NULL;
	if (rc == 0 && !c.header)
		rc = fk_err_set(err, FK_EINVAL, "empty_file", "file", "文件为空",
				"the file is empty");
	if (rc == 0) {
		*out = json_pack("{s:I, s:I, s:[]}", "created", (json_int_t)0, "duplicates",
				 (json_int_t)0, "errors");
		rc = store_rows(db, who, &c, *out, err);
	}
	rows_free(&c);
	if (rc < 0 && rc != FK_EUNPROC) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
