/* register: one registration of a campaign — who (name, ID number, phone), from where, the
 * day of arrival, the travel code's colour and the address in the campaign's area — filed by
 * the person through the public link or by a worker. The person is looked up in the registry
 * by ID number (the people module's table people, read in this module's own SQL: a match
 * across every scope, since the person may live anywhere); a match links the registration
 * to that person, else the person is registered in the chosen area through the people
 * module's fk_person_create. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/idcard.h"
#include "base/phone.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "platform/keyed.h"
#include "screening/internal.h"

const struct fk_field sc_body_registration[] = {
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = FK_PERSON_NAME_MAX * 4},
    {.name = "id_number", .type = FK_J_STRING, .required = true, .max_len = 64},
    {.name = "phone", .type = FK_J_STRING, .required = true, .max_len = 32},
    {.name = "from_place", .type = FK_J_STRING, .required = true, .max_len = SC_TEXT_MAX * 4},
    {.name = "arrived_day", .type = FK_J_STRING, .required = true, .max_len = 10},
    {.name = "travel_code", .type = FK_J_STRING, .required = true, .max_len = 8},
    {.name = "area_id", .type = FK_J_ID, .required = true},
    {.name = "address_detail",
     .type = FK_J_STRING,
     .nullable = true,
     .max_len = SC_ADDRESS_MAX * 4},
    FK_KEYED_FIELD,
    FK_FIELDS_END,
};

static int text_field(json_t *body, const char *name, char *dst, size_t size, size_t max_chars,
		      bool required, struct fk_err *err)
{
	fk_copy_text(dst, size, fk_json_str(body, name));
	fk_utf8_trim(dst);
	if (required && !dst[0])
		return fk_err_set(err, FK_EUNPROC, "missing_field", name, "请填写 %s",
				  "%s is required", name);
	if (fk_utf8_chars(dst) > max_chars)
		return fk_err_set(err, FK_EUNPROC, "too_long", name, "%s 最多 %d 个字",
				  "%s is at most %d characters", name, (int)max_chars);
	return 0;
}

/* The ID number and the phone: refused as 422 naming the field, with base's own reason. */
static int identity(json_t *body, struct sc_registration *r, struct fk_err *err)
{
	struct fk_idcard card;
	int rc = fk_idcard_parse(FK_IDT_RESIDENT, fk_json_str(body, "id_number"), &card, err);

	if (rc == 0) {
		fk_copy_text(r->id_number, sizeof(r->id_number), card.number);
		rc = fk_phone_normalize(fk_json_str(body, "phone"), r->phone, err);
	}
	if (rc < 0 && err)
		err->code = FK_EUNPROC;
	return rc < 0 ? FK_EUNPROC : 0;
}

static int arrival(json_t *body, struct sc_registration *r, struct fk_err *err)
{
	const char *code = fk_json_str(body, "travel_code");
	char today[SC_DAY];
	int y, m, d;

	fk_copy_text(r->arrived_day, sizeof(r->arrived_day), fk_json_str(body, "arrived_day"));
	if (fk_date_parse(r->arrived_day, NULL, NULL, NULL) < 0)
		return fk_err_set(err, FK_EUNPROC, "invalid_day", "arrived_day",
				  "到达日期须为 YYYY-MM-DD",
				  "arrived_day must be a YYYY-MM-DD day");
	fk_date_today(&y, &m, &d);
	snprintf(today, sizeof(today), "%04d-%02d-%02d", y, m, d);
	if (strcmp(r->arrived_day, today) > 0)
		return fk_err_set(err, FK_EUNPROC, "future_day", "arrived_day",
				  "到达日期不能晚于今天", "arrived_day is after today");
	if (!code || (strcmp(code, "green") && strcmp(code, "yellow") && strcmp(code, "red")))
		return fk_err_set(err, FK_EUNPROC, "invalid_travel_code", "travel_code",
				  "行程码颜色须为 green、yellow 或 red",
				  "travel_code must be green, yellow or red");
	fk_copy_text(r->travel_code, sizeof(r->travel_code), code);
	return 0;
}

int sc_registration_parse(json_t *body, struct sc_registration *r, struct fk_err *err)
{
	int rc = text_field(body, "name", r->name, sizeof(r->name), FK_PERSON_NAME_MAX, true, err);

	if (rc == 0)
		rc = identity(body, r, err);
	if (rc == 0)
		rc = text_field(body, "from_place", r->from_place, sizeof(r->from_place),
				SC_TEXT_MAX, true, err);
	if (rc == 0)
		rc = text_field(body, "address_detail", r->address_detail,
				sizeof(r->address_detail), SC_ADDRESS_MAX, false, err);
	if (rc == 0)
		rc = arrival(body, r, err);
	r->area_id = fk_json_id(body, "area_id");
	return rc;
}

/* ---- the write ---- */

static int area_not_found(struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "area_not_found", "area_id",
			  "该地址不在本次排查范围内", "the address is not in the campaign's area");
}

/* The chosen area: under the campaign's area, and in who's scope for a worker. */
static int reg_area(struct fk_db *db, const struct fk_principal *who, const struct sc_campaign *c,
		    struct sc_registration *r, struct fk_err *err)
{
	struct fk_area a = {0};
	int rc = fk_area_get(db, r->area_id, &a, err);

	if (rc == 0 && (strncmp(a.path, c->area_path, strlen(c->area_path)) != 0 ||
			(who && !fk_scope_covers(who, a.path))))
		rc = FK_ENOTFOUND;
	if (rc == 0)
		fk_copy_text(r->area_path, sizeof(r->area_path), a.path);
	fk_area_release(&a);
	return rc == FK_ENOTFOUND ? area_not_found(err) : rc;
}

/* The registry's person with r's ID number: r->person_id, 0 when none. */
static int match_person(struct fk_db *db, struct sc_registration *r, struct fk_err *err)
{
	int rc = fk_db_one_i64(db, err, &r->person_id,
			       "SELECT id FROM people WHERE id_number = ? AND id_type = 'resident'",
			       "t", r->id_number);

	r->matched = rc > 0;
	return rc < 0 ? rc : 0;
}

static int new_person(struct fk_db *db, struct sc_registration *r, struct fk_err *err)
{
	struct fk_person *p = fk_xcalloc(1, sizeof(*p));
	int rc;

	fk_copy_text(p->name, sizeof(p->name), r->name);
	p->id_type = FK_IDT_RESIDENT;
	fk_copy_text(p->id_number, sizeof(p->id_number), r->id_number);
	fk_copy_text(p->phone, sizeof(p->phone), r->phone);
	fk_copy_text(p->household, sizeof(p->household), r->address_detail);
	p->area_id = r->area_id;
	rc = fk_person_create(db, NULL, p, err);
	r->person_id = p->id;
	free(p);
	return rc;
}

static int already(struct fk_err *err)
{
	return fk_err_set(err, FK_ECONFLICT, "already_registered", "id_number",
			  "该证件号码已在本次排查中登记",
			  "this ID number is already registered in the campaign");
}

static int reg_write(struct fk_db *db, struct sc_registration *r, struct fk_err *err)
{
	int rc;

	r->id = fk_id_next();
	r->created_at = fk_now_ms();
	rc =
	    fk_db_write(db, err,
			"INSERT INTO screening_registrations (id, campaign_id, person_id, area_id, "
			"area_path, from_place, arrived_day, travel_code, address_detail, "
			"key_person, registered_by, by_user, matched, created_at) VALUES (?, ?, ?, "
			"?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
			"iiiittttttiti", r->id, r->campaign_id, r->person_id, r->area_id,
			r->area_path, r->from_place, r->arrived_day, r->travel_code,
			r->address_detail, r->by_self ? "self" : "worker", r->by_user,
			r->matched ? "existing" : "new", r->created_at);
	return rc == FK_ECONFLICT ? already(err) : rc;
}

int sc_registration_insert(struct fk_db *db, const struct fk_principal *who,
			   const struct sc_campaign *c, struct sc_registration *r,
			   struct fk_err *err)
{
	int64_t seen = 0;
	int rc = reg_area(db, who, c, r, err);

	r->campaign_id = c->id;
	r->by_self = who == NULL;
	r->by_user = who ? who->user_id : 0;
	if (rc == 0)
		rc = match_person(db, r, err);
	if (rc == 0 && r->matched)
		rc = fk_db_one_i64(
		    db, err, &seen,
		    "SELECT id FROM screening_registrations WHERE campaign_id = ? AND "
		    "person_id = ?",
		    "ii", c->id, r->person_id);
	if (rc > 0)
		return already(err);
	if (rc == 0 && !r->matched)
		rc = new_person(db, r, err);
	return rc < 0 ? rc : reg_write(db, r, err);
}

int sc_registration_get(struct fk_db *db, const struct fk_principal *who, int64_t id,
			struct sc_registration *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT id, campaign_id, person_id, area_id, area_path FROM "
			     "screening_registrations WHERE id = ?",
			     err);

	memset(out, 0, sizeof(*out));
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	if ((rc = fk_q_step(q, err)) > 0) {
		out->id = fk_q_i64(q, 0);
		out->campaign_id = fk_q_i64(q, 1);
		out->person_id = fk_q_i64(q, 2);
		out->area_id = fk_q_i64(q, 3);
		fk_copy_text(out->area_path, sizeof(out->area_path), fk_q_text(q, 4));
	}
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0 || !fk_scope_covers(who, out->area_path))
		return fk_err_set(err, FK_ENOTFOUND, "registration_not_found", NULL, "没有该登记",
				  "there is no such registration");
	return 0;
}
