/* signoff: a household signed off on a volunteer's phone — delivered, nobody home or refused,
 * a note and a small photo optional. A phone offline sends it later with the same client_key
 * (platform/keyed.h stores the reply once); the same outcome sent again under another key is
 * answered 200 unchanged, another outcome once signed is refused. Each new sign-off publishes
 * the run's progress (event "delivery") at the building. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/json.h"
#include "base/xmalloc.h"
#include "audit/audit.h"
#include "events/events.h"
#include "platform/keyed.h"
#include "deliveries/internal.h"

const struct fk_field dl_body_signoff[] = {
    {.name = "outcome", .type = FK_J_STRING, .required = true, .max_len = 16},
    {.name = "note", .type = FK_J_STRING, .nullable = true, .max_len = DL_NOTE_MAX},
    {.name = "photo", .type = FK_J_STRING, .nullable = true, .max_len = DL_PHOTO_MAX * 4 / 3 + 4},
    FK_KEYED_FIELD,
    FK_FIELDS_END,
};

struct signoff_ctx {
	int64_t run_id;
	const char *key, *outcome, *note, *photo;
	struct dl_run run; /* after the write: its progress */
	bool changed;
};

bool dl_outcome_valid(const char *s)
{
	return strcmp(s, "delivered") == 0 || strcmp(s, "nobody_home") == 0 ||
	       strcmp(s, "refused") == 0;
}

int dl_photo_check(const char *b64, struct fk_err *err)
{
	size_t len = strlen(b64), n = 0;
	unsigned char *bin = fk_xmalloc(len + 1);
	int bad = sodium_base642bin(bin, len + 1, b64, len, "\r\n", &n, NULL,
				    sodium_base64_VARIANT_ORIGINAL);

	bad = bad != 0 || n < 3 || n > DL_PHOTO_MAX || bin[0] != 0xFF || bin[1] != 0xD8;
	free(bin);
	if (bad)
		return fk_err_set(err, FK_EINVAL, "invalid_photo", "photo",
				  "照片须为 300 kB 以内的 JPEG（base64）",
				  "the photo must be a JPEG of at most 300 kB, as base64");
	return 0;
}

static int signoff_parse(struct fk_req *req, void *ctx, struct fk_err *err)
{
	struct signoff_ctx *c = ctx;
	int rc = fk_req_param_id(req, "id", &c->run_id, err);

	c->key = fk_req_param(req, "key");
	c->outcome = fk_json_str(req->body, "outcome");
	c->note = fk_json_str(req->body, "note");
	c->photo = fk_json_str(req->body, "photo");
	if (rc == 0 && !dl_outcome_valid(c->outcome))
		rc = fk_err_set(err, FK_EINVAL, "invalid_outcome", "outcome",
				"结果须为 delivered、nobody_home 或 refused",
				"the outcome must be delivered, nobody_home or refused");
	if (rc == 0 && c->photo && *c->photo)
		rc = dl_photo_check(c->photo, err);
	return rc;
}

/* The household's current outcome into out; FK_ENOTFOUND "household_not_found" naming key. */
static int outcome_of(struct fk_db *db, int64_t run_id, const char *key, char out[16],
		      struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(
	    db, &q, "SELECT outcome FROM delivery_households WHERE run_id = ? AND hkey = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, run_id);
	fk_q_bind_text(q, 2, key);
	rc = fk_q_step(q, err);
	if (rc > 0)
		snprintf(out, 16, "%s", fk_q_text(q, 0));
	fk_q_done(q);
	if (rc == 0)
		rc = fk_err_set(err, FK_ENOTFOUND, "household_not_found", "key", "该任务没有此户",
				"the run has no such household");
	return rc < 0 ? rc : 0;
}

static int sign(struct fk_req *req, struct signoff_ctx *c, struct fk_err *err)
{
	int rc =
	    fk_db_write(req->db, err,
			"UPDATE delivery_households SET outcome = ?, note = ?, photo = ?, "
			"signed_at = ?, signed_by = ?, signed_by_name = ? WHERE run_id = ? AND "
			"hkey = ? AND outcome = 'pending'",
			"tttiitit", c->outcome, c->note, c->photo && *c->photo ? c->photo : NULL,
			fk_now_ms(), req->who->user_id,
			*req->who->display_name ? req->who->display_name : req->who->username,
			c->run_id, c->key);

	if (rc == 0)
		rc = fk_db_write(req->db, err,
				 "UPDATE delivery_runs SET done = done + 1 WHERE id = ?", "i",
				 c->run_id);
	if (rc == 0)
		c->run.done++;
	return rc;
}

static int household_reply(struct fk_db *db, struct signoff_ctx *c, json_t **out,
			   struct fk_err *err)
{
	struct fk_q *q;
	int rc =
	    fk_db_query(db, &q,
			"SELECT hkey, address, people_count, outcome, note, photo IS NOT NULL, "
			"signed_at, signed_by, signed_by_name FROM delivery_households WHERE "
			"run_id = ? AND hkey = ?",
			err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, c->run_id);
	fk_q_bind_text(q, 2, c->key);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		*out = dl_household_json(q);
		json_object_set_new(*out, "run",
				    json_pack("{s:o, s:I, s:I}", "id", fk_json_idv(c->run_id),
					      "done", (json_int_t)c->run.done, "total",
					      (json_int_t)c->run.total));
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static int signoff_write(struct fk_req *req, void *ctx, int *status, json_t **reply,
			 struct fk_err *err)
{
	struct signoff_ctx *c = ctx;
	char now[16];
	int rc = dl_run_get(req->db, req->who, c->run_id, &c->run, err);

	if (rc == 0)
		rc = outcome_of(req->db, c->run_id, c->key, now, err);
	if (rc == 0 && strcmp(now, "pending") != 0 && strcmp(now, c->outcome) != 0)
		rc = fk_err_set(err, FK_ECONFLICT, "already_signed", "outcome",
				"该户已签收为其他结果",
				"the household is already signed off otherwise");
	c->changed = rc == 0 && strcmp(now, "pending") == 0;
	if (c->changed)
		rc = sign(req, c, err);
	if (c->changed && rc == 0)
		rc = fk_audit_json(
		    req, "delivery.sign", "delivery_run", c->run_id,
		    json_pack("{s:s, s:s}", "household", c->key, "outcome", c->outcome), err);
	if (rc == 0)
		rc = household_reply(req->db, c, reply, err);
	*status = 200;
	return rc;
}

static void signoff_committed(struct fk_req *req, void *ctx)
{
	struct signoff_ctx *c = ctx;

	(void)req;
	if (c->changed)
		fk_events_publish("delivery", c->run.area_path,
				  json_pack("{s:o, s:I, s:I}", "run_id", fk_json_idv(c->run_id),
					    "done", (json_int_t)c->run.done, "total",
					    (json_int_t)c->run.total));
}

static const struct fk_keyed_op signoff_op = {.name = "delivery.sign",
					      .parse = signoff_parse,
					      .write = signoff_write,
					      .committed = signoff_committed};

int dl_api_signoff(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
{
	struct signoff_ctx *c = fk_arena_alloc(req->arena, sizeof(*c));

	return fk_keyed(req, resp, &signoff_op, c, err);
}

json_t *dl_household_json(struct fk_q *q)
{
	const char *by = fk_q_text(q, 8);

	return json_pack(
	    "{s:s, s:s, s:I, s:s, s:o, s:b, s:o, s:o}", "key", fk_q_text(q, 0), "address",
	    fk_q_text(q, 1), "people_count", (json_int_t)fk_q_i64(q, 2), "outcome", fk_q_text(q, 3),
	    "note", fk_json_strv(fk_q_text(q, 4)), "has_photo", fk_q_i64(q, 5) != 0, "at",
	    fk_json_timev(fk_q_i64(q, 6)), "by",
	    fk_q_i64(q, 7) ? json_pack("{s:o, s:s}", "user_id", fk_json_idv(fk_q_i64(q, 7)), "name",
				       by ? by : "")
			   : json_null());
}
