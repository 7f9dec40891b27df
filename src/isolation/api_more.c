/* api_more: the HTTP handlers that change a placement (end day, release, room), its transfers,
 * and the tests due while placed. Writes run in one transaction with their audit row. */
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "isolation/internal.h"

const struct fk_field is_body_end_day[] = {
    {.name = "end_day", .type = FK_J_STRING, .required = true, .max_len = 10},
    {.name = "reason", .type = FK_J_STRING, .required = true, .max_len = IS_TEXT_MAX * 4},
    FK_FIELDS_END,
};
const struct fk_field is_body_release[] = {
    {.name = "reason", .type = FK_J_STRING, .required = true, .max_len = IS_TEXT_MAX * 4},
    FK_FIELDS_END,
};
const struct fk_field is_body_room[] = {
    {.name = "room_id", .type = FK_J_ID, .required = true},
    FK_FIELDS_END,
};
const struct fk_field is_body_transfer[] = {
    {.name = "facility_id", .type = FK_J_ID, .required = true},
    {.name = "vehicle", .type = FK_J_STRING, .required = true, .max_len = IS_TEXT_MAX * 4},
    {.name = "escort", .type = FK_J_STRING, .required = true, .max_len = IS_TEXT_MAX * 4},
    {.name = "departed_at", .type = FK_J_STRING, .max_len = 40},
    FK_FIELDS_END,
};
const struct fk_field is_body_arrive[] = {
    {.name = "room_id", .type = FK_J_ID},
    FK_FIELDS_END,
};
const struct fk_field is_body_test[] = {
    {.name = "result", .type = FK_J_STRING, .required = true, .max_len = 16},
    FK_FIELDS_END,
};

/* A reason is not blank. */
static int need_reason(json_t *b, struct fk_err *err)
{
	const char *s = fk_json_str(b, "reason");

	if (s && strspn(s, " \t\r\n") < strlen(s))
		return 0;
	return fk_err_set(err, FK_EINVAL, "missing_reason", "reason", "请填写原因",
			  "give a reason");
}

/* The audited change of the path's placement by fn, replied as the placement. */
static int change(struct fk_req *req, struct fk_resp *resp, const char *action,
		  int (*fn)(struct fk_req *req, struct is_placement *p, struct fk_err *err),
		  struct fk_err *err)
{
	struct is_placement *p = fk_arena_alloc(req->arena, sizeof(*p));
	struct fk_audit_entry e = {.action = action, .target_kind = "placement"};
	int rc = fk_audit_tx_begin(req, err);

	if (rc < 0)
		return rc;
	rc = is_path_placement(req, p, err);
	if (rc == 0) {
		e.detail = json_pack("{s:s, s:s, s:O}", "start_day", p->start_day, "end_day_was",
				     p->end_day, "body", req->body);
		rc = fn(req, p, err);
	}
	e.target_id = p->id;
	rc = fk_audit_tx_end(req, rc, &e, err);
	return rc < 0 ? rc : is_reply_placement(req, resp, p, err);
}

static int do_end_day(struct fk_req *req, struct is_placement *p, struct fk_err *err)
{
	int rc = need_reason(req->body, err);

	return rc < 0 ? rc : is_end_day(req->db, p, fk_json_str(req->body, "end_day"), err);
}

static int do_release(struct fk_req *req, struct is_placement *p, struct fk_err *err)
{
	int rc = need_reason(req->body, err);

	return rc < 0 ? rc : is_release(req->db, p, req->who->user_id, err);
}

static int do_room(struct fk_req *req, struct is_placement *p, struct fk_err *err)
{
	struct is_room r;
	int rc =
	    is_room_get(req->db, req->who, fk_json_id(req->body, "room_id"), "room_id", &r, err);

	return rc < 0 ? rc : is_set_room(req->db, p, &r, err);
}

int is_api_end_day(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return change(req, resp, "placement.end_day", do_end_day, err);
}

int is_api_release(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return change(req, resp, "placement.release", do_release, err);
}

int is_api_room(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return change(req, resp, "placement.room", do_room, err);
}

/* ---- transfers ---- */

static int transfer_req(json_t *b, struct is_transfer_req *t, struct fk_err *err)
{
	const char *at = fk_json_str(b, "departed_at");

	*t = (struct is_transfer_req){.facility_id = fk_json_id(b, "facility_id"),
				      .vehicle = fk_json_str(b, "vehicle"),
				      .escort = fk_json_str(b, "escort")};
	if (at && fk_iso8601_parse(at, &t->departed_at) < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_time", "departed_at",
				  "departed_at 须为 ISO 8601 时间",
				  "departed_at must be an ISO 8601 time");
	if (!*t->vehicle)
		return fk_err_set(err, FK_EINVAL, "missing_vehicle", "vehicle", "请填写车辆",
				  "give the vehicle");
	if (!*t->escort)
		return fk_err_set(err, FK_EINVAL, "missing_escort", "escort", "请填写随车人员",
				  "give the escort");
	return 0;
}

int is_api_transfer_add(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct is_placement *p = fk_arena_alloc(req->arena, sizeof(*p));
	struct is_facility *f = fk_arena_alloc(req->arena, sizeof(*f));
	struct is_transfer_req t;
	int64_t id = 0;
	json_t *o;
	int rc = transfer_req(req->body, &t, err);

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = is_path_placement(req, p, err);
	if (rc == 0)
		rc = is_facility_get(req->db, req->who, t.facility_id, "facility_id", f, err);
	if (rc == 0)
		rc = is_transfer_add(req->db, req->who, p, f, &t, &id, err);
	rc = is_audit_end(req, rc, "transfer.create", "placement", p->id, json_deep_copy(req->body),
			  err);
	if (rc == 0)
		rc = is_transfer_get(req->db, req->who, id, &o, err);
	if (rc == 0)
		fk_resp_json(resp, 201, o);
	return rc;
}

/* An audited write to the path's {id} by fn, which fills the reply's JSON: the body is the
 * audit's detail. */
static int write_by_id(struct fk_req *req, struct fk_resp *resp, const char *action,
		       const char *kind,
		       int (*fn)(struct fk_req *req, int64_t id, json_t **out, struct fk_err *err),
		       struct fk_err *err)
{
	int64_t id;
	json_t *o = NULL;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = fn(req, id, &o, err);
	rc = is_audit_end(req, rc, action, kind, id, json_deep_copy(req->body), err);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	fk_resp_json(resp, 200, o);
	return 0;
}

static int do_arrive(struct fk_req *req, int64_t id, json_t **out, struct fk_err *err)
{
	return is_transfer_arrive(req->db, req->who, id, fk_json_id(req->body, "room_id"), out,
				  err);
}

int is_api_transfer_arrive(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return write_by_id(req, resp, "transfer.arrive", "transfer", do_arrive, err);
}

/* ?day= valid or absent; out NULL when absent. */
static int query_day(struct fk_req *req, const char **out, struct fk_err *err)
{
	const char *day = fk_req_query(req, "day");

	*out = day && *day ? day : NULL;
	if (*out && !is_day_valid(*out))
		return fk_err_set(err, FK_EINVAL, "invalid_day", "day", "day 须为 YYYY-MM-DD",
				  "day must be YYYY-MM-DD");
	return 0;
}

int is_api_transfer_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *day = NULL, *fs = fk_req_query(req, "facility_id");
	int64_t facility_id = 0;
	json_t *items;
	int rc = query_day(req, &day, err);

	if (rc == 0 && fs && *fs && !fk_id_parse(fs, &facility_id))
		rc = fk_err_set(err, FK_EINVAL, "invalid_id", "facility_id", "facility_id 无效",
				"facility_id is not valid");
	if (rc < 0)
		return rc;
	items = json_array();
	rc = is_transfer_list(req->db, req->who, facility_id, day, items, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

/* ---- tests while placed ---- */

int is_api_tests_due(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *day = NULL, *under = NULL;
	char today[IS_DAY];
	int64_t door = -1;
	json_t *items;
	int rc = query_day(req, &day, err);

	if (rc == 0)
		rc = fk_req_query_int(req, "door", -1, -1, 1, &door, err);
	if (rc == 0)
		rc = fk_req_area_under(req, "area_id", &under, err);
	if (rc < 0)
		return rc;
	is_day_today(today);
	items = json_array();
	rc = is_tests_due(req->db, req->who, day ? day : today, under, (int)door, items, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:s, s:o}", "day", day ? day : today, "items", items));
	return 0;
}

static int do_record(struct fk_req *req, int64_t id, json_t **out, struct fk_err *err)
{
	return is_test_record(req->db, req->who, id, fk_json_str(req->body, "result"), out, err);
}

int is_api_test_record(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return write_by_id(req, resp, "placement_test.record", "placement_test", do_record, err);
}
