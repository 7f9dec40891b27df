/* view: cases as the API shows them — a case with its person, its contact counts and, on its
 * page, the proposals waiting to move up; the list in the caller's scope; the change of a
 * case's status, onset, place found and note. */
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "trace/internal.h"

#define COUNT_OF(cond) "(SELECT COUNT(*) FROM contacts k WHERE k.case_id = c.id AND " cond ")"
#define CASE_COLS                                                                                          \
	"c.id, c.status, c.onset_day, c.found_by, c.found_place, c.source_case_id, "                       \
	"c.generation, c.retest_id, c.note, c.created_at, c.updated_at, " COUNT_OF(                        \
	    "k.kind = 'close' AND k.status <> 'moved'") ", " COUNT_OF("k.kind = 'secondary' AND "          \
								      "k.status <> 'moved'") ","           \
											     " " COUNT_OF( \
												 "k.status = 'placed'") ", " TC_PERSON_COLS
#define CASE_FROM                                                                                  \
	" FROM cases c JOIN people p ON p.id = c.person_id JOIN areas a ON a.id = p.area_id"
#define CASE_PERSON 14 /* the column of the person's id */

static json_t *opt_id(struct fk_q *q, int col)
{
	return fk_q_isnull(q, col) ? json_null() : fk_json_idv(fk_q_i64(q, col));
}

static json_t *case_row(const struct fk_principal *who, struct fk_q *q)
{
	json_t *o = json_pack(
	    "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o}", "id", fk_json_idv(fk_q_i64(q, 0)),
	    "person", tc_person_json(who, q, CASE_PERSON), "status", fk_json_strv(fk_q_text(q, 1)),
	    "onset_day", fk_json_strv(fk_q_text(q, 2)), "found_by", fk_json_strv(fk_q_text(q, 3)),
	    "found_place", fk_json_strv(fk_q_text(q, 4)), "source_case_id", opt_id(q, 5),
	    "generation", (json_int_t)fk_q_i64(q, 6), "retest_id", opt_id(q, 7), "note",
	    fk_json_strv(fk_q_text(q, 8)));

	json_object_set_new(o, "contacts",
			    json_pack("{s:I, s:I, s:I}", "close", (json_int_t)fk_q_i64(q, 11),
				      "secondary", (json_int_t)fk_q_i64(q, 12), "placed",
				      (json_int_t)fk_q_i64(q, 13)));
	json_object_set_new(o, "created_at", fk_json_timev(fk_q_i64(q, 9)));
	json_object_set_new(o, "updated_at", fk_json_timev(fk_q_i64(q, 10)));
	return o;
}

int tc_case_json(struct fk_db *db, const struct fk_principal *who, int64_t id, bool proposed,
		 json_t **out, struct fk_err *err)
{
	struct fk_q *q;
	json_t *items;
	int rc = fk_db_query(db, &q,
			     "SELECT " CASE_COLS ", c.area_path" CASE_FROM " WHERE c.id = ?", err);

	*out = NULL;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0 && !fk_scope_covers(who, fk_q_text(q, CASE_PERSON + 6)))
		rc = 0;
	if (rc > 0)
		*out = case_row(who, q);
	fk_q_done(q);
	if (rc <= 0)
		return rc < 0 ? rc : tc_case_not_found(NULL, err);
	if (!proposed)
		return 0;
	items = json_array();
	json_object_set_new(*out, "proposed", items);
	rc = tc_proposed_list(db, who, id, items, err);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

static int list_cursor(const char *after, int64_t *from, struct fk_err *err)
{
	*from = INT64_MAX;
	if (after && *after && !fk_id_parse(after, from))
		return fk_err_set(err, FK_EINVAL, "invalid_cursor", "cursor", "cursor 无效",
				  "the cursor is not valid");
	return 0;
}

int tc_case_list(struct fk_db *db, const struct fk_principal *who, int64_t area_id,
		 const char *status, const char *after, int limit, json_t *items, char *next,
		 size_t nsize, struct fk_err *err)
{
	struct fk_area a = {0};
	struct fk_scoped_query sq = {
	    .head = "SELECT " CASE_COLS CASE_FROM
		    " WHERE c.id < ? AND c.status = COALESCE(?, c.status) AND ",
	    .nhead = 2,
	    .col = "c.area_path",
	    .tail = " ORDER BY c.id DESC LIMIT ?"};
	struct fk_q *q;
	int64_t from, last = 0;
	int i, n = 0, rc = list_cursor(after, &from, err);

	next[0] = '\0';
	if (rc == 0 && area_id)
		rc = fk_area_get_in_scope(db, who, area_id, "area_id", &a, err);
	sq.under = area_id ? a.path : NULL;
	if (rc == 0)
		rc = fk_scoped_query(db, who, &sq, &q, &i, err);
	fk_area_release(&a);
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, from);
	fk_q_bind_text(q, 2, status);
	fk_q_bind_i64(q, i, limit + 1);
	while ((rc = fk_q_step(q, err)) > 0) {
		if (n++ == limit) {
			snprintf(next, nsize, "%lld", (long long)last);
			break;
		}
		last = fk_q_i64(q, 0);
		json_array_append_new(items, case_row(who, q));
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int tc_case_patch(struct fk_db *db, const struct fk_principal *who, int64_t id,
		  const struct tc_case *patch, struct fk_err *err)
{
	int rc = tc_case_read(db, who, id, NULL, NULL, NULL, NULL, err);

	/* Each field is written only when the patch sets it: COALESCE keeps the stored one. */
	if (rc == 0)
		rc = fk_db_write(db, err,
				 "UPDATE cases SET status = COALESCE(?, status), onset_day = "
				 "COALESCE(?, onset_day), found_place = COALESCE(?, found_place), "
				 "note = COALESCE(?, note), updated_at = ? WHERE id = ?",
				 "ttttii", patch->status, patch->onset_day, patch->found_place,
				 patch->note, fk_now_ms(), id);
	return rc;
}
