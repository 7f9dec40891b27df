/* results: a person's test results by round, for the resident's own page and for staff —
 * one item per sample, its state read from the sample, its tube and a retest after a positive
 * pool: pending (no result yet), negative, positive, retest_pending (in a positive pool, the
 * single-tube retest not yet settled; settled, it gives the person's own result) or void (the
 * tube voided or invalid: the person is sampled again). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "base/json.h"
#include "tubes/internal.h"

#define RESULTS_MAX 200
#define CST_MS	    (8LL * 3600 * 1000)

/* The calendar day of epoch_ms in China Standard Time. */
static void cst_day(int64_t epoch_ms, char out[11])
{
	time_t t = (time_t)((epoch_ms + CST_MS) / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static const char *state_of(struct fk_q *q, int64_t *result_at)
{
	const char *result = fk_q_text(q, 5), *retest = fk_q_text(q, 7);

	*result_at = fk_q_i64(q, 6);
	if (fk_q_i64(q, 4) || (result && strcmp(result, "invalid") == 0))
		return "void";
	if (!result) {
		*result_at = 0;
		return "pending";
	}
	if (strcmp(result, "positive") != 0 || !retest)
		return result;
	if (strcmp(retest, "negative") == 0 || strcmp(retest, "positive") == 0) {
		*result_at = fk_q_i64(q, 8);
		return retest;
	}
	return "retest_pending";
}

static json_t *item_json(struct fk_q *q)
{
	char day[11];
	int64_t result_at = 0;
	const char *state = state_of(q, &result_at);

	cst_day(fk_q_i64(q, 2), day);
	return json_pack("{s:o, s:s, s:s, s:s, s:o, s:s, s:o}", "round_id",
			 fk_json_idv(fk_q_i64(q, 0)), "round_name", fk_q_text(q, 1), "day", day,
			 "tube_code", fk_q_text(q, 3), "sampled_at", fk_json_timev(fk_q_i64(q, 2)),
			 "result", state, "result_at", fk_json_timev(result_at));
}

int tb_person_results(struct fk_db *db, int64_t person_id, json_t *items, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(
	    db, &q,
	    "SELECT s.round_id, r.name, s.scanned_at, t.code, s.voided, s.result, t.resulted_at, "
	    "x.status, x.settled_at FROM samples s JOIN rounds r ON r.id = s.round_id "
	    "JOIN tubes t ON t.id = s.tube_id LEFT JOIN retests x ON x.round_id = s.round_id "
	    "AND x.person_id = s.person_id AND x.from_tube_id = s.tube_id WHERE s.person_id = ? "
	    "ORDER BY r.starts_at DESC, r.id DESC, s.scanned_at DESC LIMIT ?",
	    err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, person_id);
	fk_q_bind_i64(q, 2, RESULTS_MAX);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(items, item_json(q));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

/* GET /api/v1/people/{id}/results: the resident its own (another's reads as unknown), staff
 * a person in scope, audited. */
int tb_api_person_results(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct fk_person *p = fk_arena_alloc(req->arena, sizeof(*p));
	json_t *items = json_array();
	int64_t id = 0;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = fk_person_get(req->db, req->who, id, p, err);
	if (rc == 0)
		rc = tb_person_results(req->db, id, items, err);
	if (rc == 0 && req->who->role != FK_ROLE_RESIDENT)
		rc = fk_audit_json(req, "people.results", "person", id,
				   json_pack("{s:I}", "count", (json_int_t)json_array_size(items)),
				   err);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	fk_resp_json(resp, 200, json_pack("{s:o}", "items", items));
	return 0;
}
