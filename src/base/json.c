/* json: request bodies parsed with jansson and checked against a field table; builders for
 * replies. Every refusal names the member at fault so the UI can point at it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/json.h"
#include "base/utf8.h"
#include "base/xmalloc.h"

#define JSON_DEFAULT_MAX_LEN   1024
#define JSON_DEFAULT_MAX_ITEMS 1000

int fk_json_parse_object(const char *text, size_t len, json_t **out, struct fk_err *err)
{
	json_error_t jerr;
	json_t *v;

	*out = NULL;
	v = json_loadb(text ? text : "", text ? len : 0, JSON_REJECT_DUPLICATES, &jerr);
	if (!v) {
		fk_err_set(
		    err, FK_EINVAL, "invalid_json", NULL, "JSON 格式错误（第%d行第%d列）：%s",
		    "Invalid JSON at line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
		if (err)
			err->line = jerr.line > 0 ? jerr.line : 0;
		return FK_EINVAL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		return fk_err_set(err, FK_EINVAL, "body_not_object", NULL, "请求体必须是 JSON 对象",
				  "The request body must be a JSON object");
	}
	*out = v;
	return 0;
}

static const struct fk_field *spec_find(const struct fk_field *spec, const char *name)
{
	for (; spec->name; spec++) {
		if (strcmp(spec->name, name) == 0)
			return spec;
	}
	return NULL;
}

static bool id_ok(json_t *v)
{
	int64_t id;

	if (json_is_integer(v))
		return json_integer_value(v) > 0;
	return json_is_string(v) && fk_id_parse(json_string_value(v), &id);
}

static int wrong_type(const char *name, const char *zh, const char *en, struct fk_err *err)
{
	return fk_err_set(err, FK_EINVAL, "wrong_type", name, "字段 %s 应为%s%.0s",
			  "Field %s must be %.0s%s", name, zh, en);
}

static int too_long(const char *name, size_t max, bool items, struct fk_err *err)
{
	if (items)
		return fk_err_set(err, FK_EINVAL, "too_long", name, "字段 %s 最多 %zu 项",
				  "Field %s takes at most %zu items", name, max);
	return fk_err_set(err, FK_EINVAL, "too_long", name, "字段 %s 最长 %zu 字节",
			  "Field %s must be at most %zu bytes long", name, max);
}

static int invalid_id(const char *name, struct fk_err *err)
{
	return fk_err_set(err, FK_EINVAL, "invalid_id", name, "字段 %s 不是有效的编号",
			  "Field %s is not a valid id", name);
}

static bool ranged(const struct fk_field *f)
{
	return f->min != 0 || f->max != 0;
}

/* A number of an INT or NUMBER member within its range, if it has one. */
static int check_range(const struct fk_field *f, json_t *v, struct fk_err *err)
{
	double x = json_number_value(v);

	if (!ranged(f) || (x >= f->min && x <= f->max))
		return 0;
	return fk_err_set(err, FK_EINVAL, f->range_key ? f->range_key : "out_of_range", f->name,
			  "字段 %s 须在 %.15g 到 %.15g 之间",
			  "Field %s must be between %.15g and %.15g", f->name, f->min, f->max);
}

/* Checks each element of an array member: strings (bounded) or ids. */
static int check_items(const struct fk_field *f, json_t *v, struct fk_err *err)
{
	size_t i;
	json_t *item;

	json_array_foreach(v, i, item)
	{
		if (f->type == FK_J_IDS && !id_ok(item))
			return invalid_id(f->name, err);
		if (f->type == FK_J_STRINGS && !json_is_string(item))
			return wrong_type(f->name, "字符串数组", "an array of strings", err);
		if (f->type == FK_J_STRINGS && json_string_length(item) > JSON_DEFAULT_MAX_LEN)
			return too_long(f->name, JSON_DEFAULT_MAX_LEN, false, err);
	}
	return 0;
}

static int check_array(const struct fk_field *f, json_t *v, struct fk_err *err)
{
	size_t max = f->max_len ? f->max_len : JSON_DEFAULT_MAX_ITEMS;

	if (!json_is_array(v)) {
		if (f->type == FK_J_STRINGS)
			return wrong_type(f->name, "字符串数组", "an array of strings", err);
		if (f->type == FK_J_IDS)
			return wrong_type(f->name, "编号数组", "an array of ids", err);
		return wrong_type(f->name, "数组", "an array", err);
	}
	if (json_array_size(v) > max)
		return too_long(f->name, max, true, err);
	return check_items(f, v, err);
}

static int check_value(const struct fk_field *f, json_t *v, struct fk_err *err)
{
	size_t max = f->max_len ? f->max_len : JSON_DEFAULT_MAX_LEN;

	if (json_is_null(v))
		return f->nullable ? 0 : wrong_type(f->name, "非空值", "not null", err);
	switch (f->type) {
	case FK_J_STRING:
		if (!json_is_string(v))
			return wrong_type(f->name, "字符串", "a string", err);
		return json_string_length(v) > max ? too_long(f->name, max, false, err) : 0;
	case FK_J_INT:
		if (!json_is_integer(v))
			return wrong_type(f->name, "整数", "an integer", err);
		return check_range(f, v, err);
	case FK_J_ID:
		if (!json_is_string(v) && !json_is_integer(v))
			return wrong_type(f->name, "编号（数字字符串）", "an id (decimal string)",
					  err);
		return id_ok(v) ? 0 : invalid_id(f->name, err);
	case FK_J_BOOL:
		return json_is_boolean(v) ? 0 : wrong_type(f->name, "布尔值", "true or false", err);
	case FK_J_NUMBER:
		if (!json_is_number(v))
			return wrong_type(f->name, "数字", "a number", err);
		return check_range(f, v, err);
	case FK_J_OBJECT:
		return json_is_object(v) ? 0 : wrong_type(f->name, "对象", "an object", err);
	case FK_J_ARRAY:
	case FK_J_STRINGS:
	case FK_J_IDS:
		return check_array(f, v, err);
	case FK_J_ANY:
		return 0;
	}
	return wrong_type(f->name, "已知类型", "of a known type", err);
}

int fk_json_check(json_t *obj, const struct fk_field *spec, struct fk_err *err)
{
	const char *key;
	json_t *v;
	int rc;

	if (!json_is_object(obj))
		return fk_err_set(err, FK_EINVAL, "body_not_object", NULL, "请求体必须是 JSON 对象",
				  "The request body must be a JSON object");
	json_object_foreach(obj, key, v)
	{
		const struct fk_field *f = spec_find(spec, key);

		if (!f)
			return fk_err_set(err, FK_EINVAL, "unknown_field", key, "未知字段：%s",
					  "Unknown field: %s", key);
		rc = check_value(f, v, err);
		if (rc < 0)
			return rc;
	}
	for (; spec->name; spec++) {
		if (spec->required && !json_object_get(obj, spec->name))
			return fk_err_set(err, FK_EINVAL, "missing_field", spec->name,
					  "缺少必填字段：%s", "Missing required field: %s",
					  spec->name);
	}
	return 0;
}

const char *fk_json_str(json_t *obj, const char *name)
{
	json_t *v = json_object_get(obj, name);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int64_t fk_json_int(json_t *obj, const char *name, int64_t def)
{
	json_t *v = json_object_get(obj, name);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

int64_t fk_json_id_value(json_t *v)
{
	int64_t id;

	if (json_is_integer(v))
		return json_integer_value(v) > 0 ? (int64_t)json_integer_value(v) : 0;
	if (json_is_string(v) && fk_id_parse(json_string_value(v), &id))
		return id;
	return 0;
}

int64_t fk_json_id(json_t *obj, const char *name)
{
	return fk_json_id_value(json_object_get(obj, name));
}

bool fk_json_has(json_t *obj, const char *name)
{
	return json_object_get(obj, name) != NULL;
}

json_t *fk_json_idv(int64_t id)
{
	char s[24];

	if (id <= 0)
		return json_null();
	return json_string_nocheck(fk_id_format(id, s)); /* digits: valid UTF-8 */
}

json_t *fk_json_timev(int64_t epoch_ms)
{
	char s[32];

	if (epoch_ms == 0)
		return json_null();
	return json_string_nocheck(fk_iso8601(epoch_ms, s)); /* ASCII */
}

/* Text from the store should be UTF-8 already; a stray invalid byte becomes '?' rather than
 * making jansson refuse the whole string. */
json_t *fk_json_strv(const char *s)
{
	json_t *v;
	char *copy;
	size_t n;

	if (!s)
		return json_null();
	n = strlen(s);
	if (fk_utf8_valid(s, n))
		return json_stringn(s, n);
	copy = fk_utf8_repair(fk_xstrndup(s, n));
	v = json_stringn(copy, n);
	free(copy);
	return v;
}
