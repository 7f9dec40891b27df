/* ptest: the tests due while placed (SPEC §6) — one row per test day of a placement, sampled
 * at the door for the home kinds, listed per day and area for the samplers. */
#include <stdio.h>
#include "base/clock.h"
#include "base/id.h"
#include "isolation/internal.h"

int is_tests_plan(struct fk_db *db, const struct is_placement *p, const struct is_stage *s,
		  struct fk_err *err)
{
	int rc = 0;

	for (int i = 0; rc == 0 && i < s->ntests; i++) {
		char due[IS_DAY];
		is_day_add(p->start_day, s->test_days[i] - 1, due);
		rc = fk_db_write(db, err,
				 "INSERT INTO placement_tests (id, placement_id, person_id, "
				 "area_path, day_no, due_day, door, status) VALUES (?, ?, ?, ?, ?, "
				 "?, ?, 'due')",
				 "iiititi", fk_id_next(), p->id, p->person_id, p->area_path,
				 s->test_days[i], due, (int64_t)is_kind_home(p->kind));
	}
	return rc;
}

#define PT_COLS                                                                                    \
	"t.id, t.placement_id, t.day_no, t.due_day, t.door, t.status, t.sampled_at, "              \
	"t.result_at, t.late"

static json_t *test_json(struct fk_q *q)
{
	return json_pack("{s:o, s:o, s:I, s:s, s:b, s:s, s:o, s:o, s:b}", "id",
			 fk_json_idv(fk_q_i64(q, 0)), "placement_id", fk_json_idv(fk_q_i64(q, 1)),
			 "day_no", (json_int_t)fk_q_i64(q, 2), "due_day", fk_q_text(q, 3), "door",
			 fk_q_i64(q, 4) != 0, "status", fk_q_text(q, 5), "sampled_at",
			 fk_json_timev(fk_q_i64(q, 6)), "result_at", fk_json_timev(fk_q_i64(q, 7)),
			 "late", fk_q_i64(q, 8) != 0);
}

int is_tests_json(struct fk_db *db, int64_t placement_id, json_t *items, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT " PT_COLS " FROM placement_tests t WHERE t.placement_id = ? "
			     "ORDER BY t.day_no",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, placement_id);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(items, test_json(q));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int is_test_get_json(struct fk_db *db, int64_t id, json_t **out, struct fk_err *err)
{
	struct fk_q *q;
	int rc =
	    fk_db_query(db, &q, "SELECT " PT_COLS " FROM placement_tests t WHERE t.id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0)
		*out = test_json(q);
	fk_q_done(q);
	if (rc == 0)
		return fk_err_set(err, FK_ENOTFOUND, "test_not_found", NULL, "检测记录不存在",
				  "the test does not exist");
	return rc < 0 ? rc : 0;
}

/* A due sample with whom to sample and where. */
static json_t *due_json(struct fk_q *q)
{
	json_t *o = test_json(q);

	json_object_set_new(o, "kind", json_string(fk_q_text(q, 9)));
	json_object_set_new(
	    o, "person",
	    json_pack("{s:o, s:s, s:s, s:o, s:s}", "id", fk_json_idv(fk_q_i64(q, 10)), "name",
		      fk_q_text(q, 11), "household", fk_q_text(q, 12) ? fk_q_text(q, 12) : "",
		      "area_id", fk_json_idv(fk_q_i64(q, 13)), "area_name", fk_q_text(q, 14)));
	return o;
}

int is_tests_due(struct fk_db *db, const struct fk_principal *who, const char *day,
		 const char *under, int door, json_t *items, struct fk_err *err)
{
	const struct fk_scoped_query sq = {
	    .head = "SELECT " PT_COLS ", pl.kind, p.id, p.name, p.household, p.area_id, a.name "
		    "FROM placement_tests t JOIN placements pl ON pl.id = t.placement_id JOIN "
		    "people p ON p.id = t.person_id JOIN areas a ON a.id = p.area_id WHERE "
		    "t.due_day = ? AND (? < 0 OR t.door = ?) AND pl.status <> 'cancelled' AND ",
	    .nhead = 3,
	    .col = "t.area_path",
	    .under = under,
	    .tail = " ORDER BY t.area_path, t.id LIMIT 5000"};
	struct fk_q *q;
	int i, rc = fk_scoped_query(db, who, &sq, &q, &i, err);

	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, day);
	fk_q_bind_i64(q, 2, door);
	fk_q_bind_i64(q, 3, door);
	while ((rc = fk_q_step(q, err)) > 0)
		json_array_append_new(items, due_json(q));
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

int is_tests_done(struct fk_db *db, const struct is_placement *p, bool *done, struct fk_err *err)
{
	int64_t open = 0;
	int rc = fk_db_one_i64(db, err, &open,
			       "SELECT COUNT(*) FROM placement_tests WHERE placement_id = ? AND "
			       "due_day < ? AND status NOT IN ('negative', 'positive')",
			       "it", p->id, p->end_day);

	*done = rc >= 0 && open == 0;
	return rc < 0 ? rc : 0;
}
