/* import: areas from CSV, upserted by code. The whole file is read first, so a broken quote or
 * a bad encoding rejects it before anything is written; then every row is settled parents
 * first (a parent may come later in the file), inside one transaction. A bad row fails alone
 * and is reported with its line, column and reason; its children fail with it. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "area/area_int.h"
#include "base/xmalloc.h"

enum col { C_CODE, C_NAME, C_KIND, C_PARENT, C_TITLE, C_RNAME, C_PHONE, C_LAT, C_LNG, NCOLS };

static const struct {
	const char *name;
	const char *alias[3];
	bool required;
} cols[NCOLS] = {
    [C_CODE] = {"code", {"编码", "区域编码", "代码"}, true},
    [C_NAME] = {"name", {"名称", "区域名称", "名字"}, true},
    [C_KIND] = {"kind", {"类型", "区域类型", "级别"}, true},
    [C_PARENT] = {"parent_code", {"上级编码", "上级区域编码", "父编码"}, false},
    [C_TITLE] = {"responsible_title", {"职务", "负责人职务", NULL}, false},
    [C_RNAME] = {"responsible_name", {"负责人", "负责人姓名", NULL}, false},
    [C_PHONE] = {"responsible_phone", {"电话", "联系电话", "负责人电话"}, false},
    [C_LAT] = {"lat", {"纬度", "latitude", NULL}, false},
    [C_LNG] = {"lng", {"经度", "longitude", "lon"}, false},
};

enum state { S_PENDING, S_ACTIVE, S_DONE, S_FAILED };

struct row {
	long line;
	char *v[NCOLS]; /* NULL when the file lacks the column */
	enum state state;
	int64_t id; /* the area, once settled */
};

struct key {
	const char *code;
	size_t row;
};

struct imp {
	struct fk_db *db;
	const struct fk_principal *who;
	struct fk_import_report *rep;
	int col[NCOLS]; /* 0-based field index in the file, or -1 */
	bool header_seen;
	struct row *rows;
	size_t n, cap;
	struct key *by_code; /* rows with a unique code, sorted by code */
	size_t nby;
	struct fk_err err; /* the structural or store error that stops the import */
};

static const char *val(const struct row *r, enum col c)
{
	return r->v[c] ? r->v[c] : "";
}

/* ---- reading ---- */

static int header_col(const char *h)
{
	for (int c = 0; c < NCOLS; c++) {
		if (strcasecmp(h, cols[c].name) == 0)
			return c;
		for (int j = 0; j < 3 && cols[c].alias[j]; j++)
			if (strcasecmp(h, cols[c].alias[j]) == 0)
				return c;
	}
	return -1;
}

static int read_header(struct imp *m, long line, char **fields, size_t n)
{
	for (int c = 0; c < NCOLS; c++)
		m->col[c] = -1;
	for (size_t i = 0; i < n; i++) {
		int c = header_col(fields[i]);
		if (c >= 0 && m->col[c] < 0)
			m->col[c] = (int)i;
	}
	m->header_seen = true;
	for (int c = 0; c < NCOLS; c++) {
		if (cols[c].required && m->col[c] < 0) {
			fk_err_set(&m->err, FK_EINVAL, "missing_column", cols[c].name,
				   "第 %ld 行（表头）缺少必需的列：%s（%s）",
				   "line %ld (header) lacks the required column: %s (%s)", line,
				   cols[c].name, cols[c].alias[0]);
			m->err.line = line;
			return FK_EINVAL;
		}
	}
	return 0;
}

static int on_record(void *ctx, long line, char **fields, size_t n)
{
	struct imp *m = ctx;
	struct row *r;

	if (!m->header_seen)
		return read_header(m, line, fields, n);
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 256;
		m->rows = fk_xrealloc(m->rows, m->cap * sizeof(*m->rows));
	}
	r = &m->rows[m->n++];
	memset(r, 0, sizeof(*r));
	r->line = line;
	for (int c = 0; c < NCOLS; c++)
		if (m->col[c] >= 0)
			r->v[c] = fk_xstrdup((size_t)m->col[c] < n ? fields[m->col[c]] : "");
	return 0;
}

static void imp_release(struct imp *m)
{
	for (size_t i = 0; i < m->n; i++)
		for (int c = 0; c < NCOLS; c++)
			free(m->rows[i].v[c]);
	free(m->rows);
	free(m->by_code);
}

/* ---- row outcomes ---- */

static int column_of(const struct imp *m, int c)
{
	return c >= 0 && m->col[c] >= 0 ? m->col[c] + 1 : 0;
}

/* The CSV column an error about a field of struct fk_area points at. */
static int field_col(const char *field)
{
	static const struct {
		const char *prefix;
		int col;
	} map[] = {
	    {"code", C_CODE},
	    {"name", C_NAME},
	    {"kind", C_KIND},
	    {"lat", C_LAT},
	    {"lng", C_LNG},
	    {"parent", C_PARENT},
	    {"responsible[0].title", C_TITLE},
	    {"responsible[0].phone", C_PHONE},
	    {"responsible", C_RNAME},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strncmp(field, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].col;
	return -1;
}

static void row_fail(struct imp *m, struct row *r, const struct fk_err *e)
{
	int c = field_col(e->field);

	fk_report_add_error(m->rep, r->line, column_of(m, c), c >= 0 ? cols[c].name : e->field,
			    e->key, e->zh, e->en);
	r->state = S_FAILED;
	m->rep->failed++;
}

/* Store failures stop the import; anything else is the row's fault. */
static int row_outcome(struct imp *m, struct row *r, int rc, const struct fk_err *e)
{
	if (rc == FK_EDB || rc == FK_EINTERNAL) {
		m->err = *e;
		return rc;
	}
	if (rc < 0)
		row_fail(m, r, e);
	return 0;
}

/* ---- building an area from a row ---- */

static int copy_field(char *dst, size_t size, const char *s, const char *field, size_t max,
		      struct fk_err *e)
{
	if (strlen(s) >= size)
		return fk_err_set(e, FK_EINVAL, "too_long", field, "%s 最多 %zu 个字",
				  "%s must be at most %zu characters", field, max);
	snprintf(dst, size, "%s", s);
	return 0;
}

static int parse_coord(const char *s, const char *field, double *out, struct fk_err *e)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(*out))
		return fk_err_set(e, FK_EINVAL, "invalid_number", field, "%s 不是数字：%s",
				  "%s is not a number: %s", field, s);
	return 0;
}

static int build_point(const struct row *r, struct fk_area *a, struct fk_err *e)
{
	const char *lat = val(r, C_LAT), *lng = val(r, C_LNG);
	int rc;

	if (!*lat && !*lng)
		return 0;
	if (!*lat || !*lng)
		return fk_err_set(e, FK_EINVAL, "incomplete_point", *lat ? "lng" : "lat",
				  "纬度和经度须同时填写", "lat and lng go together");
	rc = parse_coord(lat, "lat", &a->lat, e);
	if (rc == 0)
		rc = parse_coord(lng, "lng", &a->lng, e);
	a->has_point = rc == 0;
	return rc;
}

/* responsible_* columns -> canonical one-person array, or NULL when they are all empty. */
static int build_responsible(const struct row *r, struct fk_area *a, struct fk_err *e)
{
	json_t *arr, *o;
	int rc;

	if (!*val(r, C_TITLE) && !*val(r, C_RNAME) && !*val(r, C_PHONE))
		return 0;
	o = json_object();
	json_object_set_new(o, "title", json_string(val(r, C_TITLE)));
	json_object_set_new(o, "name", json_string(val(r, C_RNAME)));
	json_object_set_new(o, "phone", json_string(val(r, C_PHONE)));
	arr = json_array();
	json_array_append_new(arr, o);
	rc = fk_area_responsible_text(arr, &a->responsible, e);
	json_decref(arr);
	return rc;
}

static int build_area(const struct row *r, struct fk_area *a, struct fk_err *e)
{
	const char *kind = val(r, C_KIND);
	const char *norm = area_kind_norm(kind);
	int rc;

	memset(a, 0, sizeof(*a));
	if (!norm)
		return fk_err_set(e, FK_EINVAL, "invalid_kind", "kind", "未知的区域类型：%s",
				  "unknown area kind: %s", kind);
	snprintf(a->kind, sizeof(a->kind), "%s", norm);
	rc = copy_field(a->name, sizeof(a->name), val(r, C_NAME), "name", FK_AREA_NAME_MAX, e);
	if (rc == 0)
		rc = copy_field(a->code, FK_AREA_CODE_MAX + 1, val(r, C_CODE), "code",
				FK_AREA_CODE_MAX, e);
	if (rc == 0)
		rc = build_point(r, a, e);
	if (rc == 0)
		rc = build_responsible(r, a, e);
	if (rc == 0)
		rc = fk_area_validate(a, e);
	return rc;
}

/* ---- applying a row ---- */

static bool same(const struct fk_area *cur, const struct fk_area *a)
{
	return cur->parent_id == a->parent_id && strcmp(cur->kind, a->kind) == 0 &&
	       strcmp(cur->name, a->name) == 0 &&
	       (!a->responsible || strcmp(cur->responsible, a->responsible) == 0) &&
	       (!a->has_point || (cur->has_point && cur->lat == a->lat && cur->lng == a->lng));
}

/* An existing area: fields the row leaves empty keep their values. */
static int update_existing(struct imp *m, struct fk_area *a, const struct fk_area *cur,
			   struct fk_err *e)
{
	bool moved;
	int rc;

	if (!area_may_write(m->who, cur))
		return fk_err_set(e, FK_EPERM, "forbidden", "code", "无权修改区域 %s",
				  "no permission to change area %s", cur->code);
	if (!a->responsible)
		a->responsible = fk_xstrdup(cur->responsible);
	if (!a->has_point) {
		a->has_point = cur->has_point;
		a->lat = cur->lat;
		a->lng = cur->lng;
	}
	a->id = cur->id;
	rc = 0;
	if (cur->parent_id != a->parent_id) {
		rc = area_check_parent(m->db, m->who, a->parent_id, "parent_code", e);
		if (rc == 0)
			rc = fk_area_move(m->db, a->id, a->parent_id, m->who ? m->who->user_id : 0,
					  &moved, e);
	}
	return rc == 0 ? fk_area_update(m->db, a, e) : rc;
}

static int upsert_existing(struct imp *m, struct fk_area *a, const struct fk_area *cur,
			   struct fk_err *e)
{
	int rc = 0;

	if (same(cur, a)) {
		a->id = cur->id;
		m->rep->unchanged++;
		return 0;
	}
	rc = update_existing(m, a, cur, e);
	if (rc == 0)
		m->rep->updated++;
	return rc;
}

static int apply(struct imp *m, struct row *r, int64_t parent_id, struct fk_err *e)
{
	struct fk_area a, cur;
	int rc = build_area(r, &a, e);

	a.parent_id = parent_id;
	if (rc == 0)
		rc = fk_area_get_by_code(m->db, a.code, &cur, e);
	if (rc == FK_ENOTFOUND) {
		rc = area_check_parent(m->db, m->who, parent_id, "parent_code", e);
		if (rc == 0)
			rc = fk_area_create(m->db, &a, e);
		if (rc == 0)
			m->rep->created++;
	} else if (rc == 0) {
		if (m->who && !area_may_read(m->who, &cur))
			rc = fk_err_set(e, FK_ECONFLICT, "code_taken", "code", "编码已被使用：%s",
					"code already in use: %s", cur.code);
		else
			rc = upsert_existing(m, &a, &cur, e);
		fk_area_release(&cur);
	}
	if (rc == 0) {
		r->id = a.id;
		r->state = S_DONE;
	}
	fk_area_release(&a);
	return rc;
}

/* The parent of a row whose parent is not in the file: from the store, within the scope. */
static int store_parent(struct imp *m, const char *code, int64_t *id, struct fk_err *e)
{
	struct fk_area p;
	int rc = fk_area_get_by_code(m->db, code, &p, e);

	if (rc == 0 && m->who && !area_may_read(m->who, &p))
		rc = FK_ENOTFOUND;
	*id = p.id;
	fk_area_release(&p);
	if (rc == FK_ENOTFOUND)
		return fk_err_set(e, FK_EUNPROC, "unknown_parent", "parent_code",
				  "上级编码 %s 在系统和本文件中都不存在",
				  "parent code %s is neither in the store nor in this file", code);
	return rc;
}

/* Settles row r whose parent row (index p, or -1 when not in the file) is settled. */
static int settle(struct imp *m, struct row *r, long p)
{
	struct fk_err e = {0};
	const char *pc = val(r, C_PARENT);
	int64_t parent_id = 0;
	int rc = 0;

	if (p >= 0 && m->rows[p].state == S_FAILED)
		rc = fk_err_set(&e, FK_EUNPROC, "parent_failed", "parent_code",
				"上级编码 %s（第 %ld 行）未能导入",
				"parent code %s (line %ld) was not imported", pc, m->rows[p].line);
	else if (p >= 0)
		parent_id = m->rows[p].id;
	else if (*pc)
		rc = store_parent(m, pc, &parent_id, &e);
	if (rc == 0)
		rc = apply(m, r, parent_id, &e);
	return row_outcome(m, r, rc, &e);
}

/* ---- ordering: parents first ---- */

static int cmp_keys(const void *x, const void *y)
{
	const struct key *a = x, *b = y;
	int c = strcmp(a->code, b->code);

	return c ? c : (a->row > b->row) - (a->row < b->row);
}

static void fail_duplicate(struct imp *m, struct row *r, const struct row *first)
{
	struct fk_err e = {0};

	fk_err_set(&e, FK_EINVAL, "duplicate_code", "code", "编码 %s 与第 %ld 行重复",
		   "code %s repeats line %ld", val(r, C_CODE), first->line);
	row_fail(m, r, &e);
}

/* Sorts rows by code; a repeated code fails every row after its first. */
static void index_codes(struct imp *m)
{
	size_t k = 0;

	m->by_code = fk_xcalloc(m->n + 1, sizeof(*m->by_code));
	for (size_t i = 0; i < m->n; i++)
		if (*val(&m->rows[i], C_CODE))
			m->by_code[k++] = (struct key){val(&m->rows[i], C_CODE), i};
	qsort(m->by_code, k, sizeof(*m->by_code), cmp_keys);
	m->nby = 0;
	for (size_t i = 0; i < k; i++) {
		const struct key *prev = m->nby ? &m->by_code[m->nby - 1] : NULL;
		if (prev && strcmp(prev->code, m->by_code[i].code) == 0) {
			fail_duplicate(m, &m->rows[m->by_code[i].row], &m->rows[prev->row]);
			continue;
		}
		m->by_code[m->nby++] = m->by_code[i];
	}
}

static long find_code(struct imp *m, const char *code)
{
	size_t lo = 0, hi = m->nby;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(code, m->by_code[mid].code);
		if (c == 0)
			return (long)m->by_code[mid].row;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* Depth-first over parent links with an explicit stack (a file may chain thousands of rows);
 * a row met again while its own parent is being settled closes a cycle. */
static int resolve(struct imp *m, size_t start, size_t *stack)
{
	size_t top = 0;

	stack[top++] = start;
	while (top) {
		struct row *r = &m->rows[stack[top - 1]];
		const char *pc = val(r, C_PARENT);
		long p = *pc ? find_code(m, pc) : -1;
		int rc;

		if (r->state == S_DONE || r->state == S_FAILED) {
			top--;
			continue;
		}
		if (p >= 0 && m->rows[p].state == S_PENDING) {
			r->state = S_ACTIVE;
			stack[top++] = (size_t)p;
			continue;
		}
		top--;
		if (p >= 0 && m->rows[p].state == S_ACTIVE) {
			struct fk_err e = {0};
			fk_err_set(&e, FK_EUNPROC, "parent_cycle", "parent_code",
				   "上级编码 %s 形成循环", "parent code %s forms a cycle", pc);
			row_fail(m, r, &e);
			continue;
		}
		rc = settle(m, r, p);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int settle_all(struct imp *m)
{
	size_t *stack = fk_xcalloc(m->n + 1, sizeof(*stack));
	int rc = 0;

	index_codes(m);
	for (size_t i = 0; rc == 0 && i < m->n; i++)
		if (m->rows[i].state == S_PENDING)
			rc = resolve(m, i, stack);
	free(stack);
	return rc;
}

int fk_area_import_csv(struct fk_db *db, const char *data, size_t len, enum fk_csv_enc enc,
		       const struct fk_principal *who, struct fk_import_report *rep,
		       struct fk_err *err)
{
	struct imp m;
	struct fk_err perr = {0};
	enum fk_csv_enc used = enc;
	struct fk_tx tx;
	int rc;

	memset(&m, 0, sizeof(m));
	m.db = db;
	m.who = who;
	m.rep = rep;
	rc = fk_csv_parse(data, len, enc, on_record, &m, &used, &perr);
	if (rc < 0 && m.err.code == 0)
		m.err = perr;
	if (rc == 0 && !m.header_seen)
		rc = fk_err_set(&m.err, FK_EINVAL, "empty_file", NULL, "文件是空的",
				"the file is empty");
	rep->enc = used;
	rep->total = (long)m.n;
	if (rc == 0)
		rc = fk_tx_begin(db, &tx, &m.err);
	if (rc == 0) {
		rc = settle_all(&m);
		rc = fk_tx_end(db, &tx, rc, &m.err);
	}
	fk_report_sort(rep);
	if (rc < 0 && err)
		*err = m.err;
	imp_release(&m);
	return rc < 0 ? rc : 0;
}
