/* coverage: the per-building counters of an open round (round_stats) and what is read from
 * them — coverage per area level, totals, the round's summary figure — and turnaround times
 * from the tubes' timestamps.
 *
 * A level's coverage is a SUM over the counters rows in each child's path range, so a grid is
 * about ten rows and a whole district about 4,000, whatever the number of residents. Missing
 * is counted per building (expected - sampled, never below 0) so a visitor sampled in one
 * building does not hide a resident missing in another. */
#include <stdlib.h>
#include <string.h>
#include "base/xmalloc.h"
#include "testing/internal.h"

#define SUMS                                                                                       \
	"CAST(SUM(s.expected) AS BIGINT), CAST(SUM(s.exempt) AS BIGINT), "                         \
	"CAST(SUM(s.sampled) AS BIGINT), CAST(SUM(s.resulted) AS BIGINT), "                        \
	"CAST(SUM(s.positive) AS BIGINT), CAST(SUM(CASE WHEN s.expected > s.sampled THEN "         \
	"s.expected - s.sampled ELSE 0 END) AS BIGINT)"

int tr_stats_bump(struct fk_db *db, int64_t round_id, int64_t area_id, const char *area_path,
		  const int64_t d[5], struct fk_err *err)
{
	struct fk_area a = {0};
	int64_t n =
	    fk_db_run(db, err,
		      "UPDATE round_stats SET expected = expected + ?, exempt = exempt + ?, "
		      "sampled = sampled + ?, resulted = resulted + ?, positive = positive + ? "
		      "WHERE round_id = ? AND area_id = ?",
		      "iiiiiii", d[0], d[1], d[2], d[3], d[4], round_id, area_id);
	int rc = n < 0 ? (int)n : 0;

	if (rc < 0 || n > 0)
		return rc;
	if (!area_path) {
		rc = fk_area_get(db, area_id, &a, err);
		area_path = a.path;
	}
	if (rc == 0)
		rc = fk_db_write(
		    db, err,
		    "INSERT INTO round_stats (round_id, area_id, area_path, expected, "
		    "exempt, sampled, resulted, positive) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		    "iitiiiii", round_id, area_id, area_path, d[0] > 0 ? d[0] : 0,
		    d[1] > 0 ? d[1] : 0, d[2] > 0 ? d[2] : 0, d[3] > 0 ? d[3] : 0,
		    d[4] > 0 ? d[4] : 0);
	fk_area_release(&a);
	return rc;
}

static int stats_apply(struct fk_db *db, int64_t round_id, int64_t building_id,
		       const int64_t d[FK_COUNT_N], struct fk_err *err)
{
	return tr_stats_bump(db, round_id, building_id, NULL, d, err);
}

/* A scan's, a result's: in the group commit applied at the batch's end (fk_db_count). */
static const struct fk_counter round_stats = {.name = "round_stats", .apply = stats_apply};

int fk_round_stats_add(struct fk_db *db, int64_t round_id, int64_t building_id, int sampled,
		       int resulted, int positive, struct fk_err *err)
{
	const int64_t d[FK_COUNT_N] = {0, 0, sampled, resulted, positive};
	int rc = fk_db_count(db, &round_stats, round_id, building_id, d, err);

	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_ENOTFOUND, "area_not_found", "building_id", "区域不存在",
				  "the area does not exist");
	return rc;
}

/* ---- reading the counters ---- */

static void counts_row(struct fk_q *q, int col, struct tr_counts *c)
{
	c->expected = fk_q_i64(q, col);
	c->exempt = fk_q_i64(q, col + 1);
	c->sampled = fk_q_i64(q, col + 2);
	c->resulted = fk_q_i64(q, col + 3);
	c->positive = fk_q_i64(q, col + 4);
	c->missing = fk_q_i64(q, col + 5);
}

static void counts_add(struct tr_counts *t, const struct tr_counts *c)
{
	t->expected += c->expected;
	t->exempt += c->exempt;
	t->sampled += c->sampled;
	t->resulted += c->resulted;
	t->positive += c->positive;
	t->missing += c->missing;
}

json_t *tr_counts_json(const struct tr_counts *c)
{
	json_t *rate = c->expected > 0
			   ? json_real((double)(c->expected - c->missing) / (double)c->expected)
			   : json_null();

	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "expected", (json_int_t)c->expected,
			 "exempt", (json_int_t)c->exempt, "sampled", (json_int_t)c->sampled,
			 "resulted", (json_int_t)c->resulted, "positive", (json_int_t)c->positive,
			 "missing", (json_int_t)c->missing, "coverage", rate);
}

int tr_counts_under(struct fk_db *db, int64_t round_id, const char *path, struct tr_counts *out,
		    struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	struct fk_q *q;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = fk_db_query(db, &q,
			 "SELECT " SUMS " FROM round_stats s WHERE s.round_id = ? AND "
			 "s.area_path >= ? AND s.area_path < ?",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, round_id);
	fk_q_bind_text(q, 2, path);
	fk_q_bind_text(q, 3, tr_upper(path, upper));
	rc = fk_q_step(q, err);
	if (rc > 0)
		counts_row(q, 0, out);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static json_t *row_json(int64_t id, const char *name, const char *code, const char *kind,
			const char *path, const struct tr_counts *c)
{
	json_t *o = tr_counts_json(c);

	json_object_set_new(o, "area_id", fk_json_idv(id));
	json_object_set_new(o, "name", fk_json_strv(name));
	json_object_set_new(o, "code", fk_json_strv(code));
	json_object_set_new(o, "kind", fk_json_strv(kind));
	json_object_set_new(o, "path", fk_json_strv(path));
	return o;
}

int tr_top_areas(const struct fk_principal *who, const struct tr_round_areas *ra,
		 struct tr_round_areas *out)
{
	out->n = 0;
	for (int i = 0; i < ra->n; i++) {
		if (!who || fk_scope_covers(who, ra->a[i].path)) {
			out->a[out->n++] = ra->a[i];
			continue;
		}
		for (int s = 0; s < who->nscopes && s < FK_MAX_SCOPES; s++) {
			if (!tr_path_under(who->scope_paths[s], ra->a[i].path) ||
			    out->n >= TR_ROUND_MAX_AREAS)
				continue;
			struct tr_round_area *x = &out->a[out->n++];
			memset(x, 0, sizeof(*x));
			x->id = who->scope_ids[s];
			snprintf(x->path, sizeof(x->path), "%s", who->scope_paths[s]);
		}
	}
	return out->n;
}

/* Rows of the top areas (the caller's view of the round without an area). Scope roots that
 * came without a name are looked up. */
static int top_rows(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		    const struct tr_round_areas *ra, json_t *rows, struct tr_counts *totals,
		    struct fk_err *err)
{
	struct tr_round_areas *top = fk_xmalloc(sizeof(*top));
	int rc = 0;

	if (rc == 0)
		tr_top_areas(who, ra, top);
	for (int i = 0; rc == 0 && i < top->n; i++) {
		struct tr_round_area *t = &top->a[i];
		struct tr_counts c;
		struct fk_area a = {0};
		if (!t->code[0] && (rc = fk_area_get(db, t->id, &a, err)) == 0) {
			snprintf(t->name, sizeof(t->name), "%s", a.name);
			snprintf(t->code, sizeof(t->code), "%s", a.code);
			snprintf(t->kind, sizeof(t->kind), "%s", a.kind);
		}
		fk_area_release(&a);
		if (rc == 0)
			rc = tr_counts_under(db, round_id, t->path, &c, err);
		if (rc == 0) {
			counts_add(totals, &c);
			json_array_append_new(
			    rows, row_json(t->id, t->name, t->code, t->kind, t->path, &c));
		}
	}
	free(top);
	return rc;
}

/* The counters row of the area itself, when people live directly in it (not in a child). */
static int self_row(struct fk_db *db, int64_t round_id, const struct fk_area *area, json_t *rows,
		    struct fk_err *err)
{
	struct fk_q *q;
	struct tr_counts c;
	int rc;

	rc =
	    fk_db_query(db, &q,
			"SELECT " SUMS " FROM round_stats s WHERE s.round_id = ? AND s.area_id = ? "
			"GROUP BY s.area_id",
			err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, round_id);
	fk_q_bind_i64(q, 2, area->id);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		counts_row(q, 0, &c);
		json_t *o = row_json(area->id, area->name, area->code, area->kind, area->path, &c);
		json_object_set_new(o, "self", json_true());
		json_array_append_new(rows, o);
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static const char sql_children[] =
    "SELECT a.id, a.name, a.code, a.kind, a.path, " SUMS " FROM areas a JOIN round_stats s "
    "ON s.round_id = ? AND s.area_path >= a.path AND s.area_path < (a.path || '~') "
    "WHERE a.parent_id = ? GROUP BY a.id, a.name, a.code, a.kind, a.path ORDER BY a.code";

static const char sql_kind[] =
    "SELECT a.id, a.name, a.code, a.kind, a.path, " SUMS " FROM areas a JOIN round_stats s "
    "ON s.round_id = ? AND s.area_path >= a.path AND s.area_path < (a.path || '~') "
    "WHERE a.path >= ? AND a.path < ? AND a.kind = ? "
    "GROUP BY a.id, a.name, a.code, a.kind, a.path ORDER BY a.code";

static int level_rows(struct fk_db *db, int64_t round_id, const struct fk_area *area,
		      const char *kind, json_t *rows, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	struct fk_q *q;
	int rc;

	rc = fk_db_query(db, &q, kind ? sql_kind : sql_children, err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, round_id);
	if (kind) {
		fk_q_bind_text(q, 2, area->path);
		fk_q_bind_text(q, 3, tr_upper(area->path, upper));
		fk_q_bind_text(q, 4, kind);
	} else {
		fk_q_bind_i64(q, 2, area->id);
	}
	while ((rc = fk_q_step(q, err)) > 0) {
		struct tr_counts c;
		counts_row(q, 5, &c);
		json_array_append_new(rows,
				      row_json(fk_q_i64(q, 0), fk_q_text(q, 1), fk_q_text(q, 2),
					       fk_q_text(q, 3), fk_q_text(q, 4), &c));
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int tr_coverage(struct fk_db *db, const struct fk_principal *who, int64_t round_id,
		const struct tr_round_areas *ra, const struct fk_area *area, const char *kind,
		json_t *rows, struct tr_counts *totals, struct fk_err *err)
{
	int rc;

	memset(totals, 0, sizeof(*totals));
	if (!area)
		return top_rows(db, who, round_id, ra, rows, totals, err);
	rc = level_rows(db, round_id, area, kind, rows, err);
	if (rc == 0 && !kind)
		rc = self_row(db, round_id, area, rows, err);
	if (rc == 0)
		rc = tr_counts_under(db, round_id, area->path, totals, err);
	return rc;
}

/* ---- turnaround ---- */

struct series {
	int64_t *v;
	size_t n, cap;
};

static void series_add(struct series *s, int64_t v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = fk_xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = v < 0 ? 0 : v;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* {count, p50_ms, p90_ms, p99_ms, max_ms} by nearest rank; nulls when there is nothing. */
static json_t *series_json(struct series *s)
{
	if (s->n == 0)
		return json_pack("{s:i, s:n, s:n, s:n, s:n}", "count", 0, "p50_ms", "p90_ms",
				 "p99_ms", "max_ms");
	qsort(s->v, s->n, sizeof(*s->v), cmp_i64);
	return json_pack("{s:I, s:I, s:I, s:I, s:I}", "count", (json_int_t)s->n, "p50_ms",
			 (json_int_t)s->v[(s->n - 1) * 50 / 100], "p90_ms",
			 (json_int_t)s->v[(s->n - 1) * 90 / 100], "p99_ms",
			 (json_int_t)s->v[(s->n - 1) * 99 / 100], "max_ms",
			 (json_int_t)s->v[s->n - 1]);
}

/* A tube's sampling ends when it is closed (an open tube still takes people). */
static const char sql_tubes[] =
    "SELECT closed_at, received_at, resulted_at FROM tubes WHERE round_id = ? AND "
    "status <> 'voided' AND closed_at IS NOT NULL";
static const char sql_tubes_site[] =
    "SELECT closed_at, received_at, resulted_at FROM tubes WHERE round_id = ? AND "
    "status <> 'voided' AND closed_at IS NOT NULL AND site_id = ?";

int tr_turnaround(struct fk_db *db, int64_t round_id, int64_t site_id, json_t **out,
		  struct fk_err *err)
{
	struct series sr = {0}, rr = {0}, sres = {0};
	int64_t tubes = 0;
	struct fk_q *q;
	int rc;

	*out = NULL;
	rc = fk_db_query(db, &q, site_id ? sql_tubes_site : sql_tubes, err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, round_id);
	if (site_id)
		fk_q_bind_i64(q, 2, site_id);
	while ((rc = fk_q_step(q, err)) > 0) {
		int64_t sampled = fk_q_i64(q, 0), received = fk_q_i64(q, 1);
		int64_t resulted = fk_q_i64(q, 2);
		tubes++;
		if (received)
			series_add(&sr, received - sampled);
		if (received && resulted)
			series_add(&rr, resulted - received);
		if (resulted)
			series_add(&sres, resulted - sampled);
	}
	fk_q_done(q);
	if (rc == 0)
		*out = json_pack("{s:I, s:o, s:o, s:o}", "tubes", (json_int_t)tubes,
				 "sampled_to_received", series_json(&sr), "received_to_resulted",
				 series_json(&rr), "sampled_to_resulted", series_json(&sres));
	free(sr.v);
	free(rr.v);
	free(sres.v);
	return rc < 0 ? rc : 0;
}

/* ---- the round's figure ---- */

/* "N 人已检测，全部阴性" / "N tested, all negative", with positives, people awaiting
 * results and people not yet sampled when there are any. */
static void summary_text(const struct tr_counts *c, struct fk_buf *zh, struct fk_buf *en)
{
	int64_t pending = c->sampled - c->resulted;

	if (c->resulted == 0) {
		fk_buf_puts(zh, "尚无检测结果");
		fk_buf_puts(en, "no results yet");
	} else if (c->positive == 0) {
		fk_buf_printf(zh, "%lld 人已检测，全部阴性", (long long)c->resulted);
		fk_buf_printf(en, "%lld tested, all negative", (long long)c->resulted);
	} else {
		fk_buf_printf(zh, "%lld 人已检测，%lld 人阳性", (long long)c->resulted,
			      (long long)c->positive);
		fk_buf_printf(en, "%lld tested, %lld positive", (long long)c->resulted,
			      (long long)c->positive);
	}
	if (pending > 0) {
		fk_buf_printf(zh, "，%lld 人待出结果", (long long)pending);
		fk_buf_printf(en, ", %lld awaiting results", (long long)pending);
	}
	if (c->missing > 0) {
		fk_buf_printf(zh, "，%lld 人未采样", (long long)c->missing);
		fk_buf_printf(en, ", %lld not yet sampled", (long long)c->missing);
	}
}

json_t *tr_summary_json(const struct tr_counts *c, const char *lang)
{
	struct fk_buf zh, en;
	json_t *o = tr_counts_json(c);
	int64_t pending = c->sampled > c->resulted ? c->sampled - c->resulted : 0;

	fk_buf_init(&zh, FK_BUF_TEXT_MAX);
	fk_buf_init(&en, FK_BUF_TEXT_MAX);
	summary_text(c, &zh, &en);
	json_object_set_new(o, "pending", json_integer(pending));
	json_object_set_new(o, "complete", json_boolean(c->missing == 0 && pending == 0));
	json_object_set_new(o, "all_negative", json_boolean(c->resulted > 0 && c->positive == 0));
	json_object_set_new(o, "text",
			    json_string(lang && strcmp(lang, "en") == 0 ? en.data : zh.data));
	json_object_set_new(o, "text_zh", json_string(zh.data));
	json_object_set_new(o, "text_en", json_string(en.data));
	fk_buf_release(&zh);
	fk_buf_release(&en);
	return o;
}
