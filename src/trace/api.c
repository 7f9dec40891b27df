/* api: the HTTP handlers of /api/v1/cases and the graphs. Writes run in the request's audited
 * transaction; the reads of a case, its contacts and a graph are reads of people data, audited
 * as such. An id outside the caller's scope reads as an unknown one. */
#include <string.h>
#include "base/id.h"
#include "base/utf8.h"
#include "trace/internal.h"

const struct fk_field tc_body_case_create[] = {
    {.name = "person_id", .type = FK_J_ID, .nullable = true},
    {.name = "person", .type = FK_J_OBJECT, .nullable = true},
    {.name = "status", .type = FK_J_STRING, .required = true, .max_len = 32},
    {.name = "onset_day", .type = FK_J_STRING, .nullable = true, .max_len = 10},
    {.name = "found_by", .type = FK_J_STRING, .required = true, .max_len = 32},
    {.name = "found_place", .type = FK_J_STRING, .nullable = true, .max_len = TC_TEXT_MAX * 4},
    {.name = "source_case_id", .type = FK_J_ID, .nullable = true},
    {.name = "note", .type = FK_J_STRING, .nullable = true, .max_len = TC_NOTE_MAX * 4},
    FK_FIELDS_END,
};

const struct fk_field tc_body_case_patch[] = {
    {.name = "status", .type = FK_J_STRING, .nullable = true, .max_len = 32},
    {.name = "onset_day", .type = FK_J_STRING, .nullable = true, .max_len = 10},
    {.name = "found_place", .type = FK_J_STRING, .nullable = true, .max_len = TC_TEXT_MAX * 4},
    {.name = "note", .type = FK_J_STRING, .nullable = true, .max_len = TC_NOTE_MAX * 4},
    FK_FIELDS_END,
};

const struct fk_field tc_body_empty[] = {FK_FIELDS_END};

/* A trimmed copy of a body string in the request's arena; NULL when absent, null or blank. */
const char *tc_body_text(struct fk_req *req, const char *name)
{
	const char *s = fk_json_str(req->body, name);
	char *t = s ? fk_utf8_trim(fk_arena_strdup(req->arena, s)) : NULL;

	return t && *t ? t : NULL;
}

static int case_fields(struct fk_req *req, struct tc_case *c, bool create, struct fk_err *err)
{
	int rc = 0;

	c->status = fk_json_str(req->body, "status");
	c->onset_day = fk_json_str(req->body, "onset_day");
	c->found_place = tc_body_text(req, "found_place");
	c->note = tc_body_text(req, "note");
	if (create || c->status)
		rc = tc_enum_check(c->status, tc_case_statuses, "status", err);
	if (rc == 0 && create && strcmp(c->status, "recovered") == 0)
		rc = fk_err_set(err, FK_EINVAL, "invalid_status", "status",
				"新病例的状态应为 confirmed 或 asymptomatic",
				"a new case is confirmed or asymptomatic");
	if (rc == 0 && c->onset_day)
		rc = tc_day_check(c->onset_day, "onset_day", err);
	return rc;
}

static int reply_case(struct fk_req *req, struct fk_resp *resp, int status, int64_t id,
		      bool proposed, struct fk_err *err)
{
	json_t *o;
	int rc = tc_case_json(req->db, req->who, id, proposed, &o, err);

	if (rc == 0)
		fk_resp_json(resp, status, o);
	return rc;
}

int tc_api_case_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct tc_case c = {.created_by = req->who->user_id};
	int rc = case_fields(req, &c, true, err);

	c.found_by = fk_json_str(req->body, "found_by");
	c.source_case_id = fk_json_id(req->body, "source_case_id");
	if (rc == 0)
		rc = tc_enum_check(c.found_by, tc_found_by_hand, "found_by", err);
	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = tc_person_pick(req->db, req->who, req->body, &c.person_id, c.area_path, err);
	if (rc == 0)
		rc = tc_case_insert(req->db, req->who, &c, err);
	rc = fk_audit_tx_end(req, rc,
			     &(struct fk_audit_entry){
				 .action = "trace.case_create",
				 .target_kind = "case",
				 .target_id = c.id,
				 .detail = rc == 0 ? json_pack("{s:o, s:s, s:s}", "person_id",
							       fk_json_idv(c.person_id), "status",
							       c.status, "found_by", c.found_by)
						   : NULL},
			     err);
	return rc < 0 ? rc : reply_case(req, resp, 201, c.id, true, err);
}

static int param_case(struct fk_req *req, int64_t *id, struct fk_err *err)
{
	return fk_req_param_id(req, "id", id, err) < 0 ? tc_case_not_found("id", err) : 0;
}

int tc_api_case_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	json_t *o = NULL;
	int64_t id;
	int rc = param_case(req, &id, err);

	if (rc == 0)
		rc = tc_case_json(req->db, req->who, id, true, &o, err);
	if (rc == 0)
		rc = fk_audit_json(req, "trace.case_read", "case", id, NULL, err);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	fk_resp_json(resp, 200, o);
	return 0;
}

int tc_api_case_patch(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct tc_case c = {0};
	int64_t id;
	int rc = param_case(req, &id, err);

	if (rc == 0)
		rc = case_fields(req, &c, false, err);
	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = tc_case_patch(req->db, req->who, id, &c, err);
	rc = fk_audit_tx_end(req, rc,
			     &(struct fk_audit_entry){.action = "trace.case_update",
						      .target_kind = "case",
						      .target_id = id,
						      .detail = json_deep_copy(req->body)},
			     err);
	return rc < 0 ? rc : reply_case(req, resp, 200, id, true, err);
}

int tc_api_case_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *area = fk_req_query(req, "area_id"), *status = fk_req_query(req, "status");
	int64_t limit, area_id = 0;
	char next[32];
	json_t *items;
	int rc = fk_req_query_int(req, "limit", 100, 1, 500, &limit, err);

	if (status && !*status)
		status = NULL;
	if (rc == 0 && status)
		rc = tc_enum_check(status, tc_case_statuses, "status", err);
	if (rc == 0 && area && *area && !fk_id_parse(area, &area_id))
		rc = fk_err_set(err, FK_ENOTFOUND, "area_not_found", "area_id", "区域不存在",
				"there is no such area");
	if (rc < 0)
		return rc;
	items = json_array();
	rc = tc_case_list(req->db, req->who, area_id, status, fk_req_query(req, "cursor"),
			  (int)limit, items, next, sizeof(next), err);
	if (rc == 0)
		rc = fk_audit_json(req, "trace.case_list", "case", 0,
				   json_pack("{s:I}", "count", (json_int_t)json_array_size(items)),
				   err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200,
		     json_pack("{s:o, s:o}", "items", items, "next_cursor",
			       next[0] ? json_string(next) : json_null()));
	return 0;
}

int tc_api_promote(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	json_t *items = json_array();
	int64_t id;
	int moved = 0, rc = param_case(req, &id, err);

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	rc = tc_promote(req->db, req->who, id, &moved, items, err);
	rc = fk_audit_tx_end(
	    req, rc,
	    &(struct fk_audit_entry){.action = "trace.promote",
				     .target_kind = "case",
				     .target_id = id,
				     .detail = rc == 0 ? json_pack("{s:i}", "moved", moved) : NULL},
	    err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:i, s:o}", "moved", moved, "items", items));
	return 0;
}

static int reply_graph(struct fk_req *req, struct fk_resp *resp, int rc, json_t *g,
		       const char *kind, int64_t id, struct fk_err *err)
{
	if (rc == 0)
		rc = fk_audit_json(
		    req, "trace.graph", kind, id,
		    json_pack("{s:I}", "nodes",
			      (json_int_t)json_array_size(json_object_get(g, "nodes"))),
		    err);
	if (rc < 0) {
		json_decref(g);
		return rc;
	}
	fk_resp_json(resp, 200, g);
	return 0;
}

int tc_api_graph_case(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	json_t *g = NULL;
	int64_t id;
	int rc = param_case(req, &id, err);

	if (rc == 0)
		rc = tc_graph_case(req->db, req->who, id, &g, err);
	return reply_graph(req, resp, rc, g, "case", id, err);
}

int tc_api_graph_area(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *area = fk_req_query(req, "area_id");
	json_t *g = NULL;
	int64_t area_id = 0;
	int rc = 0;

	if (area && *area && !fk_id_parse(area, &area_id))
		rc = fk_err_set(err, FK_ENOTFOUND, "area_not_found", "area_id", "区域不存在",
				"there is no such area");
	if (rc == 0)
		rc = tc_graph_area(req->db, req->who, area_id, &g, err);
	return reply_graph(req, resp, rc, g, "area", area_id, err);
}
