/* api: the dashboard module's handlers — the dashboard of an area (its panels and the
 * drill-down one level down), the round's curve, the children's shapes for the map, and an
 * admin's write of an area's shape (audited). */
#include <stdlib.h>
#include "audit/audit.h"
#include "base/clock.h"
#include "base/id.h"
#include "base/json.h"
#include "dashboard/internal.h"
#include "testing/testing.h"

const struct fk_field db_body_geometry[] = {
    {.name = "geometry", .type = FK_J_OBJECT, .required = true, .nullable = true},
    FK_FIELDS_END,
};

/* The area ?area_id= names in the caller's scope, or the caller's first scope root. */
static int area_of(struct fk_req *req, struct fk_area *out, struct fk_err *err)
{
	const char *s = fk_req_query(req, "area_id");
	int64_t id = 0;

	if (s && *s && !fk_id_parse(s, &id))
		return fk_err_set(err, FK_EINVAL, "invalid_id", "area_id", "area_id 不是有效的编号",
				  "area_id is not a valid id");
	if (!id && req->who->nscopes > 0)
		id = req->who->scope_ids[0];
	return fk_area_get_in_scope(req->db, req->who, id, "area_id", out, err);
}

/* ?round_id= (a round that exists), else the open round over the area (0: none). */
static int round_of(struct fk_req *req, const char *path, int64_t *round_id, struct fk_err *err)
{
	const char *s = fk_req_query(req, "round_id");
	struct fk_round r;

	if (!s || !*s)
		return fk_round_open_over(req->db, path, round_id, err);
	if (!fk_id_parse(s, round_id))
		return fk_err_set(err, FK_EINVAL, "invalid_id", "round_id",
				  "round_id 不是有效的编号", "round_id is not a valid id");
	int rc = fk_round_get(req->db, *round_id, &r, err);
	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_ENOTFOUND, "round_not_found", "round_id",
				  "检测轮次不存在", "the round does not exist");
	return rc;
}

static json_t *area_json(const struct fk_area *a)
{
	return json_pack("{s:o, s:s, s:s, s:s, s:s, s:o}", "id", fk_json_idv(a->id), "code",
			 a->code, "name", a->name, "level", a->kind, "path", a->path, "parent_id",
			 a->parent_id ? fk_json_idv(a->parent_id) : json_null());
}

/* The ancestors the caller may open, root first, then the area: the way back up. */
static int crumbs(struct fk_req *req, const struct fk_area *a, json_t **out, struct fk_err *err)
{
	struct fk_area_list l = {0};
	int rc = fk_area_ancestors(req->db, a, &l, err);

	*out = json_array();
	for (size_t i = 0; rc == 0 && i < l.n; i++)
		if (fk_scope_covers(req->who, l.items[i].path))
			json_array_append_new(*out, area_json(&l.items[i]));
	fk_area_list_release(&l);
	if (rc == 0)
		json_array_append_new(*out, area_json(a));
	return rc;
}

static int children(struct fk_req *req, const struct fk_area *a, int64_t round_id, int64_t now,
		    json_t **out, struct fk_err *err)
{
	struct fk_area_query f = {.parent_id = a->id, .limit = DB_CHILDREN_MAX};
	struct fk_area_list l = {0};
	int rc = fk_area_list(req->db, req->who, &f, &l, err);

	*out = json_array();
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		json_t *row = area_json(&l.items[i]), *figures = NULL;
		rc = db_headline(req->db, l.items[i].path, round_id, now, &figures, err);
		json_object_set_new(row, "figures", figures ? figures : json_object());
		json_array_append_new(*out, row);
	}
	fk_area_list_release(&l);
	return rc;
}

static int dashboard_json(struct fk_req *req, const struct fk_area *a, int64_t round_id, json_t *o,
			  struct fk_err *err)
{
	int64_t now = fk_now_ms();
	json_t *panels = NULL, *kids = NULL, *trail = NULL;
	char iso[32];
	int rc = db_panels(req->db, a->path, round_id, now, &panels, err);

	if (rc == 0)
		rc = children(req, a, round_id, now, &kids, err);
	if (rc == 0)
		rc = crumbs(req, a, &trail, err);
	json_object_set_new(o, "at", json_string(fk_iso8601(now, iso)));
	json_object_set_new(o, "area", area_json(a));
	json_object_set_new(o, "round_id", round_id ? fk_json_idv(round_id) : json_null());
	json_object_set_new(o, "breadcrumbs", trail ? trail : json_array());
	json_object_set_new(o, "panels", panels ? panels : json_object());
	json_object_set_new(o, "children", kids ? kids : json_array());
	return rc;
}

int db_api_dashboard(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_area a = {0};
	int64_t round_id = 0;
	json_t *o = json_object();
	int rc = area_of(req, &a, err);

	if (rc == 0)
		rc = round_of(req, a.path, &round_id, err);
	if (rc == 0)
		rc = dashboard_json(req, &a, round_id, o, err);
	fk_area_release(&a);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	fk_resp_json(resp, 200, o);
	return 0;
}

int db_api_curve(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_area a = {0};
	int64_t round_id = 0;
	json_t *points = NULL;
	int rc = area_of(req, &a, err);

	if (rc == 0)
		rc = round_of(req, a.path, &round_id, err);
	if (rc == 0 && round_id == 0) {
		fk_resp_json(resp, 200,
			     json_pack("{s:n, s:o, s:[]}", "round_id", "area_id", fk_json_idv(a.id),
				       "points"));
		fk_area_release(&a);
		return 0;
	}
	if (rc == 0)
		rc = db_curve(req->db, round_id, a.id, a.path, fk_now_ms(), &points, err);
	if (rc == 0)
		fk_resp_json(resp, 200,
			     json_pack("{s:o, s:o, s:o}", "round_id", fk_json_idv(round_id),
				       "area_id", fk_json_idv(a.id), "points", points));
	fk_area_release(&a);
	return rc;
}

int db_api_shapes(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_area a = {0};
	json_t *fc = NULL;
	int rc = area_of(req, &a, err);

	if (rc == 0)
		rc = fk_area_children_shapes(req->db, a.id, &fc, err);
	fk_area_release(&a);
	if (rc == 0)
		fk_resp_json(resp, 200, fc);
	return rc;
}

int db_api_geometry(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "area.geometry", .target_kind = "area"};
	json_t *g = json_object_get(req->body, "geometry");
	struct fk_area a = {0};
	int64_t id = 0;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = fk_area_get_in_scope(req->db, req->who, id, "id", &a, err);
	fk_area_release(&a);
	if (rc == 0)
		rc = json_is_null(g) ? 0 : fk_area_geometry_check(g, "geometry", err);
	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = fk_area_geometry_set(req->db, id, json_is_null(g) ? NULL : g, err);
	e.target_id = id;
	e.detail = json_pack("{s:b}", "cleared", json_is_null(g));
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc == 0)
		fk_resp_json(resp, 200,
			     json_pack("{s:o, s:O}", "id", fk_json_idv(id), "geometry", g));
	return rc;
}
