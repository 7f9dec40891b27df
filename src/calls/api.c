/* api: the calls module's handlers — the day's list (a read of names: audited), a call
 * (keyed: a phone may retry it; a needs_help call raises its request in the same
 * transaction), the counts. */
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "platform/keyed.h"
#include "calls/internal.h"

static int day_param(struct fk_req *req, const char *name, const char *def, char out[CL_DAY],
		     struct fk_err *err)
{
	const char *v = fk_req_query(req, name);

	if (!v || !*v) {
		fk_copy_text(out, CL_DAY, def);
		return 0;
	}
	if (strlen(v) != CL_DAY - 1 || fk_date_parse(v, NULL, NULL, NULL) < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_day", name, "%s 须为日期 YYYY-MM-DD",
				  "%s must be a YYYY-MM-DD day", name);
	fk_copy_text(out, CL_DAY, v);
	return 0;
}

int cl_api_today(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	char today[CL_DAY], day[CL_DAY];
	const char *under = NULL;
	json_t *items = json_array();
	int64_t area_id = 0;
	bool truncated = false;
	int rc;

	cl_today(today);
	rc = day_param(req, "day", today, day, err);
	if (rc == 0)
		rc = fk_req_area_under(req, "area_id", &under, err);
	if (rc == 0)
		rc = cl_today_list(req->db, req->who, day, under, items, &truncated, err);
	if (rc == 0 && under) /* checked by fk_req_area_under */
		fk_id_parse(fk_req_query(req, "area_id"), &area_id);
	if (rc == 0)
		rc = fk_audit_json(req, "calls.today", "area", area_id,
				   json_pack("{s:s, s:I}", "day", day, "count",
					     (json_int_t)json_array_size(items)),
				   err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(
	    resp, 200,
	    json_pack("{s:s, s:o, s:b}", "day", day, "items", items, "truncated", truncated));
	return 0;
}

static int call_parse(struct fk_req *req, void *ctx, struct fk_err *err)
{
	return cl_call_parse(req->body, ctx, err);
}

static int call_prep(struct fk_req *req, void *ctx, struct fk_err *err)
{
	return cl_call_prep(req->db, req->who, ctx, err);
}

static int call_write(struct fk_req *req, void *ctx, int *status, json_t **reply,
		      struct fk_err *err)
{
	struct cl_call *c = ctx;
	int rc = cl_call_insert(req->db, req->who, c, err);

	if (rc == 0)
		rc = fk_audit_json(req, "calls.log", "person", c->person_id,
				   json_pack("{s:s}", "outcome", c->outcome), err);
	if (rc < 0)
		return rc;
	*status = 201;
	*reply = cl_call_json(c);
	return 0;
}

static const struct fk_keyed_op call_op = {
    .name = "calls.log", .parse = call_parse, .prep = call_prep, .write = call_write};

int cl_api_call(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct cl_call *c = fk_arena_alloc(req->arena, sizeof(*c));

	memset(c, 0, sizeof(*c));
	return fk_keyed(req, resp, &call_op, c, err);
}

/* ?from&to: the last 7 days by default; at most CL_RANGE_MAX days. */
static int count_query(struct fk_req *req, struct cl_count_query *q, struct fk_err *err)
{
	char today[CL_DAY], week[CL_DAY];
	int y, m, d, y2, m2, d2;
	int rc;

	cl_today(today);
	cl_day_add(today, -6, week);
	rc = day_param(req, "from", week, q->from, err);
	if (rc == 0)
		rc = day_param(req, "to", today, q->to, err);
	if (rc == 0)
		rc = fk_req_area_under(req, "area_id", &q->under, err);
	if (rc < 0)
		return rc;
	fk_date_parse(q->from, &y, &m, &d);
	fk_date_parse(q->to, &y2, &m2, &d2);
	if (fk_date_days(y2, m2, d2) < fk_date_days(y, m, d))
		return fk_err_set(err, FK_EUNPROC, "to_before_from", "to",
				  "结束日期不能早于开始日期", "to comes before from");
	if (fk_date_days(y2, m2, d2) - fk_date_days(y, m, d) >= CL_RANGE_MAX)
		return fk_err_set(err, FK_EUNPROC, "range_too_long", "to", "统计区间最多 %d 天",
				  "the range is at most %d days", CL_RANGE_MAX);
	q->only_user = req->who->role == FK_ROLE_GRID ? req->who->user_id : 0;
	return 0;
}

int cl_api_counts(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct cl_count_query q = {0};
	json_t *out = NULL;
	int rc = count_query(req, &q, err);

	if (rc == 0)
		rc = cl_counts(req->db, req->who, &q, &out, err);
	if (rc == 0)
		fk_resp_json(resp, 200, out);
	return rc;
}
