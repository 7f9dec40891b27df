/* skills: the closed lists of the workforce (worker kinds, team kinds, skills) and the
 * skills as stored (comma-separated text) and shown (a JSON array). */
#include <string.h>
#include "base/buf.h"
#include "base/utf8.h"
#include "workforce/internal.h"

static const char *const wf_kinds[] = {"staff", "party_member", "cadre", "volunteer", NULL};
static const char *const wf_team_kinds[] = {"assault", "volunteer", "vanguard_post", NULL};
static const char *const wf_skills[] = {"driver",    "medical", "interpreter", "sampler",
					"logistics", "other",	NULL};

static bool in_list(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

bool wf_kind_valid(const char *kind)
{
	return in_list(wf_kinds, kind);
}

bool wf_team_kind_valid(const char *kind)
{
	return in_list(wf_team_kinds, kind);
}

static int bad_skill(const char *field, const char *s, struct fk_err *err)
{
	return fk_err_set(
	    err, FK_EINVAL, "invalid_skill", field,
	    "技能“%s”无效：须为 driver、medical、interpreter、sampler、logistics、other",
	    "skill \"%s\" is not one of driver, medical, interpreter, sampler, "
	    "logistics, other",
	    s);
}

/* The English name of a skill or kind given in Chinese (a spreadsheet's words); s itself
 * when it is not one of them. */
const char *wf_zh_name(const char *s)
{
	static const char *const map[][2] = {
	    {"司机", "driver"},	      {"医护", "medical"}, {"医疗", "medical"},
	    {"翻译", "interpreter"},  {"采样", "sampler"}, {"采样员", "sampler"},
	    {"后勤", "logistics"},    {"其他", "other"},   {"工作人员", "staff"},
	    {"党员", "party_member"}, {"干部", "cadre"},   {"下沉干部", "cadre"},
	    {"志愿者", "volunteer"},
	};

	for (size_t i = 0; s && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], s) == 0)
			return map[i][1];
	return s;
}

/* Appends skill s to out unless it is there already. */
static int add_skill(const char *s, const char *field, char *out, size_t size, struct fk_err *err)
{
	size_t len = strlen(out);

	s = wf_zh_name(s);
	if (!in_list(wf_skills, s))
		return bad_skill(field, s, err);
	for (const char *p = out; *p;) {
		size_t n = strcspn(p, ",");
		if (n == strlen(s) && strncmp(p, s, n) == 0)
			return 0;
		p += n + (p[n] == ',');
	}
	if (len + strlen(s) + 2 > size)
		return bad_skill(field, s, err);
	if (len)
		out[len++] = ',';
	memcpy(out + len, s, strlen(s) + 1);
	return 0;
}

int wf_skills_text(json_t *arr, const char *field, char *out, size_t size, struct fk_err *err)
{
	size_t i;
	json_t *v;

	out[0] = '\0';
	json_array_foreach(arr, i, v)
	{
		int rc = add_skill(json_string_value(v), field, out, size, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int wf_skills_cell(const char *cell, const char *field, char *out, size_t size, struct fk_err *err)
{
	static const char *const seps[] = {"，", "、", "；", ",", ";", " ", NULL};
	char word[32];
	const char *p = cell ? cell : "";

	out[0] = '\0';
	while (*p) {
		size_t n = 0;
		int sep = -1;
		while (p[n]) {
			for (int k = 0; seps[k] && sep < 0; k++)
				if (strncmp(p + n, seps[k], strlen(seps[k])) == 0)
					sep = k;
			if (sep >= 0)
				break;
			n++;
		}
		if (n >= sizeof(word))
			return bad_skill(field, "…", err);
		memcpy(word, p, n);
		word[n] = '\0';
		if (n > 0 && add_skill(word, field, out, size, err) < 0)
			return FK_EINVAL;
		p += n + (sep >= 0 ? strlen(seps[sep]) : 0);
	}
	return 0;
}

json_t *wf_skills_json(const char *text)
{
	json_t *a = json_array();
	const char *p = text ? text : "";

	while (*p) {
		size_t n = strcspn(p, ",");
		if (n)
			json_array_append_new(a, json_stringn(p, n));
		p += n + (p[n] == ',');
	}
	return a;
}

int wf_text_check(const char *s, const char *field, size_t max_chars, bool required,
		  struct fk_err *err)
{
	size_t n = s ? fk_utf8_chars(s) : 0;
	bool blank = !s || s[strspn(s, " \t\r\n")] == '\0';

	if (required && blank)
		return fk_err_set(err, FK_EINVAL, "missing_field", field, "%s 不能为空",
				  "%s is required", field);
	if (n > max_chars)
		return fk_err_set(err, FK_EINVAL, "too_long", field, "%s 最多 %zu 个字",
				  "%s is over %zu characters", field, max_chars);
	return 0;
}
