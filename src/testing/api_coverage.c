/* api_coverage: the HTTP handlers that read a round's progress — coverage per area level,
 * the missing and door-to-door lists (people data: scoped, phones masked per role, audited),
 * turnaround, the summary figure — and call-ups (set slots, list, mark done). */
#include <stdio.h>
#include <string.h>
#include "base/id.h"
#include "events/events.h"
#include "testing/internal.h"

#define LIST_LIMIT     100
#define LIST_LIMIT_MAX 500

const struct fk_field tr_callups_body[] = {
    {.name = "items", .type = FK_J_ARRAY, .required = true, .max_len = 5000},
    FK_FIELDS_END,
};

static const struct fk_field callup_item[] = {
    {.name = "area_id", .type = FK_J_ID, .required = true},
    {.name = "slot_start", .type = FK_J_STRING, .required = true, .max_len = 64},
    {.name = "slot_end", .type = FK_J_STRING, .required = true, .max_len = 64},
    FK_FIELDS_END,
};

/* What most handlers here start from: the round of the path (visible to the caller) and the
 * optional ?area_id= (in the caller's scope). */
struct view {
	struct fk_round r;
	struct tr_round_areas ra;
	struct fk_area area;
	bool has_area;
};

static int view_open(struct fk_req *req, struct view *v, struct fk_err *err)
{
	const char *as = fk_req_query(req, "area_id");
	int64_t id, area_id = 0;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == FK_ENOTFOUND)
		return fk_err_set(err, FK_ENOTFOUND, "round_not_found", NULL, "检测轮次不存在",
				  "the testing round does not exist");
	if (rc == 0)
		rc = tr_round_visible(req->db, req->who, id, &v->r, &v->ra, err);
	if (rc == 0 && as && *as && !fk_id_parse(as, &area_id))
		rc = fk_err_set(err, FK_EINVAL, "invalid_id", "area_id", "area_id 不是有效的编号",
				"area_id is not a valid id");
	if (rc == 0 && area_id) {
		rc = fk_area_get_in_scope(req->db, req->who, area_id, "area_id", &v->area, err);
		v->has_area = rc == 0;
	}
	return rc;
}

/* Without ?area_id=, the caller's one area in the round, when it has exactly one. */
static int view_default_area(struct fk_req *req, struct view *v, struct fk_err *err)
{
	struct tr_round_areas *top = fk_arena_alloc(req->arena, sizeof(*top));
	int rc;

	if (v->has_area)
		return 0;
	if (tr_top_areas(req->who, &v->ra, top) != 1)
		return fk_err_set(err, FK_EINVAL, "missing_parameter", "area_id",
				  "请指定区域 area_id", "area_id is required");
	rc = fk_area_get_in_scope(req->db, req->who, top->a[0].id, "area_id", &v->area, err);
	v->has_area = rc == 0;
	return rc;
}

static void view_close(struct view *v)
{
	fk_area_release(&v->area);
}

static struct view *view_new(struct fk_req *req)
{
	return fk_arena_alloc(req->arena, sizeof(struct view));
}

/* ---- coverage and summary ---- */

static int coverage_kind(struct fk_req *req, struct view *v, const char **kind, struct fk_err *err)
{
	*kind = fk_req_query(req, "kind");
	if (!*kind || !**kind) {
		*kind = NULL;
		return 0;
	}
	if (!fk_area_kind_valid(*kind))
		return fk_err_set(err, FK_EINVAL, "invalid_kind", "kind", "未知的区域类型：%s",
				  "unknown area kind: %s", *kind);
	return view_default_area(req, v, err);
}

int tr_api_coverage(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct view *v = view_new(req);
	struct tr_counts totals;
	const char *kind = NULL;
	json_t *rows = json_array();
	int rc = view_open(req, v, err);

	if (rc == 0)
		rc = coverage_kind(req, v, &kind, err);
	if (rc == 0)
		rc = tr_coverage(req->db, req->who, v->r.id, &v->ra, v->has_area ? &v->area : NULL,
				 kind, rows, &totals, err);
	if (rc == 0)
		fk_resp_json(resp, 200,
			     json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "round",
				       tr_round_json(&v->r, NULL), "area",
				       v->has_area ? tr_area_brief(&v->area) : json_null(), "kind",
				       kind ? json_string(kind) : json_null(), "rows",
				       json_incref(rows), "totals", tr_counts_json(&totals),
				       "deadline", tr_round_deadline_json(&v->r, totals.missing)));
	json_decref(rows);
	view_close(v);
	return rc;
}

int tr_api_summary(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct view *v = view_new(req);
	struct tr_counts totals;
	json_t *rows = json_array(), *o;
	int rc = view_open(req, v, err);

	if (rc == 0)
		rc = tr_coverage(req->db, req->who, v->r.id, &v->ra, v->has_area ? &v->area : NULL,
				 NULL, rows, &totals, err);
	json_decref(rows);
	if (rc == 0) {
		o = tr_summary_json(&totals, req->lang);
		json_object_set_new(o, "round_id", fk_json_idv(v->r.id));
		json_object_set_new(o, "round_name", json_string(v->r.name));
		json_object_set_new(o, "status", json_string(fk_round_status_name(v->r.status)));
		json_object_set_new(o, "area", v->has_area ? tr_area_brief(&v->area) : json_null());
		fk_resp_json(resp, 200, o);
	}
	view_close(v);
	return rc;
}

int tr_api_turnaround(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct view *v = view_new(req);
	const char *ss = fk_req_query(req, "site_id");
	int64_t site_id = 0;
	json_t *o;
	int rc = view_open(req, v, err);

	if (rc == 0 && ss && *ss && !fk_id_parse(ss, &site_id))
		rc = fk_err_set(err, FK_EINVAL, "invalid_id", "site_id", "site_id 不是有效的编号",
				"site_id is not a valid id");
	if (rc == 0)
		rc = tr_turnaround(req->db, v->r.id, site_id, &o, err);
	if (rc == 0) {
		json_object_set_new(o, "round_id", fk_json_idv(v->r.id));
		json_object_set_new(o, "site_id", fk_json_idv(site_id));
		fk_resp_json(resp, 200, o);
	}
	view_close(v);
	return rc;
}

/* ---- missing and door-to-door ---- */

static int list_people(struct fk_req *req, struct view *v, bool door, json_t *items, char *next,
		       size_t next_size, struct fk_err *err)
{
	struct tr_list_query f = {.round_id = v->r.id, .ra = &v->ra, .door = door};
	struct fk_audit_entry e = {.action = door ? "testing.door_to_door" : "testing.missing",
				   .target_kind = "round",
				   .target_id = v->r.id};
	int64_t limit;
	int rc = view_default_area(req, v, err);

	if (rc == 0 &&
	    fk_req_query_int(req, "limit", LIST_LIMIT, 1, LIST_LIMIT_MAX, &limit, err) < 0)
		rc = FK_EINVAL;
	if (rc < 0)
		return rc;
	f.area = &v->area;
	f.limit = (int)limit;
	f.cursor = fk_req_query(req, "cursor");
	if (f.cursor && !*f.cursor)
		f.cursor = NULL;
	f.zone_paths = door ? json_array() : NULL;
	if (door)
		rc = fk_zone_door_paths(req->app, req->db, v->area.path, f.zone_paths, err);
	if (rc == 0)
		rc = tr_missing_list(req->db, req->who, &f, items, next, next_size, err);
	json_decref(f.zone_paths);
	if (rc == 0) {
		e.detail = json_pack("{s:o, s:I}", "area_id", fk_json_idv(v->area.id), "results",
				     (json_int_t)json_array_size(items));
		rc = fk_audit(req, &e, err);
	}
	return rc;
}

int tr_api_missing(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct view *v = view_new(req);
	struct tr_counts c = {0};
	char next[600];
	json_t *items = json_array();
	int rc = view_open(req, v, err);

	if (rc == 0)
		rc = list_people(req, v, false, items, next, sizeof(next), err);
	if (rc == 0)
		rc = tr_counts_under(req->db, v->r.id, v->area.path, &c, err);
	if (rc == 0)
		fk_resp_json(resp, 200,
			     json_pack("{s:o, s:o, s:I, s:o}", "area", tr_area_brief(&v->area),
				       "items", json_incref(items), "missing",
				       (json_int_t)c.missing, "next_cursor",
				       next[0] ? json_string(next) : json_null()));
	json_decref(items);
	view_close(v);
	return rc;
}

/* The people of a page grouped by building, in the page's order. */
static json_t *by_building(json_t *items)
{
	json_t *out = json_array(), *group = NULL, *p;
	const char *last = NULL;
	size_t i;

	json_array_foreach(items, i, p)
	{
		const char *b = json_string_value(json_object_get(p, "area_id"));
		if (!group || !last || strcmp(last, b) != 0) {
			group = json_pack("{s:O, s:O, s:O, s:[]}", "area_id",
					  json_object_get(p, "area_id"), "name",
					  json_object_get(p, "area_name"), "code",
					  json_object_get(p, "area_code"), "people");
			json_array_append_new(out, group);
			last = b;
		}
		json_array_append(json_object_get(group, "people"), p);
	}
	return out;
}

int tr_api_door(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct view *v = view_new(req);
	char next[600];
	json_t *items = json_array();
	int rc = view_open(req, v, err);

	if (rc == 0)
		rc = list_people(req, v, true, items, next, sizeof(next), err);
	if (rc == 0)
		fk_resp_json(resp, 200,
			     json_pack("{s:o, s:o, s:I, s:o}", "area", tr_area_brief(&v->area),
				       "buildings", by_building(items), "count",
				       (json_int_t)json_array_size(items), "next_cursor",
				       next[0] ? json_string(next) : json_null()));
	json_decref(items);
	view_close(v);
	return rc;
}

/* ---- call-ups ---- */

static int callups_reply(struct fk_req *req, struct fk_resp *resp, struct view *v,
			 struct fk_err *err)
{
	json_t *items = json_array();
	int rc =
	    tr_callup_list(req->db, req->who, v->r.id, v->has_area ? &v->area : NULL, items, err);

	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int tr_api_callup_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct view *v = view_new(req);
	int rc = view_open(req, v, err);

	if (rc == 0)
		rc = callups_reply(req, resp, v, err);
	view_close(v);
	return rc;
}

/* One item of PUT .../callups; errors name the field as "items[2].slot_end". */
static int callup_item_set(struct fk_req *req, struct view *v, json_t *it, size_t i,
			   struct fk_err *err)
{
	char field[64];
	int64_t start = 0, end = 0;
	int rc = json_is_object(it)
		     ? fk_json_check(it, callup_item, err)
		     : fk_err_set(err, FK_EINVAL, "wrong_type", "items", "items 的每一项须为对象",
				  "each of items must be an object");

	if (rc == 0)
		rc = tr_body_time(it, "slot_start", &start, err);
	if (rc == 0)
		rc = tr_body_time(it, "slot_end", &end, err);
	snprintf(field, sizeof(field), "items[%zu].area_id", i);
	if (rc == 0)
		rc = tr_callup_set(req->db, req->who, &v->r, &v->ra, fk_json_id(it, "area_id"),
				   start, end, field, err);
	if (rc < 0 && err && strncmp(err->field, "items[", 6) != 0) {
		char named[sizeof(err->field) + 32];
		snprintf(named, sizeof(named), "items[%zu].%s", i, err->field);
		snprintf(err->field, sizeof(err->field), "%.63s", named);
	}
	return rc;
}

int tr_api_callup_set(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "callup.set", .target_kind = "round"};
	struct view *v = view_new(req);
	json_t *items = json_object_get(req->body, "items"), *it;
	size_t i;
	int rc = fk_audit_tx_begin(req, err);

	if (rc < 0)
		return rc;
	rc = view_open(req, v, err);
	json_array_foreach(items, i, it)
	{
		if (rc == 0)
			rc = callup_item_set(req, v, it, i, err);
	}
	e.target_id = v->r.id;
	e.detail = json_pack("{s:I}", "buildings", (json_int_t)json_array_size(items));
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc == 0)
		rc = callups_reply(req, resp, v, err);
	view_close(v);
	return rc;
}

int tr_api_callup_done(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "callup.done", .target_kind = "area"};
	struct view *v = view_new(req);
	int64_t area_id = 0;
	json_t *o = NULL;
	int rc = fk_audit_tx_begin(req, err);

	if (rc < 0)
		return rc;
	rc = view_open(req, v, err);
	if (rc == 0 && fk_req_param_id(req, "area_id", &area_id, err) < 0)
		rc = fk_err_set(err, FK_ENOTFOUND, "area_not_found", "area_id", "区域不存在",
				"the area does not exist");
	if (rc == 0)
		rc = tr_callup_done(req->db, req->who, &v->r, area_id, &o, err);
	e.target_id = area_id;
	e.detail = json_pack("{s:o}", "round_id", fk_json_idv(v->r.id));
	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc == 0)
		fk_events_publish("callup_done", json_string_value(json_object_get(o, "path")),
				  json_pack("{s:o, s:O, s:O}", "round_id", fk_json_idv(v->r.id),
					    "area_id", json_object_get(o, "area_id"), "name",
					    json_object_get(o, "name")));
	if (rc == 0)
		fk_resp_json(resp, 200, o);
	else
		json_decref(o);
	view_close(v);
	return rc;
}
