/* api_contact: the HTTP handlers of a case's contacts — the list (a read of people data,
 * audited) and a new contact, known to the registry or registered in full, in the request's
 * audited transaction. */
#include <string.h>
#include "base/clock.h"
#include "trace/internal.h"

const struct fk_field tc_body_contact[] = {
    {.name = "person_id", .type = FK_J_ID, .nullable = true},
    {.name = "person", .type = FK_J_OBJECT, .nullable = true},
    {.name = "kind", .type = FK_J_STRING, .required = true, .max_len = 16},
    {.name = "via_contact_id", .type = FK_J_ID, .nullable = true},
    {.name = "place", .type = FK_J_STRING, .required = true, .max_len = TC_TEXT_MAX * 4},
    {.name = "met_at", .type = FK_J_STRING, .required = true, .max_len = 64},
    {.name = "exposure", .type = FK_J_STRING, .required = true, .max_len = 32},
    {.name = "certainty", .type = FK_J_STRING, .required = true, .max_len = 32},
    {.name = "source", .type = FK_J_STRING, .required = true, .max_len = 32},
    FK_FIELDS_END,
};

static int contact_fields(struct fk_req *req, struct tc_contact *c, struct fk_err *err)
{
	const char *met = fk_json_str(req->body, "met_at");
	int rc;

	c->kind = fk_json_str(req->body, "kind");
	c->via_contact_id = fk_json_id(req->body, "via_contact_id");
	c->place = tc_body_text(req, "place");
	c->exposure = fk_json_str(req->body, "exposure");
	c->certainty = fk_json_str(req->body, "certainty");
	c->source = fk_json_str(req->body, "source");
	rc = tc_enum_check(c->kind, tc_contact_kinds, "kind", err);
	if (rc == 0)
		rc = tc_enum_check(c->exposure, tc_exposures, "exposure", err);
	if (rc == 0)
		rc = tc_enum_check(c->certainty, tc_certainties, "certainty", err);
	if (rc == 0)
		rc = tc_enum_check(c->source, tc_contact_sources, "source", err);
	if (rc == 0 && !c->place)
		rc = fk_err_set(err, FK_EINVAL, "place_required", "place", "请填写接触地点",
				"give the place they met");
	if (rc == 0 && (fk_iso8601_parse(met, &c->met_at) < 0 || c->met_at <= 0))
		rc = fk_err_set(err, FK_EINVAL, "invalid_time", "met_at",
				"met_at 不是有效的时间（例如 2022-04-01T08:00:00+08:00）",
				"met_at is not a valid time (e.g. 2022-04-01T08:00:00+08:00)");
	return rc;
}

int tc_api_contact_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct tc_contact c = {.created_by = req->who->user_id};
	json_t *o = NULL;
	int rc = fk_req_param_id(req, "id", &c.case_id, err) < 0 ? tc_case_not_found("id", err) : 0;

	if (rc == 0)
		rc = contact_fields(req, &c, err);
	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	/* the case first: a case the caller may not see is unknown, whoever the person is */
	rc = tc_case_read(req->db, req->who, c.case_id, NULL, NULL, NULL, NULL, err);
	if (rc == 0)
		rc = tc_person_pick(req->db, req->who, req->body, &c.person_id, c.area_path, err);
	if (rc == 0)
		rc = tc_contact_insert(req->db, req->who, &c, err);
	if (rc == 0)
		rc = tc_contact_json(req->db, req->who, c.id, &o, err);
	rc = fk_audit_tx_end(
	    req, rc,
	    &(struct fk_audit_entry){
		.action = "trace.contact_add",
		.target_kind = "case",
		.target_id = c.case_id,
		.detail = rc == 0 ? json_pack("{s:o, s:o, s:s}", "contact_id", fk_json_idv(c.id),
					      "person_id", fk_json_idv(c.person_id), "kind", c.kind)
				  : NULL},
	    err);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	fk_resp_json(resp, 201, o);
	return 0;
}

int tc_api_contact_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	json_t *items = json_array();
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err) < 0 ? tc_case_not_found("id", err) : 0;

	if (rc == 0)
		rc = tc_contact_list(req->db, req->who, id, items, err);
	if (rc == 0)
		rc = fk_audit_json(req, "trace.contacts_read", "case", id,
				   json_pack("{s:I}", "count", (json_int_t)json_array_size(items)),
				   err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}
