/* contact_view: contacts as the API shows them — with their person (masked as the role may
 * see), what became of them (placed, became a case, moved up), in the caller's scope. */
#include <string.h>
#include "trace/internal.h"

#define CONTACT_COLS                                                                               \
	"k.id, k.case_id, k.kind, k.via_contact_id, k.place, k.met_at, k.exposure, k.certainty, "  \
	"k.source, k.status, k.placement_id, k.moved_to_id, (SELECT b.id FROM cases b WHERE "      \
	"b.person_id = k.person_id AND k.status = 'became_case'), " TC_PERSON_COLS
#define CONTACT_FROM                                                                               \
	" FROM contacts k JOIN people p ON p.id = k.person_id JOIN areas a ON a.id = p.area_id"
#define CONTACT_PERSON 13

static json_t *opt_id(struct fk_q *q, int col)
{
	return fk_q_isnull(q, col) ? json_null() : fk_json_idv(fk_q_i64(q, col));
}

static json_t *contact_row(const struct fk_principal *who, struct fk_q *q)
{
	json_t *o = json_pack(
	    "{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", fk_json_idv(fk_q_i64(q, 0)), "case_id",
	    fk_json_idv(fk_q_i64(q, 1)), "kind", fk_json_strv(fk_q_text(q, 2)), "person",
	    tc_person_json(who, q, CONTACT_PERSON), "via_contact_id", opt_id(q, 3), "place",
	    fk_json_strv(fk_q_text(q, 4)), "met_at", fk_json_timev(fk_q_i64(q, 5)));

	json_object_set_new(o, "exposure", fk_json_strv(fk_q_text(q, 6)));
	json_object_set_new(o, "certainty", fk_json_strv(fk_q_text(q, 7)));
	json_object_set_new(o, "source", fk_json_strv(fk_q_text(q, 8)));
	json_object_set_new(o, "status", fk_json_strv(fk_q_text(q, 9)));
	json_object_set_new(o, "placement_id", opt_id(q, 10));
	json_object_set_new(o, "moved_to_id", opt_id(q, 11));
	json_object_set_new(o, "became_case_id", opt_id(q, 12));
	return o;
}

int tc_contact_json(struct fk_db *db, const struct fk_principal *who, int64_t id, json_t **out,
		    struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT " CONTACT_COLS CONTACT_FROM " WHERE k.id = ?", err);

	*out = NULL;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		*out = contact_row(who, q);
	fk_q_done(q);
	if (rc < 0)
		return rc;
	return rc > 0 ? 0
		      : fk_err_set(err, FK_ENOTFOUND, "contact_not_found", NULL, "密接记录不存在",
				   "the contact does not exist");
}

/* The rows of one statement whose head binds one id. */
static int scoped_rows(struct fk_db *db, const struct fk_principal *who, const char *head,
		       int64_t id, json_t *items, struct fk_err *err)
{
	const struct fk_scoped_query sq = {
	    .head = head,
	    .nhead = 1,
	    .col = "k.area_path",
	    .tail = " ORDER BY CASE WHEN k.kind = 'close' THEN 0 ELSE 1 END, k.met_at, k.id"};
	struct fk_q *q;
	int next, rc = fk_scoped_query(db, who, &sq, &q, &next, err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(items, contact_row(who, q));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int tc_contact_list(struct fk_db *db, const struct fk_principal *who, int64_t case_id,
		    json_t *items, struct fk_err *err)
{
	int rc = tc_case_read(db, who, case_id, NULL, NULL, NULL, NULL, err);

	if (rc < 0)
		return rc;
	return scoped_rows(db, who, "SELECT " CONTACT_COLS CONTACT_FROM " WHERE k.case_id = ? AND ",
			   case_id, items, err);
}

int tc_proposed_list(struct fk_db *db, const struct fk_principal *who, int64_t case_id,
		     json_t *items, struct fk_err *err)
{
	/* The secondary contacts, still open, of the source case through the close-contact row
	 * of this case's person. */
	return scoped_rows(
	    db, who,
	    "SELECT " CONTACT_COLS CONTACT_FROM
	    " JOIN contacts v ON v.id = k.via_contact_id JOIN cases n ON "
	    "n.source_case_id = v.case_id AND n.person_id = v.person_id WHERE n.id = "
	    "? AND k.kind = 'secondary' AND k.status IN ('listed', 'placed') AND ",
	    case_id, items, err);
}
