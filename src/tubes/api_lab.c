/* api_lab: the HTTP handlers of transport and the lab — boxes and their chain of custody,
 * results one by one (keyed, so a retry never doubles) and from a plate file, and the
 * single-tube retests of positive pools. Whatever the lab reads carries tube and box codes,
 * never names or person ids. A committed result or retest pulses the round's coverage. */
#include <stdlib.h>
#include <string.h>
#include "base/id.h"
#include "tubes/internal.h"

const struct fk_field tb_body_box[] = {
    {.name = "code", .type = FK_J_STRING, .required = true, .max_len = 64},
    {.name = "round_id", .type = FK_J_ID, .required = true},
    {.name = "site_id", .type = FK_J_ID, .required = true},
    FK_FIELDS_END,
};

const struct fk_field tb_body_box_tube[] = {
    {.name = "tube_code", .type = FK_J_STRING, .required = true, .max_len = 64},
    FK_FIELDS_END,
};

const struct fk_field tb_body_handover[] = {
    {.name = "to", .type = FK_J_STRING, .required = true, .max_len = 200},
    FK_FIELDS_END,
};

const struct fk_field tb_body_result[] = {
    {.name = "result", .type = FK_J_STRING, .required = true, .max_len = 32},
    FK_KEYED_FIELD,
    FK_FIELDS_END,
};

const struct fk_field tb_body_retest_result[] = {
    {.name = "result", .type = FK_J_STRING, .required = true, .max_len = 32},
    FK_FIELDS_END,
};

/* ---- boxes ---- */

static json_t *box_json(const struct tb_box *b)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", fk_json_idv(b->id));
	json_object_set_new(o, "code", json_string(b->code));
	json_object_set_new(o, "round_id", fk_json_idv(b->round_id));
	json_object_set_new(o, "site_id", fk_json_idv(b->site_id));
	json_object_set_new(o, "status", json_string(b->status));
	json_object_set_new(o, "tubes_count", json_integer(b->n));
	json_object_set_new(o, "created_at", fk_json_timev(b->created_at));
	json_object_set_new(o, "created_by", fk_json_idv(b->created_by));
	json_object_set_new(o, "sealed_at", fk_json_timev(b->sealed_at));
	json_object_set_new(o, "sealed_by", fk_json_idv(b->sealed_by));
	json_object_set_new(o, "handed_at", fk_json_timev(b->handed_at));
	json_object_set_new(o, "handed_by", fk_json_idv(b->handed_by));
	json_object_set_new(o, "handed_to",
			    b->handed_to[0] ? json_string(b->handed_to) : json_null());
	json_object_set_new(o, "received_at", fk_json_timev(b->received_at));
	json_object_set_new(o, "received_by", fk_json_idv(b->received_by));
	return o;
}

/* The box with its tubes' codes and states. */
static int box_full(struct fk_req *req, const struct tb_box *b, json_t **out, struct fk_err *err)
{
	struct tb_box_tube *t = NULL;
	json_t *tubes;
	int n, rc = tb_box_tubes(req->db, b->id, &t, &n, err);

	if (rc < 0)
		return rc;
	tubes = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
		    tubes,
		    json_pack("{s:s, s:s, s:o, s:i}", "code", t[i].code, "status", t[i].status,
			      "result", t[i].result[0] ? json_string(t[i].result) : json_null(),
			      "n", t[i].n));
	free(t);
	*out = box_json(b);
	json_object_set_new(*out, "tubes", tubes);
	return 0;
}

int tb_api_box_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_tx tx;
	struct tb_box b = {0};
	bool created = false;
	json_t *o = NULL;
	int rc = fk_tx_begin(req->db, &tx, err);

	if (rc < 0)
		return rc;
	rc = tb_box_create(req->db, req->who, fk_json_str(req->body, "code"),
			   fk_json_id(req->body, "round_id"), fk_json_id(req->body, "site_id"), &b,
			   &created, err);
	if (rc == 0)
		rc = box_full(req, &b, &o, err);
	rc = fk_tx_end(req->db, &tx, rc, err);
	if (rc == 0)
		fk_resp_json(resp, created ? 201 : 200, o);
	else
		json_decref(o);
	return rc;
}

int tb_api_box_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct tb_box b;
	json_t *o;
	int rc = tb_box_get(req->db, req->who, fk_req_param(req, "code"), &b, err);

	if (rc == 0)
		rc = box_full(req, &b, &o, err);
	if (rc == 0)
		fk_resp_json(resp, 200, o);
	return rc;
}

int tb_api_box_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	static const char *const states[] = {"open", "sealed", "handed", "received", NULL};
	const char *rs = fk_req_query(req, "round_id"), *status = fk_req_query(req, "status");
	struct tb_box *b = NULL;
	int64_t round_id = 0, limit;
	json_t *items;
	int n = 0, rc = fk_req_query_int(req, "limit", 100, 1, 1000, &limit, err);
	bool known = !status || !*status;

	for (int i = 0; !known && states[i]; i++)
		known = strcmp(status, states[i]) == 0;
	if (rc == 0 && rs && *rs && !fk_id_parse(rs, &round_id))
		rc = fk_err_set(err, FK_EINVAL, "invalid_id", "round_id", "round_id 无效",
				"round_id is not a valid id");
	if (rc == 0 && !known)
		rc = fk_err_set(err, FK_EINVAL, "invalid_status", "status",
				"status 应为 open、sealed、handed 或 received",
				"status must be open, sealed, handed or received");
	if (rc == 0)
		rc = tb_box_list(req->db, req->who, round_id, status, (int)limit, &b, &n, err);
	if (rc < 0)
		return rc;
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, box_json(&b[i]));
	free(b);
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

/* A box write in one transaction, audited as action, answered with the box and its tubes. */
static int box_write(struct fk_req *req, struct fk_resp *resp, const char *action, const char *arg,
		     int (*op)(struct fk_db *, const struct fk_principal *, const char *,
			       const char *, struct tb_box *, struct fk_err *),
		     struct fk_err *err)
{
	struct fk_tx tx;
	struct tb_box b = {0};
	json_t *o = NULL;
	int rc = fk_tx_begin(req->db, &tx, err);

	if (rc < 0)
		return rc;
	rc = op(req->db, req->who, fk_req_param(req, "code"), arg, &b, err);
	if (rc == 0)
		rc = fk_audit_json(req, action, "box", b.id,
				   arg ? json_pack("{s:s}", "arg", arg) : NULL, err);
	if (rc == 0)
		rc = box_full(req, &b, &o, err);
	rc = fk_tx_end(req->db, &tx, rc, err);
	if (rc == 0)
		fk_resp_json(resp, 200, o);
	else
		json_decref(o);
	return rc;
}

static int op_add(struct fk_db *db, const struct fk_principal *who, const char *code,
		  const char *arg, struct tb_box *b, struct fk_err *err)
{
	return tb_box_add(db, who, code, arg, b, err);
}

static int op_seal(struct fk_db *db, const struct fk_principal *who, const char *code,
		   const char *arg, struct tb_box *b, struct fk_err *err)
{
	(void)arg;
	return tb_box_seal(db, who, code, b, err);
}

static int op_handover(struct fk_db *db, const struct fk_principal *who, const char *code,
		       const char *arg, struct tb_box *b, struct fk_err *err)
{
	return tb_box_handover(db, who, code, arg, b, err);
}

static int op_receive(struct fk_db *db, const struct fk_principal *who, const char *code,
		      const char *arg, struct tb_box *b, struct fk_err *err)
{
	(void)arg;
	return tb_box_receive(db, who, code, b, err);
}

int tb_api_box_add(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return box_write(req, resp, "testing.box_add", fk_json_str(req->body, "tube_code"), op_add,
			 err);
}

int tb_api_box_seal(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return box_write(req, resp, "testing.box_seal", NULL, op_seal, err);
}

int tb_api_box_handover(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return box_write(req, resp, "testing.box_handover", fk_json_str(req->body, "to"),
			 op_handover, err);
}

int tb_api_box_receive(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return box_write(req, resp, "testing.box_receive", NULL, op_receive, err);
}

/* ---- results ---- */

struct result_ctx {
	const char *code;
	struct tb_tube t; /* zero unless the result was applied now (not replayed) */
};

static int result_fn(struct fk_req *req, void *ctx, int *status, json_t **reply, struct fk_err *err)
{
	struct result_ctx *c = ctx;
	enum tb_outcome outcome;
	int rc = tb_result_apply(req->app, req->db, req->who, 0, c->code,
				 fk_json_str(req->body, "result"), &c->t, &outcome, err);

	if (rc < 0)
		return rc;
	*status = 200;
	*reply = tb_tube_json(&c->t);
	json_object_set_new(*reply, "changed", json_boolean(outcome == TB_APPLIED));
	return 0;
}

static void result_committed(struct fk_req *req, void *ctx)
{
	struct result_ctx *c = ctx;

	(void)req;
	fk_testing_coverage_moved(c->t.round_id, c->t.site_path);
}

static const struct fk_keyed_op result_op = {
    .name = "tube.result", .write = result_fn, .committed = result_committed};

int tb_api_result(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct result_ctx *c = fk_arena_alloc(req->arena, sizeof(*c));

	c->code = fk_req_param(req, "code");
	return fk_keyed(req, resp, &result_op, c, err);
}

int tb_api_plate(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "testing.plate", .target_kind = "round"};
	struct fk_import_report rep;
	struct fk_round r;
	json_t *o;
	int rc = fk_req_param_id(req, "id", &e.target_id, err);

	/* A round out of the lab's scope reads as one that does not exist. */
	if (rc == 0)
		rc = fk_round_get_visible(req->db, req->who, e.target_id, &r, err);
	if (rc < 0)
		return rc;
	fk_report_init(&rep);
	rc = tb_plate_apply(req->app, req->db, req->who, r.id, req->raw_body, req->raw_len, &rep,
			    err);
	e.detail = json_pack("{s:I, s:I, s:I, s:I, s:s}", "total", (json_int_t)rep.total, "applied",
			     (json_int_t)rep.created, "unchanged", (json_int_t)rep.unchanged,
			     "failed", (json_int_t)rep.failed, "result", rc == 0 ? "ok" : err->key);
	if (fk_audit(req, &e, rc == 0 ? err : NULL) < 0 && rc == 0)
		rc = err->code;
	if (rc == 0 && rep.created > 0)
		fk_testing_coverage_moved(r.id, NULL);
	if (rc == 0) {
		o = fk_report_to_json(&rep, req->lang);
		json_object_set_new(o, "applied", json_integer(rep.created));
		fk_resp_json(resp, 200, o);
	}
	fk_report_release(&rep);
	return rc;
}

/* ---- retests ---- */

static json_t *retest_json(const struct fk_principal *who, const struct tb_retest *r)
{
	char masked[48];
	json_t *o =
	    json_pack("{s:o, s:o, s:s, s:s, s:o, s:o, s:o}", "id", fk_json_idv(r->id), "round_id",
		      fk_json_idv(r->round_id), "status", r->status, "tube_code", r->tube_code,
		      "created_at", fk_json_timev(r->created_at), "sampled_at",
		      fk_json_timev(r->sampled_at), "settled_at", fk_json_timev(r->settled_at));

	if (who->role == FK_ROLE_LAB)
		return o;
	json_object_set_new(o, "person_id", fk_json_idv(r->person_id));
	json_object_set_new(o, "name", fk_json_strv(r->person_name));
	json_object_set_new(o, "id_number",
			    json_string(tb_shown_id(who, r->id_number, masked, sizeof(masked))));
	json_object_set_new(o, "building_id", fk_json_idv(r->building_id));
	json_object_set_new(o, "area_path", json_string(r->area_path));
	return o;
}

int tb_api_retests(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_audit_entry e = {.action = "testing.retests", .target_kind = "round"};
	const char *as = fk_req_query(req, "area_id");
	struct tb_retest *r = NULL;
	struct fk_round round;
	int64_t area_id = 0, limit;
	json_t *items;
	int n = 0, rc = fk_req_param_id(req, "id", &e.target_id, err);

	/* A round out of scope reads as one that does not exist. */
	if (rc == 0)
		rc = fk_round_get_visible(req->db, req->who, e.target_id, &round, err);
	if (rc == 0)
		rc = fk_req_query_int(req, "limit", 200, 1, 1000, &limit, err);
	if (rc == 0 && as && *as && !fk_id_parse(as, &area_id))
		rc = fk_err_set(err, FK_EINVAL, "invalid_id", "area_id", "area_id 无效",
				"area_id is not a valid id");
	if (rc == 0)
		rc = tb_retest_list(req->db, req->who, e.target_id, area_id, (int)limit, &r, &n,
				    err);
	if (rc == 0)
		rc = fk_audit(req, &e, err);
	if (rc < 0) {
		free(r);
		return rc;
	}
	items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, retest_json(req->who, &r[i]));
	free(r);
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int tb_api_retest_result(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_tx tx;
	const char *result = fk_json_str(req->body, "result");
	struct tb_retest r;
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = fk_tx_begin(req->db, &tx, err);
	if (rc < 0)
		return rc;
	rc = tb_retest_result(req->app, req->db, req->who, id, result, &r, err);
	if (rc == 0)
		rc = fk_audit_json(req, "testing.retest_result", "retest", id,
				   json_pack("{s:s}", "result", result), err);
	rc = fk_tx_end(req->db, &tx, rc, err);
	if (rc == 0)
		fk_testing_coverage_moved(r.round_id, r.area_path);
	if (rc == 0)
		fk_resp_json(resp, 200, retest_json(req->who, &r));
	return rc;
}
