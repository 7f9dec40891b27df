/* api: the HTTP handlers of /api/v1/areas. Every handler answers only within the caller's
 * scope (an area outside it is 404, as a missing one); each write runs in one transaction
 * together with its audit row, so an unaudited change cannot land. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "area/area_int.h"
#include "audit/audit.h"
#include "base/id.h"
#include "base/utf8.h"

#define ROLES_READ  (FK_ROLES_ALL & ~(FK_R(LAB) | FK_R(RESIDENT)))
#define ROLES_WRITE (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY))
#define IMPORT_MAX  (64u << 20)

static json_t *area_json(const struct fk_area *a)
{
	json_t *resp = a->responsible ? json_loads(a->responsible, 0, NULL) : NULL;

	return json_pack(
	    "{s:o, s:o, s:s, s:i, s:s, s:s, s:s, s:o, s:o, s:o}", "id", fk_json_idv(a->id),
	    "parent_id", a->parent_id ? fk_json_idv(a->parent_id) : json_null(), "path", a->path,
	    "depth", a->depth, "kind", a->kind, "name", a->name, "code", a->code, "responsible",
	    resp ? resp : json_array(), "lat", a->has_point ? json_real(a->lat) : json_null(),
	    "lng", a->has_point ? json_real(a->lng) : json_null());
}

static json_t *list_json(const struct fk_area_list *l)
{
	json_t *items = json_array();

	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(items, area_json(&l->items[i]));
	return items;
}

/* JSON detail text for an audit row, living in the request's arena. */
static int not_found(struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "not_found", NULL, "区域不存在", "area not found");
}

/* The area of path parameter {id}, when who may see it. */
static int load(struct fk_req *req, struct fk_area *a, struct fk_err *err)
{
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	memset(a, 0, sizeof(*a));
	if (rc == 0)
		rc = fk_area_get(req->db, id, a, err);
	if (rc == 0 && !area_may_read(req->who, a)) {
		fk_area_release(a);
		rc = FK_ENOTFOUND;
	}
	return rc == FK_ENOTFOUND ? not_found(err) : rc;
}

static int load_writable(struct fk_req *req, struct fk_area *a, struct fk_err *err)
{
	int rc = load(req, a, err);

	if (rc == 0 && !area_may_write(req->who, a)) {
		fk_area_release(a);
		rc = fk_err_set(err, FK_EPERM, "forbidden", NULL, "无权修改该区域",
				"you may not change this area");
	}
	return rc;
}

/* ---- reads ---- */

static int parse_list_query(struct fk_req *req, struct fk_area_query *f, struct fk_err *err)
{
	const char *parent = fk_req_query(req, "parent_id");
	int64_t limit;

	memset(f, 0, sizeof(*f));
	if (parent && *parent && !fk_id_parse(parent, &f->parent_id))
		return fk_err_set(err, FK_EINVAL, "invalid_id", "parent_id",
				  "parent_id 不是有效的编号", "parent_id is not a valid id");
	f->kind = fk_req_query(req, "kind");
	if (f->kind && *f->kind && !fk_area_kind_valid(f->kind))
		return fk_err_set(err, FK_EINVAL, "invalid_kind", "kind", "未知的区域类型：%s",
				  "unknown area kind: %s", f->kind);
	f->q = fk_req_query(req, "q");
	if (f->q && strlen(f->q) > 128)
		return fk_err_set(err, FK_EINVAL, "too_long", "q", "q 最长 128 字节",
				  "q must be at most 128 bytes");
	if (fk_req_query_int(req, "limit", 1000, 1, 5000, &limit, err) < 0)
		return FK_EINVAL;
	f->limit = (int)limit;
	return 0;
}

static int api_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_area_query f;
	struct fk_area_list l;
	int rc = parse_list_query(req, &f, err);

	if (rc == 0)
		rc = fk_area_list(req->db, req->who, &f, &l, err);
	if (rc < 0)
		return rc;
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", list_json(&l)));
	fk_area_list_release(&l);
	return 0;
}

/* Ancestors, root first, as breadcrumbs; in_scope tells those above the caller's scope. */
static json_t *ancestors_json(struct fk_req *req, const struct fk_area_list *l)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < l->n; i++) {
		json_t *o = area_json(&l->items[i]);
		json_object_set_new(o, "in_scope",
				    json_boolean(area_may_read(req->who, &l->items[i])));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *warnings_json(struct fk_req *req, const struct fk_area *a, int64_t residents)
{
	json_t *w = json_array();
	int64_t most =
	    strcmp(a->kind, "grid") == 0
		? fk_policy_i64(req->db, &area_policies[AREA_POL_GRID_RESIDENTS_MAX], NULL)
		: 0;

	if (most && residents > most)
		json_array_append_new(
		    w, json_pack("{s:s, s:o, s:o}", "code", "grid_too_large", "message_zh",
				 json_sprintf("网格有 %lld 名居民，超过 %lld 人的上限",
					      (long long)residents, (long long)most),
				 "message_en",
				 json_sprintf("the grid has %lld residents, over the limit of %lld",
					      (long long)residents, (long long)most)));
	return w;
}

static int api_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_area a;
	struct fk_area_list anc = {0};
	int64_t children = 0, residents = 0;
	json_t *o;
	int rc = load(req, &a, err);

	if (rc < 0)
		return rc;
	rc = fk_area_ancestors(req->db, &a, &anc, err);
	if (rc == 0)
		rc = fk_area_children_count(req->db, a.id, &children, err);
	if (rc == 0)
		rc = fk_area_residents_count(req->db, a.path, &residents, err);
	if (rc == 0) {
		o = area_json(&a);
		json_object_set_new(o, "ancestors", ancestors_json(req, &anc));
		json_object_set_new(o, "children_count", json_integer(children));
		json_object_set_new(o, "residents_count", json_integer(residents));
		json_object_set_new(o, "warnings", warnings_json(req, &a, residents));
		fk_resp_json(resp, 200, o);
	}
	fk_area_list_release(&anc);
	fk_area_release(&a);
	return rc;
}

/* ---- writes ---- */

static const struct fk_field create_body[] = {
    {.name = "parent_id", .type = FK_J_ID, .nullable = true},
    {.name = "kind", .type = FK_J_STRING, .required = true, .max_len = 24},
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = FK_AREA_NAME_MAX * 4},
    {.name = "code", .type = FK_J_STRING, .required = true, .max_len = FK_AREA_CODE_MAX},
    {.name = "responsible", .type = FK_J_ARRAY, .nullable = true, .max_len = FK_AREA_RESP_MAX},
    FK_LAT_FIELD("invalid_lat"),
    FK_LNG_FIELD("invalid_lng"),
    FK_FIELDS_END,
};

static const struct fk_field update_body[] = {
    {.name = "kind", .type = FK_J_STRING, .max_len = 24},
    {.name = "name", .type = FK_J_STRING, .max_len = FK_AREA_NAME_MAX * 4},
    {.name = "code", .type = FK_J_STRING, .max_len = FK_AREA_CODE_MAX},
    {.name = "responsible", .type = FK_J_ARRAY, .nullable = true, .max_len = FK_AREA_RESP_MAX},
    FK_LAT_FIELD("invalid_lat"),
    FK_LNG_FIELD("invalid_lng"),
    FK_FIELDS_END,
};

static const struct fk_field move_body[] = {
    {.name = "parent_id", .type = FK_J_ID, .required = true, .nullable = true},
    FK_FIELDS_END,
};

/* Copies the members present in body into a (the schema bounded their lengths). */
static int apply_body(json_t *body, struct fk_area *a, struct fk_err *err)
{
	static const struct {
		const char *name;
		size_t off, size;
	} strs[] = {
	    {"kind", offsetof(struct fk_area, kind), sizeof(a->kind)},
	    {"name", offsetof(struct fk_area, name), sizeof(a->name)},
	    {"code", offsetof(struct fk_area, code), sizeof(a->code)},
	};
	json_t *lat = json_object_get(body, "lat"), *lng = json_object_get(body, "lng");
	json_t *resp = json_object_get(body, "responsible");

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		const char *s = fk_json_str(body, strs[i].name);
		if (s)
			snprintf((char *)a + strs[i].off, strs[i].size, "%s", s);
	}
	fk_utf8_trim(a->name);
	if (!lat != !lng || (lat && json_is_null(lat) != json_is_null(lng)))
		return fk_err_set(err, FK_EINVAL, "incomplete_point", lat ? "lng" : "lat",
				  "纬度和经度须同时填写", "lat and lng go together");
	if (lat) {
		a->has_point = !json_is_null(lat);
		a->lat = json_number_value(lat);
		a->lng = json_number_value(lng);
	}
	if (resp) {
		json_t *arr = json_is_null(resp) ? json_array() : json_incref(resp);
		int rc;
		free(a->responsible);
		a->responsible = NULL;
		rc = fk_area_responsible_text(arr, &a->responsible, err);
		json_decref(arr);
		return rc;
	}
	return 0;
}

static int reply_area(struct fk_resp *resp, int status, const struct fk_area *a)
{
	fk_resp_json(resp, status, area_json(a));
	return 0;
}

static int api_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_area a;
	struct fk_audit_entry e = {.action = "area.create", .target_kind = "area"};
	int rc;

	memset(&a, 0, sizeof(a));
	a.parent_id = fk_json_id(req->body, "parent_id");
	rc = apply_body(req->body, &a, err);
	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		goto out;
	rc = area_check_parent(req->db, req->who, a.parent_id, "parent_id", err);
	if (rc == 0)
		rc = fk_area_create(req->db, &a, err);
	e.target_id = a.id;
	e.detail = json_pack("{s:s, s:s, s:s}", "code", a.code, "name", a.name, "path", a.path);
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc == 0)
		reply_area(resp, 201, &a);
out:
	fk_area_release(&a);
	return rc;
}

static int api_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_area a;
	struct fk_audit_entry e = {.action = "area.update", .target_kind = "area"};
	int rc = fk_audit_tx_begin(req, err);

	if (rc < 0)
		return rc;
	rc = load_writable(req, &a, err);
	if (rc < 0)
		return fk_audit_tx_end(req, rc, &e, err);
	rc = apply_body(req->body, &a, err);
	if (rc == 0)
		rc = fk_area_update(req->db, &a, err);
	e.target_id = a.id;
	e.detail = json_deep_copy(req->body);
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc == 0)
		reply_area(resp, 200, &a);
	fk_area_release(&a);
	return rc;
}

static int api_move(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_area a;
	struct fk_audit_entry e = {.action = "area.move", .target_kind = "area"};
	int64_t to = fk_json_id(req->body, "parent_id"), from;
	int rc = fk_audit_tx_begin(req, err);

	if (rc < 0)
		return rc;
	rc = load_writable(req, &a, err);
	if (rc < 0)
		return fk_audit_tx_end(req, rc, &e, err);
	from = a.parent_id;
	rc = area_check_parent(req->db, req->who, to, "parent_id", err);
	if (rc == 0)
		rc = fk_area_move(req->db, a.id, to, req->who->user_id, NULL, err);
	e.target_id = a.id;
	e.detail = json_pack("{s:o, s:o}", "from", from ? fk_json_idv(from) : json_null(), "to",
			     to ? fk_json_idv(to) : json_null());
	fk_area_release(&a);
	if (rc == 0)
		rc = fk_area_get(req->db, e.target_id, &a, err);
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc == 0)
		reply_area(resp, 200, &a);
	fk_area_release(&a);
	return rc;
}

static int api_delete(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_area a;
	struct fk_audit_entry e = {.action = "area.delete", .target_kind = "area"};
	int rc = fk_audit_tx_begin(req, err);

	if (rc < 0)
		return rc;
	rc = load_writable(req, &a, err);
	if (rc < 0)
		return fk_audit_tx_end(req, rc, &e, err);
	rc = fk_area_delete(req->db, a.id, err);
	e.target_id = a.id;
	e.detail = json_pack("{s:s, s:s, s:s}", "code", a.code, "name", a.name, "path", a.path);
	fk_area_release(&a);
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc == 0)
		resp->status = 204;
	return rc;
}

static int api_import(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *es = fk_req_query(req, "encoding");
	int enc = es && *es ? fk_csv_enc_parse(es) : FK_ENC_AUTO;
	struct fk_audit_entry e = {.action = "area.import", .target_kind = "import"};
	struct fk_import_report rep;
	int rc;

	if (enc < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_encoding", "encoding",
				  "未知的编码：%s（可用 auto、utf-8、gbk）",
				  "unknown encoding: %s (use auto, utf-8 or gbk)", es);
	fk_report_init(&rep);
	rc = fk_audit_tx_begin(req, err);
	if (rc == 0)
		rc = fk_area_import_csv(req->db, req->raw_body, req->raw_len, (enum fk_csv_enc)enc,
					req->who, &rep, err);
	e.detail =
	    json_pack("{s:I, s:I, s:I, s:I, s:I}", "total", (json_int_t)rep.total, "created",
		      (json_int_t)rep.created, "updated", (json_int_t)rep.updated, "unchanged",
		      (json_int_t)rep.unchanged, "failed", (json_int_t)rep.failed);
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc == 0)
		fk_resp_json(resp, 200, fk_report_to_json(&rep, req->lang));
	fk_report_release(&rep);
	return rc;
}

const struct fk_route area_routes[] = {
    {.method = "GET",
     .path = "/api/v1/areas",
     .fn = api_list,
     .roles = ROLES_READ,
     .summary = "Areas in the caller's scope: children of parent_id, else the scope roots; filters "
		"kind, q (name or code contains), limit"},
    {.method = "POST",
     .path = "/api/v1/areas",
     .fn = api_create,
     .roles = ROLES_WRITE,
     .body = create_body,
     .summary = "Create an area under a parent in the caller's scope (roots: admin only)"},
    {.method = "POST",
     .path = "/api/v1/areas/import",
     .fn = api_import,
     .roles = ROLES_WRITE,
     .flags = FK_RF_RAW_BODY,
     .max_body = IMPORT_MAX,
     .summary = "Import areas from CSV (text/csv body, ?encoding=auto|utf-8|gbk): upsert by code"},
    {.method = "GET",
     .path = "/api/v1/areas/{id}",
     .fn = api_get,
     .roles = ROLES_READ,
     .summary = "One area with its ancestors, children and residents counts and warnings"},
    {.method = "PATCH",
     .path = "/api/v1/areas/{id}",
     .fn = api_update,
     .roles = ROLES_WRITE,
     .body = update_body,
     .summary = "Change an area's name, code, kind, responsible persons or point"},
    {.method = "POST",
     .path = "/api/v1/areas/{id}/move",
     .fn = api_move,
     .roles = ROLES_WRITE,
     .body = move_body,
     .summary = "Move an area (with its subtree and residents) under another parent"},
    {.method = "DELETE",
     .path = "/api/v1/areas/{id}",
     .fn = api_delete,
     .roles = ROLES_WRITE,
     .summary = "Delete an area without children or residents"},
    FK_ROUTES_END,
};
