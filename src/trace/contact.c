/* contact: the rules of a case's contacts — close (密接) and secondary (次密接, through a close
 * contact of the same case), each person once per case, never the case's own person, never
 * met in the future. */
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "trace/internal.h"

#define NULL0 "NULLIF(?, CAST(0 AS BIGINT))" /* an id of 0 stored as NULL */

static int via_refused(const char *why_zh, const char *why_en, struct fk_err *err)
{
	return fk_err_set(err, FK_EUNPROC, "invalid_via_contact", "via_contact_id", "%s%.0s",
			  "%.0s%s", why_zh, why_en);
}

/* A secondary contact names a close contact of the same case; a close one names none. */
static int via_check(struct fk_db *db, const struct tc_contact *c, struct fk_err *err)
{
	struct fk_q *q;
	int rc;

	if (strcmp(c->kind, "close") == 0 && c->via_contact_id)
		return via_refused("密接不经由其他密接", "a close contact names no via_contact_id",
				   err);
	if (strcmp(c->kind, "close") == 0)
		return 0;
	if (!c->via_contact_id)
		return via_refused("次密接须指明经由的密接",
				   "a secondary contact needs via_contact_id", err);
	rc = fk_db_query(db, &q, "SELECT kind FROM contacts WHERE id = ? AND case_id = ?", err);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, c->via_contact_id);
	fk_q_bind_i64(q, 2, c->case_id);
	rc = fk_q_step(q, err);
	if (rc > 0 && strcmp(fk_q_text(q, 0), "close") != 0)
		rc = 0;
	fk_q_done(q);
	if (rc < 0)
		return rc;
	return rc > 0 ? 0
		      : via_refused("via_contact_id 不是本病例的密接",
				    "via_contact_id is not a close contact of this case", err);
}

static int contact_rules(struct fk_db *db, const struct fk_principal *who,
			 const struct tc_contact *c, struct fk_err *err)
{
	int64_t case_person = 0;
	int rc = tc_case_read(db, who, c->case_id, NULL, &case_person, NULL, NULL, err);

	if (rc < 0)
		return rc;
	if (case_person == c->person_id)
		return fk_err_set(err, FK_EUNPROC, "contact_is_case", "person_id",
				  "病例本人不能是自己的密接", "a case cannot be its own contact");
	if (c->met_at > fk_now_ms())
		return fk_err_set(err, FK_EUNPROC, "future_time", "met_at", "接触时间不能晚于现在",
				  "met_at is in the future");
	return via_check(db, c, err);
}

int tc_contact_insert(struct fk_db *db, const struct fk_principal *who, struct tc_contact *c,
		      struct fk_err *err)
{
	int rc = contact_rules(db, who, c, err);

	if (rc < 0)
		return rc;
	c->id = fk_id_next();
	rc = fk_db_write(db, err,
			 "INSERT INTO contacts (id, case_id, person_id, area_path, kind, "
			 "via_contact_id, place, met_at, exposure, certainty, source, status, "
			 "created_by, created_at) VALUES (?, ?, ?, ?, ?, " NULL0
			 ", ?, ?, ?, ?, ?, 'listed', ?, ?)",
			 "iiittititttii", c->id, c->case_id, c->person_id, c->area_path, c->kind,
			 c->via_contact_id, c->place, c->met_at, c->exposure, c->certainty,
			 c->source, c->created_by, fk_now_ms());
	if (rc == FK_ECONFLICT)
		return fk_err_set(err, FK_ECONFLICT, "contact_exists", "person_id",
				  "此人已是该病例的接触者",
				  "the person already is a contact of the case");
	return rc;
}
