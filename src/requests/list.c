/* list: the requests a caller may read, newest first — a resident's own; staff's in scope
 * by the person's home area (fk_scoped_query), or with mine=1 those sitting at one of the
 * caller's scope areas (its level's queue, on the index (level_area_id, id)) — filtered by
 * status, kind, level and overdue, paged by id; and the counts by level, kind and day. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/xmalloc.h"
#include "requests/internal.h"

#define MAX_BINDS 8
#define DAY_MS	  86400000LL
#define CST_MS	  28800000LL

struct binds {
	int n;
	char type[MAX_BINDS];
	const char *t[MAX_BINDS];
	int64_t i[MAX_BINDS];
};

static void bind_t(struct binds *b, const char *s)
{
	b->type[b->n] = 't';
	b->t[b->n++] = s;
}

static void bind_i(struct binds *b, int64_t v)
{
	b->type[b->n] = 'i';
	b->i[b->n++] = v;
}

static void binds_apply(const struct binds *b, struct fk_q *q, int first)
{
	for (int k = 0; k < b->n; k++) {
		if (b->type[k] == 't')
			fk_q_bind_text(q, first + k, b->t[k]);
		else
			fk_q_bind_i64(q, first + k, b->i[k]);
	}
}

/* The filters as "cond AND " clauses into sql, their values into b. */
static void filters(const struct rq_query *f, struct fk_buf *sql, struct binds *b)
{
	if (f->before) {
		fk_buf_puts(sql, "r.id < ? AND ");
		bind_i(b, f->before);
	}
	if (f->status) {
		fk_buf_puts(sql, "r.status = ? AND ");
		bind_t(b, f->status);
	}
	if (f->kind) {
		fk_buf_puts(sql, "r.kind = ? AND ");
		bind_t(b, f->kind);
	}
	if (f->level) {
		fk_buf_puts(sql, "r.level = ? AND ");
		bind_t(b, f->level);
	}
	if (f->overdue) {
		fk_buf_puts(sql, "r.status IN ('open', 'accepted') AND r.due_at <= ? AND ");
		bind_i(b, f->now);
	}
}

/* The ids of the page (one more than the limit) into ids. */
static int page_ids(struct fk_db *db, const struct fk_principal *who, const struct rq_query *f,
		    int64_t *ids, int *n, struct fk_err *err)
{
	struct fk_buf sql;
	struct binds b = {0};
	struct fk_q *q;
	int next = 0, rc;

	fk_buf_init(&sql, 1 << 14);
	fk_buf_puts(&sql, "SELECT r.id FROM requests r WHERE ");
	filters(f, &sql, &b);
	if (who->role == FK_ROLE_RESIDENT) {
		fk_buf_puts(&sql, "r.person_id = ? ORDER BY r.id DESC LIMIT ?");
		bind_i(&b, who->person_id);
	} else if (f->mine) {
		fk_buf_puts(&sql, "r.level_area_id IN (0");
		for (int k = 0; k < who->nscopes; k++)
			fk_buf_puts(&sql, ", ?");
		fk_buf_puts(&sql, ") ORDER BY r.id DESC LIMIT ?");
	}
	if (who->role == FK_ROLE_RESIDENT || f->mine) {
		rc = fk_db_query(db, &q, sql.data, err);
		if (rc == 0) {
			binds_apply(&b, q, 1);
			next = b.n + 1;
			for (int k = 0;
			     f->mine && who->role != FK_ROLE_RESIDENT && k < who->nscopes; k++)
				fk_q_bind_i64(q, next++, who->scope_ids[k]);
		}
	} else {
		const struct fk_scoped_query sq = {.head = sql.data,
						   .nhead = b.n,
						   .col = "r.area_path",
						   .under = f->under,
						   .tail = " ORDER BY r.id DESC LIMIT ?"};
		rc = fk_scoped_query(db, who, &sq, &q, &next, err);
		if (rc == 0)
			binds_apply(&b, q, 1);
	}
	fk_buf_release(&sql);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, next, f->limit + 1);
	*n = 0;
	while ((rc = fk_q_step(q, err)) > 0)
		ids[(*n)++] = fk_q_i64(q, 0);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static int one_json(struct fk_db *db, const struct fk_principal *who, int64_t id, int64_t now,
		    json_t *items, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, RQ_JSON_SELECT " WHERE r.id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	if ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(items, rq_q_json(q, who, now));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int rq_list(struct fk_db *db, const struct fk_principal *who, const struct rq_query *f, json_t *out,
	    struct fk_err *err)
{
	int64_t *ids = fk_xcalloc((size_t)f->limit + 1, sizeof(*ids));
	json_t *items = json_array();
	char next[24];
	int n = 0, rc = page_ids(db, who, f, ids, &n, err);

	for (int k = 0; rc == 0 && k < n && k < f->limit; k++)
		rc = one_json(db, who, ids[k], f->now, items, err);
	if (rc == 0 && n > f->limit)
		snprintf(next, sizeof(next), "%lld", (long long)ids[f->limit - 1]);
	free(ids);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	json_object_set_new(out, "items", items);
	json_object_set_new(out, "next_cursor", n > f->limit ? json_string(next) : json_null());
	return 0;
}

/* ---- counts ---- */

/* Runs head (binding from..to, or now when head asks 1 value) in who's scope; each row
 * (key, count) goes to obj, or with day rows into days. */
static int count_rows(struct fk_db *db, const struct fk_principal *who, const char *under,
		      const char *head, const char *tail, int nb, const int64_t *v, json_t *obj,
		      struct fk_err *err)
{
	const struct fk_scoped_query sq = {
	    .head = head, .nhead = nb, .col = "r.area_path", .under = under, .tail = tail};
	struct fk_q *q;
	int next, rc = fk_scoped_query(db, who, &sq, &q, &next, err);

	if (rc < 0)
		return rc;
	for (int k = 0; k < nb; k++)
		fk_q_bind_i64(q, k + 1, v[k]);
	while ((rc = fk_q_step(q, err)) > 0) {
		const char *key = fk_q_columns(q) > 1 ? fk_q_text(q, 0) : "n";
		json_object_set_new(obj, key ? key : "?",
				    json_integer(fk_q_i64(q, fk_q_columns(q) > 1 ? 1 : 0)));
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static void day_name(int64_t dayno, char out[11])
{
	char iso[32];

	fk_iso8601(dayno * DAY_MS, iso);
	snprintf(out, 11, "%.10s", iso);
}

/* The count under "action:day" in o (0 when none). */
static int64_t got(json_t *o, const char *action, int64_t day)
{
	char key[40];

	snprintf(key, sizeof(key), "%s:%lld", action, (long long)day);
	return json_integer_value(json_object_get(o, key));
}

/* by_day: raised (requests), closed and escalated (the log) per CST day of from..to. */
static int by_day(struct fk_db *db, const struct fk_principal *who, const char *under,
		  const int64_t v[2], json_t *days, struct fk_err *err)
{
	json_t *c = json_object();
	char d[11];
	int rc = count_rows(db, who, under,
			    "SELECT 'raised:' || CAST((r.created_at + 28800000) / 86400000 AS "
			    "TEXT), COUNT(*) FROM requests r WHERE r.created_at >= ? AND "
			    "r.created_at < ? AND ",
			    " GROUP BY (r.created_at + 28800000) / 86400000", 2, v, c, err);

	if (rc == 0)
		rc = count_rows(
		    db, who, under,
		    "SELECT r.action || ':' || CAST((r.at + 28800000) / 86400000 AS "
		    "TEXT), COUNT(*) FROM request_log r WHERE r.at >= ? AND r.at < ? AND "
		    "r.action IN ('closed', 'confirmed', 'escalated') AND ",
		    " GROUP BY r.action, (r.at + 28800000) / 86400000", 2, v, c, err);
	for (int64_t day = (v[0] + CST_MS) / DAY_MS; rc == 0 && day * DAY_MS - CST_MS < v[1];
	     day++) {
		day_name(day, d);
		json_array_append_new(days,
				      json_pack("{s:s, s:I, s:I, s:I}", "day", d, "raised",
						got(c, "raised", day), "closed",
						got(c, "closed", day) + got(c, "confirmed", day),
						"escalated", got(c, "escalated", day)));
	}
	json_decref(c);
	return rc;
}

int rq_counts(struct fk_db *db, const struct fk_principal *who, const char *under, int64_t from,
	      int64_t to, int64_t now, json_t **out, struct fk_err *err)
{
	const int64_t v[2] = {from, to};
	json_t *lv = json_object(), *kd = json_object(), *days = json_array(), *o = json_object(),
	       *od = json_object();
	int rc = count_rows(db, who, under,
			    "SELECT r.level, COUNT(*) FROM requests r WHERE r.created_at >= ? AND "
			    "r.created_at < ? AND ",
			    " GROUP BY r.level", 2, v, lv, err);

	if (rc == 0)
		rc = count_rows(
		    db, who, under,
		    "SELECT r.kind, COUNT(*) FROM requests r WHERE r.created_at >= ? AND "
		    "r.created_at < ? AND ",
		    " GROUP BY r.kind", 2, v, kd, err);
	if (rc == 0)
		rc = by_day(db, who, under, v, days, err);
	if (rc == 0)
		rc = count_rows(db, who, under,
				"SELECT COUNT(*) FROM requests r WHERE r.status IN ('open', "
				"'accepted') AND ",
				NULL, 0, NULL, o, err);
	if (rc == 0)
		rc = count_rows(db, who, under,
				"SELECT COUNT(*) FROM requests r WHERE r.status IN ('open', "
				"'accepted') AND r.due_at <= ? AND ",
				NULL, 1, &now, od, err);
	*out = rc < 0
		   ? NULL
		   : json_pack("{s:O, s:O, s:O, s:I, s:I}", "by_level", lv, "by_kind", kd, "by_day",
			       days, "open", json_integer_value(json_object_get(o, "n")), "overdue",
			       json_integer_value(json_object_get(od, "n")));
	json_decref(lv);
	json_decref(kd);
	json_decref(days);
	json_decref(o);
	json_decref(od);
	return rc;
}
