/* api: the deliveries module's handlers — a run made (audited), the list, one run with its
 * households, a household's photo. The sign-off, a keyed write, is in signoff.c. */
#include <sodium.h>
#include <string.h>
#include "audit/audit.h"
#include "base/clock.h"
#include "base/json.h"
#include "deliveries/internal.h"

const struct fk_field dl_body_run[] = {
    {.name = "area_id", .type = FK_J_ID, .required = true},
    {.name = "day", .type = FK_J_STRING, .required = true, .max_len = 10},
    {.name = "item_note", .type = FK_J_STRING, .nullable = true, .max_len = DL_NOTE_MAX},
    {.name = "households", .type = FK_J_STRINGS, .nullable = true, .max_len = DL_HOUSEHOLDS},
    {.name = "assignees", .type = FK_J_IDS, .nullable = true, .max_len = 50},
    FK_FIELDS_END,
};

static int reply_run(struct fk_req *req, struct fk_resp *resp, int status, int64_t id,
		     struct fk_err *err)
{
	struct dl_run r;
	json_t *o = NULL;
	int rc = dl_run_get(req->db, req->who, id, &r, err);

	if (rc == 0)
		rc = dl_run_json(req->db, &r, &o, err);
	if (rc == 0)
		fk_resp_json(resp, status, o);
	return rc;
}

int dl_api_run_create(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t id = 0;
	int rc = fk_audit_tx_begin(req, err);

	if (rc < 0)
		return rc;
	rc = dl_run_create(req, req->body, fk_now_ms(), &id, err);
	rc = fk_audit_tx_end(
	    req, rc,
	    &(struct fk_audit_entry){
		.action = "delivery.run",
		.target_kind = "delivery_run",
		.target_id = id,
		.detail =
		    json_pack("{s:s}", "day",
			      fk_json_str(req->body, "day") ? fk_json_str(req->body, "day") : "")},
	    err);
	if (rc < 0)
		return rc;
	return reply_run(req, resp, 201, id, err);
}

int dl_api_runs(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	const char *under = NULL, *day = fk_req_query(req, "day");
	json_t *o = NULL;
	int rc = fk_req_area_under(req, "area_id", &under, err);

	if (rc == 0 && day && *day && fk_date_parse(day, NULL, NULL, NULL) < 0)
		rc = fk_err_set(err, FK_EINVAL, "invalid_day", "day", "日期须为 YYYY-MM-DD",
				"the day must be YYYY-MM-DD");
	if (rc == 0)
		rc = dl_run_list(req->db, req->who, under, day && *day ? day : NULL, &o, err);
	if (rc == 0)
		fk_resp_json(resp, 200, o);
	return rc;
}

int dl_api_run(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	int64_t id = 0;
	int rc = fk_req_param_id(req, "id", &id, err);

	return rc < 0 ? rc : reply_run(req, resp, 200, id, err);
}

/* The photo of household key in run_id, decoded into the request's arena; FK_ENOTFOUND
 * "photo_not_found" naming key when there is none. */
static int photo_bytes(struct fk_req *req, int64_t run_id, const char *key, unsigned char **out,
		       size_t *len, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(req->db, &q,
			     "SELECT photo FROM delivery_households WHERE run_id = ? AND hkey = ? "
			     "AND photo IS NOT NULL",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, run_id);
	fk_q_bind_text(q, 2, key);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		const char *b64 = fk_q_text(q, 0);
		size_t n = strlen(b64);
		*out = fk_arena_alloc(req->arena, n + 1);
		if (sodium_base642bin(*out, n + 1, b64, n, "\r\n", len, NULL,
				      sodium_base64_VARIANT_ORIGINAL) != 0)
			rc = fk_err_set(err, FK_EINTERNAL, "bad_photo", NULL, "照片已损坏",
					"the stored photo is damaged");
	}
	fk_q_done(q);
	if (rc == 0)
		rc = fk_err_set(err, FK_ENOTFOUND, "photo_not_found", "key", "该户没有照片",
				"the household has no photo");
	return rc < 0 ? rc : 0;
}

int dl_api_photo(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct dl_run r;
	unsigned char *bytes = NULL;
	size_t len = 0;
	int64_t id = 0;
	int rc = fk_req_param_id(req, "id", &id, err);

	if (rc == 0)
		rc = dl_run_get(req->db, req->who, id, &r, err);
	if (rc == 0)
		rc = photo_bytes(req, id, fk_req_param(req, "key"), &bytes, &len, err);
	if (rc < 0)
		return rc;
	resp->status = 200;
	resp->body = (const char *)bytes;
	resp->body_len = len;
	resp->content_type = "image/jpeg";
	fk_resp_header(resp, "Cache-Control", "private, max-age=3600");
	return 0;
}
