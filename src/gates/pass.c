/* pass: one person through a checkpoint (SPEC §5), and the rule at the gate. The server
 * decides the verdict: a resident whose home lies in a zone with stay_home going out, or
 * anyone but the checkpoint's duty staff going in to an area under no_entry, is refused and
 * logged as refused. The duty worker (or community or command staff over the area) may let
 * such a person through only with an override reason, stored with the pass. A temperature at
 * or above the policy's fever threshold opens a fever referral (referral.c), whatever the
 * verdict. Zones are read only through fk_zone_of (platform/zone_rule.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/idcard.h"
#include "base/mask.h"
#include "base/norm.h"
#include "base/utf8.h"
#include "gates/internal.h"
#include "tubes/tubes.h"

#define SKEW_MS (60 * 1000) /* a phone's clock may run this far ahead */

/* ---- the body ---- */

static int subject_of(json_t *b, struct gt_pass *p, struct fk_err *err)
{
	int n = 0;

	n += fk_json_str(b, "person_code") != NULL;
	n += fk_json_str(b, "id_number") != NULL;
	n += json_is_object(json_object_get(b, "visitor"));
	n += fk_json_str(b, "staff") != NULL;
	if (n != 1)
		return fk_err_set(
		    err, FK_EINVAL, "subject_required", "person_code",
		    "请给出 person_code（采样码）、id_number（证件号）、visitor（外来人员"
		    "登记）或 staff（值守人员）之一",
		    "give one of person_code, id_number, visitor or staff");
	p->code = fk_json_str(b, "person_code");
	p->typed_id = fk_json_str(b, "id_number");
	p->staff_name = fk_json_str(b, "staff");
	p->subject = fk_json_str(b, "person_code") ? GT_SUBJ_CODE
		     : fk_json_str(b, "id_number") ? GT_SUBJ_ID
		     : fk_json_str(b, "staff")	   ? GT_SUBJ_STAFF
						   : GT_SUBJ_VISITOR;
	return 0;
}

static int missing(const char *field, struct fk_err *err)
{
	return fk_err_set(err, FK_EINVAL, "missing_field", field, "请填写 %s", "%s is required",
			  field);
}

static const char *visitor_text(json_t *v, const char *name, size_t max_chars)
{
	const char *s = fk_json_str(v, name);

	return s && *s && fk_utf8_chars(s) <= max_chars ? s : NULL;
}

/* An outsider registered in full: name, ID, phone, where from, whom visiting (plate when
 * they came by car). */
static int visitor_of(json_t *v, struct gt_pass *p, struct fk_err *err)
{
	const char *name = visitor_text(v, "name", 64);
	const char *id = fk_json_str(v, "id_number"), *phone = fk_json_str(v, "phone");

	if (!name)
		return missing("visitor.name", err);
	fk_copy_text(p->name, sizeof(p->name), name);
	if (!id || fk_idcard_parse(FK_IDT_RESIDENT, id, NULL, NULL) < 0 ||
	    fk_norm_id_number(id, p->id_number, sizeof(p->id_number), NULL) < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_id_number", "visitor.id_number",
				  "证件号码无效", "the ID number is not valid");
	if (!phone || fk_norm_phone(phone, p->phone, sizeof(p->phone), NULL) < 0 || !p->phone[0])
		return fk_err_set(err, FK_EINVAL, "invalid_phone", "visitor.phone", "电话号码无效",
				  "the phone number is not valid");
	p->from_place = visitor_text(v, "from", GT_TEXT_MAX);
	p->visiting = visitor_text(v, "visiting", GT_TEXT_MAX);
	p->plate = visitor_text(v, "plate", 16);
	if (!p->from_place)
		return missing("visitor.from", err);
	return p->visiting ? 0 : missing("visitor.visiting", err);
}

static int time_of(json_t *b, struct gt_pass *p, struct fk_err *err)
{
	const char *at = fk_json_str(b, "at");
	int64_t now = fk_now_ms();

	p->at = now;
	if (at && (fk_iso8601_parse(at, &p->at) < 0 || p->at <= 0))
		return fk_err_set(err, FK_EINVAL, "invalid_time", "at",
				  "at 不是有效的时间（例如 2022-04-01T08:00:00+08:00）",
				  "at is not a valid time (e.g. 2022-04-01T08:00:00+08:00)");
	if (p->at > now + SKEW_MS)
		return fk_err_set(err, FK_EUNPROC, "future_time", "at", "通行时间不能晚于现在",
				  "a pass cannot be dated in the future");
	return 0;
}

static int temperature_of(json_t *b, struct gt_pass *p, struct fk_err *err)
{
	json_t *t = json_object_get(b, "temperature");

	p->has_temp = json_is_number(t);
	p->temperature = json_number_value(t);
	if (p->has_temp && !(p->temperature >= GT_TEMP_MIN && p->temperature <= GT_TEMP_MAX))
		return fk_err_set(err, FK_EUNPROC, "temperature_out_of_range", "temperature",
				  "体温须在 %.1f 到 %.1f ℃ 之间",
				  "the temperature must be between %.1f and %.1f ℃", GT_TEMP_MIN,
				  GT_TEMP_MAX);
	return 0;
}

static int choices_of(json_t *b, struct gt_pass *p, struct fk_err *err)
{
	const char *dir = fk_json_str(b, "direction"), *tap = fk_json_str(b, "verdict");
	const char *why = fk_json_str(b, "override_reason");

	if (!dir || (strcmp(dir, "in") != 0 && strcmp(dir, "out") != 0))
		return fk_err_set(err, FK_EINVAL, "invalid_direction", "direction",
				  "方向须为 in（进）或 out（出）", "direction must be in or out");
	p->outgoing = strcmp(dir, "out") == 0;
	if (tap && strcmp(tap, "passed") != 0 && strcmp(tap, "refused") != 0)
		return fk_err_set(err, FK_EINVAL, "invalid_verdict", "verdict",
				  "verdict 须为 passed（放行）或 refused（劝返）",
				  "verdict must be passed or refused");
	p->want_refuse = tap && strcmp(tap, "refused") == 0;
	p->override = json_is_true(json_object_get(b, "override"));
	p->override_reason = why && fk_utf8_chars(why) > 0 ? why : NULL;
	if (p->override_reason && fk_utf8_chars(why) > GT_TEXT_MAX)
		return fk_err_set(err, FK_EINVAL, "too_long", "override_reason",
				  "override_reason 最长 %d 字",
				  "override_reason is at most %d characters", GT_TEXT_MAX);
	if (p->override && !p->override_reason)
		return fk_err_set(err, FK_EUNPROC, "override_reason_required", "override_reason",
				  "放行被拒人员须写明理由", "overriding a refusal needs a reason");
	p->purpose = fk_json_str(b, "purpose");
	return 0;
}

int gt_pass_parse(json_t *b, struct gt_pass *p, struct fk_err *err)
{
	int rc = subject_of(b, p, err);

	if (rc == 0 && p->subject == GT_SUBJ_VISITOR)
		rc = visitor_of(json_object_get(b, "visitor"), p, err);
	if (rc == 0)
		rc = choices_of(b, p, err);
	if (rc == 0)
		rc = time_of(b, p, err);
	return rc < 0 ? rc : temperature_of(b, p, err);
}

/* ---- who the pass names ---- */

static int unknown_person(const char *field, struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "unknown_person", field,
			  "查无此人：请核对，或作为外来人员登记",
			  "no such person: check, or register as an outsider");
}

/* A resident by id or ID number, read beside the people module's table across the district
 * (one row by its key, on the pass's hot path): the gate decides by the home zone of whoever
 * comes, wherever the resident lives, and shows no more than the name and a masked ID. */
static int resident(struct fk_db *db, struct gt_pass *p, const char *number, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     number ? "SELECT id, name, id_number, phone, area_path FROM people "
				      "WHERE id_number = ? ORDER BY CASE id_type WHEN 'resident' "
				      "THEN 0 ELSE 1 END LIMIT 1"
				    : "SELECT id, name, id_number, phone, area_path FROM people "
				      "WHERE id = ?",
			     err);

	if (rc < 0)
		return rc;
	if (number)
		fk_q_bind_text(q, 1, number);
	else
		fk_q_bind_i64(q, 1, p->person_id);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		p->person_id = fk_q_i64(q, 0);
		fk_copy_text(p->name, sizeof(p->name), fk_q_text(q, 1));
		fk_copy_text(p->id_number, sizeof(p->id_number), fk_q_text(q, 2));
		fk_copy_text(p->phone, sizeof(p->phone), fk_q_text(q, 3));
		fk_copy_text(p->home_path, sizeof(p->home_path), fk_q_text(q, 4));
	}
	fk_q_done(q);
	if (rc < 0)
		return rc;
	return rc > 0 ? 0 : unknown_person(number ? "id_number" : "person_code", err);
}

static int by_number(struct fk_db *db, struct gt_pass *p, const char *typed, struct fk_err *err)
{
	char number[40];

	if (fk_norm_id_number(typed, number, sizeof(number), NULL) < 0 || !number[0])
		return fk_err_set(err, FK_EINVAL, "invalid_id_number", "id_number", "证件号码无效",
				  "the ID number is not valid");
	return resident(db, p, number, err);
}

static int staff_member(struct fk_db *db, const struct gt_checkpoint *c, struct gt_pass *p,
			struct fk_err *err)
{
	int rc = gt_staff_by_name(db, c->id, p->staff_name, &p->staff_user_id, err);

	if (rc == 0 && p->staff_user_id == 0)
		return fk_err_set(err, FK_EUNPROC, "not_duty_staff", "staff",
				  "%s 不是本卡口的值守人员", "%s is not on duty at this checkpoint",
				  p->staff_name);
	fk_copy_text(p->name, sizeof(p->name), p->staff_name);
	return rc;
}

static int who_passes(struct fk_app *app, struct fk_db *db, const struct gt_checkpoint *c,
		      struct gt_pass *p, struct fk_err *err)
{
	int rc = 0;

	switch (p->subject) {
	case GT_SUBJ_CODE:
		rc = fk_tubes_code_person(app, db, p->code, &p->person_id, err);
		return rc < 0 ? rc : resident(db, p, NULL, err);
	case GT_SUBJ_ID:
		return by_number(db, p, p->typed_id, err);
	case GT_SUBJ_STAFF:
		return staff_member(db, c, p, err);
	case GT_SUBJ_VISITOR:
		break;
	}
	return rc;
}

/* ---- the rule ---- */

static void refuse(struct gt_pass *p, const char *reason, const struct fk_zone_rule *z)
{
	p->reason = reason;
	p->zone_id = z ? z->zone_id : 0;
	if (z)
		fk_copy_text(p->zone_kind, sizeof(p->zone_kind), z->kind);
}

static int rule(struct fk_app *app, struct fk_db *db, const struct gt_checkpoint *c,
		struct gt_pass *p, struct fk_err *err)
{
	struct fk_zone_rule z;
	int rc = 0;

	if (p->outgoing && p->home_path[0]) {
		rc = fk_zone_of(app, db, p->home_path, &z, err);
		if (rc == 0 && z.stay_home)
			refuse(p, "stay_home", &z);
	} else if (!p->outgoing && p->subject != GT_SUBJ_STAFF) {
		rc = fk_zone_of(app, db, c->area_path, &z, err);
		if (rc == 0 && z.no_entry)
			refuse(p, "no_entry", &z);
	}
	return rc;
}

int gt_pass_decide(struct fk_app *app, struct fk_db *db, const struct gt_checkpoint *c,
		   struct gt_pass *p, struct fk_err *err)
{
	struct fk_policy_snap *s;
	int rc;

	p->checkpoint_id = c->id;
	rc = who_passes(app, db, c, p, err);

	if (rc == 0)
		rc = rule(app, db, c, p, err);
	if (rc < 0)
		return rc;
	if (p->reason && p->override) {
		p->overridden = true;
	} else if (!p->reason && p->want_refuse) {
		p->reason = "by_staff";
	}
	p->verdict = p->reason && !p->overridden ? "refused" : "passed";
	s = fk_policy_snap(db);
	p->fever_at = fk_policy_snap_number(s, &gt_policies[GT_POL_FEVER]);
	p->policy_version = fk_policy_snap_version(s);
	fk_policy_snap_release(s);
	return 0;
}

/* ---- the write ---- */

static const char *subject_name(enum gt_subject s)
{
	return s == GT_SUBJ_CODE    ? "code"
	       : s == GT_SUBJ_ID    ? "id_number"
	       : s == GT_SUBJ_STAFF ? "staff"
				    : "visitor";
}

static const char sql_pass[] =
    "INSERT INTO passes (id, checkpoint_id, area_path, at, direction, subject, person_id, "
    "staff_user_id, name, id_number, phone, from_place, visiting, plate, temperature, purpose, "
    "verdict, reason, zone_id, override_reason, policy_version, by_user, created_at) VALUES "
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static void bind_opt_id(struct fk_q *q, int i, int64_t v)
{
	if (v)
		fk_q_bind_i64(q, i, v);
	else
		fk_q_bind_null(q, i);
}

static void bind_pass(struct fk_q *q, const struct fk_principal *who, const struct gt_checkpoint *c,
		      const struct gt_pass *p)
{
	fk_q_bind_i64(q, 1, p->id);
	fk_q_bind_i64(q, 2, c->id);
	fk_q_bind_text(q, 3, c->area_path);
	fk_q_bind_i64(q, 4, p->at);
	fk_q_bind_text(q, 5, p->outgoing ? "out" : "in");
	fk_q_bind_text(q, 6, subject_name(p->subject));
	bind_opt_id(q, 7, p->person_id);
	bind_opt_id(q, 8, p->staff_user_id);
	fk_q_bind_text(q, 9, p->name);
	fk_q_bind_text(q, 10, p->id_number[0] ? p->id_number : NULL);
	fk_q_bind_text(q, 11, p->phone[0] ? p->phone : NULL);
	fk_q_bind_text(q, 12, p->from_place);
	fk_q_bind_text(q, 13, p->visiting);
	fk_q_bind_text(q, 14, p->plate);
	if (p->has_temp)
		fk_q_bind_double(q, 15, p->temperature);
	else
		fk_q_bind_null(q, 15);
	fk_q_bind_text(q, 16, p->purpose);
	fk_q_bind_text(q, 17, p->verdict);
	fk_q_bind_text(q, 18, p->reason);
	bind_opt_id(q, 19, p->zone_id);
	fk_q_bind_text(q, 20, p->overridden ? p->override_reason : NULL);
	fk_q_bind_i64(q, 21, p->policy_version);
	fk_q_bind_i64(q, 22, who->user_id);
	fk_q_bind_i64(q, 23, fk_now_ms());
}

int gt_pass_write(struct fk_db *db, const struct fk_principal *who, const struct gt_checkpoint *c,
		  struct gt_pass *p, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, sql_pass, err);

	if (rc < 0)
		return rc;
	p->id = fk_id_next();
	bind_pass(q, who, c, p);
	rc = fk_q_step(q, err);
	fk_q_done(q);
	if (rc >= 0 && p->has_temp && p->temperature >= p->fever_at)
		rc = gt_referral_open(db, who, c, p, err);
	return rc < 0 ? rc : 0;
}

/* ---- JSON ---- */

static const char *why_zh(const char *reason)
{
	return !reason				  ? ""
	       : strcmp(reason, "stay_home") == 0 ? "居住地在封控区，足不出户，不得外出"
	       : strcmp(reason, "no_entry") == 0 ? "区域封闭，除值守人员外不得进入"
						 : "值守人员劝返";
}

static const char *why_en(const char *reason)
{
	return !reason ? ""
	       : strcmp(reason, "stay_home") == 0
		   ? "lives in a zone under stay-at-home: may not go out"
	       : strcmp(reason, "no_entry") == 0 ? "the area is closed: only duty staff may go in"
						 : "refused by the duty staff";
}

static json_t *opt(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *shown_id(const struct fk_principal *who, const char *id)
{
	char masked[48];

	if (!id || !*id)
		return json_null();
	return json_string(who && who->see_id ? id : fk_mask_id(id, masked, sizeof(masked)));
}

json_t *gt_pass_json(const struct fk_principal *who, const struct gt_pass *p)
{
	json_t *o =
	    json_pack("{s:o, s:o, s:o, s:s, s:s, s:o, s:s, s:o}", "id", fk_json_idv(p->id),
		      "checkpoint_id", fk_json_idv(p->checkpoint_id), "at", fk_json_timev(p->at),
		      "direction", p->outgoing ? "out" : "in", "subject", subject_name(p->subject),
		      "person_id", p->person_id ? fk_json_idv(p->person_id) : json_null(), "name",
		      p->name, "id_number", shown_id(who, p->id_number));

	json_object_set_new(o, "temperature",
			    p->has_temp ? json_real(p->temperature) : json_null());
	json_object_set_new(o, "purpose", opt(p->purpose));
	json_object_set_new(o, "verdict", json_string(p->verdict));
	json_object_set_new(o, "reason", opt(p->reason));
	json_object_set_new(o, "reason_zh", opt(why_zh(p->reason)));
	json_object_set_new(o, "reason_en", opt(why_en(p->reason)));
	json_object_set_new(o, "zone_id", p->zone_id ? fk_json_idv(p->zone_id) : json_null());
	json_object_set_new(o, "zone_kind", opt(p->zone_kind));
	json_object_set_new(o, "override_reason", opt(p->overridden ? p->override_reason : NULL));
	json_object_set_new(o, "fever", json_boolean(p->referral_id != 0));
	json_object_set_new(o, "referral_id",
			    p->referral_id ? fk_json_idv(p->referral_id) : json_null());
	json_object_set_new(o, "policy_version", json_integer(p->policy_version));
	return o;
}

/* ---- the day's log ---- */

static json_t *row_json(const struct fk_principal *who, struct fk_q *q)
{
	json_t *o = json_pack(
	    "{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", fk_json_idv(fk_q_i64(q, 0)), "at",
	    fk_json_timev(fk_q_i64(q, 1)), "direction", fk_json_strv(fk_q_text(q, 2)), "subject",
	    fk_json_strv(fk_q_text(q, 3)), "name", fk_json_strv(fk_q_text(q, 4)), "id_number",
	    shown_id(who, fk_q_text(q, 5)), "verdict", fk_json_strv(fk_q_text(q, 6)));

	json_object_set_new(o, "reason", opt(fk_q_text(q, 7)));
	json_object_set_new(o, "temperature",
			    fk_q_isnull(q, 8) ? json_null() : json_real(fk_q_double(q, 8)));
	json_object_set_new(o, "purpose", opt(fk_q_text(q, 9)));
	json_object_set_new(o, "override_reason", opt(fk_q_text(q, 10)));
	return o;
}

static void count(json_t *counts, struct fk_q *q)
{
	const char *dir = fk_q_text(q, 2), *verdict = fk_q_text(q, 6);
	const char *key = strcmp(verdict, "refused") == 0 ? "refused"
			  : strcmp(dir, "in") == 0	  ? "in"
							  : "out";

	json_object_set_new(counts, key,
			    json_integer(json_integer_value(json_object_get(counts, key)) + 1));
}

int gt_pass_day(struct fk_db *db, const struct fk_principal *who, const struct gt_checkpoint *c,
		int64_t day_ms, json_t **out, struct fk_err *err)
{
	json_t *items = json_array(),
	       *counts = json_pack("{s:i, s:i, s:i}", "in", 0, "out", 0, "refused", 0);
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT id, at, direction, subject, name, id_number, verdict, reason, "
			     "temperature, purpose, override_reason FROM passes WHERE "
			     "checkpoint_id = ? AND at >= ? AND at < ? ORDER BY at DESC, id DESC",
			     err);

	if (rc == 0) {
		fk_q_bind_i64(q, 1, c->id);
		fk_q_bind_i64(q, 2, day_ms);
		fk_q_bind_i64(q, 3, day_ms + 24LL * 3600 * 1000);
		while ((rc = fk_q_step(q, err)) > 0) {
			count(counts, q);
			json_array_append_new(items, row_json(who, q));
		}
		fk_q_done(q);
	}
	if (rc < 0) {
		json_decref(items);
		json_decref(counts);
		return rc;
	}
	*out = json_pack("{s:o, s:o}", "counts", counts, "items", items);
	return 0;
}
