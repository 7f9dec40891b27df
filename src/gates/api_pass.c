/* api_pass: the HTTP handlers of a checkpoint's pass log — a pass posted from the gate screen
 * (a write a phone may retry: keyed by client_key through platform/keyed.h, so a repeat is
 * stored once and gets the stored reply), and the day's log with its counts. A pass is
 * logged by the checkpoint's duty staff, or by community or command staff over its area; a
 * volunteer not bound to it reads it as an unknown checkpoint. */
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "gates/internal.h"

#define CST_MS (8LL * 3600 * 1000)
#define DAY_MS (24LL * 3600 * 1000)

const struct fk_field gt_body_pass[] = {
    {.name = "person_code", .type = FK_J_STRING, .nullable = true, .max_len = 128},
    {.name = "id_number", .type = FK_J_STRING, .nullable = true, .max_len = 64},
    {.name = "visitor", .type = FK_J_OBJECT, .nullable = true},
    {.name = "staff", .type = FK_J_STRING, .nullable = true, .max_len = 64},
    {.name = "direction", .type = FK_J_STRING, .required = true, .max_len = 8},
    {.name = "at", .type = FK_J_STRING, .nullable = true, .max_len = 40},
    {.name = "temperature", .type = FK_J_NUMBER, .nullable = true, .min = 25, .max = 50},
    {.name = "purpose", .type = FK_J_STRING, .nullable = true, .max_len = GT_TEXT_MAX * 4},
    {.name = "verdict", .type = FK_J_STRING, .nullable = true, .max_len = 16},
    {.name = "override", .type = FK_J_BOOL, .nullable = true},
    {.name = "override_reason", .type = FK_J_STRING, .nullable = true, .max_len = GT_TEXT_MAX * 4},
    FK_KEYED_FIELD,
    FK_FIELDS_END,
};

struct pass_ctx {
	int64_t checkpoint_id;
	struct gt_checkpoint c;
	struct gt_pass p;
};

/* On the request's thread: the body's own checks, before anything is read. */
static int pass_parse(struct fk_req *req, void *ctx, struct fk_err *err)
{
	struct pass_ctx *x = ctx;

	return gt_pass_parse(req->body, &x->p, err);
}

/* Reads: the checkpoint (scope or binding), who passes, and the zones' verdict. */
static int pass_prep(struct fk_req *req, void *ctx, struct fk_err *err)
{
	struct pass_ctx *x = ctx;
	int rc = gt_checkpoint_get(req->db, req->who, x->checkpoint_id, &x->c, err);

	if (rc == 0 && !x->c.active)
		rc = fk_err_set(err, FK_EUNPROC, "checkpoint_inactive", NULL, "该卡口已停用",
				"the checkpoint is not in use");
	return rc < 0 ? rc : gt_pass_decide(req->app, req->db, &x->c, &x->p, err);
}

static int pass_write(struct fk_req *req, void *ctx, int *status, json_t **reply,
		      struct fk_err *err)
{
	struct pass_ctx *x = ctx;
	int rc = gt_pass_write(req->db, req->who, &x->c, &x->p, err);

	if (rc == 0 && x->p.overridden)
		rc = fk_audit_json(req, "gate.override", "pass", x->p.id,
				   json_pack("{s:s, s:s, s:s}", "checkpoint", x->c.code, "reason",
					     x->p.reason, "override_reason", x->p.override_reason),
				   err);
	if (rc < 0)
		return rc;
	*status = 201;
	*reply = gt_pass_json(req->who, &x->p);
	return 0;
}

static const struct fk_keyed_op pass_op = {
    .name = "gate.pass", .parse = pass_parse, .prep = pass_prep, .write = pass_write};

int gt_api_pass(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct pass_ctx *x = fk_arena_alloc(req->arena, sizeof(*x));
	int rc;

	memset(x, 0, sizeof(*x));
	rc = fk_req_param_id(req, "id", &x->checkpoint_id, err);
	return rc < 0 ? rc : fk_keyed(req, resp, &pass_op, x, err);
}

/* ?date=YYYY-MM-DD (China Standard Time), today when absent: the day's first ms. */
static int day_of(struct fk_req *req, int64_t *day_ms, char out[11], struct fk_err *err)
{
	const char *s = fk_req_query(req, "date");
	int y, m, d;

	if (s && *s) {
		if (fk_date_parse(s, &y, &m, &d) < 0)
			return fk_err_set(err, FK_EINVAL, "invalid_date", "date",
					  "date 须为 YYYY-MM-DD", "date must be YYYY-MM-DD");
	} else {
		fk_date_today(&y, &m, &d);
	}
	*day_ms = fk_date_days(y, m, d) * DAY_MS - CST_MS;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return 0;
}

int gt_api_pass_day(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct gt_checkpoint *c = fk_arena_alloc(req->arena, sizeof(*c));
	int64_t id, day_ms = 0;
	char date[11];
	json_t *o;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = day_of(req, &day_ms, date, err);
	if (rc == 0)
		rc = gt_checkpoint_get(req->db, req->who, id, c, err);
	if (rc == 0)
		rc = gt_pass_day(req->db, req->who, c, day_ms, &o, err);
	if (rc < 0)
		return rc;
	json_object_set_new(o, "date", json_string(date));
	json_object_set_new(o, "checkpoint_id", fk_json_idv(c->id));
	fk_resp_json(resp, 200, o);
	return 0;
}
