/* plan: a key person's monitoring plan — the days on which the grid worker is to call them.
 * A plan belongs to one registration; setting it again replaces its days. Its rows of
 * screening_call_days (person, home area path, day) are what the calls module reads for the
 * day's list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/buf.h"
#include "base/clock.h"
#include "base/id.h"
#include "screening/internal.h"

const struct fk_field sc_body_plan[] = {
    {.name = "call_days", .type = FK_J_STRINGS, .nullable = true, .max_len = SC_PLAN_DAYS_MAX},
    {.name = "days", .type = FK_J_INT, .nullable = true, .min = 1, .max = SC_PLAN_DAYS_MAX},
    FK_FIELDS_END,
};

static void today_plus(int64_t n, char out[SC_DAY])
{
	int y, m, d;
	time_t t;
	struct tm tm;

	fk_date_today(&y, &m, &d);
	t = (time_t)((fk_date_days(y, m, d) + n) * 86400);
	gmtime_r(&t, &tm);
	strftime(out, SC_DAY, "%Y-%m-%d", &tm);
}

static int day_cmp(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a),
		      json_string_value(*(json_t *const *)b));
}

/* The listed days: real days, none before today; sorted, each once. */
static int listed_days(json_t *list, json_t *out, struct fk_err *err)
{
	char today[SC_DAY];
	json_t *v, *sorted[SC_PLAN_DAYS_MAX];
	size_t i, n = 0;

	today_plus(0, today);
	json_array_foreach(list, i, v)
	{
		const char *s = json_string_value(v);

		if (strlen(s) != SC_DAY - 1 || fk_date_parse(s, NULL, NULL, NULL) < 0)
			return fk_err_set(err, FK_EINVAL, "invalid_day", "call_days",
					  "日期“%s”无效，须为 YYYY-MM-DD",
					  "\"%s\" is not a YYYY-MM-DD day", s);
		if (strcmp(s, today) < 0)
			return fk_err_set(err, FK_EUNPROC, "past_day", "call_days",
					  "随访日期 %s 已过", "the call day %s has passed", s);
		sorted[n++] = v;
	}
	qsort(sorted, n, sizeof(sorted[0]), day_cmp);
	for (i = 0; i < n; i++)
		if (i == 0 || day_cmp(&sorted[i], &sorted[i - 1]) != 0)
			json_array_append(out, sorted[i]);
	return 0;
}

/* {call_days} or {days: n}, exactly one; out gets the sorted days. */
static int plan_days(json_t *body, json_t *out, struct fk_err *err)
{
	json_t *list = json_object_get(body, "call_days"), *count = json_object_get(body, "days");
	bool has_list = list && !json_is_null(list), has_count = count && !json_is_null(count);
	int64_t n = fk_json_int(body, "days", 0);
	char day[SC_DAY];

	if (has_list == has_count)
		return fk_err_set(err, FK_EINVAL, "call_days_or_days", "call_days",
				  "须给出 call_days 或 days 之一", "give either call_days or days");
	if (has_list)
		return listed_days(list, out, err);
	if (n < 1 || n > SC_PLAN_DAYS_MAX)
		return fk_err_set(err, FK_EINVAL, "out_of_range", "days", "days 须在 1–%d 之间",
				  "days must be 1–%d", SC_PLAN_DAYS_MAX);
	for (int64_t k = 0; k < n; k++) {
		today_plus(k, day);
		json_array_append_new(out, json_string(day));
	}
	return 0;
}

/* The plan row of r (created or updated) with its days as JSON text; *plan_id gets its id. */
static int plan_row(struct fk_db *db, const struct fk_principal *who,
		    const struct sc_registration *r, const char *home, const char *days,
		    int64_t *plan_id, struct fk_err *err)
{
	int64_t now = fk_now_ms();
	int rc =
	    fk_db_one_i64(db, err, plan_id,
			  "SELECT id FROM screening_plans WHERE registration_id = ?", "i", r->id);

	if (rc > 0)
		return fk_db_write(db, err,
				   "UPDATE screening_plans SET call_days = ?, area_path = ?, "
				   "updated_at = ? WHERE id = ?",
				   "ttii", days, home, now, *plan_id);
	if (rc < 0)
		return rc;
	*plan_id = fk_id_next();
	return fk_db_write(
	    db, err,
	    "INSERT INTO screening_plans (id, registration_id, person_id, area_path, "
	    "call_days, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
	    "?, ?)",
	    "iiittiii", *plan_id, r->id, r->person_id, home, days, who->user_id, now, now);
}

static int call_days_write(struct fk_db *db, const struct sc_registration *r, const char *home,
			   int64_t plan_id, json_t *days, struct fk_err *err)
{
	json_t *v;
	size_t i;
	int rc =
	    fk_db_write(db, err, "DELETE FROM screening_call_days WHERE plan_id = ?", "i", plan_id);

	json_array_foreach(days, i, v)
	{
		if (rc < 0)
			break;
		rc = fk_db_write(db, err,
				 "INSERT INTO screening_call_days (person_id, area_path, day, "
				 "plan_id, registration_id) VALUES (?, ?, ?, ?, ?)",
				 "ittii", r->person_id, home, json_string_value(v), plan_id, r->id);
	}
	return rc;
}

/* The person's home area path (the system's read: the registration in scope names them). */
static int home_path(struct fk_db *db, int64_t person_id, char out[FK_AREA_PATH_MAX],
		     struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, "SELECT area_path FROM people WHERE id = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, person_id);
	if ((rc = fk_q_step(q, err)) > 0)
		fk_copy_text(out, FK_AREA_PATH_MAX, fk_q_text(q, 0));
	fk_q_done(q);
	if (rc == 0)
		return fk_err_set(err, FK_ENOTFOUND, "person_not_found", NULL, "没有该人员",
				  "there is no such person");
	return rc < 0 ? rc : 0;
}

int sc_plan_set(struct fk_db *db, const struct fk_principal *who, const struct sc_registration *r,
		json_t *body, struct fk_err *err)
{
	char home[FK_AREA_PATH_MAX];
	json_t *days = json_array();
	char *text = NULL;
	int64_t plan_id = 0;
	int rc = plan_days(body, days, err);

	if (rc == 0)
		rc = home_path(db, r->person_id, home, err);
	if (rc == 0 && !(text = json_dumps(days, JSON_COMPACT)))
		rc = fk_err_set(err, FK_EINTERNAL, "json", NULL, "无法保存随访日期",
				"the call days could not be written");
	if (rc == 0)
		rc = plan_row(db, who, r, home, text, &plan_id, err);
	if (rc == 0)
		rc = call_days_write(db, r, home, plan_id, days, err);
	if (rc == 0)
		rc = fk_db_write(db, err,
				 "UPDATE screening_registrations SET key_person = 1 WHERE id = ?",
				 "i", r->id);
	free(text);
	json_decref(days);
	return rc;
}
