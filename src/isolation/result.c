/* result: a test while placed recorded — sampled by the worker at the door or the desk, then
 * negative or positive by the lab; a positive makes the person a case through the trace
 * module, in the same transaction, linked to the case whose contact the person was. A result
 * after the placement ended is still stored, marked late. */
#include <string.h>
#include "base/buf.h"
#include "base/clock.h"
#include "trace/trace.h"
#include "isolation/internal.h"

struct pt_row {
	int64_t id, placement_id, person_id;
	char area_path[FK_AREA_PATH_MAX], status[12], end_day[IS_DAY], pl_status[12];
	char due_day[IS_DAY];
};

static int pt_get(struct fk_db *db, const struct fk_principal *who, int64_t id, struct pt_row *t,
		  struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(
	    db, &q,
	    "SELECT t.id, t.placement_id, t.person_id, t.area_path, t.status, "
	    "pl.end_day, pl.status, t.due_day FROM placement_tests t JOIN placements pl ON "
	    "pl.id = t.placement_id WHERE t.id = ?",
	    err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, id);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		*t = (struct pt_row){.id = fk_q_i64(q, 0),
				     .placement_id = fk_q_i64(q, 1),
				     .person_id = fk_q_i64(q, 2)};
		fk_copy_text(t->area_path, sizeof(t->area_path), fk_q_text(q, 3));
		fk_copy_text(t->status, sizeof(t->status), fk_q_text(q, 4));
		fk_copy_text(t->end_day, sizeof(t->end_day), fk_q_text(q, 5));
		fk_copy_text(t->pl_status, sizeof(t->pl_status), fk_q_text(q, 6));
		fk_copy_text(t->due_day, sizeof(t->due_day), fk_q_text(q, 7));
	}
	fk_q_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0 || (who && !fk_scope_covers(who, t->area_path)))
		return fk_err_set(err, FK_ENOTFOUND, "test_not_found", NULL, "检测记录不存在",
				  "the test does not exist");
	return 0;
}

/* Who may record what: a sample by the people-facing roles, a result by the lab and the
 * managers. */
static int pt_allowed(const struct fk_principal *who, const char *result, struct fk_err *err)
{
	bool sampled = strcmp(result, "sampled") == 0;

	if (!sampled && strcmp(result, "negative") != 0 && strcmp(result, "positive") != 0)
		return fk_err_set(err, FK_EINVAL, "invalid_result", "result",
				  "结果须为 sampled、negative 或 positive",
				  "result must be sampled, negative or positive");
	if (!who)
		return 0;
	if (sampled ? (IS_ROLES_READ & (1u << who->role)) == 0
		    : (IS_ROLES_RESULT & (1u << who->role)) == 0)
		return fk_err_set(err, FK_EPERM, "forbidden", "result", "无权记录此结果",
				  "your role may not record this result");
	return 0;
}

static int pt_write(struct fk_db *db, const struct fk_principal *who, const struct pt_row *t,
		    const char *result, struct fk_err *err)
{
	char today[IS_DAY];
	bool sampled = strcmp(result, "sampled") == 0;
	int64_t now = fk_now_ms(), late;

	is_day_today(today);
	late = strcmp(t->pl_status, "released") == 0 || strcmp(today, t->end_day) >= 0;
	return fk_db_write(
	    db, err,
	    "UPDATE placement_tests SET status = ?, sampled_at = COALESCE(sampled_at, "
	    "?), result_at = CASE WHEN ? = 1 THEN result_at ELSE ? END, late = ?, "
	    "by_user = ? WHERE id = ?",
	    "tiiiiii", result, now, (int64_t)sampled, now, late, who ? who->user_id : 0, t->id);
}

/* A test is recorded from its day on, and has one result. */
static int pt_state(const struct pt_row *t, struct fk_err *err)
{
	char today[IS_DAY];

	is_day_today(today);
	if (strcmp(t->due_day, today) > 0)
		return fk_err_set(err, FK_ECONFLICT, "test_not_due", "result", "该检测 %s 才到期",
				  "the test is due on %s", t->due_day);
	if (strcmp(t->status, "negative") == 0 || strcmp(t->status, "positive") == 0)
		return fk_err_set(err, FK_ECONFLICT, "test_resulted", "result", "该检测已有结果",
				  "the test already has its result");
	return 0;
}

int is_test_record(struct fk_db *db, const struct fk_principal *who, int64_t id, const char *result,
		   json_t **out, struct fk_err *err)
{
	struct pt_row t;
	int64_t case_id = 0;
	bool created = false;
	int rc = pt_allowed(who, result, err);

	if (rc == 0)
		rc = pt_get(db, who, id, &t, err);
	if (rc == 0)
		rc = pt_state(&t, err);
	if (rc == 0)
		rc = pt_write(db, who, &t, result, err);
	if (rc == 0 && strcmp(result, "positive") == 0)
		rc =
		    fk_trace_case_found(db, t.person_id, "isolation_test", &case_id, &created, err);
	if (rc == 0)
		rc = is_test_get_json(db, t.id, out, err);
	if (rc < 0)
		return rc;
	json_object_set_new(*out, "case_id", case_id ? fk_json_idv(case_id) : json_null());
	return 0;
}
