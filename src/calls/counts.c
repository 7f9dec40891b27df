/* counts: how many calls each worker made per day and with which outcome, in the caller's
 * scope (the called person's area), and the same per day; the users module's users give the
 * workers' names (read in this module's own SQL). */
#include <string.h>
#include "base/json.h"
#include "calls/internal.h"

#define OUTCOME_SUMS                                                                               \
	"SUM(CASE WHEN c.outcome = 'reached' THEN 1 ELSE 0 END), SUM(CASE WHEN c.outcome = "       \
	"'no_answer' THEN 1 ELSE 0 END), SUM(CASE WHEN c.outcome = 'wrong_number' THEN 1 ELSE 0 "  \
	"END), SUM(CASE WHEN c.outcome = 'needs_help' THEN 1 ELSE 0 END), COUNT(*)"

static const char *const outcome_keys[] = {"reached", "no_answer", "wrong_number", "needs_help",
					   "total"};

static void put_counts(json_t *o, struct fk_q *q, int first)
{
	for (int k = 0; k < 5; k++)
		json_object_set_new(o, outcome_keys[k], json_integer(fk_q_i64(q, first + k)));
}

/* Adds the row's counts into the day's entry of by_day (the rows come by day). */
static void add_day(json_t *by_day, const char *day, json_t *w)
{
	json_t *last = json_array_get(by_day, json_array_size(by_day) - 1);

	if (!last || strcmp(json_string_value(json_object_get(last, "day")), day) != 0) {
		last = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i}", "day", day, "reached", 0,
				 "no_answer", 0, "wrong_number", 0, "needs_help", 0, "total", 0);
		json_array_append_new(by_day, last);
	}
	for (int k = 0; k < 5; k++) {
		json_int_t n = json_integer_value(json_object_get(last, outcome_keys[k]));

		json_object_set_new(
		    last, outcome_keys[k],
		    json_integer(n + json_integer_value(json_object_get(w, outcome_keys[k]))));
	}
}

int cl_counts(struct fk_db *db, const struct fk_principal *who, const struct cl_count_query *cq,
	      json_t **out, struct fk_err *err)
{
	const struct fk_scoped_query sq = {
	    .head = "SELECT c.day, c.user_id, u.display_name, u.username, " OUTCOME_SUMS
		    " FROM calls c LEFT JOIN users u ON u.id = c.user_id WHERE c.day >= ? AND "
		    "c.day <= ? AND (CAST(? AS BIGINT) = 0 OR c.user_id = ?) AND ",
	    .nhead = 4,
	    .col = "c.area_path",
	    .under = cq->under,
	    .tail = " GROUP BY c.day, c.user_id, u.display_name, u.username ORDER BY c.day, "
		    "u.username"};
	json_t *by_worker = json_array(), *by_day = json_array();
	struct fk_q *q = NULL;
	int i, rc = fk_scoped_query(db, who, &sq, &q, &i, err);

	if (rc == 0) {
		fk_q_bind_text(q, 1, cq->from);
		fk_q_bind_text(q, 2, cq->to);
		fk_q_bind_i64(q, 3, cq->only_user);
		fk_q_bind_i64(q, 4, cq->only_user);
	}
	while (rc == 0 && (rc = fk_q_step(q, err)) > 0) {
		const char *name = fk_q_text(q, 2);
		json_t *w = json_pack("{s:o, s:o, s:s}", "user_id", fk_json_idv(fk_q_i64(q, 1)),
				      "name", fk_json_strv(name && *name ? name : fk_q_text(q, 3)),
				      "day", fk_q_text(q, 0));

		put_counts(w, q, 4);
		add_day(by_day, fk_q_text(q, 0), w);
		json_array_append_new(by_worker, w);
		rc = 0;
	}
	if (q)
		fk_q_done(q);
	if (rc < 0) {
		json_decref(by_worker);
		json_decref(by_day);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:o, s:o}", "from", cq->from, "to", cq->to, "by_worker",
			 by_worker, "by_day", by_day);
	return 0;
}
