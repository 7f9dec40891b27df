/* found: the calls other modules make (trace.h) — a person found positive becomes a case by
 * the system, a contact is read for a placement and marked placed. They read the people
 * module's people (a person's home area path) in their own SQL: the listener has no principal
 * for the people module's scoped read. */
#include <string.h>
#include "base/buf.h"
#include "trace/internal.h"

static int person_path(struct fk_db *db, int64_t person_id, char *path, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT area_path FROM people WHERE id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, person_id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		fk_copy_text(path, FK_AREA_PATH_MAX, fk_q_text(q, 0));
	fk_q_done(q);
	if (rc < 0)
		return rc;
	return rc > 0 ? 0
		      : fk_err_set(err, FK_ENOTFOUND, "person_not_found", "person_id", "人员不存在",
				   "the person does not exist");
}

int fk_trace_case_found(struct fk_db *db, int64_t person_id, const char *found_by, int64_t *case_id,
			bool *created, struct fk_err *err)
{
	struct tc_case c = {.person_id = person_id, .status = "confirmed", .found_by = found_by};
	int64_t id = 0;
	int rc = tc_case_of_person(db, person_id, &id, err);

	if (rc == 0 && id == 0)
		rc = person_path(db, person_id, c.area_path, err);
	if (rc == 0 && id == 0 && (rc = tc_case_insert(db, NULL, &c, err)) == 0)
		id = c.id;
	if (rc < 0)
		return rc;
	if (created)
		*created = id == c.id;
	if (case_id)
		*case_id = id;
	return 0;
}

int tc_case_found_retest(struct fk_db *db, int64_t person_id, int64_t retest_id, int64_t *case_id,
			 bool *created, struct fk_err *err)
{
	int64_t id = 0;
	bool made = false;
	int rc = fk_trace_case_found(db, person_id, "retest", &id, &made, err);

	if (rc == 0 && made)
		rc = fk_db_write(db, err, "UPDATE cases SET retest_id = ? WHERE id = ?", "ii",
				 retest_id, id);
	if (rc == 0 && case_id)
		*case_id = id;
	if (rc == 0 && created)
		*created = made;
	return rc;
}

static int contact_not_found(const char *field, struct fk_err *err)
{
	return fk_err_set(err, FK_ENOTFOUND, "contact_not_found", field, "密接记录不存在",
			  "the contact does not exist");
}

int fk_trace_contact_get(struct fk_db *db, const struct fk_principal *who, int64_t id,
			 const char *field, struct fk_trace_contact *out, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT id, case_id, person_id, kind, status, area_path FROM contacts "
			     "WHERE id = ?",
			     err);

	memset(out, 0, sizeof(*out));
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0 && who && !fk_scope_covers(who, fk_q_text(q, 5)))
		rc = 0;
	if (rc > 0) {
		out->id = fk_q_i64(q, 0);
		out->case_id = fk_q_i64(q, 1);
		out->person_id = fk_q_i64(q, 2);
		fk_copy_text(out->kind, sizeof(out->kind), fk_q_text(q, 3));
		fk_copy_text(out->status, sizeof(out->status), fk_q_text(q, 4));
	}
	fk_q_done(q);
	if (rc < 0)
		return rc;
	return rc > 0 ? 0 : contact_not_found(field, err);
}

int fk_trace_contact_placed(struct fk_db *db, int64_t id, int64_t placement_id, struct fk_err *err)
{
	/* A row already moved up or become a case keeps its status; it still names the placement
	 * its person is under. */
	int64_t n = fk_db_run(db, err,
			      "UPDATE contacts SET placement_id = ?, status = CASE WHEN status = "
			      "'listed' THEN 'placed' ELSE status END WHERE id = ?",
			      "ii", placement_id, id);

	if (n < 0)
		return (int)n;
	return n > 0 ? 0 : contact_not_found("contact_id", err);
}
