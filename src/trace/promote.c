/* promote: the move-up of a new case's proposals (次密接 → 密接) in one confirmation — each
 * secondary contact of the source case through this case's person becomes a close contact of
 * this case (a new row, keeping its placement, or an existing contact row of this case made
 * close), and the old row is "moved", naming the new one. Only the rows the caller's scope
 * covers move: what the caller was shown. */
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "trace/internal.h"

#define NULL0 "NULLIF(?, CAST(0 AS BIGINT))" /* an id of 0 stored as NULL */

struct proposal {
	int64_t id, person_id, met_at, placement_id;
	char area_path[FK_AREA_PATH_MAX];
	char place[TC_TEXT_MAX * 4 + 1];
	char exposure[24], certainty[24], source[24], status[16];
};

static void proposal_row(struct fk_q *q, void *rec)
{
	struct proposal *p = rec;

	p->id = fk_q_i64(q, 0);
	p->person_id = fk_q_i64(q, 1);
	fk_copy_text(p->area_path, sizeof(p->area_path), fk_q_text(q, 2));
	fk_copy_text(p->place, sizeof(p->place), fk_q_text(q, 3));
	p->met_at = fk_q_i64(q, 4);
	fk_copy_text(p->exposure, sizeof(p->exposure), fk_q_text(q, 5));
	fk_copy_text(p->certainty, sizeof(p->certainty), fk_q_text(q, 6));
	fk_copy_text(p->source, sizeof(p->source), fk_q_text(q, 7));
	fk_copy_text(p->status, sizeof(p->status), fk_q_text(q, 8));
	p->placement_id = fk_q_i64(q, 9);
}

static int proposals_read(struct fk_db *db, int64_t case_id, struct proposal **out, int *n,
			  struct fk_err *err)
{
	struct fk_q *q;
	int rc =
	    fk_db_query(db, &q,
			"SELECT k.id, k.person_id, k.area_path, k.place, k.met_at, k.exposure, "
			"k.certainty, k.source, k.status, k.placement_id FROM contacts k JOIN "
			"contacts v ON v.id = k.via_contact_id JOIN cases n ON n.source_case_id "
			"= v.case_id AND n.person_id = v.person_id WHERE n.id = ? AND k.kind = "
			"'secondary' AND k.status IN ('listed', 'placed') ORDER BY k.id",
			err);

	*out = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, case_id);
	return fk_q_collect(q, sizeof(**out), proposal_row, (void **)out, n, err);
}

/* The row of p's person under case_id: an existing one made close, or a new close one. */
static int close_row(struct fk_db *db, const struct fk_principal *who, int64_t case_id,
		     const struct proposal *p, int64_t *row, struct fk_err *err)
{
	int rc = fk_db_one_i64(db, err, row,
			       "SELECT id FROM contacts WHERE case_id = ? AND person_id = ?", "ii",
			       case_id, p->person_id);

	if (rc < 0)
		return rc;
	if (rc > 0)
		return fk_db_write(db, err,
				   "UPDATE contacts SET kind = 'close', via_contact_id = NULL "
				   "WHERE id = ?",
				   "i", *row);
	*row = fk_id_next();
	return fk_db_write(db, err,
			   "INSERT INTO contacts (id, case_id, person_id, area_path, kind, place, "
			   "met_at, exposure, certainty, source, status, placement_id, created_by, "
			   "created_at) VALUES (?, ?, ?, ?, 'close', ?, ?, ?, ?, ?, ?, " NULL0
			   ", ?, ?)",
			   "iiittittttiii", *row, case_id, p->person_id, p->area_path, p->place,
			   p->met_at, p->exposure, p->certainty, p->source, p->status,
			   p->placement_id, who->user_id, fk_now_ms());
}

static int move_one(struct fk_db *db, const struct fk_principal *who, int64_t case_id,
		    const struct proposal *p, int64_t *row, struct fk_err *err)
{
	int rc = close_row(db, who, case_id, p, row, err);

	if (rc == 0)
		rc = fk_db_write(
		    db, err, "UPDATE contacts SET status = 'moved', moved_to_id = ? WHERE id = ?",
		    "ii", *row, p->id);
	return rc;
}

int tc_promote(struct fk_db *db, const struct fk_principal *who, int64_t case_id, int *moved,
	       json_t *items, struct fk_err *err)
{
	struct proposal *p = NULL;
	int n = 0, rc = tc_case_read(db, who, case_id, NULL, NULL, NULL, NULL, err);

	*moved = 0;
	if (rc == 0)
		rc = proposals_read(db, case_id, &p, &n, err);
	for (int i = 0; rc == 0 && i < n; i++) {
		int64_t row = 0;
		json_t *o;

		if (!fk_scope_covers(who, p[i].area_path))
			continue;
		rc = move_one(db, who, case_id, &p[i], &row, err);
		if (rc == 0)
			++*moved;
		if (rc == 0 && items && (rc = tc_contact_json(db, who, row, &o, err)) == 0)
			json_array_append_new(items, o);
	}
	free(p);
	return rc;
}
