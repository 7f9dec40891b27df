/* value: what makes a value valid for a policy definition on its own — type, bounds, choices,
 * list order, the shape of an object, a time of day — and the default parsed from its text.
 * Every refusal names the policy's key, so the admin screen can point at the field. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "base/log.h"
#include "policy/internal.h"

json_t *fk_policy_default(const struct fk_policy_def *d)
{
	json_t *v = json_loads(d->def ? d->def : "", JSON_DECODE_ANY, NULL);

	if (!v)
		FK_BUG("a policy default that does not parse (checked at load)");
	return v;
}

/* Refuses the value of d: "label: why", in each language. */
static int bad(const struct fk_policy_def *d, struct fk_err *err, const char *key, const char *zh,
	       const char *en)
{
	return fk_err_set(err, FK_EINVAL, key, d->key, "%s：%s%.0s%.0s", "%.0s%.0s%s: %s",
			  d->label_zh, zh, d->label_en, en);
}

static bool is_choice(const struct fk_policy_def *d, int64_t v)
{
	if (!d->choices)
		return true;
	for (const int64_t *c = d->choices; *c; c++)
		if (*c == v)
			return true;
	return false;
}

/* An integer within bounds and among the choices. */
static int check_int(const struct fk_policy_def *d, json_t *v, struct fk_err *err)
{
	char zh[96], en[96];
	int64_t n;

	if (!json_is_integer(v))
		return bad(d, err, "wrong_type", "须为整数", "must be an integer");
	n = json_integer_value(v);
	if ((double)n < d->min || (double)n > d->max) {
		snprintf(zh, sizeof zh, "%lld 超出范围 %.0f–%.0f", (long long)n, d->min, d->max);
		snprintf(en, sizeof en, "%lld is outside %.0f-%.0f", (long long)n, d->min, d->max);
		return bad(d, err, "out_of_range", zh, en);
	}
	if (!is_choice(d, n)) {
		snprintf(zh, sizeof zh, "%lld 不是允许的取值", (long long)n);
		snprintf(en, sizeof en, "%lld is not one of the allowed values", (long long)n);
		return bad(d, err, "not_allowed", zh, en);
	}
	return 0;
}

static int check_number(const struct fk_policy_def *d, json_t *v, struct fk_err *err)
{
	char zh[96], en[96];
	double x;

	if (!json_is_number(v))
		return bad(d, err, "wrong_type", "须为数字", "must be a number");
	x = json_number_value(v);
	if (!isfinite(x) || x < d->min || x > d->max) {
		snprintf(zh, sizeof zh, "%g 超出范围 %g–%g", x, d->min, d->max);
		snprintf(en, sizeof en, "%g is outside %g-%g", x, d->min, d->max);
		return bad(d, err, "out_of_range", zh, en);
	}
	return 0;
}

static int check_list(const struct fk_policy_def *d, json_t *v, struct fk_err *err)
{
	size_t i;
	json_t *x;

	if (!json_is_array(v) || json_array_size(v) == 0)
		return bad(d, err, "wrong_type", "须为非空的整数列表",
			   "must be a non-empty list of integers");
	if (json_array_size(v) > POLICY_LIST_MAX)
		return bad(d, err, "too_long", "列表过长", "the list is too long");
	json_array_foreach(v, i, x)
	{
		int rc = check_int(d, x, err);
		if (rc < 0)
			return rc;
		if (i > 0 && json_integer_value(x) <= json_integer_value(json_array_get(v, i - 1)))
			return bad(d, err, "not_ascending", "须从小到大排列且不重复",
				   "must be ascending, without repeats");
	}
	return 0;
}

/* "HH:MM" with 00 <= HH <= 23 and 00 <= MM <= 59, nothing else. */
static int check_time(const struct fk_policy_def *d, json_t *v, struct fk_err *err)
{
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	bool ok = s && strlen(s) == 5 && s[2] == ':';

	for (int i = 0; ok && i < 5; i++)
		ok = i == 2 || (s[i] >= '0' && s[i] <= '9');
	if (ok)
		ok = (s[0] - '0') * 10 + (s[1] - '0') <= 23 && s[3] <= '5';
	if (!ok)
		return bad(d, err, "invalid_time", "须为 00:00 到 23:59 之间的时刻（时:分）",
			   "must be a time of day from 00:00 to 23:59 (HH:MM)");
	return 0;
}

static int check_shape(const struct fk_policy_def *d, json_t *v, json_t *model, int depth,
		       struct fk_err *err);

/* Every member of v shaped like the model's member of the same key (or, with open keys,
 * like the model's first member); a closed object has exactly the model's keys. */
static int check_members(const struct fk_policy_def *d, json_t *v, json_t *model, bool open,
			 int depth, struct fk_err *err)
{
	const char *k;
	json_t *x, *first = json_object_iter_value(json_object_iter(model));

	if (open && json_object_size(v) == 0)
		return bad(d, err, "empty", "不能为空", "must not be empty");
	if (!open && json_object_size(v) != json_object_size(model))
		return bad(d, err, "wrong_keys", "项目须与默认值的项目一致",
			   "must have the same entries as the default");
	json_object_foreach(v, k, x)
	{
		json_t *m = open ? first : json_object_get(model, k);
		int rc;
		if (!m || strlen(k) == 0 || strlen(k) > 64)
			return bad(d, err, "unknown_entry", "含有未知的项目",
				   "has an entry the policy does not know");
		rc = check_shape(d, x, m, depth + 1, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int check_shape(const struct fk_policy_def *d, json_t *v, json_t *model, int depth,
		       struct fk_err *err)
{
	if (depth > 4)
		return bad(d, err, "too_deep", "嵌套过深", "is nested too deeply");
	if (json_is_integer(model))
		return check_int(d, v, err);
	if (json_is_string(model)) {
		if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 200)
			return bad(d, err, "wrong_type", "须为 1–200 字节的文字",
				   "must be a text of 1-200 bytes");
		return 0;
	}
	if (json_is_boolean(model))
		return json_is_boolean(v)
			   ? 0
			   : bad(d, err, "wrong_type", "须为是或否", "must be true or false");
	if (json_is_array(model))
		return check_list(d, v, err);
	if (json_is_object(model)) {
		if (!json_is_object(v))
			return bad(d, err, "wrong_type", "须为对象", "must be an object");
		return check_members(d, v, model, depth == 0 && d->open_keys, depth, err);
	}
	return bad(d, err, "wrong_type", "类型不对", "has the wrong type");
}

static int check_object(const struct fk_policy_def *d, json_t *v, struct fk_err *err)
{
	json_t *model = fk_policy_default(d);
	int rc = json_is_object(v) ? check_shape(d, v, model, 0, err)
				   : bad(d, err, "wrong_type", "须为对象", "must be an object");

	json_decref(model);
	return rc;
}

int fk_policy_check_value(const struct fk_policy_def *d, json_t *v, struct fk_err *err)
{
	if (!v)
		return bad(d, err, "missing_value", "缺少取值", "has no value");
	switch (d->type) {
	case FK_POLICY_INT:
	case FK_POLICY_DURATION:
		return check_int(d, v, err);
	case FK_POLICY_NUMBER:
		return check_number(d, v, err);
	case FK_POLICY_INT_LIST:
		return check_list(d, v, err);
	case FK_POLICY_TIME:
		return check_time(d, v, err);
	case FK_POLICY_OBJECT:
		return check_object(d, v, err);
	}
	return bad(d, err, "bad_definition", "定义的类型未知", "has an unknown type");
}

const char *policy_type_name(enum fk_policy_type t)
{
	static const char *const names[] = {"",		"int",	"number", "int_list",
					    "duration", "time", "object"};
	return t >= FK_POLICY_INT && t <= FK_POLICY_OBJECT ? names[t] : "unknown";
}

const char *policy_unit_name(enum fk_policy_unit u)
{
	static const char *const names[] = {"", "minutes", "hours", "days"};
	return u >= FK_POLICY_MINUTES && u <= FK_POLICY_DAYS ? names[u] : NULL;
}

int64_t policy_unit_ms(enum fk_policy_unit u)
{
	return u == FK_POLICY_DAYS ? 86400000LL : u == FK_POLICY_HOURS ? 3600000LL : 60000LL;
}
