/* test_policy: policy definitions and values — every module's definitions collected and their
 * defaults valid; a duplicate key, a malformed key, a default outside its own bounds and
 * defaults that break a cross-field rule refused at collection; each rule a value must keep
 * (integers, choices, lists, durations, times of day, numbers, object shapes); an edit that
 * makes one version or, refused, none; and the cache that sees another server's edit within a
 * second of the test clock, not before. The store cases run on SQLite and on PostgreSQL when
 * FK_PG_URL is set. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#define FK_TEST_NAME "test_policy"
/* The store helpers for areas are not all needed here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "area_env.h"
#pragma GCC diagnostic pop
#include "modules.h"
#include "policy/policy.h"

static const int64_t sizes[] = {1, 5, 10, 20, 0};

static const struct fk_policy_def t_int = {.key = "t.int",
					   .type = FK_POLICY_INT,
					   .def = "10",
					   .min = 1,
					   .max = 20,
					   .choices = sizes,
					   .label_zh = "整数",
					   .label_en = "int",
					   .help_zh = "h",
					   .help_en = "h"};
static const struct fk_policy_def t_list = {.key = "t.list",
					    .type = FK_POLICY_INT_LIST,
					    .def = "[1,5]",
					    .min = 1,
					    .max = 20,
					    .choices = sizes,
					    .label_zh = "列表",
					    .label_en = "list",
					    .help_zh = "h",
					    .help_en = "h"};
static const struct fk_policy_def t_days = {.key = "t.days",
					    .type = FK_POLICY_DURATION,
					    .def = "7",
					    .min = 0,
					    .max = 60,
					    .unit = FK_POLICY_DAYS,
					    .label_zh = "天",
					    .label_en = "days",
					    .help_zh = "h",
					    .help_en = "h"};
static const struct fk_policy_def t_time = {.key = "t.time",
					    .type = FK_POLICY_TIME,
					    .def = "\"08:00\"",
					    .label_zh = "时刻",
					    .label_en = "time",
					    .help_zh = "h",
					    .help_en = "h"};
static const struct fk_policy_def t_num = {.key = "t.num",
					   .type = FK_POLICY_NUMBER,
					   .def = "37.3",
					   .min = 36,
					   .max = 40,
					   .label_zh = "数",
					   .label_en = "number",
					   .help_zh = "h",
					   .help_en = "h"};
static const struct fk_policy_def t_obj = {.key = "t.obj",
					   .type = FK_POLICY_OBJECT,
					   .def = "{\"a\":1,\"b\":[1,2],\"c\":\"x\"}",
					   .min = 0,
					   .max = 9,
					   .label_zh = "对象",
					   .label_en = "object",
					   .help_zh = "h",
					   .help_en = "h"};
static const struct fk_policy_def t_open = {.key = "t.open",
					    .type = FK_POLICY_OBJECT,
					    .def = "{\"k\":{\"zh\":\"甲\",\"en\":\"a\"}}",
					    .open_keys = true,
					    .label_zh = "开放",
					    .label_en = "open",
					    .help_zh = "h",
					    .help_en = "h"};

/* Checks text (JSON) against d: 0, or the error key expected, always naming d's key. */
static void expect(const struct fk_policy_def *d, const char *text, const char *key)
{
	struct fk_err err = {0};
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
	int rc;

	assert_non_null(v);
	rc = fk_policy_check_value(d, v, &err);
	json_decref(v);
	if (!key) {
		if (rc != 0)
			fail_msg("%s %s refused: %s", d->key, text, err.en);
		return;
	}
	if (rc != FK_EINVAL)
		fail_msg("%s %s accepted", d->key, text);
	assert_string_equal(err.key, key);
	assert_string_equal(err.field, d->key);
}

static void test_values(void **state)
{
	(void)state;
	expect(&t_int, "10", NULL);
	expect(&t_int, "0", "out_of_range");
	expect(&t_int, "21", "out_of_range");
	expect(&t_int, "3", "not_allowed");
	expect(&t_int, "10.0", "wrong_type");
	expect(&t_int, "\"10\"", "wrong_type");
	expect(&t_list, "[1,5,10,20]", NULL);
	expect(&t_list, "[0,5]", "out_of_range");
	expect(&t_list, "[1,3]", "not_allowed");
	expect(&t_list, "[5,1]", "not_ascending");
	expect(&t_list, "[5,5]", "not_ascending");
	expect(&t_list, "[]", "wrong_type");
	expect(&t_list, "5", "wrong_type");
	expect(&t_days, "0", NULL);
	expect(&t_days, "-1", "out_of_range");
	expect(&t_days, "61", "out_of_range");
	expect(&t_time, "\"00:00\"", NULL);
	expect(&t_time, "\"23:59\"", NULL);
	expect(&t_time, "\"25:00\"", "invalid_time");
	expect(&t_time, "\"24:00\"", "invalid_time");
	expect(&t_time, "\"12:60\"", "invalid_time");
	expect(&t_time, "\"7:00\"", "invalid_time");
	expect(&t_time, "\"07:00 \"", "invalid_time");
	expect(&t_time, "700", "invalid_time");
	expect(&t_num, "38", NULL);
	expect(&t_num, "37.5", NULL);
	expect(&t_num, "35.9", "out_of_range");
	expect(&t_num, "\"37\"", "wrong_type");
	expect(&t_obj, "{\"a\":9,\"b\":[0],\"c\":\"y\"}", NULL);
	expect(&t_obj, "{\"a\":10,\"b\":[1],\"c\":\"y\"}", "out_of_range");
	expect(&t_obj, "{\"a\":1,\"b\":[1]}", "wrong_keys");
	expect(&t_obj, "{\"a\":1,\"b\":[1],\"d\":\"y\"}", "unknown_entry");
	expect(&t_obj, "{\"a\":1,\"b\":1,\"c\":\"y\"}", "wrong_type");
	expect(&t_obj, "{\"a\":1,\"b\":[1],\"c\":\"\"}", "wrong_type");
	expect(&t_obj, "[1]", "wrong_type");
	expect(&t_open, "{\"x\":{\"zh\":\"乙\",\"en\":\"b\"},\"y\":{\"zh\":\"丙\",\"en\":\"c\"}}",
	       NULL);
	expect(&t_open, "{}", "empty");
	expect(&t_open, "{\"x\":{\"zh\":\"乙\"}}", "wrong_keys");
}

static void test_collect_every_module(void **state)
{
	struct fk_err err = {0};
	const char *module = NULL;

	(void)state;
	if (fk_policy_registry_load(fk_modules, &err) < 0)
		fail_msg("%s (%s)", err.en, err.field);
	assert_true(fk_policy_count() >= 30);
	assert_non_null(fk_policy_find("testing.pool_sizes", &module));
	assert_string_equal(module, "testing");
	assert_non_null(fk_policy_find("users.session_minutes", &module));
	assert_string_equal(module, "users");
	assert_non_null(fk_policy_find("area.grid_residents_max", &module));
	assert_string_equal(module, "area");
	assert_non_null(fk_policy_find("zones.high_to_medium_days", &module));
	assert_string_equal(module, "policy");
	assert_null(fk_policy_find("testing.nothing", NULL));
	for (int i = 0; i < fk_policy_count(); i++) {
		const struct fk_policy_def *d = fk_policy_at(i, NULL);
		json_t *v = fk_policy_default(d);
		if (fk_policy_check_value(d, v, &err) < 0)
			fail_msg("default of %s: %s", d->key, err.en);
		json_decref(v);
	}
}

static int refuse_all(json_t *values, struct fk_err *err)
{
	(void)values;
	return fk_err_set(err, FK_EUNPROC, "no", "t.int", "不", "no");
}

/* Loading mods must fail naming key; the registry is then empty. */
static void expect_refused(const struct fk_policy_def *defs, const struct fk_policy_def *more,
			   const char *key)
{
	const struct fk_module a = {.name = "a", .policies = defs};
	const struct fk_module b = {.name = "b", .policies = more};
	const struct fk_module *const mods[] = {&a, &b, NULL};
	struct fk_err err = {0};

	assert_int_equal(fk_policy_registry_load(mods, &err), FK_EINTERNAL);
	assert_string_equal(err.key, "bad_policy_definition");
	assert_string_equal(err.field, key);
	assert_int_equal(fk_policy_count(), 0);
}

static void test_collect_refuses(void **state)
{
	struct fk_policy_def one[] = {t_int, FK_POLICIES_END}, other[] = {t_int, FK_POLICIES_END};
	struct fk_err err = {0};

	(void)state;
	expect_refused(one, other, "t.int");
	other[0] = t_list;
	other[0].def = "[0,5]";
	expect_refused(one, other, "t.list");
	other[0] = t_days;
	other[0].def = "-1";
	expect_refused(one, other, "t.days");
	other[0] = t_time;
	other[0].def = "\"24:00\"";
	expect_refused(one, other, "t.time");
	other[0] = t_num;
	other[0].key = "NoDot";
	expect_refused(one, other, "NoDot");
	other[0] = t_days;
	other[0].unit = 0;
	expect_refused(one, other, "t.days");
	other[0] = t_num;
	other[0].check = refuse_all;
	expect_refused(one, other, "t.num");
	other[0] = t_num;
	{
		const struct fk_module a = {.name = "a", .policies = one};
		const struct fk_module b = {.name = "b", .policies = other};
		const struct fk_module *const mods[] = {&a, &b, NULL};
		assert_int_equal(fk_policy_registry_load(mods, &err), 0);
		assert_int_equal(fk_policy_count(), 2);
	}
	/* the registry keeps pointers: leave it on tables that outlive this case */
	assert_int_equal(fk_policy_registry_load(fk_modules, &err), 0);
}

/* ---- store cases ---- */

static int64_t fake_now = 1700000000000LL;

static int64_t test_clock(void)
{
	return fake_now;
}

static void wipe(struct fk_db *db)
{
	struct fk_err err = {0};

	area_must(fk_db_exec(db, "DELETE FROM policy_values", &err), &err);
	area_must(fk_db_exec(db, "DELETE FROM policy_versions", &err), &err);
	fk_policy_cache_reset();
	fk_policy_cache_clock(test_clock);
	area_must(fk_policy_registry_load(fk_modules, &err), &err);
}

static int edit(struct fk_db *db, const char *values, const char *reason, int64_t *version,
		struct fk_err *err)
{
	json_t *v = json_loads(values, 0, NULL);
	struct fk_policy_edit e = {
	    .values = v, .reason = reason, .base_version = -1, .user_id = 1, .username = "admin"};
	int rc = fk_db_begin(db, true, err);

	if (rc == 0)
		rc = fk_policy_edit(db, &e, version, err);
	if (rc == 0)
		rc = fk_db_commit(db, err);
	else
		fk_db_rollback(db);
	json_decref(v);
	return rc;
}

static int64_t stored_versions(struct fk_db *db)
{
	struct fk_err err = {0};
	int64_t n = -1;

	area_must(fk_db_one_i64(db, &err, &n, "SELECT COUNT(*) FROM policy_versions", ""), &err);
	return n;
}

static void test_cache_sees_new_version(void **state)
{
	struct fk_db *db = area_env_db(state);
	const struct fk_policy_def *pool;
	struct fk_err err = {0};
	int64_t ver = -1, v1 = 0;

	wipe(db);
	pool = fk_policy_find("testing.pool_default", NULL);
	assert_int_equal(fk_policy_i64(db, pool, &ver), 10);
	assert_int_equal(ver, 0);
	/* another server's edit: written to the store, this cache not told */
	area_must(edit(db, "{\"testing.pool_default\": 5}", "换成 5 混 1", &v1, &err), &err);
	assert_int_equal(v1, 1);
	fake_now += 999;
	assert_int_equal(fk_policy_i64(db, pool, &ver), 10);
	assert_int_equal(ver, 0);
	fake_now += 1;
	assert_int_equal(fk_policy_i64(db, pool, &ver), 5);
	assert_int_equal(ver, 1);
	/* a local edit is seen at once */
	area_must(edit(db, "{\"testing.pool_default\": 20}", "20", &v1, &err), &err);
	area_must(fk_policy_cache_refresh(db, &err), &err);
	assert_int_equal(fk_policy_i64(NULL, pool, &ver), 20);
	assert_int_equal(ver, 2);
	fk_policy_cache_clock(NULL);
}

/* Each refused edit names its field and leaves the store as it was. */
static void refused(struct fk_db *db, const char *values, const char *reason, int code,
		    const char *field)
{
	struct fk_err err = {0};
	int64_t before = stored_versions(db), v = 0;

	assert_int_equal(edit(db, values, reason, &v, &err), code);
	assert_string_equal(err.field, field);
	assert_int_equal(stored_versions(db), before);
}

static void test_edit_refused(void **state)
{
	struct fk_db *db = area_env_db(state);

	wipe(db);
	refused(db, "{\"testing.pool_default\": 5}", "", FK_EINVAL, "reason");
	refused(db, "{\"testing.pool_default\": 5}", " \t", FK_EINVAL, "reason");
	refused(db, "{}", "r", FK_EINVAL, "values");
	refused(db, "{\"no.such\": 5}", "r", FK_EINVAL, "no.such");
	refused(db, "{\"testing.pool_sizes\": [0, 5]}", "r", FK_EINVAL, "testing.pool_sizes");
	refused(db, "{\"testing.pool_sizes\": [1, 5, 10]}", "r", FK_EUNPROC,
		"testing.pool_by_group");
	refused(db, "{\"zones.medium_to_low_days\": -1}", "r", FK_EINVAL,
		"zones.medium_to_low_days");
	refused(db, "{\"health.report_morning\": \"25:00\"}", "r", FK_EINVAL,
		"health.report_morning");
	refused(db, "{\"testing.pool_default\": 10}", "r", FK_EUNPROC, "values");
	refused(db, "{\"testing.pool_default\": 5, \"users.lock_after\": 0}", "r", FK_EINVAL,
		"users.lock_after");
	assert_int_equal(stored_versions(db), 0);
}

static void test_edit_history(void **state)
{
	struct fk_db *db = area_env_db(state);
	struct fk_err err = {0};
	json_t *values = NULL;
	int64_t v = 0, latest = 0;

	wipe(db);
	area_must(edit(db, "{\"testing.pool_default\": 5, \"gates.fever_celsius\": 37.5}", "r1", &v,
		       &err),
		  &err);
	area_must(edit(db, "{\"testing.pool_default\": 10}", "r2", &v, &err), &err);
	assert_int_equal(v, 2);
	area_must(fk_policy_load(db, &values, &latest, &err), &err);
	assert_int_equal(latest, 2);
	assert_int_equal(json_integer_value(json_object_get(values, "testing.pool_default")), 10);
	assert_true(json_real_value(json_object_get(values, "gates.fever_celsius")) == 37.5);
	assert_int_equal(json_object_size(values), 2);
	json_decref(values);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_collect_every_module),
	    cmocka_unit_test(test_collect_refuses),
	};
	const struct CMUnitTest store[] = {
	    cmocka_unit_test(test_cache_sees_new_version),
	    cmocka_unit_test(test_edit_refused),
	    cmocka_unit_test(test_edit_history),
	};
	int failed = cmocka_run_group_tests_name("policy values", pure, NULL, NULL);

	return failed + area_env_run("policy store", store, sizeof(store) / sizeof(store[0]));
}
