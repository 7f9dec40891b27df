/* list: reading many areas — children, scope roots, searches within a scope, ancestors. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "area/area_int.h"
#include "base/xmalloc.h"

#define LIST_DEFAULT 1000
#define LIST_MAX     5000

void fk_area_list_release(struct fk_area_list *l)
{
	for (size_t i = 0; l && i < l->n; i++)
		fk_area_release(&l->items[i]);
	if (l) {
		free(l->items);
		l->items = NULL;
		l->n = 0;
	}
}

static struct fk_area *list_push(struct fk_area_list *l)
{
	l->items = fk_xrealloc(l->items, (l->n + 1) * sizeof(*l->items));
	return &l->items[l->n++];
}

/* Steps q to the end, appending every row. Always finishes q. */
static int collect(struct fk_q *q, struct fk_area_list *out, struct fk_err *err)
{
	int rc;

	while ((rc = fk_q_step(q, err)) > 0)
		area_row(q, list_push(out));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

/* "%q%" lower-cased, with LIKE's wildcards escaped by '\'. */
static char *like_pattern(const char *s)
{
	struct fk_buf b;

	fk_buf_init(&b, FK_BUF_TEXT_MAX);
	fk_buf_putc(&b, '%');
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			fk_buf_putc(&b, '\\');
		fk_buf_putc(&b, (char)tolower((unsigned char)*s));
	}
	fk_buf_putc(&b, '%');
	return fk_buf_detach(&b, NULL);
}

static void append_filters(struct fk_buf *sql, const struct fk_area_query *f)
{
	if (f->kind && *f->kind)
		fk_buf_puts(sql, " AND kind = ?");
	if (f->q && *f->q)
		fk_buf_puts(sql, " AND (LOWER(name) LIKE ? ESCAPE '\\' OR LOWER(code) LIKE ? "
				 "ESCAPE '\\')");
	fk_buf_puts(sql, " ORDER BY code LIMIT ?");
}

static int bind_filters(struct fk_q *q, int i, const struct fk_area_query *f)
{
	int limit = f->limit > 0 ? f->limit : LIST_DEFAULT;

	if (f->kind && *f->kind)
		fk_q_bind_text(q, i++, f->kind);
	if (f->q && *f->q) {
		char *pat = like_pattern(f->q);
		fk_q_bind_text(q, i++, pat);
		fk_q_bind_text(q, i++, pat);
		free(pat);
	}
	fk_q_bind_i64(q, i++, limit < LIST_MAX ? limit : LIST_MAX);
	return i;
}

/* Children of a parent inside who's scope, or every matching area in the scope. */
static int list_query(struct fk_db *db, const struct fk_principal *who,
		      const struct fk_area_query *f, struct fk_area_list *out, struct fk_err *err)
{
	struct fk_buf sql;
	struct fk_q *q;
	int rc, i = 1;

	fk_buf_init(&sql, FK_BUF_SQL_MAX);
	fk_buf_puts(&sql, "SELECT " AREA_COLS " FROM areas WHERE ");
	if (f->parent_id)
		fk_buf_puts(&sql, "parent_id = ?");
	else
		fk_scope_sql(who, "path", &sql);
	append_filters(&sql, f);
	rc = fk_db_query(db, &q, sql.data, err);
	fk_buf_release(&sql);
	if (rc < 0)
		return rc;
	if (f->parent_id)
		fk_q_bind_i64(q, i++, f->parent_id);
	else
		i = fk_scope_bind(who, q, i);
	bind_filters(q, i, f);
	return collect(q, out, err);
}

/* True when scope i of who lies inside another of its scopes (or repeats an earlier one). */
static bool nested(const struct fk_principal *who, int i)
{
	for (int j = 0; j < who->nscopes && j < FK_MAX_SCOPES; j++) {
		const char *p = who->scope_paths[j];
		size_t len = strlen(p);
		if (j == i || p[0] != '/' || strncmp(who->scope_paths[i], p, len) != 0)
			continue;
		if (who->scope_paths[i][len] != '\0' || j < i)
			return true;
	}
	return false;
}

static int cmp_code(const void *x, const void *y)
{
	return strcmp(((const struct fk_area *)x)->code, ((const struct fk_area *)y)->code);
}

static int list_roots(struct fk_db *db, const struct fk_principal *who, struct fk_area_list *out,
		      struct fk_err *err)
{
	struct fk_q *q;
	int rc = 0;

	for (int i = 0; who && rc == 0 && i < who->nscopes && i < FK_MAX_SCOPES; i++) {
		if (who->scope_paths[i][0] != '/' || nested(who, i))
			continue;
		rc = fk_db_query(db, &q, "SELECT " AREA_COLS " FROM areas WHERE path = ?", err);
		if (rc < 0)
			return rc;
		fk_q_bind_text(q, 1, who->scope_paths[i]);
		rc = collect(q, out, err);
	}
	if (out->n > 1)
		qsort(out->items, out->n, sizeof(*out->items), cmp_code);
	return rc;
}

int fk_area_list(struct fk_db *db, const struct fk_principal *who, const struct fk_area_query *f,
		 struct fk_area_list *out, struct fk_err *err)
{
	int rc = 0;

	out->items = NULL;
	out->n = 0;
	if (f->parent_id) {
		struct fk_area parent;
		rc = fk_area_get(db, f->parent_id, &parent, err);
		if (rc == 0 && !area_may_read(who, &parent))
			rc = fk_err_set(err, FK_ENOTFOUND, "not_found", "parent_id", "区域不存在",
					"area not found");
		fk_area_release(&parent);
	}
	if (rc == 0 && !f->parent_id && !(f->kind && *f->kind) && !(f->q && *f->q))
		rc = list_roots(db, who, out, err);
	else if (rc == 0)
		rc = list_query(db, who, f, out, err);
	if (rc < 0)
		fk_area_list_release(out);
	return rc;
}

int fk_area_ancestors(struct fk_db *db, const struct fk_area *a, struct fk_area_list *out,
		      struct fk_err *err)
{
	const char *p = a->path;
	int rc = 0;

	out->items = NULL;
	out->n = 0;
	while (rc == 0 && *p == '/' && p[1]) {
		char *end;
		long long id = strtoll(p + 1, &end, 10);
		if (end == p + 1 || *end != '/')
			break;
		p = end;
		if (id == a->id)
			break;
		rc = fk_area_get(db, id, list_push(out), err);
		if (rc < 0)
			out->n--; /* nothing to release: get cleared it */
	}
	if (rc < 0)
		fk_area_list_release(out);
	return rc;
}
