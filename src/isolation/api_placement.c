/* api_placement: the HTTP handlers of /api/v1/placements — place a person or a contact, list
 * and read placements in the caller's scope. Writes run in one transaction with their audit
 * row. */
#include <stdio.h>
#include <string.h>
#include "base/id.h"
#include "isolation/internal.h"

#define LIST_MAX 200

const struct fk_field is_body_place[] = {
    {.name = "person_id", .type = FK_J_ID},
    {.name = "contact_id", .type = FK_J_ID},
    {.name = "reason", .type = FK_J_STRING, .max_len = 24},
    {.name = "start_day", .type = FK_J_STRING, .max_len = 10},
    {.name = "kind", .type = FK_J_STRING, .max_len = 20},
    {.name = "facility_id", .type = FK_J_ID},
    {.name = "room_id", .type = FK_J_ID},
    FK_FIELDS_END,
};

static int place_req(json_t *b, struct is_place_req *r, struct fk_err *err)
{
	*r = (struct is_place_req){.person_id = fk_json_id(b, "person_id"),
				   .contact_id = fk_json_id(b, "contact_id"),
				   .facility_id = fk_json_id(b, "facility_id"),
				   .room_id = fk_json_id(b, "room_id"),
				   .reason = fk_json_str(b, "reason"),
				   .kind = fk_json_str(b, "kind"),
				   .start_day = fk_json_str(b, "start_day")};
	if (!r->person_id == !r->contact_id)
		return fk_err_set(err, FK_EINVAL, "missing_person_id", "person_id",
				  "请给出 person_id 或 contact_id 之一",
				  "give either person_id or contact_id");
	if (r->person_id && !r->reason)
		return fk_err_set(err, FK_EINVAL, "missing_reason", "reason", "缺少 reason",
				  "reason is missing");
	return 0;
}

/* The placements ids as JSON items, read back for who. */
static int items_of(struct fk_req *req, const int64_t *ids, int n, json_t *items,
		    struct fk_err *err)
{
	struct is_placement *p = fk_arena_alloc(req->arena, sizeof(*p));
	int rc = 0;

	for (int i = 0; rc == 0 && i < n; i++) {
		json_t *o;
		rc = is_placement_get(req->db, NULL, ids[i], p, err);
		if (rc == 0)
			rc = is_placement_json(req->db, req->who, p, &o, err);
		if (rc == 0)
			json_array_append_new(items, o);
	}
	return rc;
}

int is_api_place(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct is_place_req r;
	int64_t ids[IS_STAGES_MAX];
	int n = 0, rc = place_req(req->body, &r, err);
	json_t *items;

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = is_place(req->db, req->who, &r, ids, &n, err);
	rc = is_audit_end(req, rc, "placement.create", "placement", n ? ids[0] : 0,
			  json_deep_copy(req->body), err);
	if (rc < 0)
		return rc;
	items = json_array();
	rc = items_of(req, ids, n, items, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 201, json_pack("{s:o}", "items", items));
	return 0;
}

/* An id of the query string (0 when absent); *bad names the first that is not one. */
static int64_t query_id(struct fk_req *req, const char *name, const char **bad)
{
	const char *s = fk_req_query(req, name);
	int64_t id = 0;

	if (s && *s && !fk_id_parse(s, &id) && !*bad)
		*bad = name;
	return id;
}

static bool among(const char *s, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* The filters that name a state, a kind or a reason: one of theirs, else 400 naming it. */
static int query_words(const struct is_list_query *f, struct fk_err *err)
{
	static const char *const statuses[] = {"active", "overdue", "released", "cancelled", NULL};

	if (f->status && *f->status && !among(f->status, statuses))
		return fk_err_set(err, FK_EINVAL, "invalid_status", "status",
				  "status 须为 active、overdue、released 或 cancelled",
				  "status must be active, overdue, released or cancelled");
	if (f->kind && *f->kind && !is_kind_valid(f->kind))
		return fk_err_set(err, FK_EINVAL, "invalid_kind", "kind",
				  "kind 须为 centralised、home_isolation 或 home_monitoring",
				  "kind must be centralised, home_isolation or home_monitoring");
	if (f->reason && *f->reason && !is_reason_valid(f->reason))
		return fk_err_set(err, FK_EINVAL, "invalid_reason", "reason", "reason 无效",
				  "reason is not one of the reasons of a placement");
	return 0;
}

static int list_query(struct fk_req *req, struct is_list_query *f, struct fk_err *err)
{
	const char *bad = NULL;
	int64_t limit = 50;
	int rc = fk_req_query_int(req, "limit", 50, 1, LIST_MAX, &limit, err);

	*f = (struct is_list_query){.status = fk_req_query(req, "status"),
				    .kind = fk_req_query(req, "kind"),
				    .reason = fk_req_query(req, "reason"),
				    .facility_id = query_id(req, "facility_id", &bad),
				    .person_id = query_id(req, "person_id", &bad),
				    .after = query_id(req, "cursor", &bad),
				    .limit = (int)limit};
	if (rc == 0 && bad)
		rc = fk_err_set(err, FK_EINVAL, "invalid_id", bad, "%s 无效", "%s is not valid",
				bad);
	if (rc == 0)
		rc = query_words(f, err);
	return rc < 0 ? rc : fk_req_area_under(req, "area_id", &f->under, err);
}

static int reply_list(struct fk_resp *resp, json_t *items, int64_t next)
{
	char cursor[24] = "";

	if (next)
		snprintf(cursor, sizeof(cursor), "%lld", (long long)next);
	fk_resp_json(resp, 200,
		     json_pack("{s:o, s:o}", "items", items, "next_cursor",
			       next ? json_string(cursor) : json_null()));
	return 0;
}

int is_api_placement_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct is_list_query f;
	int64_t next = 0;
	json_t *items;
	int rc = list_query(req, &f, err);

	if (rc < 0)
		return rc;
	items = json_array();
	rc = is_placement_list(req->db, req->who, &f, items, &next, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	return reply_list(resp, items, next);
}

/* The placement of the path in the caller's scope. */
int is_path_placement(struct fk_req *req, struct is_placement *p, struct fk_err *err)
{
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	return rc < 0 ? rc : is_placement_get(req->db, req->who, id, p, err);
}

int is_reply_placement(struct fk_req *req, struct fk_resp *resp, const struct is_placement *p,
		       struct fk_err *err)
{
	json_t *o;
	int rc = is_placement_json(req->db, req->who, p, &o, err);

	if (rc == 0)
		fk_resp_json(resp, 200, o);
	return rc;
}

int is_api_placement_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct is_placement *p = fk_arena_alloc(req->arena, sizeof(*p));
	int rc = is_path_placement(req, p, err);

	return rc < 0 ? rc : is_reply_placement(req, resp, p, err);
}

/* GET /isolation/releases?day=: placements in scope whose end day is day (today). */
int is_api_releases(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *day = fk_req_query(req, "day");
	char today[IS_DAY];
	struct is_list_query f = {.limit = 1000};
	int64_t next = 0;
	json_t *items;
	int rc = fk_req_area_under(req, "area_id", &f.under, err);

	if (rc < 0)
		return rc;
	if (day && *day && !is_day_valid(day))
		return fk_err_set(err, FK_EINVAL, "invalid_day", "day", "day 须为 YYYY-MM-DD",
				  "day must be YYYY-MM-DD");
	is_day_today(today);
	f.end_day = day && *day ? day : today;
	items = json_array();
	rc = is_placement_list(req->db, req->who, &f, items, &next, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	return reply_list(resp, items, next);
}
