/* json: strict checking of JSON request bodies against a field table (jansson underneath), and
 * small helpers for building replies. A body is an object whose every member must be named in
 * the table with the right type; unknown members, wrong types, missing required members and
 * over-long strings are each an FK_EINVAL naming the field. */
#ifndef FK_JSON_H
#define FK_JSON_H
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <jansson.h>
#include "base/err.h"

enum fk_jtype {
	FK_J_STRING = 1,
	FK_J_INT, /* JSON integer */
	FK_J_ID,  /* a 64-bit id: a decimal string (or an integer) */
	FK_J_BOOL,
	FK_J_NUMBER, /* integer or real */
	FK_J_ARRAY,
	FK_J_OBJECT,
	FK_J_STRINGS, /* array of strings */
	FK_J_IDS,     /* array of ids */
	FK_J_ANY,
};

struct fk_field {
	const char *name;
	enum fk_jtype type;
	bool required;
	bool nullable;
	size_t max_len; /* strings: max bytes; arrays: max items; 0 = 1024 / 1000 */
	/* FK_J_INT, FK_J_NUMBER: the value lies in [min, max], else FK_EINVAL range_key (NULL:
	 * "out_of_range") naming the field; min == max == 0 means no range, which no route's
	 * numeric field has (`fangkong routes --json` shows each range, the OpenAPI test and
	 * docs/openapi.yaml agree with it). */
	double min, max;
	const char *range_key;
};
/* clang-format off */
#define FK_FIELDS_END {.name = NULL}
/* A point's two fields, nullable, in degrees; a value outside the earth is FK_EINVAL key. */
#define FK_LAT_FIELD(key) {.name = "lat", .type = FK_J_NUMBER, .nullable = true, .min = -90, .max = 90, .range_key = (key)}
#define FK_LNG_FIELD(key) {.name = "lng", .type = FK_J_NUMBER, .nullable = true, .min = -180, .max = 180, .range_key = (key)}
/* clang-format on */

/* Parses text (len bytes) into an object; FK_EINVAL "invalid_json" with line/column in the
 * message and err->line set on error, "body_not_object" if it is not an object. Duplicate keys
 * are refused. *out is a new reference (NULL on error). */
int fk_json_parse_object(const char *text, size_t len, json_t **out, struct fk_err *err);
/* Checks obj against spec (terminated by FK_FIELDS_END). Keys, each naming the field in
 * err->field: "unknown_field", "wrong_type" (also null where not nullable), "missing_field",
 * "too_long" (string bytes or array items over max_len), "out_of_range" (or the field's
 * range_key: a number outside [min, max]), "invalid_id" (FK_J_ID/FK_J_IDS: a
 * decimal string of 1..19 digits or an integer, > 0 and within int64). Strings inside
 * FK_J_STRINGS are capped at 1024 bytes each. */
int fk_json_check(json_t *obj, const struct fk_field *spec, struct fk_err *err);

/* Getters for checked bodies: absent or null -> def / NULL / false. */
const char *fk_json_str(json_t *obj, const char *name);
int64_t fk_json_int(json_t *obj, const char *name, int64_t def);
int64_t fk_json_id(json_t *obj, const char *name); /* 0 if absent or not an id */
int64_t fk_json_id_value(json_t *v);		   /* same for a value (array items) */
bool fk_json_has(json_t *obj, const char *name);   /* present, even if null */

/* Builders: ids as strings (id <= 0 -> null), epoch ms as ISO 8601 (0 -> null), NULL string
 * -> JSON null (invalid UTF-8 bytes become '?'). Each returns a new reference. */
json_t *fk_json_idv(int64_t id);
json_t *fk_json_timev(int64_t epoch_ms); /* 0 -> null */
json_t *fk_json_strv(const char *s);

#endif
