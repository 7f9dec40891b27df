/* api_tube: the HTTP handlers of registration — open a tube, scan people in (by sampling code
 * or ID number), undo, close, void, add a visitor at the desk, read a tube. Writes a phone
 * may retry carry a client_key and go through fk_keyed. The lab reads tubes too, but
 * never their people. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/mask.h"
#include "base/norm.h"
#include "tubes/internal.h"

const struct fk_field tb_body_tube_open[] = {
    {.name = "code", .type = FK_J_STRING, .required = true, .max_len = 64},
    {.name = "site_id", .type = FK_J_ID, .required = true},
    FK_KEYED_FIELD,
    FK_FIELDS_END,
};

const struct fk_field tb_body_scan[] = {
    {.name = "person_code", .type = FK_J_STRING, .nullable = true, .max_len = 128},
    {.name = "id_number", .type = FK_J_STRING, .nullable = true, .max_len = FK_NORM_TYPED_MAX},
    FK_KEYED_FIELD,
    FK_FIELDS_END,
};

const struct fk_field tb_body_visitor[] = {
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = FK_PERSON_NAME_MAX * 4},
    {.name = "id_type", .type = FK_J_STRING, .nullable = true, .max_len = 64},
    {.name = "id_number", .type = FK_J_STRING, .required = true, .max_len = FK_NORM_TYPED_MAX},
    {.name = "phone", .type = FK_J_STRING, .nullable = true, .max_len = FK_NORM_TYPED_MAX},
    {.name = "household",
     .type = FK_J_STRING,
     .nullable = true,
     .max_len = FK_PERSON_HOUSEHOLD_MAX * 4},
    {.name = "area_id", .type = FK_J_ID, .nullable = true},
    FK_KEYED_FIELD,
    FK_FIELDS_END,
};

static json_t *opt_text(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/* Keys are literals; the code (checked when the tube was opened) and the status are ASCII. */
json_t *tb_tube_json(const struct tb_tube *t)
{
	json_t *o = json_object();

	json_object_set_new_nocheck(o, "id", fk_json_idv(t->id));
	json_object_set_new_nocheck(o, "code", json_string_nocheck(t->code));
	json_object_set_new_nocheck(o, "round_id", fk_json_idv(t->round_id));
	json_object_set_new_nocheck(o, "site_id", fk_json_idv(t->site_id));
	json_object_set_new_nocheck(o, "site_name", fk_json_strv(t->site_name));
	json_object_set_new_nocheck(o, "status", json_string_nocheck(t->status));
	json_object_set_new_nocheck(o, "capacity", json_integer(t->capacity));
	json_object_set_new_nocheck(o, "n", json_integer(t->n));
	json_object_set_new_nocheck(o, "result", opt_text(t->result));
	json_object_set_new_nocheck(o, "box_code", opt_text(t->box_code));
	json_object_set_new_nocheck(o, "opened_at", fk_json_timev(t->opened_at));
	json_object_set_new_nocheck(o, "closed_at", fk_json_timev(t->closed_at));
	json_object_set_new_nocheck(o, "boxed_at", fk_json_timev(t->boxed_at));
	json_object_set_new_nocheck(o, "received_at", fk_json_timev(t->received_at));
	json_object_set_new_nocheck(o, "resulted_at", fk_json_timev(t->resulted_at));
	json_object_set_new_nocheck(o, "voided_at", fk_json_timev(t->voided_at));
	return o;
}

const char *tb_shown_id(const struct fk_principal *who, const char *id, char *buf, size_t size)
{
	return who->see_id ? id : fk_mask_id(id, buf, size);
}

static json_t *person_json(const struct fk_principal *who, const struct tb_person *p)
{
	char masked[48];

	return json_pack("{s:o, s:s, s:s, s:o}", "id", fk_json_idv(p->id), "name", p->name,
			 "id_number", tb_shown_id(who, p->id_number, masked, sizeof(masked)),
			 "area_id", fk_json_idv(p->area_id));
}

/* ---- open ---- */

/* tubes.opened, in the open's transaction: what listeners write lands with the tube. */
static int opened_signal(struct fk_req *req, const struct tb_tube *t, struct fk_err *err)
{
	json_t *payload = json_pack("{s:o, s:o}", "site_id", fk_json_idv(t->site_id), "tube_id",
				    fk_json_idv(t->id));
	int rc = fk_signal(req->app, req->db, FK_SIGNAL_TUBE_OPENED, payload, err);

	json_decref(payload);
	return rc;
}

static int open_fn(struct fk_req *req, void *ctx, int *status, json_t **reply, struct fk_err *err)
{
	struct tb_tube t;
	bool created;
	int rc = tb_tube_open(req->db, req->who, *(int64_t *)ctx, fk_json_id(req->body, "site_id"),
			      fk_json_str(req->body, "code"), &t, &created, err);

	if (rc == 0 && created)
		rc = opened_signal(req, &t, err);
	if (rc < 0)
		return rc;
	*status = created ? 201 : 200;
	*reply = tb_tube_json(&t);
	return 0;
}

static const struct fk_keyed_op open_op = {.name = "tube.open", .write = open_fn};

int tb_api_tube_open(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t *round_id = fk_arena_alloc(req->arena, sizeof(*round_id));
	int rc = fk_req_param_id(req, "id", round_id, err);

	if (rc < 0)
		return rc;
	return fk_keyed(req, resp, &open_op, round_id, err);
}

/* ---- scans ---- */

struct scan_ctx {
	const char *code;
	int64_t person_id; /* from a sampling code; 0 when named by id_number */
	const char *id_number;
	struct tb_person p;
	struct tb_tube t;
	bool visitor_created;
};

static json_t *scan_reply(const struct fk_principal *who, const struct tb_tube *t,
			  const struct tb_person *p)
{
	return json_pack("{s:o, s:o, s:b}", "tube", tb_tube_json(t), "person", person_json(who, p),
			 "closed", strcmp(t->status, "closed") == 0);
}

/* On the request's thread: who the body names, one way or the other; a sampling code's HMAC
 * checked here, off the writer. */
static int scan_parse(struct fk_req *req, void *ctx, struct fk_err *err)
{
	struct scan_ctx *c = ctx;
	const char *person_code = fk_json_str(req->body, "person_code");

	c->id_number = fk_json_str(req->body, "id_number");
	if (!person_code == !c->id_number)
		return fk_err_set(err, FK_EINVAL, "person_required", "person_code",
				  "请给出 person_code（采样码）或 id_number（证件号码）之一",
				  "give one of person_code (sampling code) or id_number");
	return person_code
		   ? tb_person_code_parse(req->db, fk_module_state(req->app, &fk_module_tubes),
					  person_code, &c->person_id, err)
		   : 0;
}

/* Before the write (reads only): who is being scanned, and whether the tube takes them. */
static int scan_prep(struct fk_req *req, void *ctx, struct fk_err *err)
{
	struct scan_ctx *c = ctx;
	int rc = c->person_id ? tb_person_get(req->db, req->who, c->person_id, &c->p, err)
			      : tb_person_by_number(req->db, req->who, c->id_number, &c->p, err);

	return rc < 0 ? rc : tb_scan_check(req->db, req->who, c->code, &c->t, err);
}

/* A refusal about the person ("already_in_tube", "single_tube_required") names the field the person
 * was given by. */
static int about_person(struct fk_req *req, int rc, struct fk_err *err)
{
	if ((rc == FK_ECONFLICT || strcmp(err->key, "single_tube_required") == 0) && !err->field[0])
		snprintf(err->field, sizeof(err->field), "%s",
			 fk_json_str(req->body, "person_code") ? "person_code" : "id_number");
	return rc;
}

static int scan_fn(struct fk_req *req, void *ctx, int *status, json_t **reply, struct fk_err *err)
{
	struct scan_ctx *c = ctx;
	int rc = tb_scan_write(req->app, req->db, req->who, &c->t, &c->p, err);

	if (rc < 0)
		return about_person(req, rc, err);
	*status = 201;
	*reply = scan_reply(req->who, &c->t, &c->p);
	return 0;
}

/* The coverage screens hear of the new sample. */
static void scan_committed(struct fk_req *req, void *ctx)
{
	struct scan_ctx *c = ctx;

	(void)req;
	fk_testing_coverage_moved(c->t.round_id, c->t.site_path);
}

static const struct fk_keyed_op scan_op = {.name = "tube.scan",
					   .parse = scan_parse,
					   .prep = scan_prep,
					   .write = scan_fn,
					   .committed = scan_committed};

int tb_api_scan(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct scan_ctx *c = fk_arena_alloc(req->arena, sizeof(*c));

	*c = (struct scan_ctx){.code = fk_req_param(req, "code")};
	return fk_keyed(req, resp, &scan_op, c, err);
}

int tb_api_scan_undo(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_tx tx;
	int64_t person_id;
	const char *code = fk_req_param(req, "code");
	struct tb_tube t;
	int rc = fk_req_param_id(req, "person_id", &person_id, err);

	if (rc == 0)
		rc = fk_tx_begin(req->db, &tx, err);
	if (rc < 0)
		return rc;
	rc = tb_scan_undo(req->db, req->who, code, person_id, &t, err);
	if (rc == 0)
		rc = fk_audit_json(req, "testing.scan_undo", "person", person_id,
				   json_pack("{s:s}", "tube", code), err);
	rc = fk_tx_end(req->db, &tx, rc, err);
	if (rc == 0) {
		fk_testing_coverage_moved(t.round_id, t.site_path);
		fk_resp_json(resp, 200, tb_tube_json(&t));
	}
	return rc;
}

/* ---- close and void ---- */

typedef int (*tube_op)(struct fk_db *db, const struct fk_principal *who, const char *code,
		       struct tb_tube *out, struct fk_err *err);

static int tube_write(struct fk_req *req, struct fk_resp *resp, tube_op op, const char *action,
		      struct fk_err *err)
{
	struct fk_tx tx;
	struct fk_audit_entry e = {.action = action, .target_kind = "tube"};
	struct tb_tube t = {0};
	int rc = fk_tx_begin(req->db, &tx, err);

	if (rc < 0)
		return rc;
	rc = op(req->db, req->who, fk_req_param(req, "code"), &t, err);
	e.target_id = t.id;
	if (rc == 0 && action)
		rc = fk_audit(req, &e, err);
	rc = fk_tx_end(req->db, &tx, rc, err);
	if (rc == 0) {
		fk_testing_coverage_moved(t.round_id, t.site_path);
		fk_resp_json(resp, 200, tb_tube_json(&t));
	}
	return rc;
}

int tb_api_tube_close(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return tube_write(req, resp, tb_tube_close, NULL, err);
}

int tb_api_tube_void(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return tube_write(req, resp, tb_tube_void, "testing.tube_void", err);
}

/* ---- visitors ---- */

static int visitor_fn(struct fk_req *req, void *ctx, int *status, json_t **reply,
		      struct fk_err *err)
{
	struct scan_ctx *c = ctx;
	struct tb_visitor v = {
	    .name = fk_json_str(req->body, "name"),
	    .id_type = fk_json_str(req->body, "id_type"),
	    .id_number = fk_json_str(req->body, "id_number"),
	    .phone = fk_json_str(req->body, "phone"),
	    .household = fk_json_str(req->body, "household"),
	    .area_id = fk_json_id(req->body, "area_id"),
	};
	int rc =
	    tb_visitor_register(req->db, req->who, c->code, &v, &c->p, &c->visitor_created, err);

	if (rc == 0)
		rc = fk_audit_json(
		    req, "testing.visitor", "person", c->p.id,
		    json_pack("{s:s, s:b}", "tube", c->code, "created", c->visitor_created), err);
	if (rc == 0)
		rc = tb_scan_check(req->db, req->who, c->code, &c->t, err);
	if (rc == 0)
		rc = scan_fn(req, ctx, status, reply, err);
	if (rc == 0)
		json_object_set_new(*reply, "visitor_created", json_boolean(c->visitor_created));
	return rc;
}

static const struct fk_keyed_op visitor_op = {
    .name = "tube.visitor", .write = visitor_fn, .committed = scan_committed};

int tb_api_visitor(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct scan_ctx *c = fk_arena_alloc(req->arena, sizeof(*c));

	*c = (struct scan_ctx){.code = fk_req_param(req, "code")};
	return fk_keyed(req, resp, &visitor_op, c, err);
}

/* ---- reading ---- */

static json_t *samples_json(const struct fk_principal *who, const struct tb_sample *s, int n)
{
	json_t *a = json_array();
	char masked[48];

	for (int i = 0; i < n; i++)
		json_array_append_new(
		    a,
		    json_pack("{s:o, s:o, s:o, s:o, s:o, s:b}", "person_id",
			      fk_json_idv(s[i].person_id), "name", opt_text(s[i].name), "id_number",
			      s[i].id_number[0] ? json_string(tb_shown_id(who, s[i].id_number,
									  masked, sizeof(masked)))
						: json_null(),
			      "scanned_at", fk_json_timev(s[i].scanned_at), "result",
			      opt_text(s[i].result), "voided", s[i].voided));
	return a;
}

int tb_api_tube_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *code = fk_req_param(req, "code");
	struct tb_sample *s = NULL;
	struct tb_tube t;
	json_t *o;
	int n = 0;
	int rc = tb_code_check(code, "code", err);

	if (rc == 0)
		rc = tb_tube_read(req->db, req->who, code, &t, err);
	if (rc == 0)
		rc = tb_site_access(req->who, t.bound, t.site_path);
	if (rc == FK_ENOTFOUND)
		rc = tb_unknown_tube(code, "code", err);
	/* The lab works with tube codes only: no people, not even their ids. */
	if (rc == 0 && req->who->role != FK_ROLE_LAB)
		rc = tb_tube_samples(req->db, req->who, t.id, &s, &n, err);
	if (rc < 0)
		return rc;
	o = tb_tube_json(&t);
	if (req->who->role != FK_ROLE_LAB)
		json_object_set_new(o, "samples", samples_json(req->who, s, n));
	free(s);
	fk_resp_json(resp, 200, o);
	return 0;
}
