/* case: the rules of a case — one per person; its source, found by hand or from the person's
 * close-contact row, gives it its generation; the person's open contact rows become
 * "became_case" when it is made. */
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "trace/internal.h"

#define NULL0 "NULLIF(?, CAST(0 AS BIGINT))" /* an id of 0 stored as NULL */

int tc_case_not_found(const char *field, struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "case_not_found", field, "病例不存在",
			  "the case does not exist");
}

int tc_case_read(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *field,
		 int64_t *person_id, char *area_path, int64_t *generation, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(
	    db, &q, "SELECT person_id, area_path, generation FROM cases WHERE id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0 && who && !fk_scope_covers(who, fk_q_text(q, 1)))
		rc = 0;
	if (rc > 0 && person_id)
		*person_id = fk_q_i64(q, 0);
	if (rc > 0 && area_path)
		fk_copy_text(area_path, FK_AREA_PATH_MAX, fk_q_text(q, 1));
	if (rc > 0 && generation)
		*generation = fk_q_i64(q, 2);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	return rc > 0 ? 0 : tc_case_not_found(field, err);
}

int tc_case_of_person(struct fk_db *db, int64_t person_id, int64_t *id, struct fk_err *err)
{
	*id = 0;
	int rc =
	    fk_db_one_i64(db, err, id, "SELECT id FROM cases WHERE person_id = ?", "i", person_id);

	return rc < 0 ? rc : 0;
}

/* The case of an open close-contact row of c's person, the latest met, as its source. */
static int source_from_contacts(struct fk_db *db, struct tc_case *c, struct fk_err *err)
{
	struct fk_q *q;
	int rc =
	    fk_db_query(db, &q,
			"SELECT k.case_id, c.generation FROM contacts k JOIN cases c ON c.id = "
			"k.case_id WHERE k.person_id = ? AND k.kind = 'close' AND k.status IN "
			"('listed', 'placed') ORDER BY k.met_at DESC, k.id LIMIT 1",
			err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, c->person_id);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		c->source_case_id = fk_q_i64(q, 0);
		c->generation = fk_q_i64(q, 1) + 1;
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static int pick_source(struct fk_db *db, const struct fk_principal *who, struct tc_case *c,
		       struct fk_err *err)
{
	int64_t gen = 0;
	int rc;

	c->generation = 1;
	if (!c->source_case_id)
		return source_from_contacts(db, c, err);
	rc = tc_case_read(db, who, c->source_case_id, "source_case_id", NULL, NULL, &gen, err);
	if (rc == 0)
		c->generation = gen + 1;
	return rc;
}

static int case_exists(struct fk_err *err)
{
	return fk_err_set(err, FK_ECONFLICT, "case_exists", "person_id", "此人已是病例",
			  "the person already is a case");
}

int tc_case_insert(struct fk_db *db, const struct fk_principal *who, struct tc_case *c,
		   struct fk_err *err)
{
	int64_t now = fk_now_ms(), existing = 0;
	int rc = tc_case_of_person(db, c->person_id, &existing, err);

	if (rc == 0 && existing)
		rc = case_exists(err);
	if (rc == 0)
		rc = pick_source(db, who, c, err);
	if (rc < 0)
		return rc;
	c->id = fk_id_next();
	rc =
	    fk_db_write(db, err,
			"INSERT INTO cases (id, person_id, area_path, status, onset_day, found_by, "
			"found_place, source_case_id, generation, retest_id, note, created_by, "
			"created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, " NULL0 ", ?, " NULL0
			", ?, ?, ?, ?)",
			"iitttttiiitiii", c->id, c->person_id, c->area_path, c->status,
			c->onset_day, c->found_by, c->found_place, c->source_case_id, c->generation,
			c->retest_id, c->note, c->created_by, now, now);
	if (rc == FK_ECONFLICT)
		return case_exists(err); /* a twin made it between the read and the write */
	if (rc < 0)
		return rc;
	return fk_db_write(db, err,
			   "UPDATE contacts SET status = 'became_case' WHERE person_id = ? AND "
			   "status IN ('listed', 'placed')",
			   "i", c->person_id);
}
