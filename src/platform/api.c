/* api: GET /api/v1/jobs (the jobs in the store, their schedule and last run, for admins) and
 * POST /api/v1/test/clock (moves the test clock; a route only `serve --test-clock` adds), with
 * the two module descriptors that carry them. */
#include <string.h>
#include "base/clock.h"
#include "base/log.h"
#include "platform/internal.h"

#define SELECT_JOBS                                                                                \
	"SELECT name, every_ms, at_cst, next_due, last_started, last_finished, last_ok, "          \
	"last_error, last_duration_ms, runs, failures, overruns FROM jobs ORDER BY name"

static json_t *opt_i64(struct fk_q *q, int col)
{
	return fk_q_isnull(q, col) ? json_null() : json_integer(fk_q_i64(q, col));
}

static json_t *job_json(struct fk_q *q)
{
	json_t *j = json_object();
	bool at = !fk_q_isnull(q, 2);

	json_object_set_new(j, "name", fk_json_strv(fk_q_text(q, 0)));
	json_object_set_new(j, "every_ms", at ? json_null() : json_integer(fk_q_i64(q, 1)));
	json_object_set_new(j, "at", at ? fk_json_strv(fk_q_text(q, 2)) : json_null());
	json_object_set_new(j, "next_due", fk_json_timev(fk_q_i64(q, 3)));
	json_object_set_new(j, "last_started", fk_json_timev(fk_q_i64(q, 4)));
	json_object_set_new(j, "last_finished", fk_json_timev(fk_q_i64(q, 5)));
	json_object_set_new(j, "last_ok",
			    fk_q_isnull(q, 6) ? json_null() : json_boolean(fk_q_i64(q, 6)));
	json_object_set_new(j, "last_error", fk_json_strv(fk_q_text(q, 7)));
	json_object_set_new(j, "last_duration_ms", opt_i64(q, 8));
	json_object_set_new(j, "runs", json_integer(fk_q_i64(q, 9)));
	json_object_set_new(j, "failures", json_integer(fk_q_i64(q, 10)));
	json_object_set_new(j, "overruns", json_integer(fk_q_i64(q, 11)));
	return j;
}

static int api_jobs(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	json_t *items = json_array();
	struct fk_q *q = NULL;
	int rc = fk_db_query(req->db, &q, SELECT_JOBS, err);

	if (rc == 0)
		while ((rc = fk_q_step(q, err)) > 0)
			json_array_append_new(items, job_json(q));
	if (q)
		fk_q_done(q);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}

static int bad_clock(struct fk_err *err, const char *field, const char *zh, const char *en)
{
	return fk_err_set(err, FK_EINVAL, "invalid_clock", field, "%s%.0s", "%.0s%s", zh, en);
}

/* Applies the body's one move, if any. */
static int move_clock(json_t *b, struct fk_err *err)
{
	int given =
	    fk_json_has(b, "set") + fk_json_has(b, "advance") + fk_json_has(b, "advance_ms");
	int64_t ms = 0;

	if (given > 1)
		return bad_clock(err, "set", "set、advance、advance_ms 只能给一个",
				 "give only one of set, advance, advance_ms");
	if (fk_json_has(b, "set")) {
		if (fk_iso8601_parse(fk_json_str(b, "set"), &ms) < 0)
			return bad_clock(err, "set", "set 应为带时区的 ISO 8601 时间",
					 "set must be an ISO 8601 time with its offset, e.g. "
					 "2026-12-07T08:00:00+08:00");
		return fk_clock_set_ms(ms);
	}
	if (fk_json_has(b, "advance") && fk_duration_parse(fk_json_str(b, "advance"), &ms) < 0)
		return bad_clock(err, "advance", "advance 应为 ISO 8601 时长，如 PT3H",
				 "advance must be an ISO 8601 duration such as PT3H or P1DT2H");
	if (fk_json_has(b, "advance_ms"))
		ms = fk_json_int(b, "advance_ms", 0);
	if (ms < 0)
		return bad_clock(err, "advance_ms", "advance_ms 不能为负",
				 "advance_ms must not be negative");
	return ms ? fk_clock_advance_ms(ms) : 0;
}

static int api_test_clock(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	char iso[32];
	int rc = move_clock(req->body, err);

	if (rc == FK_EPERM)
		return fk_err_set(err, FK_EPERM, "no_test_clock", NULL, "测试时钟未开启",
				  "the test clock is off");
	if (rc < 0)
		return rc;
	int64_t now = fk_now_ms();

	fk_warn("event=test_clock now=%s offset_ms=%lld by=%lld", fk_iso8601(now, iso),
		(long long)fk_clock_offset_ms(), (long long)req->who->user_id);
	fk_resp_json(resp, 200,
		     json_pack("{s:s, s:I, s:I}", "now", iso, "now_ms", (json_int_t)now,
			       "offset_ms", (json_int_t)fk_clock_offset_ms()));
	return 0;
}

static const struct fk_field clock_body[] = {
    {.name = "set", .type = FK_J_STRING, .max_len = 64},
    {.name = "advance", .type = FK_J_STRING, .max_len = 64},
    {.name = "advance_ms", .type = FK_J_INT},
    FK_FIELDS_END,
};

const struct fk_route fk_platform_routes[] = {
    {.method = "GET",
     .path = "/api/v1/jobs",
     .fn = api_jobs,
     .roles = FK_R(ADMIN),
     .summary = "Scheduled jobs: schedule, next due time, last run, totals"},
    FK_ROUTES_END,
};

static const struct fk_route clock_routes[] = {
    {.method = "POST",
     .path = "/api/v1/test/clock",
     .fn = api_test_clock,
     .roles = FK_R(ADMIN),
     .body = clock_body,
     .summary =
	 "Test clock (serve --test-clock only): {set} an ISO time, or {advance} / {advance_ms}"},
    FK_ROUTES_END,
};

const struct fk_module fk_module_test_clock = {
    .name = "test_clock",
    .routes = clock_routes,
};
