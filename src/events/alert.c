/* alert: the alerts table (007_events.sql) — raising, listing within a scope, reading,
 * acknowledging — the alert JSON every reply and event carries, and the area move hook that
 * keeps alerts.area_path in step with the area tree. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/log.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "events/internal.h"

#define COLS "id, kind, area_path, title_zh, title_en, payload, raised_at, acked_at, acked_by"
/* Leaves room in the event for the titles and the other members. */
#define ALERT_PAYLOAD_MAX (8u << 10)

int64_t ev_path_area_id(const char *path)
{
	size_t n = path ? strlen(path) : 0;
	const char *start;
	char *end = NULL;
	long long v;

	if (n < 3 || path[n - 1] != '/')
		return 0;
	start = path + n - 2;
	while (start > path && start[-1] != '/')
		start--;
	errno = 0;
	v = strtoll(start, &end, 10);
	return errno || end != path + n - 1 || v <= 0 ? 0 : (int64_t)v;
}

void ev_alert_release(struct ev_alert *a)
{
	free(a->title_zh);
	free(a->title_en);
	free(a->payload);
	a->title_zh = a->title_en = a->payload = NULL;
}

void ev_alert_list_release(struct ev_alert_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		ev_alert_release(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

/* ---- checks ---- */

static int check_title(const char *s, const char *field, struct fk_err *err)
{
	size_t n = s ? strlen(s) : 0;

	if (n > 0 && fk_utf8_valid(s, n) && fk_utf8_chars(s) <= FK_ALERT_TITLE_MAX)
		return 0;
	return fk_err_set(err, FK_EINVAL, "invalid_title", field, "%s 应为 1 到 %d 个字符的文字",
			  "%s must be 1 to %d characters of text", field, FK_ALERT_TITLE_MAX);
}

static int check(const struct ev_alert *a, struct fk_err *err)
{
	if (!ev_kind_valid(a->kind))
		return fk_err_set(err, FK_EINVAL, "invalid_kind", "kind",
				  "类型应为 1 到 %d 个小写字母、数字、下划线或点",
				  "kind must be 1 to %d lowercase letters, digits, '_' or '.'",
				  FK_EVENT_KIND_MAX);
	if (!ev_path_valid(a->area_path))
		return fk_err_set(err, FK_EINVAL, "invalid_area_path", "area_path", "区域路径无效",
				  "invalid area path");
	if (check_title(a->title_zh, "title_zh", err) < 0)
		return FK_EINVAL;
	if (check_title(a->title_en, "title_en", err) < 0)
		return FK_EINVAL;
	if (a->payload && strlen(a->payload) > ALERT_PAYLOAD_MAX)
		return fk_err_set(err, FK_ETOOBIG, "payload_too_big", "payload",
				  "附加数据过大，上限为 %u 字节",
				  "payload too big: at most %u bytes", ALERT_PAYLOAD_MAX);
	return 0;
}

/* ---- the table ---- */

int ev_alert_insert(struct fk_db *db, struct ev_alert *a, struct fk_err *err)
{
	int64_t rc = check(a, err);

	if (rc < 0)
		return (int)rc;
	a->id = fk_id_next();
	a->raised_at = fk_now_ms();
	a->acked_at = a->acked_by = 0;
	rc = fk_db_run(db, err,
		       "INSERT INTO alerts (id, kind, area_path, title_zh, title_en, payload, "
		       "raised_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		       "ittttti", a->id, a->kind, a->area_path, a->title_zh, a->title_en,
		       a->payload, a->raised_at);
	return rc < 0 ? (int)rc : 0;
}

static void row(struct fk_q *q, struct ev_alert *a)
{
	const char *payload = fk_q_text(q, 5);

	memset(a, 0, sizeof(*a));
	a->id = fk_q_i64(q, 0);
	snprintf(a->kind, sizeof(a->kind), "%s", fk_q_text(q, 1) ? fk_q_text(q, 1) : "");
	snprintf(a->area_path, sizeof(a->area_path), "%s", fk_q_text(q, 2) ? fk_q_text(q, 2) : "");
	a->title_zh = fk_xstrdup(fk_q_text(q, 3) ? fk_q_text(q, 3) : "");
	a->title_en = fk_xstrdup(fk_q_text(q, 4) ? fk_q_text(q, 4) : "");
	a->payload = payload ? fk_xstrdup(payload) : NULL;
	a->raised_at = fk_q_i64(q, 6);
	a->acked_at = fk_q_i64(q, 7);
	a->acked_by = fk_q_i64(q, 8);
}

int ev_alert_get(struct fk_db *db, int64_t id, struct ev_alert *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = fk_db_query(db, &q, "SELECT " COLS " FROM alerts WHERE id = ?", err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		row(q, out);
	fk_q_done(q);
	if (rc == 0)
		return fk_err_set(err, FK_ENOTFOUND, "alert_not_found", NULL, "告警不存在",
				  "alert not found");
	return rc < 0 ? rc : 0;
}

static void list_sql(const struct fk_principal *who, const struct ev_alert_query *f,
		     struct fk_buf *sql)
{
	fk_buf_puts(sql, "SELECT " COLS " FROM alerts WHERE ");
	fk_scope_sql(who, "area_path", sql);
	if (f->acked == 0)
		fk_buf_puts(sql, " AND acked_at IS NULL");
	else if (f->acked == 1)
		fk_buf_puts(sql, " AND acked_at IS NOT NULL");
	if (f->kind)
		fk_buf_puts(sql, " AND kind = ?");
	if (f->under)
		fk_buf_puts(sql, " AND area_path >= ? AND area_path < ?");
	fk_buf_puts(sql, " ORDER BY raised_at DESC, id DESC LIMIT ?");
}

static void list_bind(const struct fk_principal *who, const struct ev_alert_query *f,
		      struct fk_q *q)
{
	char upper[FK_AREA_PATH_MAX + 8];
	int i = fk_scope_bind(who, q, 1);

	if (f->kind)
		fk_q_bind_text(q, i++, f->kind);
	if (f->under) {
		fk_q_bind_text(q, i++, f->under);
		fk_q_bind_text(q, i++, fk_prefix_upper(f->under, upper));
	}
	fk_q_bind_i64(q, i, f->limit);
}

int ev_alert_list(struct fk_db *db, const struct fk_principal *who, const struct ev_alert_query *f,
		  struct ev_alert_list *out, struct fk_err *err)
{
	struct fk_buf sql;
	struct fk_q *q;
	int rc = 0;

	*out = (struct ev_alert_list){0};
	if (f->under && strlen(f->under) >= FK_AREA_PATH_MAX)
		return 0;
	fk_buf_init(&sql, FK_BUF_SQL_MAX);
	list_sql(who, f, &sql);
	rc = fk_db_query(db, &q, sql.data, err);
	if (rc < 0) {
		fk_buf_release(&sql);
		return rc;
	}
	list_bind(who, f, q);
	out->items = fk_xcalloc((size_t)f->limit + 1, sizeof(*out->items));
	while (out->n < (size_t)f->limit && (rc = fk_q_step(q, err)) > 0)
		row(q, &out->items[out->n++]);
	fk_q_done(q);
	fk_buf_release(&sql);
	if (rc < 0)
		ev_alert_list_release(out);
	return rc < 0 ? rc : 0;
}

int ev_alert_ack(struct fk_db *db, int64_t id, int64_t user_id, bool *changed, struct fk_err *err)
{
	int64_t n = fk_db_run(db, err,
			      "UPDATE alerts SET acked_at = ?, acked_by = ? "
			      "WHERE id = ? AND acked_at IS NULL",
			      "iii", fk_now_ms(), user_id, id);

	*changed = n > 0;
	return n < 0 ? (int)n : 0;
}

/* ---- JSON and events ---- */

json_t *ev_alert_json(const struct ev_alert *a, const char *area_name, const char *lang)
{
	json_t *payload = a->payload ? json_loads(a->payload, 0, NULL) : NULL;
	bool en = lang && strcmp(lang, "en") == 0;

	if (!json_is_object(payload)) {
		json_decref(payload);
		payload = json_object();
	}
	return json_pack(
	    "{s:o, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o}", "id",
	    fk_json_idv(a->id), "kind", a->kind, "area_id",
	    fk_json_idv(ev_path_area_id(a->area_path)), "area_path", a->area_path, "area_name",
	    fk_json_strv(area_name), "title", fk_json_strv(en ? a->title_en : a->title_zh),
	    "title_zh", fk_json_strv(a->title_zh), "title_en", fk_json_strv(a->title_en), "payload",
	    payload, "raised_at", fk_json_timev(a->raised_at), "acked", a->acked_at != 0,
	    "acked_at", fk_json_timev(a->acked_at), "acked_by", fk_json_idv(a->acked_by));
}

void ev_alert_publish(struct fk_db *db, const char *kind, const struct ev_alert *a,
		      const char *area_name)
{
	json_t *j = ev_alert_json(a, area_name, "zh");
	int rc;

	/* An event is read in any language: it carries both titles. */
	json_object_del(j, "title");
	rc = fk_events_publish_after(db, kind, a->area_path, j);
	if (rc < 0)
		fk_warn("events publish failed kind=%s alert=%lld code=%s", kind, (long long)a->id,
			fk_code_name(rc));
}

/* The area's name for the event, or NULL: a failed lookup must not fail the alert. */
static char *area_name(struct fk_db *db, const char *path)
{
	struct fk_area area;
	char *name = NULL;

	if (fk_area_get(db, ev_path_area_id(path), &area, NULL) == 0) {
		name = fk_xstrdup(area.name);
		fk_area_release(&area);
	}
	return name;
}

static int bad_payload(struct fk_err *err)
{
	return fk_err_set(err, FK_EINVAL, "invalid_payload", "payload", "附加数据应为 JSON 对象",
			  "payload must be a JSON object");
}

int fk_alert_raise(struct fk_db *db, const char *kind, const char *area_path, const char *title_zh,
		   const char *title_en, json_t *payload, int64_t *id, struct fk_err *err)
{
	struct ev_alert a = {0};
	char *name;
	int rc = 0;

	if (payload && !json_is_object(payload))
		rc = bad_payload(err);
	else if (payload)
		a.payload = json_dumps(payload, JSON_COMPACT);
	json_decref(payload);
	snprintf(a.kind, sizeof(a.kind), "%s", ev_kind_valid(kind) ? kind : "");
	snprintf(a.area_path, sizeof(a.area_path), "%s", ev_path_valid(area_path) ? area_path : "");
	a.title_zh = fk_xstrdup(title_zh ? title_zh : "");
	a.title_en = fk_xstrdup(title_en ? title_en : "");
	if (rc == 0)
		rc = ev_alert_insert(db, &a, err);
	if (rc == 0) {
		name = area_name(db, a.area_path);
		ev_alert_publish(db, "alert", &a, name);
		free(name);
		if (id)
			*id = a.id;
	}
	ev_alert_release(&a);
	return rc;
}
