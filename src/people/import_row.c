/* import_row: reading one row of a residents file — which column holds what (Chinese or
 * English headers), turning the row's text into a person, and finding its area from an area
 * code, or a building (code, or name under the import's area) and unit. Area lookups are
 * remembered for the whole import, misses included. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "base/norm.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "people/import.h"

static const struct {
	const char *field; /* the English header, also the field named in errors */
	const char *zh;
	const char *alias[6];
} columns[IMP_NCOLS] = {
    [IMP_NAME] = {"name", "姓名", {"名字", "fullname"}},
    [IMP_ID_TYPE] = {"id_type", "证件类型", {"idtype"}},
    [IMP_ID_NUMBER] = {"id_number",
		       "身份证号",
		       {"证件号码", "身份证号码", "证件号", "idnumber", "idno", "公民身份号码"}},
    [IMP_PHONE] = {"phone", "手机号", {"手机", "电话", "手机号码", "联系电话", "mobile"}},
    [IMP_SEX] = {"sex", "性别", {"gender"}},
    [IMP_BIRTH] = {"birth_date", "出生日期", {"birthdate", "birthday", "生日"}},
    [IMP_BUILDING] = {"building", "楼栋", {"楼号", "楼座", "楼栋号"}},
    [IMP_UNIT] = {"unit", "单元", {"单元号"}},
    [IMP_HOUSEHOLD] = {"household", "房号", {"户", "户号", "门牌号", "room"}},
    [IMP_RESIDENCE] = {"residence", "居住类型", {"人员类型", "居住状态"}},
    [IMP_TAGS] = {"tags", "标签", {"tag", "人员标签"}},
    [IMP_NOTE] = {"note", "备注", {"notes", "remark"}},
    [IMP_AREA_CODE] = {"area_code", "区域编码", {"areacode"}},
};

/* Header text without case, spaces, '_', '-', '*' (a "required" mark) or a note in brackets:
 * "ID Number*", "id_number" and "身份证号（必填）" all compare alike. */
static void header_norm(const char *in, char *out, size_t size)
{
	size_t o = 0;

	for (; *in && o + 1 < size; in++) {
		unsigned char c = (unsigned char)*in;
		if (c == '(' || strncmp(in, "（", strlen("（")) == 0)
			break;
		if (c == ' ' || c == '_' || c == '-' || c == '*' || c == '\t')
			continue;
		out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
}

static int header_col(const char *h)
{
	char n[128], a[128];

	header_norm(h, n, sizeof(n));
	for (int c = 0; c < IMP_NCOLS; c++) {
		header_norm(columns[c].field, a, sizeof(a));
		if (strcmp(n, a) == 0 || strcmp(n, columns[c].zh) == 0)
			return c;
		for (int j = 0; j < 6 && columns[c].alias[j]; j++)
			if (strcmp(n, columns[c].alias[j]) == 0)
				return c;
	}
	return -1;
}

int imp_map_header(struct imp_map *m, char **fields, size_t n, struct fk_err *err)
{
	static const enum imp_col required[] = {IMP_NAME, IMP_ID_NUMBER};

	for (int c = 0; c < IMP_NCOLS; c++)
		m->at[c] = -1;
	m->ncols = (int)n;
	for (size_t i = 0; i < n; i++) {
		int c = header_col(fields[i]);
		if (c >= 0 && m->at[c] < 0) /* a repeated column: the first one counts */
			m->at[c] = (int)i;
	}
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		enum imp_col c = required[i];
		if (m->at[c] < 0) {
			fk_err_set(err, FK_EINVAL, "missing_column", columns[c].field,
				   "缺少必需的列“%s”（%s）",
				   "the required column \"%.0s%s\" is missing", columns[c].zh,
				   columns[c].field);
			err->line = 1;
			return FK_EINVAL;
		}
	}
	return 0;
}

const char *imp_val(const struct imp_map *m, char **fields, size_t n, enum imp_col c)
{
	int i = m->at[c];
	return i >= 0 && (size_t)i < n && fields[i] ? fields[i] : "";
}

int imp_col_of(const struct imp_map *m, const char *field)
{
	for (int c = 0; c < IMP_NCOLS; c++)
		if (strcmp(field, columns[c].field) == 0)
			return m->at[c] >= 0 ? m->at[c] + 1 : 0;
	return 0;
}

/* ---- the ID key (both passes) ---- */

int imp_key(const struct imp_map *m, char **fields, size_t n, char *out, size_t size)
{
	const char *num = imp_val(m, fields, n, IMP_ID_NUMBER);
	int t = fk_idtype_parse(imp_val(m, fields, n, IMP_ID_TYPE));
	size_t o = 0;

	if (t < 0 || size < 4)
		return -1;
	out[o++] = (char)('0' + t);
	out[o++] = '|';
	while (*num == ' ' || *num == '\t')
		num++;
	for (; *num && o + 1 < size; num++)
		out[o++] = (char)toupper((unsigned char)*num);
	while (o > 2 && (out[o - 1] == ' ' || out[o - 1] == '\t'))
		o--;
	out[o] = '\0';
	return o > 2 && !*num ? 0 : -1;
}

/* ---- remembered area lookups: key text -> area id (0 = none, -1 = several) ---- */

struct memo {
	char *key;
	int64_t id;
	struct memo *next;
};

#define MEMO_BUCKETS 4096

static uint64_t str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static struct memo **memo_slot(struct imp_areas *a, const char *key)
{
	struct memo **pp;

	if (!a->buckets)
		a->buckets = fk_xcalloc(MEMO_BUCKETS, sizeof(*a->buckets));
	pp = &a->buckets[str_hash(key) % MEMO_BUCKETS];
	while (*pp && strcmp((*pp)->key, key) != 0)
		pp = &(*pp)->next;
	return pp;
}

static void memo_put(struct imp_areas *a, const char *key, int64_t id)
{
	struct memo **pp = memo_slot(a, key);

	if (*pp) {
		(*pp)->id = id;
		return;
	}
	*pp = fk_xcalloc(1, sizeof(**pp));
	(*pp)->key = fk_xstrdup(key);
	(*pp)->id = id;
}

void imp_areas_release(struct imp_areas *a)
{
	for (int i = 0; a->buckets && i < MEMO_BUCKETS; i++) {
		struct memo *m = a->buckets[i];
		while (m) {
			struct memo *next = m->next;
			free(m->key);
			free(m);
			m = next;
		}
	}
	free(a->buckets);
	a->buckets = NULL;
}

/* ---- finding areas ---- */

static int by_code(struct imp *im, const char *code, int64_t *id, struct fk_err *err)
{
	char key[160];
	struct memo **pp;
	struct fk_area a;
	int rc;

	snprintf(key, sizeof(key), "c|%s", code);
	pp = memo_slot(&im->areas, key);
	if (*pp) {
		*id = (*pp)->id;
		return 0;
	}
	rc = fk_area_get_by_code(im->db, code, &a, err);
	if (rc < 0 && rc != FK_ENOTFOUND)
		return rc;
	/* An area the caller may not see reads exactly as one that does not exist. */
	*id = rc == 0 && (!im->who || fk_scope_covers(im->who, a.path)) ? a.id : 0;
	fk_area_release(&a);
	memo_put(&im->areas, key, *id);
	return 0;
}

/* unit names match as "2", "2单元" or "2 单元" */
static bool unit_matches(const char *name, const char *want)
{
	size_t n = strlen(want);
	const char *rest;

	if (strncmp(name, want, n) != 0)
		return false;
	rest = name + n;
	while (*rest == ' ')
		rest++;
	return *rest == '\0' || strcmp(rest, "单元") == 0;
}

/* The single area of kind named name at or under scope_path (or, with parent_id, the child
 * unit matching it); *id 0 if none, -1 if several. Read through the area module's list, with
 * a principal whose one scope is scope_path. */
static int named_under(struct imp *im, const char *scope_path, int64_t parent_id, const char *kind,
		       const char *name, int64_t *id, struct fk_err *err)
{
	struct fk_principal scope = {.nscopes = 1, .role = FK_ROLE_ADMIN};
	struct fk_area_query f = {.parent_id = parent_id, .kind = kind, .q = name, .limit = 5000};
	struct fk_area_list l;
	int rc;

	snprintf(scope.scope_paths[0], sizeof(scope.scope_paths[0]), "%s", scope_path);
	if (parent_id)
		f.q = NULL;
	rc = fk_area_list(im->db, &scope, &f, &l, err);
	if (rc < 0)
		return rc;
	*id = 0;
	for (size_t i = 0; i < l.n; i++) {
		bool hit = parent_id ? unit_matches(l.items[i].name, name)
				     : strcmp(l.items[i].name, name) == 0;
		if (hit)
			*id = *id ? -1 : l.items[i].id;
	}
	fk_area_list_release(&l);
	return 0;
}

static int area_err(struct imp *im, enum imp_col c, const char *key, const char *zh, const char *en,
		    const char *v, struct fk_err *err)
{
	fk_err_set(err, FK_EINVAL, key, columns[c].field, zh, en, v);
	im->err_col = im->map.at[c] + 1;
	return FK_EINVAL;
}

static int find_building(struct imp *im, const char *b, int64_t *id, struct fk_err *err)
{
	char key[400];
	struct memo **pp;
	int rc = by_code(im, b, id, err);

	if (rc < 0 || *id > 0)
		return rc;
	if (!im->dflt.id)
		return area_err(im, IMP_BUILDING, "unknown_building",
				"楼栋“%s”不存在（按名称查找楼栋需指定导入的区域）",
				"building \"%s\" not found (to find buildings by name, choose the "
				"area to import into)",
				b, err);
	snprintf(key, sizeof(key), "b|%s", b);
	pp = memo_slot(&im->areas, key);
	if (*pp) {
		*id = (*pp)->id;
	} else {
		rc = named_under(im, im->dflt.path, 0, "building", b, id, err);
		if (rc < 0)
			return rc;
		memo_put(&im->areas, key, *id);
	}
	if (*id == 0)
		return area_err(im, IMP_BUILDING, "unknown_building", "楼栋“%s”不存在",
				"building \"%s\" not found", b, err);
	if (*id < 0)
		return area_err(
		    im, IMP_BUILDING, "ambiguous_building", "有多个名为“%s”的楼栋，请改用楼栋编码",
		    "several buildings are named \"%s\"; use the building code", b, err);
	return 0;
}

/* The unit area under the building, or 0 when the building has no such unit area (the unit
 * then goes into the household label). */
static int find_unit(struct imp *im, int64_t building, const char *u, int64_t *id,
		     struct fk_err *err)
{
	const struct pp_area *a;
	char key[400], path[FK_AREA_PATH_MAX];
	struct memo **pp;
	int rc;

	snprintf(key, sizeof(key), "u|%lld|%s", (long long)building, u);
	pp = memo_slot(&im->areas, key);
	if (*pp) {
		*id = (*pp)->id > 0 ? (*pp)->id : 0;
		return 0;
	}
	rc = pp_area_get(im->db, im->cache, building, &a, err);
	if (rc < 0)
		return rc;
	snprintf(path, sizeof(path), "%s", a->path);
	rc = named_under(im, path, building, "unit", u, id, err);
	if (rc < 0)
		return rc;
	if (*id < 0)
		*id = 0;
	memo_put(&im->areas, key, *id);
	return 0;
}

static int row_area(struct imp *im, char **fields, size_t n, struct fk_person *p,
		    struct fk_err *err)
{
	const char *code = imp_val(&im->map, fields, n, IMP_AREA_CODE);
	const char *b = imp_val(&im->map, fields, n, IMP_BUILDING);
	const char *u = imp_val(&im->map, fields, n, IMP_UNIT);
	int64_t id = 0, unit = 0;
	int rc;

	if (*code) {
		rc = by_code(im, code, &id, err);
		if (rc == 0 && id == 0)
			rc = area_err(im, IMP_AREA_CODE, "unknown_area", "区域编码“%s”不存在",
				      "area code \"%s\" not found", code, err);
	} else if (*b) {
		rc = find_building(im, b, &id, err);
		if (rc == 0 && *u)
			rc = find_unit(im, id, u, &unit, err);
		if (rc == 0 && unit)
			id = unit;
		else if (rc == 0 && *u)
			im->unit_label = u;
	} else {
		id = im->dflt.id;
		rc = id ? 0
			: fk_err_set(err, FK_EINVAL, "area_required", "building",
				     "未指定楼栋或区域编码，且导入时未选择区域",
				     "no building or area code, and no area chosen for the import");
	}
	p->area_id = id;
	return rc;
}

/* ---- text to person ---- */

/* "1990-1-2", "1990/01/02", "1990.1.2" or "19900102" -> "1990-01-02"; other text is left for
 * the validator to refuse. */
static void birth_norm(const char *in, char out[11])
{
	int y, m, d;
	char tail;

	if ((sscanf(in, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 ||
	     sscanf(in, "%4d/%2d/%2d%c", &y, &m, &d, &tail) == 3 ||
	     sscanf(in, "%4d.%2d.%2d%c", &y, &m, &d, &tail) == 3 ||
	     (strlen(in) == 8 && sscanf(in, "%4d%2d%2d%c", &y, &m, &d, &tail) == 3)) &&
	    y > 0 && y < 10000 && m > 0 && m < 100 && d > 0 && d < 100)
		snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	else
		snprintf(out, 11, "%s", strlen(in) < 11 ? in : "invalid");
}

static int text_fields(struct imp *im, char **f, size_t n, struct fk_person *p, struct fk_err *err)
{
	const struct imp_map *m = &im->map;
	const char *res = imp_val(m, f, n, IMP_RESIDENCE);
	int rc = pp_copy(p->name, sizeof(p->name), imp_val(m, f, n, IMP_NAME), "name", err);

	if (rc == 0)
		rc = fk_norm_phone(imp_val(m, f, n, IMP_PHONE), p->phone, sizeof(p->phone), err);
	if (rc == 0)
		rc = pp_copy(p->note, sizeof(p->note), imp_val(m, f, n, IMP_NOTE), "note", err);
	if (rc == 0)
		rc = pp_sex_parse(imp_val(m, f, n, IMP_SEX), &p->sex, err);
	if (rc == 0)
		rc = pp_tags_parse(imp_val(m, f, n, IMP_TAGS), p, err);
	if (rc == 0 && *res && !fk_person_residence_norm(res))
		rc = fk_err_set(err, FK_EINVAL, "invalid_residence", "residence",
				"居住类型“%s”无效，应为 户籍/常住/暂住/外来",
				"residence \"%s\" is not valid: use registered, permanent, "
				"temporary or visitor",
				res);
	if (rc == 0 && *res)
		snprintf(p->residence, sizeof(p->residence), "%s", fk_person_residence_norm(res));
	birth_norm(imp_val(m, f, n, IMP_BIRTH), p->birth_date);
	return rc;
}

static int id_fields(struct imp *im, char **f, size_t n, struct fk_person *p, struct fk_err *err)
{
	const char *t = imp_val(&im->map, f, n, IMP_ID_TYPE);
	const char *num = imp_val(&im->map, f, n, IMP_ID_NUMBER);
	int type = fk_idtype_parse(t);
	int rc;

	if (type < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_id_type", "id_type", "证件类型“%s”无效",
				  "ID type \"%s\" is not valid", t);
	p->id_type = (enum fk_id_type)type;
	rc = fk_norm_id_number(num, p->id_number, sizeof(p->id_number), err);
	if (rc < 0)
		return rc;
	if (strchr(p->id_number, 'E') && strchr(p->id_number, '+'))
		return fk_err_set(
		    err, FK_EINVAL, "id_number_scientific", "id_number",
		    "证件号码“%s”被表格软件转成了科学计数法，请将该列设为文本后重新导出",
		    "the ID number \"%s\" was turned into a number by the spreadsheet; "
		    "format the column as text and export again",
		    num);
	if (!p->id_number[0])
		return fk_err_set(err, FK_EINVAL, "required", "id_number", "证件号码不能为空",
				  "the ID number is required");
	return 0;
}

/* The household label, with the unit in front when the unit is not an area of its own. */
static int household(struct imp *im, char **f, size_t n, struct fk_person *p, struct fk_err *err)
{
	const char *h = imp_val(&im->map, f, n, IMP_HOUSEHOLD);
	char buf[sizeof(p->household) + 80];

	if (im->unit_label && *h)
		snprintf(buf, sizeof(buf), "%s-%s", im->unit_label, h);
	else
		snprintf(buf, sizeof(buf), "%s", im->unit_label ? im->unit_label : h);
	return pp_copy(p->household, sizeof(p->household), buf, "household", err);
}

int imp_row_person(struct imp *im, char **f, size_t n, struct fk_person *p, struct fk_err *err)
{
	int rc;

	memset(p, 0, sizeof(*p));
	im->err_col = -1;
	im->unit_label = NULL;
	rc = id_fields(im, f, n, p, err);
	if (rc == 0)
		rc = text_fields(im, f, n, p, err);
	if (rc == 0)
		rc = row_area(im, f, n, p, err);
	if (rc == 0)
		rc = household(im, f, n, p, err);
	if (rc == 0)
		rc = pp_person_check(p, err);
	if (rc == 0)
		rc = pp_person_area(im->db, im->cache, im->who, p, err);
	return rc;
}
