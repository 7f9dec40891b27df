/* search: people within the caller's scope, by name prefix, ID number, phone, tag and area,
 * paged by a keyset cursor (the sort key and the id of the last row), never by OFFSET.
 *
 * The scope filter is always there. Which index leads is chosen here rather than left to the
 * planner, because the planner cannot know how much of the store a scope holds: a wide scope
 * (district, street, community) walks the name index in order, skipping rows of other areas on
 * the index's area_id (add_prefilter); a narrow one (a grid or below) reads its own rows by
 * area_path and sorts the few that match. A tag filter reads person_tags, which carries the
 * name and area id too: a narrow scope seeks its areas' entries, a wide one walks the tag's
 * names. An index is kept out of a plan by
 * wrapping its column as (col || ''), which both SQLite and PostgreSQL then cannot use. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/id.h"
#include "base/norm.h"
#include "base/phone.h"
#include "base/xmalloc.h"
#include "people/internal.h"

#define LIMIT_DEFAULT 50
#define LIMIT_MAX     500
/* Paths this deep (a grid in district/street/community/grid) hold few enough people to read
 * all of them. */
#define NARROW_DEPTH 3

enum bind_kind { B_TEXT, B_I64, B_SCOPE };

struct bindv {
	enum bind_kind kind;
	const char *s;
	int64_t i;
};

struct plan {
	const char *from;
	const char *key;       /* the sort key, also the cursor's first part */
	const char *id_col;    /* the person id, second in the sort */
	const char *scope_col; /* the path column the scope and area filters use */
	const char *name_col;
	char mode; /* cursor mode: 'n' name order, 'i' ID number order */
	bool tag_join;
	const char *prefilter; /* an area_id column checked against the scope's areas, or NULL */
};

struct search {
	const struct fk_principal *who;
	const struct fk_people_query *f;
	struct plan plan;
	const struct pp_area *area; /* area_id filter or NULL */
	char area_upper[FK_AREA_PATH_MAX + 8];
	const char *tag;
	char id_lo[48], id_hi[56];
	char name_hi[FK_PERSON_NAME_MAX * 4 + 8];
	char phone[24], phone_hi[32];
	bool phone_exact;
	const char *name;
	/* the cursor */
	bool after;
	char after_key[FK_PERSON_NAME_MAX * 4 + 1];
	int64_t after_id;
	int limit;
	struct fk_buf sql;
	struct bindv binds[48];
	int nbinds;
};

static void add_text(struct search *s, const char *v)
{
	s->binds[s->nbinds++] = (struct bindv){B_TEXT, v, 0};
}

static void add_i64(struct search *s, int64_t v)
{
	s->binds[s->nbinds++] = (struct bindv){B_I64, NULL, v};
}

static int bad_param(struct fk_err *err, const char *param, const char *zh, const char *en)
{
	return fk_err_set(err, FK_EINVAL, "invalid_parameter", param, "参数 %s 无效：%s",
			  "parameter %s is not valid: %.0s%s", param, zh, en);
}

/* ---- what the query string asks for ---- */

static bool all_id_chars(const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++) {
		bool x = (s[i] == 'X' || s[i] == 'x') && i == n - 1;
		if (!isdigit((unsigned char)s[i]) && !x)
			return false;
	}
	return n > 0;
}

static bool looks_like_mobile(const char *s)
{
	return strlen(s) == 11 && s[0] == '1' && all_id_chars(s) && isdigit((unsigned char)s[10]);
}

static bool looks_like_id(const char *s)
{
	return strlen(s) >= 6 && all_id_chars(s) && !looks_like_mobile(s);
}

static int path_depth(const char *path)
{
	int n = 0;

	for (; *path; path++)
		n += *path == '/';
	return n - 2;
}

/* Depth of the shallowest scope, or of the area filter when there is one. */
static int scope_depth(const struct search *s)
{
	int min = 1 << 20;

	if (s->area)
		return s->area->depth;
	for (int i = 0; i < s->who->nscopes && i < FK_MAX_SCOPES; i++) {
		int d = path_depth(s->who->scope_paths[i]);
		if (d < min)
			min = d;
	}
	return min;
}

/* The ID number folded (base/norm.h: full-width, spaces, a lower-case x), as it is stored. */
static int set_id(struct search *s, const char *v, struct fk_err *err)
{
	if (fk_norm_id_number(v, s->id_lo, sizeof(s->id_lo) - 1, NULL) < 0)
		return bad_param(err, "id_number", "过长", "too long");
	fk_prefix_upper(s->id_lo, s->id_hi);
	return 0;
}

/* A whole phone is matched as stored; a prefix ("138 00", full-width) by its digits. */
static int set_phone(struct search *s, const char *v, struct fk_err *err)
{
	char digits[20];
	size_t n = 0;

	if (fk_phone_normalize(v, s->phone, NULL) == 0) {
		s->phone_exact = true;
		return 0;
	}
	if (fk_norm_ascii(v, digits, sizeof(digits), "phone", NULL) == 0)
		n = strlen(digits);
	if (n < 3 || !all_id_chars(digits) || !isdigit((unsigned char)digits[n - 1]))
		return bad_param(err, "phone", "应为电话号码或其开头至少3位数字",
				 "expected a phone number or at least its first 3 digits");
	memcpy(s->phone, digits, n + 1);
	fk_prefix_upper(s->phone, s->phone_hi);
	return 0;
}

static int set_name(struct search *s, const char *v, struct fk_err *err)
{
	if (strlen(v) > FK_PERSON_NAME_MAX * 4)
		return bad_param(err, "name", "过长", "too long");
	s->name = v;
	fk_prefix_upper(v, s->name_hi);
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "<mode><hex of the key>.<id>" */
static int parse_cursor(struct search *s, const char *c, struct fk_err *err)
{
	const char *dot = strchr(c, '.');
	size_t hex = dot ? (size_t)(dot - c - 1) : 0;

	if (!dot || c[0] != s->plan.mode || hex % 2 || hex / 2 >= sizeof(s->after_key) ||
	    !fk_id_parse(dot + 1, &s->after_id))
		goto bad;
	for (size_t i = 0; i < hex / 2; i++) {
		int hi = hexval(c[1 + 2 * i]), lo = hexval(c[2 + 2 * i]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			goto bad;
		s->after_key[i] = (char)(hi << 4 | lo);
	}
	s->after_key[hex / 2] = '\0';
	s->after = true;
	return 0;
bad:
	return bad_param(err, "cursor", "请使用上一页返回的 next_cursor",
			 "use the next_cursor of the previous page");
}

static void make_cursor(const struct search *s, const struct fk_person *last, char *out,
			size_t size)
{
	const char *key = s->plan.mode == 'i' ? last->id_number : last->name;
	size_t o = 0;

	out[o++] = s->plan.mode;
	for (const unsigned char *k = (const unsigned char *)key; *k && o + 3 < size; k++)
		o += (size_t)snprintf(out + o, size - o, "%02x", *k);
	snprintf(out + o, size - o, ".%lld", (long long)last->id);
}

/* ---- planning ---- */

/* A tag leads from person_tags, whose two indexes both hold the name and area id: a narrow
 * scope seeks its areas' entries and sorts them, a wide one walks the tag's names in order. */
static void tag_plan(struct plan *p, int depth)
{
	bool narrow = depth >= NARROW_DEPTH;

	p->from = "person_tags t JOIN people p ON p.id = t.person_id";
	p->key = p->name_col = narrow ? "(t.name || '')" : "t.name";
	p->id_col = "t.person_id";
	p->tag_join = true;
	p->prefilter = depth > 0 ? "t.area_id" : NULL;
}

static void choose_plan(struct search *s)
{
	int depth = scope_depth(s);
	struct plan *p = &s->plan;

	*p = (struct plan){.from = "people p",
			   .key = "p.name",
			   .id_col = "p.id",
			   .scope_col = "(p.area_path || '')",
			   .name_col = "p.name",
			   .mode = 'n'};
	if (s->id_lo[0]) {
		p->key = "p.id_number";
		p->name_col = "(p.name || '')";
		p->mode = 'i';
	} else if (s->phone[0]) {
		p->key = p->name_col = "(p.name || '')";
	} else if (s->tag) {
		tag_plan(p, depth);
	} else if (depth >= NARROW_DEPTH) {
		p->key = p->name_col = "(p.name || '')";
		p->scope_col = "p.area_path";
	} else if (depth > 0) {
		p->prefilter = "p.area_id";
	}
}

static void add_scope(struct search *s, const char *col)
{
	int n = fk_scope_sql(s->who, col, &s->sql);

	if (n > 0)
		s->binds[s->nbinds++] = (struct bindv){B_SCOPE, NULL, 0};
}

static void where_filters(struct search *s)
{
	const struct plan *p = &s->plan;

	if (s->area) {
		fk_buf_printf(&s->sql, " AND %s >= ? AND %s < ?", p->scope_col, p->scope_col);
		add_text(s, s->area->path);
		add_text(s, fk_prefix_upper(s->area->path, s->area_upper));
	}
	if (s->who->role == FK_ROLE_RESIDENT) {
		fk_buf_puts(&s->sql, " AND p.id = ?");
		add_i64(s, s->who->person_id);
	}
	if (s->id_lo[0]) {
		fk_buf_puts(&s->sql, " AND p.id_number >= ? AND p.id_number < ?");
		add_text(s, s->id_lo);
		add_text(s, s->id_hi);
	}
	if (s->phone[0] && s->phone_exact) {
		fk_buf_puts(&s->sql, " AND p.phone = ?");
		add_text(s, s->phone);
	} else if (s->phone[0]) {
		fk_buf_puts(&s->sql, " AND p.phone >= ? AND p.phone < ?");
		add_text(s, s->phone);
		add_text(s, s->phone_hi);
	}
	if (s->name) {
		fk_buf_printf(&s->sql, " AND %s >= ? AND %s < ?", p->name_col, p->name_col);
		add_text(s, s->name);
		add_text(s, s->name_hi);
	}
}

/* The areas of the scope, or of the area filter, by their path column col. */
static void areas_cond(struct search *s, const char *col)
{
	if (s->area) {
		fk_buf_printf(&s->sql, "%s >= ? AND %s < ?", col, col);
		add_text(s, s->area->path);
		add_text(s, s->area_upper);
	} else {
		add_scope(s, col);
	}
}

/* An index holding area_id (people_name, person_tags_name) skips the rows of other scopes
 * before their table rows are read, checking area_id against the scope's areas, listed once
 * per query. The scope filter on people.area_path stays the one that decides; this only saves
 * reads. */
static void add_prefilter(struct search *s, const char *col)
{
	fk_buf_printf(&s->sql, " AND %s IN (SELECT a.id FROM areas a WHERE ", col);
	areas_cond(s, "a.path");
	fk_buf_putc(&s->sql, ')');
}

static void build_sql(struct search *s)
{
	const struct plan *p = &s->plan;

	fk_buf_printf(&s->sql, "SELECT " PP_COLS " FROM %s WHERE ", p->from);
	add_scope(s, p->scope_col);
	if (p->tag_join) {
		fk_buf_puts(&s->sql, " AND t.tag = ?");
		add_text(s, s->tag);
	}
	where_filters(s);
	if (p->prefilter)
		add_prefilter(s, p->prefilter);
	if (s->tag && !p->tag_join) {
		fk_buf_puts(&s->sql, " AND EXISTS (SELECT 1 FROM person_tags t "
				     "WHERE t.person_id = p.id AND t.tag = ?)");
		add_text(s, s->tag);
	}
	if (s->after) {
		fk_buf_printf(&s->sql, " AND (%s, %s) > (?, ?)", p->key, p->id_col);
		add_text(s, s->after_key);
		add_i64(s, s->after_id);
	}
	fk_buf_printf(&s->sql, " ORDER BY %s, %s LIMIT ?", p->key, p->id_col);
	add_i64(s, s->limit + 1);
}

static void bind_all(struct search *s, struct fk_q *q)
{
	int idx = 1;

	for (int i = 0; i < s->nbinds; i++) {
		const struct bindv *b = &s->binds[i];
		if (b->kind == B_SCOPE)
			idx = fk_scope_bind(s->who, q, idx);
		else if (b->kind == B_I64)
			fk_q_bind_i64(q, idx++, b->i);
		else
			fk_q_bind_text(q, idx++, b->s);
	}
}

/* q is a mobile, an ID number (as typed: full-width, spaced) or else a name prefix. */
static int set_q(struct search *s, const char *q, struct fk_err *err)
{
	char folded[64];

	if (fk_norm_ascii(q, folded, sizeof(folded), "q", NULL) < 0)
		folded[0] = '\0';
	if (looks_like_mobile(folded) && !s->phone[0])
		return set_phone(s, folded, err);
	if (looks_like_id(folded) && !s->id_lo[0])
		return set_id(s, folded, err);
	if (!s->name)
		return set_name(s, q, err);
	return 0;
}

/* ---- running ---- */

static int read_filters(struct fk_db *db, struct search *s, struct fk_err *err)
{
	const struct fk_people_query *f = s->f;
	int rc = 0;

	if (f->area_id) {
		rc = pp_area_get(db, pp_cache_thread(), f->area_id, &s->area, err);
		if (rc == FK_ENOTFOUND || (rc == 0 && !fk_scope_covers(s->who, s->area->path)))
			return fk_err_set(err, FK_ENOTFOUND, "area_not_found", "area_id",
					  "区域不存在", "the area does not exist");
		if (rc < 0)
			return rc;
	}
	if (f->tag && *f->tag && !(s->tag = fk_person_tag_norm(f->tag)))
		return fk_err_set(err, FK_EINVAL, "unknown_tag", "tag", "未知的标签“%s”",
				  "unknown tag \"%s\"", f->tag);
	if (f->id_number && *f->id_number)
		rc = set_id(s, f->id_number, err);
	if (rc == 0 && f->phone && *f->phone)
		rc = set_phone(s, f->phone, err);
	if (rc == 0 && f->name && *f->name)
		rc = set_name(s, f->name, err);
	if (rc == 0 && f->q && *f->q)
		rc = set_q(s, f->q, err);
	return rc;
}

static int run(struct fk_db *db, struct search *s, struct fk_person_list *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	out->items = fk_xcalloc((size_t)s->limit + 1, sizeof(*out->items));
	rc = fk_db_query(db, &q, s->sql.data, err);
	if (rc < 0)
		return rc;
	bind_all(s, q);
	while ((rc = fk_q_step(q, err)) > 0 && out->n <= s->limit)
		pp_row(q, &out->items[out->n++]);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (out->n > s->limit) {
		out->n = s->limit;
		make_cursor(s, &out->items[s->limit - 1], out->next_cursor,
			    sizeof(out->next_cursor));
	}
	return 0;
}

int fk_people_search(struct fk_db *db, const struct fk_principal *who,
		     const struct fk_people_query *f, struct fk_person_list *out,
		     struct fk_err *err)
{
	struct search *s = fk_xcalloc(1, sizeof(*s));
	int rc;

	memset(out, 0, sizeof(*out));
	s->who = who;
	s->f = f;
	s->limit = f->limit > 0 ? f->limit : LIMIT_DEFAULT;
	fk_buf_init(&s->sql, FK_BUF_SQL_MAX);
	if (s->limit > LIMIT_MAX) {
		rc = bad_param(err, "limit", "应为 1-500", "expected 1-500");
		goto out;
	}
	rc = who ? read_filters(db, s, err) : 0;
	if (rc < 0 || !who)
		goto out;
	choose_plan(s);
	if (f->cursor && *f->cursor && (rc = parse_cursor(s, f->cursor, err)) < 0)
		goto out;
	build_sql(s);
	rc = run(db, s, out, err);
out:
	if (rc < 0)
		fk_person_list_release(out);
	fk_buf_release(&s->sql);
	free(s);
	return rc;
}

void fk_person_list_release(struct fk_person_list *l)
{
	if (!l)
		return;
	free(l->items);
	l->items = NULL;
	l->n = 0;
}
