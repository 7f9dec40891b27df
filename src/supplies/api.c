/* api: the supplies module's handlers — places and items (audited writes), moves (keyed by
 * client_key through platform/keyed.h: a retried move is stored once), the move list, the
 * stock board and its alerts. */
#include <math.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/json.h"
#include "platform/keyed.h"
#include "supplies/internal.h"

const struct fk_field sp_body_place[] = {
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = SP_NAME_MAX * 4},
    {.name = "kind", .type = FK_J_STRING, .required = true, .max_len = 16},
    {.name = "ref_id", .type = FK_J_ID, .nullable = true},
    {.name = "area_id", .type = FK_J_ID, .required = true},
    FK_FIELDS_END,
};

const struct fk_field sp_body_item[] = {
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = SP_NAME_MAX * 4},
    {.name = "unit", .type = FK_J_STRING, .required = true, .max_len = SP_UNIT_MAX * 4},
    {.name = "category", .type = FK_J_STRING, .required = true, .max_len = 16},
    {.name = "low_at",
     .type = FK_J_NUMBER,
     .nullable = true,
     .min = 0,
     .max = SP_QTY_MAX,
     .range_key = "invalid_qty"},
    FK_FIELDS_END,
};

const struct fk_field sp_body_move[] = {
    {.name = "kind", .type = FK_J_STRING, .required = true, .max_len = 16},
    {.name = "place_id", .type = FK_J_ID, .required = true},
    {.name = "to_place_id", .type = FK_J_ID, .nullable = true},
    {.name = "item_id", .type = FK_J_ID, .required = true},
    {.name = "qty",
     .type = FK_J_NUMBER,
     .required = true,
     .min = 0,
     .max = SP_QTY_MAX,
     .range_key = "invalid_qty"},
    {.name = "lot", .type = FK_J_STRING, .nullable = true, .max_len = SP_LOT_MAX},
    {.name = "expiry", .type = FK_J_STRING, .nullable = true, .max_len = 10},
    {.name = "source", .type = FK_J_STRING, .nullable = true, .max_len = 16},
    {.name = "reason", .type = FK_J_STRING, .nullable = true, .max_len = 16},
    {.name = "note", .type = FK_J_STRING, .nullable = true, .max_len = SP_NOTE_MAX * 4},
    FK_KEYED_FIELD,
    FK_FIELDS_END,
};

/* ---- places and items ---- */

int sp_api_place_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct sp_place p;
	int rc = fk_audit_tx_begin(req, err);

	if (rc == 0)
		rc = sp_place_create(req->db, req->who, req->body, &p, err);
	struct fk_audit_entry e = {.action = "stock.place_create",
				   .target_kind = "stock_place",
				   .target_id = rc == 0 ? p.id : 0};

	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc < 0)
		return rc;
	fk_resp_json(resp, 201, sp_place_json(&p));
	return 0;
}

int sp_api_places(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *under = NULL;
	json_t *items = json_array();
	int rc = fk_req_area_under(req, "area_id", &under, err);

	if (rc == 0)
		rc = sp_place_list(req->db, req->who, under, items, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int sp_api_item_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct sp_item i;
	int rc = fk_audit_tx_begin(req, err);

	if (rc == 0)
		rc = sp_item_create(req->db, req->body, &i, err);
	struct fk_audit_entry e = {.action = "stock.item_create",
				   .target_kind = "stock_item",
				   .target_id = rc == 0 ? i.id : 0};

	rc = fk_audit_tx_end(req, rc, &e, err);
	if (rc < 0)
		return rc;
	fk_resp_json(resp, 201, sp_item_json(&i));
	return 0;
}

int sp_api_items(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	json_t *items = json_array();
	int rc = sp_item_list(req->db, items, err);

	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

/* ---- moves ---- */

static int move_parse(struct fk_req *req, void *ctx, struct fk_err *err)
{
	struct sp_move_req *m = ctx;
	json_t *b = req->body;

	m->kind = fk_json_str(b, "kind");
	m->place_id = fk_json_id(b, "place_id");
	m->to_place_id = fk_json_id(b, "to_place_id");
	m->item_id = fk_json_id(b, "item_id");
	m->qty = json_number_value(json_object_get(b, "qty"));
	m->lot = fk_json_str(b, "lot");
	m->expiry = fk_json_str(b, "expiry");
	m->source = fk_json_str(b, "source");
	m->reason = fk_json_str(b, "reason");
	m->note = fk_json_str(b, "note");
	return sp_move_check(m, err);
}

static int move_write(struct fk_req *req, void *ctx, int *status, json_t **reply,
		      struct fk_err *err)
{
	struct sp_move_req *m = ctx;
	json_t *moves = json_array();
	int rc = sp_move_run(req->db, req->who, m, fk_now_ms(), moves, err);

	if (rc == 0)
		rc = fk_audit_json(req, "stock.move", "stock_place", m->place_id,
				   json_pack("{s:s, s:o, s:f}", "kind", m->kind, "item_id",
					     fk_json_idv(m->item_id), "qty", m->qty),
				   err);
	if (rc < 0) {
		json_decref(moves);
		return rc;
	}
	*status = 201;
	*reply = json_pack("{s:o}", "moves", moves);
	if (json_array_size(moves) == 1)
		json_object_set(*reply, "move", json_array_get(moves, 0));
	return 0;
}

static const struct fk_keyed_op move_op = {
    .name = "stock.move", .parse = move_parse, .write = move_write};

int sp_api_move(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct sp_move_req *m = fk_arena_alloc(req->arena, sizeof(*m));

	memset(m, 0, sizeof(*m));
	return fk_keyed(req, resp, &move_op, m, err);
}

/* An optional id in the query string: 0 when absent; FK_EINVAL "invalid_id" naming it. */
static int query_id(struct fk_req *req, const char *name, int64_t *out, struct fk_err *err)
{
	const char *s = fk_req_query(req, name);

	*out = 0;
	if (!s || !*s || fk_id_parse(s, out))
		return 0;
	return fk_err_set(err, FK_EINVAL, "invalid_id", name, "%s 须为编号", "%s must be an id",
			  name, name);
}

int sp_api_moves(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t place_id, item_id, before, limit = 100, next = 0;
	json_t *items = json_array();
	int rc = query_id(req, "place_id", &place_id, err);

	if (rc == 0)
		rc = query_id(req, "item_id", &item_id, err);
	if (rc == 0)
		rc = query_id(req, "cursor", &before, err);
	if (rc == 0)
		rc = fk_req_query_int(req, "limit", 100, 1, 1000, &limit, err);
	if (rc == 0)
		rc = sp_move_list(req->db, req->who, place_id, item_id, before, (int)limit, items,
				  &next, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200,
		     json_pack("{s:o, s:o}", "items", items, "next_cursor", fk_json_idv(next)));
	return 0;
}

static int balance_query(struct fk_req *req, struct sp_balance_query *q, struct fk_err *err)
{
	int rc = query_id(req, "place_id", &q->place_id, err);

	if (rc == 0)
		rc = query_id(req, "item_id", &q->item_id, err);
	if (rc == 0)
		rc = fk_req_area_under(req, "area_id", &q->under, err);
	q->now = fk_now_ms();
	return rc;
}

static int board(struct fk_req *req, struct fk_resp *resp, bool low_only, struct fk_err *err)
{
	struct sp_balance_query q = {.low_only = low_only};
	json_t *items = json_array();
	int rc = balance_query(req, &q, err);

	if (rc == 0)
		rc = sp_balances(req->db, req->who, &q, items, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(
	    resp, 200,
	    json_pack("{s:o, s:I}", "items", items, "low_days", (json_int_t)sp_low_days(req->db)));
	return 0;
}

int sp_api_balances(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return board(req, resp, false, err);
}

int sp_api_alerts(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return board(req, resp, true, err);
}
