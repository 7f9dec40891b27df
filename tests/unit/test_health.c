/* test_health: the health module's rules on a real store (SQLite, and PostgreSQL when
 * FK_PG_URL is set) — half-days and their deadlines under the default policies, a report's
 * checks (temperature, future half-day, whose report), its write (one per person and
 * half-day, not without a placement, out of scope as unknown, late after the end, a fever
 * alert), the missing list per scope, and the job's sweep (the misses once per half-day,
 * one alert per grid naming its count). Placements are rows the isolation module would
 * write, inserted here with SQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#define FK_TEST_NAME "test_health"
#include "people_env.h"
#include "base/clock.h"
#include "base/id.h"
#include "health/internal.h"
#include "isolation/isolation.h"

#define HOUR_MS (3600LL * 1000)
/* 2026-12-07 00:00 China Standard Time, as epoch ms (2026-12-06T16:00Z). */
#define DAY0_MS 1796572800000LL

static int64_t pid[4]; /* A1, A2, B1, A1 (never placed) */

static int64_t add_person(struct fk_db *db, int seq, const char *name, int64_t area)
{
	struct fk_person p;
	struct fk_err err = {0};
	char id[19];

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "%s", name);
	p.id_type = FK_IDT_RESIDENT;
	snprintf(p.id_number, sizeof(p.id_number), "%s", valid_id("19800101", seq, id));
	p.area_id = area;
	area_must(fk_person_create(db, NULL, &p, &err), &err);
	return p.id;
}

/* A placement row as the isolation module writes it, over [start, end). */
static int64_t place(struct fk_db *db, int64_t person, const char *start, const char *end)
{
	struct fk_err err = {0};
	char path[FK_AREA_PATH_MAX] = "";
	int64_t id = fk_id_next();
	struct fk_q *q;

	area_must(fk_db_query(db, &q, "SELECT area_path FROM people WHERE id = ?", &err), &err);
	fk_q_bind_i64(q, 1, person);
	if (fk_q_step(q, &err) > 0)
		snprintf(path, sizeof(path), "%s", fk_q_text(q, 0));
	fk_q_done(q);
	area_must(fk_db_run(db, &err,
			    "INSERT INTO placements (id, person_id, area_path, kind, reason, "
			    "start_day, end_day, test_days, status, policy_version, created_by, "
			    "created_at, updated_at) VALUES (?, ?, ?, 'home_isolation', "
			    "'secondary_contact', ?, ?, '[1,4,7]', 'active', 0, 1, 0, 0)",
			    "iittt", id, person, path, start, end),
		  &err);
	return id;
}

static int setup(void **state)
{
	static const char *const wipe[] = {"DELETE FROM health_reports",
					   "DELETE FROM health_misses", "DELETE FROM health_sweeps",
					   "DELETE FROM placements", "DELETE FROM alerts"};
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};

	assert_non_null(fk_module_health.routes); /* links the module: its area paths */
	for (size_t i = 0; i < sizeof(wipe) / sizeof(wipe[0]); i++)
		area_must(fk_db_exec(db, wipe[i], &err), &err);
	people_case_setup(state);
	pid[0] = add_person(db, 1, "甲一", T.a1);
	pid[1] = add_person(db, 2, "甲二", T.a2);
	pid[2] = add_person(db, 3, "乙一", T.b1);
	pid[3] = add_person(db, 4, "甲三", T.a1);
	return 0;
}

static int64_t count(struct fk_db *db, const char *sql)
{
	struct fk_err err = {0};
	int64_t n = -1;

	area_must(fk_db_one_i64(db, &err, &n, sql, NULL), &err);
	return n;
}

static void half_days_and_deadlines(void **state)
{
	struct fk_policy_snap *s = fk_policy_snap(NULL);
	struct hl_half h, p;

	(void)state;
	hl_half_at(DAY0_MS + 12 * HOUR_MS - 1, &h);
	assert_string_equal(h.day, "2026-12-07");
	assert_string_equal(h.half, "am");
	hl_half_at(DAY0_MS + 12 * HOUR_MS, &h);
	assert_string_equal(h.half, "pm");
	hl_half_at(DAY0_MS - 1, &h);
	assert_string_equal(h.day, "2026-12-06");
	assert_string_equal(h.half, "pm");
	hl_half_prev(&h, &p);
	assert_string_equal(p.day, "2026-12-06");
	assert_string_equal(p.half, "am");
	hl_half_prev(&p, &h);
	assert_string_equal(h.day, "2026-12-05");
	assert_string_equal(h.half, "pm");
	/* Defaults: 08:00 and 20:00, four hours' grace: noon and midnight. */
	hl_half_at(DAY0_MS, &h);
	assert_int_equal(hl_deadline_ms(s, &h), DAY0_MS + 12 * HOUR_MS);
	snprintf(h.half, sizeof(h.half), "pm");
	assert_int_equal(hl_deadline_ms(s, &h), DAY0_MS + 24 * HOUR_MS);
	fk_policy_snap_release(s);
	assert_true(hl_symptom_valid("loss_of_taste_smell"));
	assert_false(hl_symptom_valid("headache"));
}

/* Parses body (JSON text) for who at DAY0 10:00 (am); returns the code, err filled. */
static int parse(const struct fk_principal *who, const char *text, struct hl_report *r,
		 struct fk_err *err)
{
	json_t *body = json_loads(text, 0, NULL);
	int rc;

	assert_non_null(body);
	memset(r, 0, sizeof(*r));
	rc = hl_report_parse(body, who, DAY0_MS + 10 * HOUR_MS, r, err);
	json_decref(body);
	return rc;
}

static void bad_reports_are_refused(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal ga = who_over(db, FK_ROLE_GRID, T.grid_a);
	struct fk_principal res = {.user_id = 9, .role = FK_ROLE_RESIDENT, .person_id = pid[0]};
	struct hl_report r;
	struct fk_err err = {0};

	assert_int_equal(parse(&ga, "{\"person_id\":\"1\",\"temperature\":33.9}", &r, &err),
			 FK_EUNPROC);
	assert_string_equal(err.field, "temperature");
	assert_int_equal(parse(&ga, "{\"person_id\":\"1\",\"temperature\":43.1}", &r, &err),
			 FK_EUNPROC);
	assert_string_equal(err.key, "temperature_out_of_range");
	assert_int_equal(
	    parse(&ga, "{\"person_id\":\"1\",\"temperature\":36.5,\"half\":\"pm\"}", &r, &err),
	    FK_EUNPROC);
	assert_string_equal(err.key, "future_half_day");
	assert_string_equal(err.field, "half");
	assert_int_equal(parse(&ga,
			       "{\"person_id\":\"1\",\"temperature\":36.5,\"day\":\"2026-12-08\","
			       "\"half\":\"am\"}",
			       &r, &err),
			 FK_EUNPROC);
	assert_string_equal(err.field, "day");
	assert_int_equal(
	    parse(&ga, "{\"person_id\":\"1\",\"temperature\":36.5,\"half\":\"xm\"}", &r, &err),
	    FK_EINVAL);
	assert_string_equal(err.field, "half");
	assert_int_equal(parse(&ga, "{\"temperature\":36.5}", &r, &err), FK_EINVAL);
	assert_string_equal(err.field, "person_id");
	assert_int_equal(
	    parse(&ga, "{\"person_id\":\"1\",\"temperature\":36.5,\"symptoms\":[\"x\"]}", &r, &err),
	    FK_EINVAL);
	assert_string_equal(err.field, "symptoms");
	assert_int_equal(parse(&res, "{\"person_id\":\"12345\",\"temperature\":36.5}", &r, &err),
			 FK_EPERM);
	assert_string_equal(err.field, "person_id");
	assert_int_equal(
	    parse(&res, "{\"temperature\":36.5,\"day\":\"2026-12-06\",\"half\":\"pm\"}", &r, &err),
	    0);
	assert_int_equal(r.person_id, pid[0]);
	assert_true(r.by_self);
}

/* Files a report for person by who at now, for day and half (NULL: the current half-day);
 * returns the code. */
static int file_for(struct fk_db *db, const struct fk_principal *who, int64_t person, double temp,
		    int64_t now, const char *day, const char *half, struct hl_report *r,
		    struct fk_err *err)
{
	struct fk_policy_snap *s = fk_policy_snap(db);
	char text[160];
	json_t *body;
	int rc;

	if (day)
		snprintf(
		    text, sizeof(text),
		    "{\"person_id\":\"%lld\",\"temperature\":%.1f,\"day\":\"%s\",\"half\":\"%s\"}",
		    (long long)person, temp, day, half);
	else
		snprintf(text, sizeof(text), "{\"person_id\":\"%lld\",\"temperature\":%.1f}",
			 (long long)person, temp);
	body = json_loads(text, 0, NULL);
	memset(r, 0, sizeof(*r));
	rc = hl_report_parse(body, who, now, r, err);
	json_decref(body);
	if (rc == 0)
		rc = hl_report_prep(db, who, s, now, r, err);
	if (rc == 0)
		rc = hl_report_insert(db, r, err);
	fk_policy_snap_release(s);
	return rc;
}

static int file(struct fk_db *db, const struct fk_principal *who, int64_t person, double temp,
		int64_t now, struct hl_report *r, struct fk_err *err)
{
	return file_for(db, who, person, temp, now, NULL, NULL, r, err);
}

static void one_report_per_half_day(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal ga = who_over(db, FK_ROLE_GRID, T.grid_a);
	struct fk_principal gb = who_over(db, FK_ROLE_GRID, T.grid_b);
	int64_t am = DAY0_MS + 9 * HOUR_MS, pl = place(db, pid[0], "2026-12-07", "2026-12-14");
	struct hl_report r;
	struct fk_err err = {0};

	area_must(file(db, &ga, pid[0], 36.6, am, &r, &err), &err);
	assert_int_equal(r.placement_id, pl);
	assert_false(r.fever || r.late || r.by_self);
	assert_int_equal(file(db, &ga, pid[0], 36.7, am + HOUR_MS, &r, &err), FK_ECONFLICT);
	assert_string_equal(err.key, "already_reported");
	assert_int_equal(count(db, "SELECT COUNT(*) FROM health_reports"), 1);
	area_must(file(db, &ga, pid[0], 36.8, am + 10 * HOUR_MS, &r, &err), &err); /* evening */
	assert_string_equal(r.h.half, "pm");
	assert_int_equal(file(db, &ga, pid[3], 36.6, am, &r, &err), FK_EUNPROC);
	assert_string_equal(err.key, "not_under_placement");
	assert_string_equal(err.field, "person_id");
	assert_int_equal(file(db, &gb, pid[0], 36.6, am + 24 * HOUR_MS, &r, &err), FK_ENOTFOUND);
	assert_string_equal(err.field, "person_id");
	assert_int_equal(count(db, "SELECT COUNT(*) FROM health_reports"), 2);
}

static void late_and_fever(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal ga = who_over(db, FK_ROLE_GRID, T.grid_a);
	int64_t am = DAY0_MS + 9 * HOUR_MS;
	struct hl_report r;
	struct fk_err err = {0};

	place(db, pid[1], "2026-12-01", "2026-12-07"); /* released today */
	area_must(file_for(db, &ga, pid[1], 36.5, am, "2026-12-06", "pm", &r, &err), &err);
	assert_true(r.late);
	assert_int_equal(file_for(db, &ga, pid[1], 36.5, am, "2026-11-30", "pm", &r, &err),
			 FK_EUNPROC);
	assert_string_equal(err.key, "not_under_placement");
	place(db, pid[0], "2026-12-07", "2026-12-14");
	assert_int_equal(count(db, "SELECT COUNT(*) FROM alerts WHERE kind = 'health_fever'"), 0);
	area_must(file(db, &ga, pid[0], 37.3, am, &r, &err), &err);
	assert_true(r.fever);
	assert_false(r.late);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM alerts WHERE kind = 'health_fever'"), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM health_reports WHERE fever = 1"), 1);
}

/* How many people the missing list of who (under: an area id or 0) names for DAY0 am. */
static int64_t missing(struct fk_db *db, const struct fk_principal *who, int64_t under,
		       json_t **items)
{
	struct hl_missing_query q = {.limit = 100};
	char path[FK_AREA_PATH_MAX];
	struct fk_err err = {0};
	json_t *o = json_object();
	int64_t total;

	hl_half_at(DAY0_MS, &q.h);
	if (under) {
		area_path_of(db, under, path, sizeof(path));
		q.under = path;
	}
	area_must(hl_missing_list(db, who, &q, o, &err), &err);
	total = json_integer_value(json_object_get(o, "total"));
	assert_int_equal(json_array_size(json_object_get(o, "items")), total);
	*items = json_incref(json_object_get(o, "items"));
	json_decref(o);
	return total;
}

static void missing_list_and_sweep(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_principal ga = who_over(db, FK_ROLE_GRID, T.grid_a);
	struct fk_principal cmd = who_over(db, FK_ROLE_COMMANDER, T.district);
	int64_t am = DAY0_MS + 9 * HOUR_MS, n = -1;
	struct hl_report r;
	struct fk_err err = {0};
	json_t *items;

	for (int i = 0; i < 3; i++)
		place(db, pid[i], "2026-12-07", "2026-12-14");
	area_must(file(db, &ga, pid[0], 36.6, am, &r, &err), &err);
	assert_int_equal(missing(db, &cmd, 0, &items), 2);
	json_decref(items);
	assert_int_equal(missing(db, &ga, 0, &items), 1);
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(json_array_get(items, 0), "person"), "name")),
			    "甲二");
	json_decref(items);
	assert_int_equal(missing(db, &cmd, T.grid_b, &items), 1);
	json_decref(items);
	/* Before the noon deadline nothing is swept; after it, two misses and one alert per
	 * grid; a second run records nothing more. */
	area_must(hl_sweep(db, DAY0_MS + 12 * HOUR_MS - 1, &n, &err), &err);
	assert_int_equal(n, 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM health_misses"), 0);
	area_must(hl_sweep(db, DAY0_MS + 12 * HOUR_MS, &n, &err), &err);
	assert_int_equal(n, 2);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM alerts WHERE kind = 'health_missed'"), 2);
	area_must(hl_sweep(db, DAY0_MS + 13 * HOUR_MS, &n, &err), &err);
	assert_int_equal(n, 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM health_misses"), 2);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM alerts WHERE kind = 'health_missed'"), 2);
	/* Midnight: the evening, nobody reported: three misses, one alert each grid. */
	area_must(hl_sweep(db, DAY0_MS + 24 * HOUR_MS, &n, &err), &err);
	assert_int_equal(n, 3);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM alerts WHERE kind = 'health_missed' AND "
				   "payload LIKE '%\"count\":2%'"),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(half_days_and_deadlines),
	    cmocka_unit_test_setup(bad_reports_are_refused, setup),
	    cmocka_unit_test_setup(one_report_per_half_day, setup),
	    cmocka_unit_test_setup(late_and_fever, setup),
	    cmocka_unit_test_setup(missing_list_and_sweep, setup),
	};
	return area_env_run("health", tests, sizeof(tests) / sizeof(tests[0]));
}
