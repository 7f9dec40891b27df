/* validate: the rules an area's fields obey — kinds, names, codes, responsible persons and
 * the point — shared by the API, the import and the CLI. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "area/area_int.h"
#include "base/log.h"
#include "base/phone.h"
#include "base/utf8.h"
#include "base/xmalloc.h"

static const struct {
	const char *kind;
	const char *zh[4];
} kinds[] = {
    {"district", {"区", "区县", "县", "市辖区"}},  {"street", {"街道", "镇", "乡", "乡镇"}},
    {"community", {"社区", "居委会", NULL, NULL}}, {"village", {"村", "行政村", "村委会", NULL}},
    {"grid", {"网格", NULL, NULL, NULL}},	   {"building", {"楼栋", "楼座", "楼", NULL}},
    {"unit", {"单元", NULL, NULL, NULL}},	   {"household", {"户", "住户", NULL, NULL}},
    {"compound", {"小区", NULL, NULL, NULL}},	   {"park", {"园区", "产业园", NULL, NULL}},
    {"other", {"其他", "其它", NULL, NULL}},
};

bool fk_area_kind_valid(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i].kind) == 0)
			return true;
	return false;
}

const char *area_kind_norm(const char *s)
{
	for (size_t i = 0; s && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcasecmp(s, kinds[i].kind) == 0)
			return kinds[i].kind;
		for (int j = 0; j < 4 && kinds[i].zh[j]; j++)
			if (strcmp(s, kinds[i].zh[j]) == 0)
				return kinds[i].kind;
	}
	return NULL;
}

/* Printable UTF-8 of 1..max characters, without control characters. */
static int check_text(const char *s, size_t max, const char *field, bool required,
		      struct fk_err *err)
{
	size_t len = s ? strlen(s) : 0;

	if (len == 0 && required)
		return fk_err_set(err, FK_EINVAL, "required", field, "%s 不能为空",
				  "%s must not be empty", field);
	if (!fk_utf8_valid(s ? s : "", len))
		return fk_err_set(err, FK_EINVAL, "invalid_utf8", field, "%s 不是有效的 UTF-8 文本",
				  "%s is not valid UTF-8 text", field);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return fk_err_set(err, FK_EINVAL, "invalid_text", field, "%s 含有控制字符",
					  "%s contains control characters", field);
	if (fk_utf8_chars(s ? s : "") > max)
		return fk_err_set(err, FK_EINVAL, "too_long", field, "%s 最多 %zu 个字",
				  "%s must be at most %zu characters", field, max);
	return 0;
}

static int check_code(const char *code, struct fk_err *err)
{
	size_t len = strlen(code);

	if (len == 0 || len > FK_AREA_CODE_MAX)
		return fk_err_set(err, FK_EINVAL, "invalid_code", "code", "编码须为 1 到 %d 个字符",
				  "code must be 1 to %d characters", FK_AREA_CODE_MAX);
	for (size_t i = 0; i < len; i++) {
		char c = code[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return fk_err_set(err, FK_EINVAL, "invalid_code", "code",
					  "编码只能包含字母、数字、下划线和连字符：%s",
					  "code may hold only letters, digits, '_' and '-': %s",
					  code);
	}
	return 0;
}

static int check_point(const struct fk_area *a, struct fk_err *err)
{
	if (!a->has_point)
		return 0;
	if (!isfinite(a->lat) || a->lat < -90 || a->lat > 90)
		return fk_err_set(err, FK_EINVAL, "invalid_lat", "lat", "纬度须在 -90 到 90 之间",
				  "lat must be between -90 and 90");
	if (!isfinite(a->lng) || a->lng < -180 || a->lng > 180)
		return fk_err_set(err, FK_EINVAL, "invalid_lng", "lng", "经度须在 -180 到 180 之间",
				  "lng must be between -180 and 180");
	return 0;
}

int fk_area_validate(const struct fk_area *a, struct fk_err *err)
{
	int rc;

	if (!fk_area_kind_valid(a->kind))
		return fk_err_set(err, FK_EINVAL, "invalid_kind", "kind", "未知的区域类型：%s",
				  "unknown area kind: %s", a->kind);
	rc = check_text(a->name, FK_AREA_NAME_MAX, "name", true, err);
	if (rc == 0)
		rc = check_code(a->code, err);
	if (rc == 0)
		rc = check_point(a, err);
	if (rc == 0 && a->responsible) {
		json_t *arr = json_loads(a->responsible, 0, NULL);
		char *text = NULL;
		rc = fk_area_responsible_text(arr, &text, err);
		json_decref(arr);
		free(text);
	}
	return rc;
}

/* One {title,name,phone} object, checked and rebuilt in canonical key order. */
static int responsible_item(json_t *item, size_t i, json_t **out, struct fk_err *err)
{
	static const char *const keys[] = {"title", "name", "phone"};
	char field[64], phone[24];
	const char *key;
	json_t *v, *o;
	int rc;

	snprintf(field, sizeof(field), "responsible[%zu]", i);
	if (!json_is_object(item))
		return fk_err_set(err, FK_EINVAL, "invalid_type", field, "%s 须为对象",
				  "%s must be an object", field);
	json_object_foreach(item, key, v)
	{
		bool known = false;
		for (int k = 0; k < 3; k++)
			known = known || strcmp(key, keys[k]) == 0;
		snprintf(field, sizeof(field), "responsible[%zu].%.32s", i, key);
		if (!known)
			return fk_err_set(err, FK_EINVAL, "unknown_field", field, "未知字段 %s",
					  "unknown field %s", field);
		if (!json_is_string(v) && !json_is_null(v))
			return fk_err_set(err, FK_EINVAL, "invalid_type", field, "%s 须为字符串",
					  "%s must be a string", field);
		rc = check_text(json_string_value(v), 64, field, strcmp(key, "name") == 0, err);
		if (rc < 0)
			return rc;
	}
	snprintf(field, sizeof(field), "responsible[%zu].name", i);
	rc = check_text(json_string_value(json_object_get(item, "name")), 64, field, true, err);
	if (rc < 0)
		return rc;
	o = json_object();
	for (int k = 0; k < 3; k++) {
		const char *s = json_string_value(json_object_get(item, keys[k]));
		if (k == 2 && s && *s) {
			struct fk_err perr = {0};
			snprintf(field, sizeof(field), "responsible[%zu].phone", i);
			if (fk_phone_normalize(s, phone, &perr) < 0) {
				json_decref(o);
				if (err) {
					*err = perr;
					snprintf(err->field, sizeof(err->field), "%s", field);
				}
				return FK_EINVAL;
			}
			s = phone;
		}
		json_object_set_new(o, keys[k], json_string(s ? s : ""));
	}
	*out = o;
	return 0;
}

int fk_area_responsible_text(json_t *arr, char **out, struct fk_err *err)
{
	json_t *norm, *item;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (!json_is_array(arr))
		return fk_err_set(err, FK_EINVAL, "invalid_type", "responsible",
				  "responsible 须为数组", "responsible must be an array");
	if (json_array_size(arr) > FK_AREA_RESP_MAX)
		return fk_err_set(err, FK_EINVAL, "too_many", "responsible", "负责人最多 %d 个",
				  "at most %d responsible persons", FK_AREA_RESP_MAX);
	norm = json_array();
	json_array_foreach(arr, i, item)
	{
		json_t *o = NULL;
		rc = responsible_item(item, i, &o, err);
		if (rc < 0)
			goto out;
		json_array_append_new(norm, o);
	}
	*out = json_dumps(norm, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!*out)
		FK_BUG("json_dumps failed");
out:
	json_decref(norm);
	return rc;
}

static bool place_code_ok(const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return false;
	return n > 0 && n <= FK_PLACE_CODE_MAX;
}

int fk_place_label_check(const char *name, const char *code, struct fk_err *err)
{
	size_t chars = fk_utf8_chars(name);

	if (chars == 0 || chars > FK_AREA_NAME_MAX)
		return fk_err_set(err, FK_EINVAL, "invalid_name", "name", "名称须为 1 到 %d 个字",
				  "the name must be 1 to %d characters", FK_AREA_NAME_MAX);
	if (!place_code_ok(code))
		return fk_err_set(
		    err, FK_EINVAL, "invalid_code", "code", "编码须为 1 到 %d 个字母、数字、- 或 _",
		    "the code must be 1 to %d letters, digits, - or _", FK_PLACE_CODE_MAX);
	return 0;
}
