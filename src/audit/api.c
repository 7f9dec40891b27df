/* audit api: GET /api/v1/audit for admins (filters, newest first, id cursor), and the module
 * descriptor with its jobs (the chain's seal and retention). */
#include "audit/audit.h"
#include "audit/chain.h"
#include "audit/internal.h"
#include "base/id.h"
#include "base/json.h"
#include "platform/jobs.h"
#include "platform/module.h"

struct audit_page {
	json_t *items;
	int64_t last_id;
	int64_t count;
};

static json_t *audit_id_or_null(int64_t id)
{
	return id ? fk_json_idv(id) : json_null();
}

static int audit_render_row(void *ctx, const struct audit_row *r)
{
	struct audit_page *page = ctx;
	json_t *o = json_object();

	json_object_set_new(o, "id", fk_json_idv(r->id));
	json_object_set_new(o, "at", fk_json_timev(r->at));
	json_object_set_new(o, "user_id", audit_id_or_null(r->user_id));
	json_object_set_new(o, "username", fk_json_strv(r->username));
	json_object_set_new(o, "role", fk_json_strv(r->role));
	json_object_set_new(o, "action", fk_json_strv(r->action));
	json_object_set_new(o, "target_kind", fk_json_strv(r->target_kind));
	json_object_set_new(o, "target_id", audit_id_or_null(r->target_id));
	json_object_set_new(o, "detail", fk_json_strv(r->detail));
	json_object_set_new(o, "ip", fk_json_strv(r->ip));
	json_object_set_new(o, "request_id", fk_json_strv(r->request_id));
	json_array_append_new(page->items, o);
	page->last_id = r->id;
	page->count++;
	return 0;
}

/* An optional id in the query string; absent or empty leaves *out at 0. */
static int audit_query_id(struct fk_req *req, const char *name, int64_t *out, struct fk_err *err)
{
	const char *s = fk_req_query(req, name);

	*out = 0;
	if (!s || !s[0])
		return 0;
	if (!fk_id_parse(s, out))
		return fk_err_set(err, FK_EINVAL, "invalid_query", name,
				  "查询参数 %s 不是有效的编号",
				  "query parameter %s is not a valid id", name);
	return 0;
}

static const char *audit_query_str(struct fk_req *req, const char *name)
{
	const char *s = fk_req_query(req, name);
	return s && s[0] ? s : NULL;
}

static int audit_parse_filter(struct fk_req *req, struct audit_filter *f, struct fk_err *err)
{
	int rc;

	rc = audit_query_id(req, "user_id", &f->user_id, err);
	if (rc == 0)
		rc = audit_query_id(req, "target_id", &f->target_id, err);
	if (rc == 0)
		rc = audit_query_id(req, "before", &f->before, err);
	if (rc == 0)
		rc = fk_req_query_int(req, "limit", AUDIT_LIMIT_DEFAULT, 1, AUDIT_LIMIT_MAX,
				      &f->limit, err);
	f->action = audit_query_str(req, "action");
	f->target_kind = audit_query_str(req, "target_kind");
	return rc;
}

static int audit_get_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct audit_filter f = {0};
	struct audit_page page = {0};
	json_t *out;
	int rc;

	rc = audit_parse_filter(req, &f, err);
	if (rc < 0)
		return rc;
	page.items = json_array();
	rc = audit_list(req->db, &f, audit_render_row, &page, err);
	if (rc < 0) {
		json_decref(page.items);
		return rc;
	}
	out = json_object();
	json_object_set_new(out, "items", page.items);
	json_object_set_new(out, "next_before",
			    page.count == f.limit ? fk_json_idv(page.last_id) : json_null());
	fk_resp_json(resp, 200, out);
	return 0;
}

static const struct fk_route audit_routes[] = {
    {.method = "GET",
     .path = "/api/v1/audit",
     .fn = audit_get_list,
     .roles = FK_R(ADMIN),
     .summary = "Audit log, newest first (filters user_id, action, target_kind, target_id; cursor "
		"before)"},
    FK_ROUTES_END,
};

/* The chain (chain.c) and its retention (prune.c). */
static const struct fk_job audit_jobs[] = {
    {.name = "audit.seal", .every_ms = 60 * 1000, .run = audit_seal_job},
    {.name = "audit.prune", .at = "03:10", .run = audit_prune_job, .max_ms = 10 * 60 * 1000},
    FK_JOBS_END,
};

extern const struct fk_migration fk_migrations_audit[]; /* from schema/ */

const struct fk_module fk_module_audit = {
    .name = "audit",
    .routes = audit_routes,
    .migrations = fk_migrations_audit,
    .jobs = audit_jobs,
};
