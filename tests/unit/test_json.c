/* Unit tests for base/json: parse errors with positions, field-table checks, builders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "base/json.h"

static const struct fk_field person_spec[] = {
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = 8},
    {.name = "age", .type = FK_J_INT, .nullable = true, .min = 0, .max = 150},
    {.name = "area_id", .type = FK_J_ID, .required = true},
    {.name = "tags", .type = FK_J_STRINGS, .max_len = 3},
    {.name = "area_ids", .type = FK_J_IDS},
    {.name = "disabled", .type = FK_J_BOOL},
    {.name = "lat",
     .type = FK_J_NUMBER,
     .nullable = true,
     .min = -90,
     .max = 90,
     .range_key = "invalid_lat"},
    {.name = "extra", .type = FK_J_OBJECT},
    {.name = "any", .type = FK_J_ANY},
    FK_FIELDS_END,
};

/* Parses text and checks it; returns the code and leaves the error in err. */
static int check(const char *text, struct fk_err *err)
{
	json_t *o = NULL;
	int rc;

	fk_err_clear(err);
	rc = fk_json_parse_object(text, strlen(text), &o, err);
	assert_int_equal(rc, 0);
	rc = fk_json_check(o, person_spec, err);
	json_decref(o);
	return rc;
}

static void expect(const char *text, const char *key, const char *field)
{
	struct fk_err err;

	assert_int_equal(check(text, &err), FK_EINVAL);
	assert_string_equal(err.key, key);
	assert_string_equal(err.field, field);
	assert_non_null(strstr(err.en, field));
	assert_non_null(strstr(err.zh, field));
}

static void test_parse_errors(void **state)
{
	struct fk_err err;
	json_t *o = (json_t *)1;
	const char *bad = "{\n  \"name\": \"a\",\n  \"age\": 12,,\n}";

	(void)state;
	assert_int_equal(fk_json_parse_object(bad, strlen(bad), &o, &err), FK_EINVAL);
	assert_null(o);
	assert_string_equal(err.key, "invalid_json");
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.en, "line 3"));
	assert_non_null(strstr(err.zh, "第3行"));
	assert_int_equal(fk_json_parse_object("[1,2]", 5, &o, &err), FK_EINVAL);
	assert_string_equal(err.key, "body_not_object");
	assert_int_equal(fk_json_parse_object("", 0, &o, &err), FK_EINVAL);
	assert_string_equal(err.key, "invalid_json");
	assert_int_equal(fk_json_parse_object("{\"a\":1,\"a\":2}", 13, &o, &err), FK_EINVAL);
	assert_int_equal(fk_json_parse_object("{\"a\":1} x", 9, &o, &err), FK_EINVAL);
}

static void test_check_ok(void **state)
{
	struct fk_err err;
	json_t *o;
	const char *t = "{\"name\":\"张三\",\"age\":null,\"area_id\":\"123456789012\","
			"\"tags\":[\"a\",\"b\"],\"area_ids\":[\"1\",2],\"disabled\":true,"
			"\"lat\":36.1,\"extra\":{},\"any\":[1]}";

	(void)state;
	assert_int_equal(fk_json_parse_object(t, strlen(t), &o, &err), 0);
	assert_int_equal(fk_json_check(o, person_spec, &err), 0);
	assert_string_equal(fk_json_str(o, "name"), "张三");
	assert_null(fk_json_str(o, "missing"));
	assert_int_equal(fk_json_int(o, "age", -7), -7);
	assert_true(fk_json_id(o, "area_id") == 123456789012LL);
	assert_int_equal(fk_json_id(o, "name"), 0);
	assert_true(fk_json_has(o, "age"));
	assert_false(fk_json_has(o, "missing"));
	assert_int_equal(fk_json_id_value(json_array_get(json_object_get(o, "area_ids"), 1)), 2);
	json_decref(o);
	assert_int_equal(check("{\"name\":\"x\",\"area_id\":5}", &err), 0);
}

static void test_check_refusals(void **state)
{
	(void)state;
	expect("{\"name\":\"x\",\"area_id\":\"1\",\"nickname\":\"y\"}", "unknown_field",
	       "nickname");
	expect("{\"name\":1,\"area_id\":\"1\"}", "wrong_type", "name");
	expect("{\"name\":null,\"area_id\":\"1\"}", "wrong_type", "name");
	expect("{\"name\":\"x\",\"area_id\":\"1\",\"age\":1.5}", "wrong_type", "age");
	expect("{\"name\":\"x\",\"area_id\":\"1\",\"disabled\":1}", "wrong_type", "disabled");
	expect("{\"name\":\"x\",\"area_id\":\"1\",\"lat\":\"1\"}", "wrong_type", "lat");
	expect("{\"name\":\"x\",\"area_id\":\"1\",\"extra\":[]}", "wrong_type", "extra");
	expect("{\"name\":\"x\",\"area_id\":\"1\",\"tags\":\"a\"}", "wrong_type", "tags");
	expect("{\"name\":\"x\",\"area_id\":\"1\",\"tags\":[1]}", "wrong_type", "tags");
	expect("{\"area_id\":\"1\"}", "missing_field", "name");
	expect("{\"name\":\"x\"}", "missing_field", "area_id");
	expect("{\"name\":\"123456789\",\"area_id\":\"1\"}", "too_long", "name");
	expect("{\"name\":\"张三丰\",\"area_id\":\"1\"}", "too_long", "name"); /* 9 bytes */
	expect("{\"name\":\"x\",\"area_id\":\"1\",\"tags\":[\"a\",\"b\",\"c\",\"d\"]}", "too_long",
	       "tags");
	expect("{\"name\":\"x\",\"area_id\":\"0\"}", "invalid_id", "area_id");
	expect("{\"name\":\"x\",\"area_id\":-3}", "invalid_id", "area_id");
	expect("{\"name\":\"x\",\"area_id\":\"12x\"}", "invalid_id", "area_id");
	expect("{\"name\":\"x\",\"area_id\":\"9223372036854775808\"}", "invalid_id", "area_id");
	expect("{\"name\":\"x\",\"area_id\":true}", "wrong_type", "area_id");
	expect("{\"name\":\"x\",\"area_id\":\"1\",\"area_ids\":[\"1\",\"a\"]}", "invalid_id",
	       "area_ids");
}

/* A number outside its field's range is refused naming the field, with the field's own key
 * when it has one; the ends are inside; a field without a range takes any number. */
static void test_check_ranges(void **state)
{
	struct fk_err err;

	(void)state;
	expect("{\"name\":\"x\",\"area_id\":\"1\",\"age\":-1}", "out_of_range", "age");
	expect("{\"name\":\"x\",\"area_id\":\"1\",\"age\":151}", "out_of_range", "age");
	expect("{\"name\":\"x\",\"area_id\":\"1\",\"age\":1e300}", "wrong_type", "age");
	expect("{\"name\":\"x\",\"area_id\":\"1\",\"lat\":90.0001}", "invalid_lat", "lat");
	expect("{\"name\":\"x\",\"area_id\":\"1\",\"lat\":-1e300}", "invalid_lat", "lat");
	assert_int_equal(check("{\"name\":\"x\",\"area_id\":\"1\",\"age\":0,\"lat\":-90}", &err),
			 0);
	assert_int_equal(check("{\"name\":\"x\",\"area_id\":\"1\",\"age\":150,\"lat\":90}", &err),
			 0);
	assert_int_equal(check("{\"name\":\"x\",\"area_id\":\"1\",\"any\":-1e300}", &err), 0);
	assert_int_equal(check("{\"name\":\"x\",\"area_id\":\"1\",\"age\":200}", &err), FK_EINVAL);
	assert_non_null(strstr(err.en, "between 0 and 150"));
}

static void test_builders(void **state)
{
	json_t *v;

	(void)state;
	v = fk_json_idv(1234567890123LL);
	assert_string_equal(json_string_value(v), "1234567890123");
	json_decref(v);
	v = fk_json_idv(0);
	assert_true(json_is_null(v));
	v = fk_json_timev(1795690014123LL);
	assert_string_equal(json_string_value(v), "2026-11-26T10:46:54.123Z");
	json_decref(v);
	assert_true(json_is_null(fk_json_timev(0)));
	assert_true(json_is_null(fk_json_strv(NULL)));
	v = fk_json_strv("王五");
	assert_string_equal(json_string_value(v), "王五");
	json_decref(v);
	v = fk_json_strv("a\xFF");
	assert_string_equal(json_string_value(v), "a?");
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_errors),   cmocka_unit_test(test_check_ok),
	    cmocka_unit_test(test_check_refusals), cmocka_unit_test(test_check_ranges),
	    cmocka_unit_test(test_builders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
