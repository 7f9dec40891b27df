/* api: the HTTP handlers of /api/v1/facilities and /api/v1/rooms (create, list, read, change,
 * rooms added one or many) and of the board. Writes run in one transaction with their audit
 * row. */
#include <string.h>
#include "base/buf.h"
#include "isolation/internal.h"

const struct fk_field is_body_facility_create[] = {
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = IS_TEXT_MAX * 4},
    {.name = "area_id", .type = FK_J_ID, .required = true},
    {.name = "address", .type = FK_J_STRING, .max_len = IS_TEXT_MAX * 4},
    {.name = "phone", .type = FK_J_STRING, .max_len = 24},
    {.name = "active", .type = FK_J_BOOL},
    FK_FIELDS_END,
};
const struct fk_field is_body_facility_update[] = {
    {.name = "name", .type = FK_J_STRING, .max_len = IS_TEXT_MAX * 4},
    {.name = "area_id", .type = FK_J_ID},
    {.name = "address", .type = FK_J_STRING, .max_len = IS_TEXT_MAX * 4},
    {.name = "phone", .type = FK_J_STRING, .max_len = 24},
    {.name = "active", .type = FK_J_BOOL},
    FK_FIELDS_END,
};
const struct fk_field is_body_rooms[] = {
    {.name = "rooms", .type = FK_J_ARRAY, .required = true, .max_len = 500},
    FK_FIELDS_END,
};
const struct fk_field is_body_room_update[] = {
    {.name = "capacity", .type = FK_J_INT, .min = 1, .max = 20, .range_key = "invalid_capacity"},
    {.name = "active", .type = FK_J_BOOL},
    FK_FIELDS_END,
};

static void copy_str(json_t *b, const char *name, char *dst, size_t size)
{
	const char *s = fk_json_str(b, name);

	if (s)
		fk_copy_text(dst, size, s);
}

static void body_facility(json_t *b, struct is_facility *f)
{
	if (fk_json_has(b, "area_id"))
		f->area_id = fk_json_id(b, "area_id");
	copy_str(b, "name", f->name, sizeof(f->name));
	copy_str(b, "address", f->address, sizeof(f->address));
	copy_str(b, "phone", f->phone, sizeof(f->phone));
	if (json_is_boolean(json_object_get(b, "active")))
		f->active = json_is_true(json_object_get(b, "active"));
}

static int reply_facility(struct fk_req *req, struct fk_resp *resp, int status,
			  const struct is_facility *f, struct fk_err *err)
{
	json_t *o;
	int rc = is_facility_json(req->db, f, &o, err);

	if (rc == 0)
		fk_resp_json(resp, status, o);
	return rc;
}

int is_audit_end(struct fk_req *req, int rc, const char *action, const char *kind, int64_t id,
		 json_t *detail, struct fk_err *err)
{
	struct fk_audit_entry e = {
	    .action = action, .target_kind = kind, .target_id = id, .detail = detail};

	return fk_audit_tx_end(req, rc, &e, err);
}

static int path_facility(struct fk_req *req, struct is_facility *f, struct fk_err *err)
{
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	return rc < 0 ? rc : is_facility_get(req->db, req->who, id, NULL, f, err);
}

int is_api_facility_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct is_facility *f = fk_arena_alloc(req->arena, sizeof(*f));
	int rc;

	*f = (struct is_facility){.active = true};
	body_facility(req->body, f);
	rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = is_facility_save(req->db, req->who, f, true, err);
	rc = is_audit_end(req, rc, "facility.create", "facility", f->id,
			  json_pack("{s:s}", "name", f->name), err);
	return rc < 0 ? rc : reply_facility(req, resp, 201, f, err);
}

int is_api_facility_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	json_t *items = json_array();
	int rc = is_facility_list(req->db, req->who, items, err);

	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int is_api_facility_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct is_facility *f = fk_arena_alloc(req->arena, sizeof(*f));
	int rc = path_facility(req, f, err);

	return rc < 0 ? rc : reply_facility(req, resp, 200, f, err);
}

int is_api_facility_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct is_facility *f = fk_arena_alloc(req->arena, sizeof(*f));
	int rc = fk_audit_tx_begin(req, err);

	if (rc < 0)
		return rc;
	rc = path_facility(req, f, err);
	if (rc == 0) {
		body_facility(req->body, f);
		rc = is_facility_save(req->db, req->who, f, false, err);
	}
	rc = is_audit_end(req, rc, "facility.update", "facility", f->id, json_deep_copy(req->body),
			  err);
	return rc < 0 ? rc : reply_facility(req, resp, 200, f, err);
}

int is_api_rooms_add(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct is_facility *f = fk_arena_alloc(req->arena, sizeof(*f));
	json_t *items = json_array();
	int rc = fk_audit_tx_begin(req, err);

	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	rc = path_facility(req, f, err);
	if (rc == 0)
		rc = is_rooms_add(req->db, f, json_object_get(req->body, "rooms"), items, err);
	rc = is_audit_end(req, rc, "facility.rooms", "facility", f->id,
			  json_pack("{s:I}", "rooms", (json_int_t)json_array_size(items)), err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 201, json_pack("{s:o}", "items", items));
	return 0;
}

/* The capacity asked for, -1 when none (keep it); a negative one is refused as 0 is. */
static int64_t body_capacity(json_t *b)
{
	int64_t c = fk_json_int(b, "capacity", 0);

	if (!fk_json_has(b, "capacity"))
		return -1;
	return c < 0 ? 0 : c;
}

int is_api_room_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct is_room r;
	int64_t id;
	json_t *active = json_object_get(req->body, "active");
	int64_t capacity = body_capacity(req->body);
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = is_room_get(req->db, req->who, id, NULL, &r, err);
	if (rc == 0)
		rc = is_room_update(req->db, &r, capacity, active ? json_is_true(active) : -1, err);
	rc = is_audit_end(req, rc, "room.update", "room", id, json_deep_copy(req->body), err);
	if (rc == 0)
		fk_resp_json(resp, 200, is_room_json(&r));
	return rc;
}

int is_api_board(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct is_facility *f = fk_arena_alloc(req->arena, sizeof(*f));
	int64_t days = 7;
	json_t *o;
	int rc = fk_req_query_int(req, "days", 7, 1, 31, &days, err);

	if (rc == 0)
		rc = path_facility(req, f, err);
	if (rc == 0)
		rc = is_board(req->db, req->who, f, (int)days, &o, err);
	if (rc == 0)
		fk_resp_json(resp, 200, o);
	return rc;
}
