/* api_users: the admin's account endpoints. An admin sees and manages only accounts whose
 * scope lies inside the admin's own, grants only areas inside it, and every change is audited
 * in the same transaction as the change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/audit.h"
#include "base/id.h"
#include "users/internal.h"

const struct fk_field users_create_body[] = {
    {.name = "username", .type = FK_J_STRING, .required = true, .max_len = 128},
    {.name = "password", .type = FK_J_STRING, .required = true, .max_len = USERS_PASSWORD_MAX},
    {.name = "display_name", .type = FK_J_STRING, .nullable = true, .max_len = 256},
    {.name = "role", .type = FK_J_STRING, .required = true, .max_len = 32},
    {.name = "area_ids", .type = FK_J_IDS, .required = true, .max_len = FK_MAX_SCOPES},
    {.name = "person_id", .type = FK_J_ID, .nullable = true},
    FK_FIELDS_END,
};

const struct fk_field users_update_body[] = {
    {.name = "display_name", .type = FK_J_STRING, .nullable = true, .max_len = 256},
    {.name = "role", .type = FK_J_STRING, .max_len = 32},
    {.name = "area_ids", .type = FK_J_IDS, .max_len = FK_MAX_SCOPES},
    {.name = "disabled", .type = FK_J_BOOL},
    {.name = "password", .type = FK_J_STRING, .max_len = USERS_PASSWORD_MAX},
    {.name = "person_id", .type = FK_J_ID, .nullable = true},
    FK_FIELDS_END,
};

/* ---- reading ---- */

struct list_ctx {
	struct fk_req *req;
	const char *role;
	const char *q;
	json_t *items;
	int walked; /* accounts read, matching or not */
	struct fk_err *err;
};

static bool list_matches(const struct list_ctx *l, const struct users_row *row)
{
	if (l->role && strcmp(l->role, fk_role_name(row->u.role)) != 0)
		return false;
	return !l->q || strstr(row->u.username, l->q) || strstr(row->u.display_name, l->q);
}

static int list_one(void *ctx, const struct users_row *row)
{
	struct list_ctx *l = ctx;
	struct users_area areas[FK_MAX_SCOPES];
	int n = 0, rc;

	l->walked++;
	if (!list_matches(l, row))
		return 0;
	rc = users_scopes_resolve(l->req->db, &row->u, areas, &n, l->err);
	if (rc < 0)
		return rc;
	if (users_scopes_within(l->req->who, areas, n))
		json_array_append_new(l->items, users_render_row(row, areas, n));
	return 0;
}

static const char *query_or_null(struct fk_req *req, const char *name)
{
	const char *s = fk_req_query(req, name);
	return s && s[0] ? s : NULL;
}

int users_api_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct list_ctx l = {.req = req, .err = err};
	bool residents;
	int rc;

	l.role = query_or_null(req, "role");
	l.q = query_or_null(req, "q");
	if (l.role && fk_role_parse(l.role) < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_query", "role",
				  "查询参数 role 不是已知的角色",
				  "query parameter role is not a known role");
	l.items = json_array();
	residents = l.role && strcmp(l.role, "resident") == 0;
	rc = users_each(req->db, residents, list_one, &l, err);
	if (rc < 0) {
		json_decref(l.items);
		return rc;
	}
	/* Residents' accounts only when asked for, and the first ones by username: truncated
	 * says there are more than were read. */
	fk_resp_json(resp, 200,
		     json_pack("{s:o, s:b}", "items", l.items, "truncated",
			       residents && l.walked >= USERS_RESIDENTS_WALK_MAX));
	return 0;
}

/* The account as the admin sees it; 404 when it lies outside the admin's scope. */
static int users_reply(struct fk_req *req, struct fk_resp *resp, int status, int64_t id,
		       struct fk_err *err)
{
	struct users_row row;
	struct users_area areas[FK_MAX_SCOPES];
	int n = 0, rc;

	rc = users_get(req->db, id, &row, err);
	if (rc == 0)
		rc = users_scopes_resolve(req->db, &row.u, areas, &n, err);
	if (rc < 0)
		return rc;
	if (!users_scopes_within(req->who, areas, n))
		return fk_err_set(err, FK_ENOTFOUND, "not_found", NULL, "用户不存在",
				  "no such user");
	fk_resp_json(resp, status, users_render_row(&row, areas, n));
	return 0;
}

int users_api_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	return rc < 0 ? rc : users_reply(req, resp, 200, id, err);
}

/* ---- body parsing ---- */

static int parse_role(json_t *body, int *role, struct fk_err *err)
{
	const char *s = fk_json_str(body, "role");

	*role = fk_role_parse(s);
	if (*role < 0)
		return fk_err_set(
		    err, FK_EINVAL, "invalid_role", "role",
		    "未知的角色 “%s”（可选 admin, commander, community, grid, building, "
		    "registrar, lab, volunteer, resident）",
		    "unknown role \"%s\" (admin, commander, community, grid, building, "
		    "registrar, lab, volunteer, resident)",
		    s ? s : "");
	return 0;
}

static bool has_id(const int64_t *ids, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* area_ids: ids as strings or integers (already checked by the body schema). */
static int parse_area_ids(json_t *body, int64_t *ids, int *n, struct fk_err *err)
{
	json_t *arr = json_object_get(body, "area_ids");
	size_t i;
	json_t *v;

	*n = 0;
	json_array_foreach(arr, i, v)
	{
		int64_t id = 0;
		if (*n >= FK_MAX_SCOPES)
			break;
		if (json_is_integer(v))
			id = json_integer_value(v);
		else if (!json_is_string(v) || !fk_id_parse(json_string_value(v), &id))
			id = 0;
		if (id <= 0)
			return fk_err_set(err, FK_EINVAL, "invalid_id", "area_ids",
					  "area_ids 第 %d 项不是有效的编号",
					  "area_ids item %d is not a valid id", (int)i + 1);
		if (!has_id(ids, *n, id))
			ids[(*n)++] = id;
	}
	return 0;
}

static void copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static int parse_new_user(json_t *body, struct fk_user *u, struct fk_err *err)
{
	const char *name = fk_json_str(body, "username");
	const char *display = fk_json_str(body, "display_name");
	int role = -1, rc;

	/* Checked before the copy into a fixed buffer could shorten it. */
	rc = users_check_username(name, err);
	if (rc == 0 && display && strlen(display) >= sizeof u->display_name)
		rc = fk_err_set(err, FK_EINVAL, "invalid_display_name", "display_name",
				"显示名称过长（最多 %d 字节）",
				"display name too long (at most %d bytes)",
				(int)sizeof u->display_name - 1);
	if (rc == 0)
		rc = parse_role(body, &role, err);
	if (rc == 0)
		rc = parse_area_ids(body, u->scope_ids, &u->nscopes, err);
	if (rc < 0)
		return rc;
	copy_str(u->username, sizeof u->username, name);
	copy_str(u->display_name, sizeof u->display_name, display);
	u->role = (enum fk_role)role;
	u->person_id = fk_json_id(body, "person_id");
	return 0;
}

static int parse_patch(json_t *body, struct users_patch *p, struct fk_err *err)
{
	int rc = 0;

	memset(p, 0, sizeof *p);
	p->role = -1;
	p->disabled = -1;
	if (fk_json_has(body, "display_name"))
		p->display_name =
		    fk_json_str(body, "display_name") ? fk_json_str(body, "display_name") : "";
	if (fk_json_has(body, "role"))
		rc = parse_role(body, &p->role, err);
	if (rc == 0 && fk_json_has(body, "area_ids")) {
		p->set_scopes = true;
		rc = parse_area_ids(body, p->scope_ids, &p->nscopes, err);
	}
	if (fk_json_has(body, "disabled"))
		p->disabled = json_is_true(json_object_get(body, "disabled")) ? 1 : 0;
	p->password = fk_json_str(body, "password");
	if (fk_json_has(body, "person_id")) {
		p->set_person = true;
		p->person_id = fk_json_id(body, "person_id");
	}
	return rc;
}

/* ---- audit inside the change's transaction ---- */

struct audit_ctx {
	struct fk_req *req;
	const char *action;
	json_t *detail;
};

static int audit_hook(void *ctx, int64_t user_id, struct fk_err *err)
{
	struct audit_ctx *a = ctx;

	return fk_audit_json(a->req, a->action, "user", user_id, json_incref(a->detail), err);
}

static json_t *ids_json(const int64_t *ids, int n)
{
	json_t *arr = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(arr, fk_json_idv(ids[i]));
	return arr;
}

int users_api_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_user u = {0};
	struct audit_ctx a = {.req = req, .action = "user.create"};
	struct users_hook hook = {audit_hook, &a};
	int64_t id = 0;
	int rc;

	rc = parse_new_user(req->body, &u, err);
	if (rc < 0)
		return rc;
	a.detail = json_pack("{s:s, s:s, s:o}", "username", u.username, "role",
			     fk_role_name(u.role), "area_ids", ids_json(u.scope_ids, u.nscopes));
	rc = users_create(req->db, &u, fk_json_str(req->body, "password"), req->who, &hook, &id,
			  err);
	json_decref(a.detail);
	return rc < 0 ? rc : users_reply(req, resp, 201, id, err);
}

/* The names of the fields a PATCH changes (never their values for the password). */
static json_t *patch_detail(json_t *body)
{
	json_t *fields = json_array();
	const char *key;
	json_t *v;

	json_object_foreach(body, key, v)
	{
		json_array_append_new(fields, json_string(key));
	}
	return json_pack("{s:o}", "fields", fields);
}

int users_api_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct users_patch p;
	struct audit_ctx a = {.req = req, .action = "user.update"};
	struct users_hook hook = {audit_hook, &a};
	int64_t id;
	int rc;

	rc = fk_req_param_id(req, "id", &id, err);
	if (rc == 0)
		rc = parse_patch(req->body, &p, err);
	if (rc < 0)
		return rc;
	a.detail = patch_detail(req->body);
	rc = users_update(req->db, id, &p, req->who, &hook, err);
	json_decref(a.detail);
	return rc < 0 ? rc : users_reply(req, resp, 200, id, err);
}

int users_api_unlock(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct audit_ctx a = {.req = req, .action = "user.unlock"};
	struct users_hook hook = {audit_hook, &a};
	int64_t id;
	int rc;

	rc = fk_req_param_id(req, "id", &id, err);
	if (rc < 0)
		return rc;
	a.detail = json_object();
	rc = users_unlock(req->db, id, req->who, &hook, err);
	json_decref(a.detail);
	return rc < 0 ? rc : users_reply(req, resp, 200, id, err);
}

const struct fk_field users_residents_body[] = {
    {.name = "area_id", .type = FK_J_ID, .required = true},
    FK_FIELDS_END,
};

/* Accounts for the residents of an area in the admin's scope; the counts are audited. */
int users_api_residents(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_user_bulk b = {0};
	struct fk_area a = {0};
	int64_t area_id = fk_json_id(req->body, "area_id");
	int rc = fk_area_get_in_scope(req->db, req->who, area_id, "area_id", &a, err);

	if (rc == 0)
		rc = fk_user_residents(req->db, a.path, &b, err);
	fk_area_release(&a);
	if (rc == 0)
		rc = fk_audit_json(
		    req, "user.residents", "area", area_id,
		    json_pack("{s:I, s:I, s:I, s:I}", "created", (json_int_t)b.created, "existing",
			      (json_int_t)b.existing, "no_phone", (json_int_t)b.no_phone,
			      "shared_phone", (json_int_t)b.shared_phone),
		    err);
	if (rc < 0)
		return rc;
	fk_resp_json(resp, 200,
		     json_pack("{s:I, s:I, s:I, s:I}", "created", (json_int_t)b.created, "existing",
			       (json_int_t)b.existing, "no_phone", (json_int_t)b.no_phone,
			       "shared_phone", (json_int_t)b.shared_phone));
	return 0;
}
