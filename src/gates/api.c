/* api: the HTTP handlers of /api/v1/checkpoints (create, list, read, change, duty staff) and
 * /api/v1/fever-referrals (list, read, and the steps to their close). Writes run in one
 * transaction with their audit row. */
#include <stdio.h>
#include <string.h>
#include "base/utf8.h"
#include "gates/internal.h"

#define STAFF_MAX     100 /* bound to one checkpoint */
#define REFERRALS_MAX 500

const struct fk_field gt_body_checkpoint_create[] = {
    {.name = "area_id", .type = FK_J_ID, .required = true},
    {.name = "code", .type = FK_J_STRING, .required = true, .max_len = 64},
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = FK_AREA_NAME_MAX * 4},
    {.name = "kind", .type = FK_J_STRING, .nullable = true, .max_len = 16},
    {.name = "active", .type = FK_J_BOOL, .nullable = true},
    FK_FIELDS_END,
};

const struct fk_field gt_body_checkpoint_update[] = {
    {.name = "area_id", .type = FK_J_ID},
    {.name = "code", .type = FK_J_STRING, .max_len = 64},
    {.name = "name", .type = FK_J_STRING, .max_len = FK_AREA_NAME_MAX * 4},
    {.name = "kind", .type = FK_J_STRING, .max_len = 16},
    {.name = "active", .type = FK_J_BOOL},
    FK_FIELDS_END,
};

/* Exactly one of the two, checked by the handler. */
const struct fk_field gt_body_staff[] = {
    {.name = "user_ids", .type = FK_J_IDS, .max_len = STAFF_MAX},
    {.name = "usernames", .type = FK_J_STRINGS, .max_len = STAFF_MAX},
    FK_FIELDS_END,
};

const struct fk_field gt_body_send[] = {
    {.name = "clinic", .type = FK_J_STRING, .required = true, .max_len = GT_TEXT_MAX * 4},
    FK_FIELDS_END,
};
const struct fk_field gt_body_result[] = {
    {.name = "result", .type = FK_J_STRING, .required = true, .max_len = GT_TEXT_MAX * 4},
    FK_FIELDS_END,
};
const struct fk_field gt_body_close[] = {
    {.name = "note", .type = FK_J_STRING, .required = true, .max_len = GT_TEXT_MAX * 4},
    FK_FIELDS_END,
};

/* ---- checkpoints ---- */

static void copy_str(json_t *b, const char *name, char *dst, size_t size)
{
	const char *s = fk_json_str(b, name);

	if (s)
		fk_copy_text(dst, size, s);
}

static void body_checkpoint(json_t *b, struct gt_checkpoint *c)
{
	if (fk_json_has(b, "area_id"))
		c->area_id = fk_json_id(b, "area_id");
	copy_str(b, "code", c->code, sizeof(c->code));
	copy_str(b, "name", c->name, sizeof(c->name));
	copy_str(b, "kind", c->kind, sizeof(c->kind));
	if (json_is_boolean(json_object_get(b, "active")))
		c->active = json_is_true(json_object_get(b, "active"));
}

static int reply_checkpoint(struct fk_req *req, struct fk_resp *resp, int status,
			    const struct gt_checkpoint *c, struct fk_err *err)
{
	json_t *o;
	int rc = gt_checkpoint_json(req->db, c, &o, err);

	if (rc == 0)
		fk_resp_json(resp, status, o);
	return rc;
}

static int audit_end(struct fk_req *req, int rc, const char *action, const struct gt_checkpoint *c,
		     json_t *more, struct fk_err *err)
{
	struct fk_audit_entry e = {
	    .action = action, .target_kind = "checkpoint", .target_id = c->id};

	e.detail = json_pack("{s:s, s:s}", "code", c->code, "name", c->name);
	if (more)
		json_object_update_new(e.detail, more);
	return fk_audit_tx_end(req, rc, &e, err);
}

int gt_api_checkpoint_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct gt_checkpoint *c = fk_arena_alloc(req->arena, sizeof(*c));
	int rc;

	*c = (struct gt_checkpoint){.kind = "gate", .active = true};
	body_checkpoint(req->body, c);
	rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = gt_checkpoint_save(req->db, req->who, c, true, err);
	rc = audit_end(req, rc, "checkpoint.create", c, NULL, err);
	return rc < 0 ? rc : reply_checkpoint(req, resp, 201, c, err);
}

static int path_checkpoint(struct fk_req *req, struct gt_checkpoint *c, struct fk_err *err)
{
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	return rc < 0 ? rc : gt_checkpoint_get(req->db, req->who, id, c, err);
}

int gt_api_checkpoint_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct gt_checkpoint *c = fk_arena_alloc(req->arena, sizeof(*c));
	int rc = path_checkpoint(req, c, err);

	return rc < 0 ? rc : reply_checkpoint(req, resp, 200, c, err);
}

int gt_api_checkpoint_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	json_t *items = json_array();
	int rc = gt_checkpoint_list(req->db, req->who, items, err);

	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int gt_api_checkpoint_update(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct gt_checkpoint *c = fk_arena_alloc(req->arena, sizeof(*c));
	int rc = fk_audit_tx_begin(req, err);

	if (rc < 0)
		return rc;
	rc = path_checkpoint(req, c, err);
	if (rc == 0) {
		body_checkpoint(req->body, c);
		rc = gt_checkpoint_save(req->db, req->who, c, false, err);
	}
	rc = audit_end(req, rc, "checkpoint.update", c, NULL, err);
	return rc < 0 ? rc : reply_checkpoint(req, resp, 200, c, err);
}

/* The staff of the body: user_ids or usernames, never both nor neither. */
static int staff_pick(struct fk_req *req, struct gt_staff_pick *p, struct fk_err *err)
{
	bool by_id = fk_json_has(req->body, "user_ids");
	json_t *a = json_object_get(req->body, by_id ? "user_ids" : "usernames"), *v;
	size_t i;

	if (by_id == fk_json_has(req->body, "usernames"))
		return fk_err_set(err, FK_EUNPROC, "missing_usernames", "usernames",
				  "请给出 usernames 或 user_ids 之一",
				  "give either usernames or user_ids");
	*p = (struct gt_staff_pick){.field = by_id ? "user_ids" : "usernames", .who = req->who};
	p->n = (int)json_array_size(a);
	if (by_id) {
		int64_t *ids = fk_arena_alloc(req->arena, sizeof(*ids) * (size_t)(p->n + 1));
		json_array_foreach(a, i, v) ids[i] = fk_json_id_value(v);
		p->ids = ids;
	} else {
		const char **names =
		    fk_arena_alloc(req->arena, sizeof(*names) * (size_t)(p->n + 1));
		json_array_foreach(a, i, v) names[i] = json_string_value(v);
		p->names = names;
	}
	return 0;
}

int gt_api_staff(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct gt_checkpoint *c = fk_arena_alloc(req->arena, sizeof(*c));
	struct gt_staff_pick p;
	int rc = staff_pick(req, &p, err);

	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = path_checkpoint(req, c, err);
	if (rc == 0)
		rc = gt_staff_set(req->db, c, &p, err);
	rc = audit_end(req, rc, "checkpoint.staff", c,
		       json_pack("{s:O}", p.field, json_object_get(req->body, p.field)), err);
	return rc < 0 ? rc : reply_checkpoint(req, resp, 200, c, err);
}

/* ---- fever referrals ---- */

int gt_api_referral_list(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *status = fk_req_query(req, "status");
	json_t *items;
	int64_t limit;
	int rc = fk_req_query_int(req, "limit", 100, 1, REFERRALS_MAX, &limit, err);

	if (rc < 0)
		return rc;
	if (status && !*status)
		status = NULL;
	if (status && strcmp(status, "open") != 0 && strcmp(status, "sent") != 0 &&
	    strcmp(status, "resulted") != 0 && strcmp(status, "closed") != 0)
		return fk_err_set(err, FK_EINVAL, "invalid_status", "status",
				  "status 须为 open、sent、resulted 或 closed",
				  "status must be open, sent, resulted or closed");
	items = json_array();
	rc = gt_referral_list(req->db, req->who, status, (int)limit, items, err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

int gt_api_referral_get(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t id;
	json_t *o;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = gt_referral_get(req->db, req->who, id, &o, err);
	if (rc == 0)
		fk_resp_json(resp, 200, o);
	return rc;
}

/* One step of a referral, its text from the body member field (not blank). */
static int referral_step(struct fk_req *req, struct fk_resp *resp, const char *step,
			 const char *field, struct fk_err *err)
{
	const char *text = fk_json_str(req->body, field);
	char action[32];
	int64_t id;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0 && (!text || fk_utf8_chars(text) == 0 || fk_utf8_chars(text) > GT_TEXT_MAX))
		rc = fk_err_set(err, FK_EINVAL, "invalid_text", field, "%s 须为 1 到 %d 个字",
				"%s must be 1 to %d characters", field, GT_TEXT_MAX);
	if (rc == 0)
		rc = fk_audit_tx_begin(req, err);
	if (rc < 0)
		return rc;
	rc = gt_referral_step(req->db, req->who, id, step, text, err);
	snprintf(action, sizeof(action), "referral.%s", step);
	rc = fk_audit_tx_end(req, rc,
			     &(struct fk_audit_entry){.action = action,
						      .target_kind = "fever_referral",
						      .target_id = id,
						      .detail = json_pack("{s:s}", field, text)},
			     err);
	return rc < 0 ? rc : gt_api_referral_get(req, resp, err);
}

int gt_api_referral_send(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return referral_step(req, resp, "send", "clinic", err);
}

int gt_api_referral_result(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return referral_step(req, resp, "result", "result", err);
}

int gt_api_referral_close(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	return referral_step(req, resp, "close", "note", err);
}
