/* fuzz_json: libFuzzer harness for base/json: fk_json_parse_object on the raw bytes, then
 * fk_json_check against a small field table holding every field type. A second, plain
 * reading of the table's rules must agree with fk_json_check on every object, and each
 * refusal must carry a documented key and name a field. The builders get the input too. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/json.h"
#include "base/utf8.h"
#include "plain_json.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_json: check failed at line %d: %s\n", __LINE__,      \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct fk_field spec[] = {
    {.name = "name", .type = FK_J_STRING, .required = true, .max_len = 8},
    {.name = "note", .type = FK_J_STRING, .nullable = true},
    {.name = "age", .type = FK_J_INT, .nullable = true},
    {.name = "area_id", .type = FK_J_ID},
    {.name = "tags", .type = FK_J_STRINGS, .max_len = 3},
    {.name = "area_ids", .type = FK_J_IDS, .nullable = true},
    {.name = "disabled", .type = FK_J_BOOL},
    {.name = "lat", .type = FK_J_NUMBER, .nullable = true},
    {.name = "extra", .type = FK_J_OBJECT},
    {.name = "list", .type = FK_J_ARRAY, .max_len = 2},
    {.name = "any", .type = FK_J_ANY},
    FK_FIELDS_END,
};

/* Nothing required: what a PATCH body looks like. */
static const struct fk_field patch_spec[] = {
    {.name = "name", .type = FK_J_STRING},
    {.name = "area_id", .type = FK_J_ID, .nullable = true},
    {.name = "area_ids", .type = FK_J_IDS, .max_len = 4},
    FK_FIELDS_END,
};

static bool check_key(const char *key)
{
	static const char *const keys[] = {"unknown_field", "wrong_type", "missing_field",
					   "too_long", "invalid_id"};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(key, keys[i]) == 0)
			return true;
	}
	return false;
}

/* The getters on a checked body give what the table promises. */
static void use_checked(json_t *obj, const struct fk_field *sp)
{
	for (; sp->name; sp++) {
		json_t *v = json_object_get(obj, sp->name);
		size_t i;
		json_t *item;

		CHECK(fk_json_has(obj, sp->name) == (v != NULL));
		if (!v || json_is_null(v))
			continue;
		if (sp->type == FK_J_STRING)
			CHECK(fk_json_str(obj, sp->name) == json_string_value(v));
		if (sp->type == FK_J_INT)
			CHECK(fk_json_int(obj, sp->name, -1) == json_integer_value(v));
		if (sp->type == FK_J_ID)
			CHECK(fk_json_id(obj, sp->name) > 0);
		if (sp->type == FK_J_IDS) {
			json_array_foreach(v, i, item) CHECK(fk_json_id_value(item) > 0);
		}
	}
}

static void check_against(json_t *obj, const struct fk_field *sp)
{
	struct fk_err err;
	int rc;

	fk_err_clear(&err);
	rc = fk_json_check(obj, sp, &err);
	CHECK(rc == 0 || rc == FK_EINVAL);
	CHECK((rc == 0) == plain_body_ok(obj, sp));
	if (rc == 0) {
		use_checked(obj, sp);
		return;
	}
	CHECK(err.code == rc && check_key(err.key) && err.en[0] && err.zh[0]);
	if (strcmp(err.key, "unknown_field") == 0)
		CHECK(names_unknown(obj, sp, err.field));
	else
		CHECK(find(sp, err.field) != NULL);
	if (!texts_valid(&err))
		fprintf(stderr,
			"fuzz_json: error texts cut inside a character: field [%s] zh [%s]\n",
			err.field, err.zh);
	CHECK(texts_valid(&err));
}

static void builders(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	int64_t n = 0;
	json_t *v;

	if (!s)
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	v = fk_json_strv(s);
	CHECK(json_is_string(v) && fk_utf8_valid(json_string_value(v), json_string_length(v)));
	CHECK(json_string_length(v) == strlen(s));
	json_decref(v);
	memcpy(&n, data, size < sizeof(n) ? size : sizeof(n));
	v = fk_json_idv(n);
	CHECK(n > 0 ? fk_json_id_value(v) == n : json_is_null(v));
	json_decref(v);
	v = fk_json_timev(n);
	CHECK(n != 0 ? json_is_string(v) && json_string_length(v) == 24 : json_is_null(v));
	json_decref(v);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *obj = (json_t *)1, *extra;
	struct fk_err err;
	int rc;

	fk_err_clear(&err);
	rc = fk_json_parse_object((const char *)data, size, &obj, &err);
	if (rc < 0) {
		CHECK(rc == FK_EINVAL && obj == NULL && err.code == rc && err.en[0]);
		CHECK(strcmp(err.key, "invalid_json") == 0 ||
		      strcmp(err.key, "body_not_object") == 0);
		CHECK(err.line >= 0);
	} else {
		CHECK(rc == 0 && json_is_object(obj));
		check_against(obj, spec);
		check_against(obj, patch_spec);
		extra = json_object_get(obj, "extra");
		if (json_is_object(extra))
			check_against(extra, spec);
		else if (extra)
			CHECK(fk_json_check(extra, spec, NULL) == FK_EINVAL);
		json_decref(obj);
	}
	builders(data, size);
	return 0;
}
