/* referral: fever referrals (SPEC §5) — a temperature at or above the policy's threshold at a
 * gate opens one, and community or command staff over the checkpoint's area follow it to its
 * close: open -> sent (to which clinic) -> resulted (what the clinic found) -> closed (with a
 * note), each step by whom and when. Its own record with a status, not an alert. */
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/mask.h"
#include "gates/internal.h"

/* The username of a step's user, for the screens ('' when none). */
#define REF_BY(col) "COALESCE((SELECT u.username FROM users u WHERE u.id = r." col "), '')"
#define REF_COLS                                                                                   \
	"r.id, r.pass_id, r.checkpoint_id, r.area_path, r.person_id, r.name, r.id_number, "        \
	"r.temperature, r.threshold, r.policy_version, r.status, r.opened_at, r.opened_by, "       \
	"r.sent_at, r.sent_by, r.clinic, r.result_at, r.result_by, r.result, r.closed_at, "        \
	"r.closed_by, r.close_note, c.name, " REF_BY("opened_by") ", " REF_BY(                     \
	    "sent_by") ", " REF_BY("result_by") ", " REF_BY("closed_by")
#define REF_FROM " FROM fever_referrals r JOIN checkpoints c ON c.id = r.checkpoint_id"

int gt_referral_open(struct fk_db *db, const struct fk_principal *who,
		     const struct gt_checkpoint *c, struct gt_pass *p, struct fk_err *err)
{
	p->referral_id = fk_id_next();
	return fk_db_write(
	    db, err,
	    "INSERT INTO fever_referrals (id, pass_id, checkpoint_id, area_path, "
	    "person_id, name, id_number, phone, temperature, threshold, "
	    "policy_version, status, opened_at, opened_by) VALUES "
	    "(?, ?, ?, ?, NULLIF(?, CAST(0 AS BIGINT)), ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
	    "iiititttddiii", p->referral_id, p->id, c->id, c->area_path, p->person_id, p->name,
	    p->id_number[0] ? p->id_number : NULL, p->phone[0] ? p->phone : NULL, p->temperature,
	    p->fever_at, p->policy_version, p->at, who->user_id);
}

static json_t *opt_id(struct fk_q *q, int col)
{
	return fk_q_isnull(q, col) ? json_null() : fk_json_idv(fk_q_i64(q, col));
}

static json_t *id_shown(const struct fk_principal *who, const char *id)
{
	char masked[48];

	if (!id)
		return json_null();
	return json_string(who && who->see_id ? id : fk_mask_id(id, masked, sizeof(masked)));
}

static json_t *step_json(struct fk_q *q, int at, int by, int text, const char *name, int by_name)
{
	return json_pack("{s:o, s:o, s:o, s:o}", "at", fk_json_timev(fk_q_i64(q, at)), "by",
			 opt_id(q, by), "by_name", fk_json_strv(fk_q_text(q, by_name)), name,
			 fk_json_strv(fk_q_text(q, text)));
}

static json_t *ref_json(const struct fk_principal *who, struct fk_q *q)
{
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:f, s:f, s:I, s:o}", "id",
			      fk_json_idv(fk_q_i64(q, 0)), "pass_id", fk_json_idv(fk_q_i64(q, 1)),
			      "checkpoint_id", fk_json_idv(fk_q_i64(q, 2)), "area_path",
			      fk_json_strv(fk_q_text(q, 3)), "person_id", opt_id(q, 4), "name",
			      fk_json_strv(fk_q_text(q, 5)), "id_number",
			      id_shown(who, fk_q_text(q, 6)), "temperature", fk_q_double(q, 7),
			      "threshold", fk_q_double(q, 8), "policy_version",
			      (json_int_t)fk_q_i64(q, 9), "status", fk_json_strv(fk_q_text(q, 10)));

	json_object_set_new(o, "checkpoint_name", fk_json_strv(fk_q_text(q, 22)));
	json_object_set_new(o, "opened",
			    json_pack("{s:o, s:o, s:o}", "at", fk_json_timev(fk_q_i64(q, 11)), "by",
				      opt_id(q, 12), "by_name", fk_json_strv(fk_q_text(q, 23))));
	json_object_set_new(
	    o, "sent", fk_q_isnull(q, 13) ? json_null() : step_json(q, 13, 14, 15, "clinic", 24));
	json_object_set_new(o, "resulted",
			    fk_q_isnull(q, 16) ? json_null()
					       : step_json(q, 16, 17, 18, "result", 25));
	json_object_set_new(
	    o, "closed", fk_q_isnull(q, 19) ? json_null() : step_json(q, 19, 20, 21, "note", 26));
	return o;
}

static int ref_not_found(struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "referral_not_found", NULL, "发热转诊记录不存在",
			  "the fever referral does not exist");
}

/* The referral's status into status (may be NULL) and, with out, its JSON; in who's scope. */
static int ref_read(struct fk_db *db, const struct fk_principal *who, int64_t id, char *status,
		    size_t size, json_t **out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT " REF_COLS REF_FROM " WHERE r.id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0 && !fk_scope_covers(who, fk_q_text(q, 3)))
		rc = 0;
	if (rc > 0 && status)
		fk_copy_text(status, size, fk_q_text(q, 10));
	if (rc > 0 && out)
		*out = ref_json(who, q);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	return rc > 0 ? 0 : ref_not_found(err);
}

int gt_referral_get(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
		    struct fk_err *err)
{
	return ref_read(db, who, id, NULL, 0, out, err);
}

struct ref_step {
	const char *name, *from, *to, *sql;
};

static const struct ref_step steps[] = {
    {"send", "open", "sent",
     "UPDATE fever_referrals SET status = 'sent', sent_at = ?, sent_by = ?, clinic = ? "
     "WHERE id = ? AND status = 'open'"},
    {"result", "sent", "resulted",
     "UPDATE fever_referrals SET status = 'resulted', result_at = ?, result_by = ?, result = ? "
     "WHERE id = ? AND status = 'sent'"},
    {"close", "resulted", "closed",
     "UPDATE fever_referrals SET status = 'closed', closed_at = ?, closed_by = ?, "
     "close_note = ? WHERE id = ? AND status = 'resulted'"},
};

static int out_of_order(const struct ref_step *s, const char *status, struct fk_err *err)
{
	if (strcmp(status, "closed") == 0)
		return fk_err_set(err, FK_ECONFLICT, "referral_closed", "status", "该转诊已关闭",
				  "the referral is already closed");
	return fk_err_set(err, FK_ECONFLICT, "referral_state", "status",
			  "转诊当前为 %s，不能执行 %s（须依次：送诊、结果、关闭）",
			  "the referral is %s: it cannot %s now (send, result, close in turn)",
			  status, s->name);
}

int gt_referral_step(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *step,
		     const char *text, struct fk_err *err)
{
	const struct ref_step *s = NULL;
	char status[16] = "";
	int64_t changed;
	int rc;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (strcmp(steps[i].name, step) == 0)
			s = &steps[i];
	if (!s)
		return fk_err_set(err, FK_EINTERNAL, "bad_step", NULL, "未知步骤", "unknown step");
	rc = ref_read(db, who, id, status, sizeof(status), NULL, err);
	if (rc == 0 && strcmp(status, s->from) != 0)
		rc = out_of_order(s, status, err);
	if (rc < 0)
		return rc;
	changed = fk_db_run(db, err, s->sql, "iiti", fk_now_ms(), who->user_id, text, id);
	if (changed < 0)
		return (int)changed;
	/* a twin request moved it between the read and the write */
	return changed == 1 ? 0 : out_of_order(s, s->to, err);
}

int gt_referral_list(struct fk_db *db, const struct fk_principal *who, const char *status,
		     int limit, json_t *items, struct fk_err *err)
{
	struct fk_scoped_query sq = {.head = status ? "SELECT " REF_COLS REF_FROM
						      " WHERE r.status = ? AND "
						    : "SELECT " REF_COLS REF_FROM " WHERE ",
				     .nhead = status ? 1 : 0,
				     .col = "r.area_path",
				     .tail = " ORDER BY r.opened_at DESC, r.id DESC LIMIT ?"};
	struct fk_q *q;
	int next, rc = fk_scoped_query(db, who, &sq, &q, &next, err);

	if (rc < 0)
		return rc;
	if (status)
		fk_q_bind_text(q, 1, status);
	fk_q_bind_i64(q, next, limit);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(items, ref_json(who, q));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}
