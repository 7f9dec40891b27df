/* api: the HTTP handlers of /api/v1/alerts — the list within the caller's scope, a notice
 * from the command centre to an area, and acknowledging — and the route table (the stream
 * GET /api/v1/events is in sse.c). An alert outside the caller's scope is 404, as a missing
 * one. Writes run in one transaction with their audit row; their event goes out after the
 * commit, so nobody hears of a notice that was not stored. */
#include <stdlib.h>
#include <string.h>
#include "audit/audit.h"
#include "base/id.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "events/internal.h"

#define ROLES_READ	FK_ROLES_PEOPLE
#define ROLES_NOTICE	(FK_R(ADMIN) | FK_R(COMMANDER))
#define LIST_MAX	200
#define NOTICE_BODY_MAX 2000 /* characters */

static const char *name_of(struct fk_req *req, const char *path)
{
	struct fk_area a;
	const char *name = NULL;

	if (fk_area_get(req->db, ev_path_area_id(path), &a, NULL) == 0) {
		name = fk_arena_strdup(req->arena, a.name);
		fk_area_release(&a);
	}
	return name;
}

static json_t *alert_json(struct fk_req *req, const struct ev_alert *a)
{
	return ev_alert_json(a, name_of(req, a->area_path), req->lang);
}

static int area_not_found(struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "area_not_found", "area_id", "区域不存在",
			  "area not found");
}

/* The area with id, when who's scope covers it; its path into out. */
static int scoped_area(struct fk_req *req, int64_t id, char *out, size_t size, const char **name,
		       struct fk_err *err)
{
	struct fk_area a;

	if (fk_area_get(req->db, id, &a, NULL) < 0)
		return area_not_found(err);
	if (!fk_scope_covers(req->who, a.path)) {
		fk_area_release(&a);
		return area_not_found(err);
	}
	snprintf(out, size, "%s", a.path);
	if (name)
		*name = fk_arena_strdup(req->arena, a.name);
	fk_area_release(&a);
	return 0;
}

/* ---- GET /alerts ---- */

static int parse_acked(struct fk_req *req, int *acked, struct fk_err *err)
{
	const char *v = fk_req_query(req, "acked");

	*acked = -1;
	if (!v || !*v)
		return 0;
	if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		*acked = 1;
	else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
		*acked = 0;
	else
		return fk_err_set(err, FK_EINVAL, "invalid_query", "acked",
				  "查询参数 acked 应为 true 或 false",
				  "query parameter acked must be true or false");
	return 0;
}

static int parse_list(struct fk_req *req, struct ev_alert_query *f, struct fk_err *err)
{
	const char *area = fk_req_query(req, "area_id");
	char *path = fk_arena_alloc(req->arena, FK_AREA_PATH_MAX);
	int64_t limit, area_id;
	int rc;

	*f = (struct ev_alert_query){.kind = fk_req_query(req, "kind")};
	rc = parse_acked(req, &f->acked, err);
	if (rc == 0 && f->kind && *f->kind && !ev_kind_valid(f->kind))
		rc = fk_err_set(err, FK_EINVAL, "invalid_query", "kind", "查询参数 kind 无效",
				"query parameter kind is not a valid kind");
	if (rc == 0)
		rc = fk_req_query_int(req, "limit", 50, 1, LIST_MAX, &limit, err);
	if (rc < 0)
		return rc;
	if (f->kind && !*f->kind)
		f->kind = NULL;
	f->limit = (int)limit;
	if (!area || !*area)
		return 0;
	if (!fk_id_parse(area, &area_id))
		return area_not_found(err);
	rc = scoped_area(req, area_id, path, FK_AREA_PATH_MAX, NULL, err);
	f->under = path;
	return rc;
}

static int api_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct ev_alert_query f;
	struct ev_alert_list l = {0};
	json_t *items;
	int rc = parse_list(req, &f, err);

	if (rc == 0)
		rc = ev_alert_list(req->db, req->who, &f, &l, err);
	if (rc < 0)
		return rc;
	items = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(items, alert_json(req, &l.items[i]));
	ev_alert_list_release(&l);
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

/* ---- POST /alerts: a notice ---- */

static const struct fk_field notice_fields[] = {
    {.name = "kind", .type = FK_J_STRING, .required = true, .max_len = FK_EVENT_KIND_MAX},
    {.name = "area_id", .type = FK_J_ID, .required = true},
    {.name = "title_zh", .type = FK_J_STRING, .required = true, .max_len = FK_ALERT_TITLE_MAX * 4},
    {.name = "title_en", .type = FK_J_STRING, .nullable = true, .max_len = FK_ALERT_TITLE_MAX * 4},
    {.name = "body", .type = FK_J_STRING, .nullable = true, .max_len = NOTICE_BODY_MAX * 4},
    FK_FIELDS_END,
};

/* A trimmed copy in the arena (NULL and all-space give ""). */
static char *trimmed(struct fk_req *req, const char *s)
{
	return fk_utf8_trim(fk_arena_strdup(req->arena, s ? s : ""));
}

static int notice_body_text(const char *s, struct fk_err *err)
{
	if (fk_utf8_valid(s, strlen(s)) && fk_utf8_chars(s) <= NOTICE_BODY_MAX)
		return 0;
	return fk_err_set(err, FK_EINVAL, "invalid_body", "body", "正文最多 %d 个字符",
			  "body must be at most %d characters", NOTICE_BODY_MAX);
}

/* kind, titles (English defaults to the Chinese) and the payload {body, by, by_name}. */
static int notice_fill(struct fk_req *req, struct ev_alert *a, struct fk_err *err)
{
	json_t *b = req->body;
	const char *kind = fk_json_str(b, "kind");
	char *zh = trimmed(req, fk_json_str(b, "title_zh"));
	char *en = trimmed(req, fk_json_str(b, "title_en"));
	char *text = trimmed(req, fk_json_str(b, "body"));
	char by[24];
	json_t *p;

	if (strcmp(kind, "notice") != 0)
		return fk_err_set(err, FK_EINVAL, "invalid_kind", "kind",
				  "只能手动发布 notice（通知）类告警",
				  "only alerts of kind \"notice\" are raised by hand");
	if (notice_body_text(text, err) < 0)
		return FK_EINVAL;
	snprintf(a->kind, sizeof(a->kind), "notice");
	a->title_zh = fk_xstrdup(zh);
	a->title_en = fk_xstrdup(*en ? en : zh);
	p = json_pack("{s:s, s:s, s:s}", "body", text, "by", fk_id_format(req->who->user_id, by),
		      "by_name", req->who->display_name);
	a->payload = p ? json_dumps(p, JSON_COMPACT) : NULL;
	json_decref(p);
	return 0;
}

static int api_notice(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "alert.notice", .target_kind = "alert"};
	struct ev_alert a = {0};
	const char *name = NULL;
	int rc = scoped_area(req, fk_json_id(req->body, "area_id"), a.area_path,
			     sizeof(a.area_path), &name, err);

	if (rc == 0)
		rc = notice_fill(req, &a, err);
	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc == 0) {
		rc = ev_alert_insert(req->db, &a, err);
		e.target_id = a.id;
		e.detail = json_pack("{s:s}", "area_path", a.area_path);
		rc = fk_audit_tx_end(req, rc, &e, err);
	}
	if (rc == 0) {
		ev_alert_publish(NULL, "alert", &a, name); /* committed */
		fk_resp_json(resp, 201, ev_alert_json(&a, name, req->lang));
	}
	ev_alert_release(&a);
	return rc;
}

/* ---- POST /alerts/{id}/ack ---- */

static int load_scoped(struct fk_req *req, struct ev_alert *a, struct fk_err *err)
{
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	memset(a, 0, sizeof(*a));
	if (rc == 0)
		rc = ev_alert_get(req->db, id, a, err);
	if (rc == 0 && !fk_scope_covers(req->who, a->area_path)) {
		ev_alert_release(a);
		rc = fk_err_set(err, FK_ENOTFOUND, "alert_not_found", NULL, "告警不存在",
				"alert not found");
	}
	return rc;
}

/* Acknowledging twice is not an error: the first acknowledgement stands and is shown. */
static int api_ack(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "alert.ack", .target_kind = "alert"};
	struct ev_alert a;
	bool changed = false;
	int rc = load_scoped(req, &a, err);

	if (rc < 0)
		return rc;
	e.target_id = a.id;
	rc = fk_audit_tx_begin(req, err);
	if (rc == 0) {
		rc = ev_alert_ack(req->db, a.id, req->who->user_id, &changed, err);
		if (rc == 0 && !changed) {
			fk_db_rollback(req->db);
		} else {
			rc = fk_audit_tx_end(req, rc, &e, err);
		}
	}
	ev_alert_release(&a);
	if (rc == 0)
		rc = ev_alert_get(req->db, e.target_id, &a, err);
	if (rc < 0)
		return rc;
	if (changed)
		ev_alert_publish(NULL, "alert_ack", &a, name_of(req, a.area_path));
	fk_resp_json(resp, 200, alert_json(req, &a));
	ev_alert_release(&a);
	return 0;
}

/* clang-format off */
const struct fk_route ev_routes[] = {
    {.method = "GET", .path = "/api/v1/events", .fn = ev_stream_handler, .roles = ROLES_READ, .flags = FK_RF_NO_DB, .summary = "Live events in the caller's scope (Server-Sent Events; Last-Event-ID resumes)"},
    {.method = "GET", .path = "/api/v1/alerts", .fn = api_list, .roles = ROLES_READ, .summary = "Alerts in the caller's scope, newest first (?acked=&kind=&area_id=&limit=)"},
    {.method = "POST", .path = "/api/v1/alerts", .fn = api_notice, .roles = ROLES_NOTICE, .body = notice_fields, .summary = "Raise a command-centre notice to an area: {kind:\"notice\", area_id, title_zh, title_en, body}"},
    {.method = "POST", .path = "/api/v1/alerts/{id}/ack", .fn = api_ack, .roles = ROLES_READ, .summary = "Acknowledge an alert (a repeat keeps the first acknowledgement)"},
    FK_ROUTES_END,
};
/* clang-format on */
