/* round: testing rounds (SPEC §3) — a name, the areas in scope, start and deadline, the pool
 * size, and the status planned -> sampling -> closed. Opening a round fills round_stats with
 * one row per building (and per other area where people live) in its areas, expected = the
 * residents there less the exempt; the tubes module changes the counters from then on.
 *
 * Rounds carry no people data, but who may see one is still scoped: a round is visible when
 * one of its areas meets one of the caller's scopes, and writable by a commander or admin whose
 * scopes cover all of them. The functions here run inside the caller's transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "testing/internal.h"

#define ROUND_COLS                                                                                 \
	"id, name, status, pool_size, starts_at, deadline_at, opened_at, closed_at, created_by, "  \
	"created_at, note, policy_version, opened_policy_version, round_target_ms, "               \
	"sampling_target_ms"

static const char *const status_names[] = {"", "planned", "sampling", "closed"};

const char *fk_round_status_name(enum fk_round_status s)
{
	return s >= FK_ROUND_PLANNED && s <= FK_ROUND_CLOSED ? status_names[s] : "unknown";
}

static enum fk_round_status status_parse(const char *s)
{
	for (int i = FK_ROUND_PLANNED; s && i <= FK_ROUND_CLOSED; i++)
		if (strcmp(s, status_names[i]) == 0)
			return (enum fk_round_status)i;
	return FK_ROUND_PLANNED;
}

static void round_row(struct fk_q *q, struct fk_round *r)
{
	memset(r, 0, sizeof(*r));
	r->id = fk_q_i64(q, 0);
	snprintf(r->name, sizeof(r->name), "%s", fk_q_text(q, 1) ? fk_q_text(q, 1) : "");
	r->status = status_parse(fk_q_text(q, 2));
	r->pool_size = (int)fk_q_i64(q, 3);
	r->starts_at = fk_q_i64(q, 4);
	r->deadline_at = fk_q_i64(q, 5);
	r->opened_at = fk_q_i64(q, 6);
	r->closed_at = fk_q_i64(q, 7);
	r->created_by = fk_q_i64(q, 8);
	r->created_at = fk_q_i64(q, 9);
	snprintf(r->note, sizeof(r->note), "%s", fk_q_text(q, 10) ? fk_q_text(q, 10) : "");
	r->policy_version = fk_q_i64(q, 11);
	r->opened_policy_version = fk_q_i64(q, 12);
	r->round_target_ms = fk_q_i64(q, 13);
	r->sampling_target_ms = fk_q_i64(q, 14);
}

static int round_not_found(struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "round_not_found", NULL, "检测轮次不存在",
			  "the testing round does not exist");
}

int fk_round_get(struct fk_db *db, int64_t id, struct fk_round *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = fk_db_query(db, &q, "SELECT " ROUND_COLS " FROM rounds WHERE id = ?", err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		round_row(q, out);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	return rc == 0 ? round_not_found(err) : 0;
}

int tr_round_areas(struct fk_db *db, int64_t id, struct tr_round_areas *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	out->n = 0;
	rc = fk_db_query(db, &q,
			 "SELECT a.id, a.path, a.name, a.code, a.kind FROM round_areas ra "
			 "JOIN areas a ON a.id = ra.area_id WHERE ra.round_id = ? ORDER BY a.code",
			 err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	while ((rc = fk_q_step(q, err)) > 0 && out->n < TR_ROUND_MAX_AREAS) {
		struct tr_round_area *a = &out->a[out->n++];
		a->id = fk_q_i64(q, 0);
		snprintf(a->path, sizeof(a->path), "%s", fk_q_text(q, 1));
		snprintf(a->name, sizeof(a->name), "%s", fk_q_text(q, 2));
		snprintf(a->code, sizeof(a->code), "%s", fk_q_text(q, 3));
		snprintf(a->kind, sizeof(a->kind), "%s", fk_q_text(q, 4));
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

bool tr_round_has_path(const struct tr_round_areas *areas, const char *path)
{
	for (int i = 0; i < areas->n; i++)
		if (tr_path_under(path, areas->a[i].path))
			return true;
	return false;
}

static bool meets(const struct fk_principal *who, const struct tr_round_areas *areas)
{
	if (!who)
		return true;
	for (int i = 0; i < areas->n; i++)
		if (fk_scope_overlaps(who, areas->a[i].path))
			return true;
	return false;
}

bool tr_round_writable(const struct fk_principal *who, const struct tr_round_areas *areas)
{
	if (!who)
		return true;
	if (who->role != FK_ROLE_ADMIN && who->role != FK_ROLE_COMMANDER)
		return false;
	for (int i = 0; i < areas->n; i++)
		if (!fk_scope_covers(who, areas->a[i].path))
			return false;
	return true;
}

int fk_round_covers_path(struct fk_db *db, int64_t round_id, const char *area_path, bool *out,
			 struct fk_err *err)
{
	struct tr_round_areas *ra = fk_xmalloc(sizeof(*ra));
	int rc;

	rc = tr_round_areas(db, round_id, ra, err);
	*out = rc == 0 && tr_round_has_path(ra, area_path);
	free(ra);
	return rc;
}

int tr_round_visible(struct fk_db *db, const struct fk_principal *who, int64_t id,
		     struct fk_round *out, struct tr_round_areas *areas, struct fk_err *err)
{
	struct tr_round_areas *ra = areas ? areas : fk_xmalloc(sizeof(*ra));
	int rc = fk_round_get(db, id, out, err);

	if (rc == 0)
		rc = tr_round_areas(db, id, ra, err);
	if (rc == 0 && !meets(who, ra))
		rc = round_not_found(err);
	if (rc == 0)
		tr_coverage_pulse_learn(id, ra);
	if (!areas)
		free(ra);
	return rc;
}

int fk_round_get_visible(struct fk_db *db, const struct fk_principal *who, int64_t id,
			 struct fk_round *out, struct fk_err *err)
{
	return tr_round_visible(db, who, id, out, NULL, err);
}

/* ---- create and change ---- */

static int check_name(const char *name, struct fk_err *err)
{
	size_t n = name ? fk_utf8_chars(name) : 0;

	if (n == 0)
		return fk_err_set(err, FK_EINVAL, "missing_field", "name", "请填写轮次名称",
				  "the round needs a name");
	if (n > FK_ROUND_NAME_MAX)
		return fk_err_set(err, FK_EINVAL, "too_long", "name", "名称过长（最多 %d 个字）",
				  "the name is too long (at most %d characters)",
				  FK_ROUND_NAME_MAX);
	return 0;
}

static int check_times(int64_t starts, int64_t deadline, struct fk_err *err)
{
	if (deadline <= starts)
		return fk_err_set(err, FK_EINVAL, "deadline_before_start", "deadline_at",
				  "截止时间必须晚于开始时间",
				  "the deadline must be after the start");
	return 0;
}

int tr_round_check_pool(const struct fk_policy_snap *s, int64_t k, struct fk_err *err)
{
	json_t *sizes;
	char *list;

	if (fk_policy_snap_has(s, TR_POLICY(POOL_SIZES), k))
		return 0;
	sizes = fk_policy_snap_json(s, TR_POLICY(POOL_SIZES));
	list = json_dumps(sizes, JSON_COMPACT);
	fk_err_set(err, FK_EINVAL, "invalid_pool_size", "pool_size",
		   "混采比例 %lld 无效（策略第 %lld 版允许 %s）",
		   "pool size %lld is not allowed (policy version %lld allows %s)", (long long)k,
		   (long long)fk_policy_snap_version(s), list);
	free(list);
	json_decref(sizes);
	return FK_EINVAL;
}

/* Is area i inside another of the list (or a repeat of an earlier one)? */
static bool covered_by_other(const struct tr_round_areas *l, int i)
{
	for (int j = 0; j < l->n; j++) {
		if (j == i || !tr_path_under(l->a[i].path, l->a[j].path))
			continue;
		if (strcmp(l->a[i].path, l->a[j].path) != 0 || j < i)
			return true;
	}
	return false;
}

/* Looks the areas up (each in who's scope) and keeps the outermost ones: an area inside
 * another of the list adds nobody. */
static int resolve_areas(struct fk_db *db, const struct fk_principal *who, const int64_t *ids,
			 int n, struct tr_round_areas *out, struct fk_err *err)
{
	out->n = 0;
	if (n <= 0 || n > TR_ROUND_MAX_AREAS)
		return fk_err_set(err, FK_EINVAL, "bad_areas", "area_ids", "请选择 1 到 %d 个区域",
				  "choose 1 to %d areas", TR_ROUND_MAX_AREAS);
	for (int i = 0; i < n; i++) {
		struct fk_area a;
		int rc = fk_area_get(db, ids[i], &a, err);
		if (rc == 0 && who && !fk_scope_covers(who, a.path))
			rc = FK_ENOTFOUND;
		fk_area_release(&a);
		if (rc == FK_ENOTFOUND)
			return fk_err_set(err, FK_EINVAL, "unknown_area", "area_ids",
					  "区域 %lld 不存在", "area %lld does not exist",
					  (long long)ids[i]);
		if (rc < 0)
			return rc;
		struct tr_round_area *x = &out->a[out->n++];
		x->id = a.id;
		snprintf(x->path, sizeof(x->path), "%s", a.path);
	}
	for (int i = 0; i < out->n; i++)
		if (covered_by_other(out, i))
			out->a[i--] = out->a[--out->n];
	return 0;
}

static int write_areas(struct fk_db *db, int64_t id, const struct tr_round_areas *ra,
		       struct fk_err *err)
{
	int rc = fk_db_write(db, err, "DELETE FROM round_areas WHERE round_id = ?", "i", id);

	for (int i = 0; rc == 0 && i < ra->n; i++)
		rc = fk_db_write(db, err,
				 "INSERT INTO round_areas (round_id, area_id, area_path) "
				 "VALUES (?, ?, ?)",
				 "iit", id, ra->a[i].id, ra->a[i].path);
	return rc;
}

int tr_round_create(struct fk_db *db, const struct fk_principal *who,
		    const struct tr_round_input *in, struct fk_round *out, struct fk_err *err)
{
	struct tr_round_areas *ra = fk_xcalloc(1, sizeof(*ra));
	struct fk_policy_snap *pol = fk_policy_snap(db);
	int64_t now = fk_now_ms(), starts = in->starts_at ? in->starts_at : now;
	int64_t pool =
	    in->pool_size ? in->pool_size : fk_policy_snap_i64(pol, TR_POLICY(POOL_DEFAULT));
	int rc = check_name(in->name, err);

	if (rc == 0)
		rc = tr_round_check_pool(pol, pool, err);
	if (rc == 0)
		rc = check_times(starts, in->deadline_at, err);
	if (rc == 0)
		rc = resolve_areas(db, who, in->area_ids, in->nareas, ra, err);
	if (rc == 0) {
		int64_t id = fk_id_next();
		rc = fk_db_write(db, err,
				 "INSERT INTO rounds (id, name, status, pool_size, starts_at, "
				 "deadline_at, created_by, created_at, updated_at, note, "
				 "policy_version, round_target_ms, sampling_target_ms) "
				 "VALUES (?, ?, 'planned', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				 "itiiiiiitiii", id, in->name, pool, starts, in->deadline_at,
				 who ? who->user_id : (int64_t)0, now, now,
				 in->note && *in->note ? in->note : NULL,
				 fk_policy_snap_version(pol),
				 fk_policy_snap_ms(pol, TR_POLICY(ROUND_TARGET)),
				 fk_policy_snap_ms(pol, TR_POLICY(SAMPLING_TARGET)));
		if (rc == 0)
			rc = write_areas(db, id, ra, err);
		if (rc == 0)
			rc = fk_round_get(db, id, out, err);
	}
	fk_policy_snap_release(pol);
	free(ra);
	return rc;
}

static int round_for_write(struct fk_db *db, const struct fk_principal *who, int64_t id,
			   struct fk_round *r, struct tr_round_areas *ra, struct fk_err *err)
{
	int rc = tr_round_visible(db, who, id, r, ra, err);

	if (rc == 0 && !tr_round_writable(who, ra))
		rc = fk_err_set(err, FK_EPERM, "round_not_writable", NULL,
				"该轮次的区域超出您的管辖范围，不能修改",
				"the round covers areas outside your scope; you cannot change it");
	return rc;
}

static int update_checks(const struct fk_policy_snap *pol, const struct fk_round *r,
			 const struct tr_round_input *in, struct fk_err *err)
{
	int64_t starts = in->starts_at ? in->starts_at : r->starts_at;
	int64_t deadline = in->deadline_at ? in->deadline_at : r->deadline_at;

	if (r->status == FK_ROUND_CLOSED)
		return fk_err_set(err, FK_ECONFLICT, "round_closed", NULL, "该轮次已结束",
				  "the round is closed");
	if (r->status != FK_ROUND_PLANNED && (in->area_ids || in->pool_size))
		return fk_err_set(err, FK_EUNPROC, "round_started",
				  in->area_ids ? "area_ids" : "pool_size",
				  "轮次已开始，区域和混采比例不能再改",
				  "the round has started: its areas and pool size are fixed");
	if (in->name && check_name(in->name, err) < 0)
		return err->code;
	if (in->pool_size && tr_round_check_pool(pol, in->pool_size, err) < 0)
		return err->code;
	return check_times(starts, deadline, err);
}

int tr_round_update(struct fk_db *db, const struct fk_principal *who, int64_t id,
		    const struct tr_round_input *in, struct fk_round *out, struct fk_err *err)
{
	struct tr_round_areas *ra = fk_xcalloc(1, sizeof(*ra));
	struct fk_policy_snap *pol = fk_policy_snap(db);
	struct fk_round r;
	int rc = round_for_write(db, who, id, &r, ra, err);

	if (rc == 0)
		rc = update_checks(pol, &r, in, err);
	if (rc == 0 && in->area_ids)
		rc = resolve_areas(db, who, in->area_ids, in->nareas, ra, err);
	if (rc == 0 && in->area_ids)
		rc = write_areas(db, id, ra, err);
	if (rc == 0)
		rc = fk_db_write(
		    db, err,
		    "UPDATE rounds SET name = ?, pool_size = ?, starts_at = ?, deadline_at = ?, "
		    "note = ?, updated_at = ?, policy_version = ? WHERE id = ?",
		    "tiiitiii", in->name ? in->name : r.name,
		    (int64_t)(in->pool_size ? in->pool_size : r.pool_size),
		    in->starts_at ? in->starts_at : r.starts_at,
		    in->deadline_at ? in->deadline_at : r.deadline_at,
		    in->has_note ? (in->note && *in->note ? in->note : NULL)
				 : (r.note[0] ? r.note : NULL),
		    fk_now_ms(), in->pool_size ? fk_policy_snap_version(pol) : r.policy_version,
		    id);
	if (rc == 0)
		rc = fk_round_get(db, id, out, err);
	fk_policy_snap_release(pol);
	free(ra);
	return rc;
}

/* ---- open and close ---- */

static int status_conflict(const struct fk_round *r, bool opening, struct fk_err *err)
{
	if (r->status == FK_ROUND_CLOSED)
		return fk_err_set(err, FK_ECONFLICT, "round_closed", NULL, "该轮次已结束",
				  "the round is already closed");
	if (opening)
		return fk_err_set(err, FK_ECONFLICT, "round_open", NULL, "该轮次已开始采样",
				  "the round is already open");
	return fk_err_set(err, FK_ECONFLICT, "round_not_open", NULL, "该轮次尚未开始采样，不能结束",
			  "the round is not open; it cannot be closed");
}

/* One counters row per area with residents under path, expected = its residents, then one
 * per building without any. The residents are counted on the people_area index alone. */
static int fill_stats(struct fk_db *db, int64_t id, const char *path, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 8];
	int rc;

	tr_upper(path, upper);
	rc = fk_db_write(db, err,
			 "INSERT INTO round_stats (round_id, area_id, area_path, expected, exempt, "
			 "sampled, resulted, positive) "
			 "SELECT CAST(? AS BIGINT), a.id, a.path, x.n, 0, 0, 0, 0 FROM "
			 "(SELECT area_path, COUNT(*) AS n FROM people WHERE area_path >= ? AND "
			 "area_path < ? GROUP BY area_path) x JOIN areas a ON a.path = x.area_path",
			 "itt", id, path, upper);
	if (rc < 0)
		return rc;
	rc = fk_db_write(db, err,
			 "INSERT INTO round_stats (round_id, area_id, area_path, expected, exempt, "
			 "sampled, resulted, positive) "
			 "SELECT CAST(? AS BIGINT), a.id, a.path, 0, 0, 0, 0, 0 FROM areas a "
			 "WHERE a.path >= ? AND a.path < ? AND a.kind = 'building' AND NOT EXISTS "
			 "(SELECT 1 FROM round_stats s WHERE s.round_id = ? AND s.area_id = a.id)",
			 "itti", id, path, upper, id);
	return rc;
}

static int set_status(struct fk_db *db, int64_t id, bool opening, int64_t *changed,
		      struct fk_err *err)
{
	int64_t now = fk_now_ms(), n;
	struct fk_policy_snap *pol = opening ? fk_policy_snap(db) : NULL;

	if (opening)
		n = fk_db_run(
		    db, err,
		    "UPDATE rounds SET status = 'sampling', opened_at = ?, updated_at = ?, "
		    "opened_policy_version = ?, round_target_ms = ?, "
		    "sampling_target_ms = ? WHERE id = ? AND status = 'planned'",
		    "iiiiii", now, now, fk_policy_snap_version(pol),
		    fk_policy_snap_ms(pol, TR_POLICY(ROUND_TARGET)),
		    fk_policy_snap_ms(pol, TR_POLICY(SAMPLING_TARGET)), id);
	else
		n = fk_db_run(db, err,
			      "UPDATE rounds SET status = 'closed', closed_at = ?, updated_at = ? "
			      "WHERE id = ? AND status = 'sampling'",
			      "iii", now, now, id);
	fk_policy_snap_release(pol);
	*changed = n;
	return n < 0 ? (int)n : 0;
}

static int transition(struct fk_db *db, const struct fk_principal *who, int64_t id, bool opening,
		      struct fk_round *out, struct fk_err *err)
{
	struct tr_round_areas *ra = fk_xcalloc(1, sizeof(*ra));
	struct fk_round r;
	int64_t changed = 0;
	int rc = round_for_write(db, who, id, &r, ra, err);

	if (rc == 0)
		rc = set_status(db, id, opening, &changed, err);
	if (rc == 0 && changed == 0)
		rc = status_conflict(&r, opening, err);
	for (int i = 0; rc == 0 && opening && i < ra->n; i++)
		rc = fill_stats(db, id, ra->a[i].path, err);
	if (rc == 0 && opening)
		rc = tr_exempt_apply(db, id, ra, err);
	if (rc == 0)
		rc = fk_round_get(db, id, out, err);
	free(ra);
	return rc;
}

int tr_round_open(struct fk_db *db, const struct fk_principal *who, int64_t id,
		  struct fk_round *out, struct fk_err *err)
{
	return transition(db, who, id, true, out, err);
}

int tr_round_close(struct fk_db *db, const struct fk_principal *who, int64_t id,
		   struct fk_round *out, struct fk_err *err)
{
	return transition(db, who, id, false, out, err);
}

/* ---- lists and JSON ---- */

/* SQL limiting a round (alias r) to those with an area meeting who's scopes: the area inside
 * a scope, or a scope inside the area. */
static int visible_sql(const struct fk_principal *who, struct fk_buf *sql)
{
	int n = 0;

	fk_buf_puts(sql,
		    " AND EXISTS (SELECT 1 FROM round_areas ra WHERE ra.round_id = r.id AND (");
	n = fk_scope_sql(who, "ra.area_path", sql);
	for (int i = 0; i < who->nscopes && i < FK_MAX_SCOPES; i++) {
		if (who->scope_paths[i][0] != '/')
			continue;
		fk_buf_puts(sql, " OR (CAST(? AS TEXT) >= ra.area_path AND "
				 "CAST(? AS TEXT) < (ra.area_path || '~'))");
		n += 2;
	}
	fk_buf_puts(sql, "))");
	return n;
}

static int visible_bind(const struct fk_principal *who, struct fk_q *q, int idx)
{
	idx = fk_scope_bind(who, q, idx);
	for (int i = 0; i < who->nscopes && i < FK_MAX_SCOPES; i++) {
		if (who->scope_paths[i][0] != '/')
			continue;
		fk_q_bind_text(q, idx++, who->scope_paths[i]);
		fk_q_bind_text(q, idx++, who->scope_paths[i]);
	}
	return idx;
}

/* Reads the rounds of a prepared list query into JSON, with their areas. */
static int list_rows(struct fk_db *db, struct fk_q *q, json_t *items, struct fk_err *err)
{
	struct fk_round *rs = fk_xcalloc(200, sizeof(*rs));
	struct tr_round_areas *ra = fk_xmalloc(sizeof(*ra));
	int n = 0, rc = 0;

	while (rc == 0 && (rc = fk_q_step(q, err)) > 0 && n < 200)
		round_row(q, &rs[n++]);
	fk_q_done(q);
	if (rc > 0)
		rc = 0;
	for (int i = 0; rc == 0 && i < n; i++) {
		rc = tr_round_areas(db, rs[i].id, ra, err);
		if (rc == 0)
			json_array_append_new(items, tr_round_json(&rs[i], ra));
	}
	free(rs);
	free(ra);
	return rc;
}

int tr_round_list(struct fk_db *db, const struct fk_principal *who, const char *status,
		  int64_t before, int limit, json_t *items, struct fk_err *err)
{
	struct fk_buf sql;
	struct fk_q *q;
	int idx = 1, rc;

	fk_buf_init(&sql, FK_BUF_SQL_MAX);
	fk_buf_puts(&sql, "SELECT " ROUND_COLS " FROM rounds r WHERE 1 = 1");
	if (status)
		fk_buf_puts(&sql, " AND r.status = ?");
	if (before > 0)
		fk_buf_puts(&sql, " AND r.id < ?");
	if (who)
		visible_sql(who, &sql);
	fk_buf_puts(&sql, " ORDER BY r.id DESC LIMIT ?");
	rc = fk_db_query(db, &q, sql.data, err);
	fk_buf_release(&sql);
	if (rc < 0)
		return rc;
	if (status)
		fk_q_bind_text(q, idx++, status);
	if (before > 0)
		fk_q_bind_i64(q, idx++, before);
	if (who)
		idx = visible_bind(who, q, idx);
	fk_q_bind_i64(q, idx, limit > 0 && limit <= 200 ? limit : 50);
	return list_rows(db, q, items, err);
}

json_t *tr_round_json(const struct fk_round *r, const struct tr_round_areas *areas)
{
	json_t *a = json_array();

	for (int i = 0; areas && i < areas->n; i++)
		json_array_append_new(
		    a, json_pack("{s:o, s:s, s:s, s:s, s:s}", "id", fk_json_idv(areas->a[i].id),
				 "name", areas->a[i].name, "code", areas->a[i].code, "kind",
				 areas->a[i].kind, "path", areas->a[i].path));
	json_t *o = json_pack(
	    "{s:o, s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
	    fk_json_idv(r->id), "name", r->name, "status", fk_round_status_name(r->status),
	    "pool_size", r->pool_size, "starts_at", fk_json_timev(r->starts_at), "deadline_at",
	    fk_json_timev(r->deadline_at), "opened_at", fk_json_timev(r->opened_at), "closed_at",
	    fk_json_timev(r->closed_at), "created_by", fk_json_idv(r->created_by), "created_at",
	    fk_json_timev(r->created_at), "note", r->note[0] ? json_string(r->note) : json_null(),
	    "areas", a);

	json_object_set_new(
	    o, "policy",
	    json_pack("{s:I, s:o}", "version", (json_int_t)r->policy_version, "opened_version",
		      r->opened_at ? json_integer(r->opened_policy_version) : json_null()));
	return o;
}

static void note(json_t *notes, const char *code, const char *zh, const char *en)
{
	json_array_append_new(
	    notes, json_pack("{s:s, s:s, s:s}", "code", code, "message_zh", zh, "message_en", en));
}

/* A note whose texts name the round's target in hours (one %lld in each format). */
static void note_hours(json_t *notes, const char *code, const char *zh, const char *en,
		       int64_t target_ms)
{
	char tzh[160], ten[160];

	snprintf(tzh, sizeof tzh, zh, (long long)(target_ms / 3600000));
	snprintf(ten, sizeof ten, en, (long long)(target_ms / 3600000));
	note(notes, code, tzh, ten);
}

/* Notes on how the round stands against the guideline: the planned deadline, the sampling
 * target and the round target (6 h and 24 h by default: the round's policy). */
static json_t *deadline_notes(const struct fk_round *r, int64_t start, int64_t now, int64_t missing)
{
	json_t *n = json_array();
	bool closed = r->status == FK_ROUND_CLOSED, open = r->opened_at > 0;
	int64_t end = closed ? r->closed_at : now;

	if (r->deadline_at - start > r->round_target_ms)
		note_hours(n, "deadline_beyond_target",
			   "计划截止时间超过 %lld 小时完成区域核酸检测的要求",
			   "the deadline is later than the %lld-hour target for a regional round",
			   r->round_target_ms);
	if (!closed && now > r->deadline_at)
		note(n, "deadline_passed", "已过截止时间", "the deadline has passed");
	if (open && missing > 0 && end > start + r->sampling_target_ms)
		note_hours(n, "sampling_over_target", "采样已超过 %lld 小时仍有人员未采",
			   "sampling has run past the %lld-hour target with people still missing",
			   r->sampling_target_ms);
	if (open && end > start + r->round_target_ms && (!closed || missing > 0))
		note_hours(n, "round_over_target", "本轮已超过 %lld 小时目标",
			   "the round has run past the %lld-hour target", r->round_target_ms);
	return n;
}

json_t *tr_round_deadline_json(const struct fk_round *r, int64_t missing)
{
	int64_t now = fk_now_ms(), start = r->opened_at ? r->opened_at : r->starts_at;
	int64_t end = r->status == FK_ROUND_CLOSED ? r->closed_at : now;

	return json_pack(
	    "{s:o, s:o, s:o, s:{s:i, s:i}, s:o, s:o, s:b, s:o, s:o, s:o, s:o}", "starts_at",
	    fk_json_timev(r->starts_at), "deadline_at", fk_json_timev(r->deadline_at), "now",
	    fk_json_timev(now), "targets", "round_hours", (int)(r->round_target_ms / 3600000),
	    "sampling_hours", (int)(r->sampling_target_ms / 3600000), "round_target_at",
	    fk_json_timev(start + r->round_target_ms), "sampling_target_at",
	    fk_json_timev(start + r->sampling_target_ms), "deadline_within_target",
	    r->deadline_at - start <= r->round_target_ms, "elapsed_ms",
	    r->opened_at ? json_integer(end - start) : json_null(), "remaining_ms",
	    r->status == FK_ROUND_CLOSED ? json_null() : json_integer(r->deadline_at - now),
	    "missing", missing >= 0 ? json_integer(missing) : json_null(), "notes",
	    deadline_notes(r, start, now, missing));
}
