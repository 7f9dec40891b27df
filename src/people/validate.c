/* validate: the rules for one person's fields — names, ID numbers (through base/idcard),
 * phones, sex and birth date, residence kinds, tags and lengths — shared by the API, the
 * importer and fk_person_upsert. No store access here. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "base/clock.h"
#include "base/phone.h"
#include "base/utf8.h"
#include "people/internal.h"

/* Canonical order: the order tags are stored and shown in. */
static const struct {
	const char *name;
	const char *zh;
	const char *alias;
} tags[] = {
    {"elderly_alone", "独居老人", "独居"},
    {"bedridden", "卧床", "卧床不起"},
    {"disabled", "残疾", "残疾人"},
    {"pregnant", "孕妇", "孕产妇"},
    {"child", "儿童", "婴幼儿"},
    {"key_person", "重点人员", "重点人群"},
    {"home_sampling", "上门采样", "需上门采样"},
};
#define NTAGS ((int)(sizeof(tags) / sizeof(tags[0])))

static const struct {
	const char *name;
	const char *zh;
} residences[] = {
    {"registered", "户籍"},
    {"permanent", "常住"},
    {"temporary", "暂住"},
    {"visitor", "外来"},
};

static int tag_index(const char *s)
{
	for (int i = 0; s && i < NTAGS; i++) {
		if (strcasecmp(s, tags[i].name) == 0 || strcmp(s, tags[i].zh) == 0 ||
		    strcmp(s, tags[i].alias) == 0)
			return i;
	}
	return -1;
}

const char *fk_person_tag_norm(const char *s)
{
	int i = tag_index(s);
	return i < 0 ? NULL : tags[i].name;
}

const char *fk_person_tag_zh(const char *tag)
{
	int i = tag_index(tag);
	return i < 0 ? NULL : tags[i].zh;
}

const char *fk_person_residence_norm(const char *s)
{
	for (size_t i = 0; s && i < sizeof(residences) / sizeof(residences[0]); i++) {
		if (strcasecmp(s, residences[i].name) == 0 || strcmp(s, residences[i].zh) == 0)
			return residences[i].name;
	}
	/* Common spellings in registers: 户籍人口, 常住人口, 暂住人口, 外来人口. */
	if (s && strstr(s, "人口")) {
		for (size_t i = 0; i < sizeof(residences) / sizeof(residences[0]); i++)
			if (strncmp(s, residences[i].zh, strlen(residences[i].zh)) == 0)
				return residences[i].name;
	}
	return NULL;
}

bool pp_area_kind_ok(const char *kind)
{
	static const char *const ok[] = {"grid",     "building", "unit",    "household",
					 "compound", "park",	 "village", "other"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(kind, ok[i]) == 0)
			return true;
	return false;
}

int pp_copy(char *dst, size_t size, const char *src, const char *field, struct fk_err *err)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= size)
		return fk_err_set(err, FK_EINVAL, "too_long", field, "%s 过长（最多 %zu 字节）",
				  "%s is too long (at most %zu bytes)", field, size - 1);
	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
	return 0;
}

int pp_sex_parse(const char *s, char *out, struct fk_err *err)
{
	*out = 0;
	if (!s || !*s)
		return 0;
	if (strcasecmp(s, "M") == 0 || strcasecmp(s, "male") == 0 || strcmp(s, "男") == 0)
		*out = 'M';
	else if (strcasecmp(s, "F") == 0 || strcasecmp(s, "female") == 0 || strcmp(s, "女") == 0)
		*out = 'F';
	else
		return fk_err_set(err, FK_EINVAL, "invalid_sex", "sex",
				  "性别“%s”无效，应为 男/女 或 M/F",
				  "Sex \"%s\" is not valid: use M/F (男/女)", s);
	return 0;
}

/* Length of the tag separator at p: , ， ; ； 、 | or a space; 0 if none. */
static size_t sep_at(const char *p)
{
	static const char *const seps[] = {"，", "；", "、", "　"};

	if (*p == ',' || *p == ';' || *p == '|' || *p == ' ' || *p == '\t')
		return 1;
	for (size_t i = 0; i < sizeof(seps) / sizeof(seps[0]); i++)
		if (strncmp(p, seps[i], strlen(seps[i])) == 0)
			return strlen(seps[i]);
	return 0;
}

static int tag_add(struct fk_person *p, const char *word, struct fk_err *err)
{
	int i = tag_index(word);

	if (i < 0)
		return fk_err_set(err, FK_EINVAL, "unknown_tag", "tags", "未知的标签“%s”",
				  "unknown tag \"%s\"", word);
	for (int k = 0; k < p->ntags; k++)
		if (strcmp(p->tags[k], tags[i].name) == 0)
			return 0;
	if (p->ntags >= FK_PERSON_MAX_TAGS)
		return fk_err_set(err, FK_EINVAL, "too_many_tags", "tags", "标签过多（最多 %d 个）",
				  "too many tags (at most %d)", FK_PERSON_MAX_TAGS);
	snprintf(p->tags[p->ntags++], sizeof(p->tags[0]), "%s", tags[i].name);
	return 0;
}

int pp_tags_parse(const char *list, struct fk_person *p, struct fk_err *err)
{
	char word[64];
	size_t n, k;
	int rc;

	p->ntags = 0;
	while (list && *list) {
		while ((k = sep_at(list)) > 0)
			list += k;
		for (n = 0; list[n] && sep_at(list + n) == 0;)
			n++;
		if (n == 0)
			break;
		if (n >= sizeof(word))
			n = sizeof(word) - 1; /* too long to be a tag: reported as unknown */
		memcpy(word, list, n);
		word[n] = '\0';
		list += n;
		rc = tag_add(p, word, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void pp_tags_join(const struct fk_person *p, char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	for (int i = 0; i < p->ntags; i++) {
		int n = snprintf(out + o, size - o, "%s%s", i ? "," : "", p->tags[i]);
		if (n < 0 || (size_t)n >= size - o)
			break;
		o += (size_t)n;
	}
}

/* Tags in English, de-duplicated, in the canonical order. */
static int check_tags(struct fk_person *p, struct fk_err *err)
{
	bool have[NTAGS] = {false};
	int n = p->ntags, rc;

	if (n < 0 || n > FK_PERSON_MAX_TAGS)
		return fk_err_set(err, FK_EINVAL, "too_many_tags", "tags", "标签过多（最多 %d 个）",
				  "too many tags (at most %d)", FK_PERSON_MAX_TAGS);
	for (int i = 0; i < n; i++) {
		int t = tag_index(p->tags[i]);
		if (t < 0) {
			p->tags[i][sizeof(p->tags[i]) - 1] = '\0';
			rc = tag_add(p, p->tags[i], err); /* reports the unknown tag */
			return rc < 0 ? rc : FK_EINVAL;
		}
		have[t] = true;
	}
	p->ntags = 0;
	for (int t = 0; t < NTAGS; t++)
		if (have[t])
			snprintf(p->tags[p->ntags++], sizeof(p->tags[0]), "%s", tags[t].name);
	return 0;
}

/* Trimmed, valid UTF-8 text of at most max characters and no control characters. */
static int check_text(char *s, size_t max, bool required, const char *field, const char *zh,
		      struct fk_err *err)
{
	size_t n;

	fk_utf8_trim(s);
	n = strlen(s);
	if (!fk_utf8_valid(s, n))
		return fk_err_set(err, FK_EINVAL, "invalid_utf8", field, "%s含有无效字符%.0s",
				  "%.0s%s is not valid UTF-8 text", zh, field);
	if (required && n == 0)
		return fk_err_set(err, FK_EINVAL, "required", field, "%s不能为空%.0s",
				  "%.0s%s is required", zh, field);
	if (fk_utf8_chars(s) > max)
		return fk_err_set(err, FK_EINVAL, "too_long", field, "%s%.0s过长（最多 %zu 个字）",
				  "%.0s%s is too long (at most %zu characters)", zh, field, max);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && !(c == '\n' && max >= FK_PERSON_NOTE_MAX))
			return fk_err_set(err, FK_EINVAL, "control_char", field,
					  "%s含有控制字符%.0s",
					  "%.0s%s contains control characters", zh, field);
	}
	return 0;
}

static int check_birth(const struct fk_person *p, struct fk_err *err)
{
	int y, m, d, ty, tm, td;

	if (!p->birth_date[0])
		return 0;
	if (fk_date_parse(p->birth_date, &y, &m, &d) < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_birth_date", "birth_date",
				  "出生日期“%s”无效，格式为 YYYY-MM-DD",
				  "birth date \"%s\" is not valid: use YYYY-MM-DD", p->birth_date);
	fk_date_today(&ty, &tm, &td);
	if (y < 1900 || fk_date_days(y, m, d) > fk_date_days(ty, tm, td))
		return fk_err_set(err, FK_EUNPROC, "invalid_birth_date", "birth_date",
				  "出生日期“%s”不合理", "birth date \"%s\" is not plausible",
				  p->birth_date);
	return 0;
}

/* The ID number, normalised; a resident ID fixes sex and birth date. */
static int check_id(struct fk_person *p, struct fk_err *err)
{
	struct fk_idcard card;
	int rc = fk_idcard_parse(p->id_type, p->id_number, &card, err);

	if (rc < 0)
		return rc;
	snprintf(p->id_number, sizeof(p->id_number), "%s", card.number);
	if (p->sex != 0 && p->sex != 'M' && p->sex != 'F')
		return fk_err_set(err, FK_EINVAL, "invalid_sex", "sex", "性别无效，应为 M 或 F",
				  "sex is not valid: use M or F");
	if (p->id_type != FK_IDT_RESIDENT)
		return check_birth(p, err);
	if (p->sex && p->sex != card.sex)
		return fk_err_set(err, FK_EUNPROC, "sex_mismatch", "sex",
				  "性别与身份证号码不符（号码显示为%s）",
				  "sex does not match the ID number (which says %s)",
				  card.sex == 'M' ? "男/M" : "女/F");
	if (p->birth_date[0] && strcmp(p->birth_date, card.birth) != 0)
		return fk_err_set(err, FK_EUNPROC, "birth_date_mismatch", "birth_date",
				  "出生日期与身份证号码不符（号码显示为 %s）",
				  "birth date does not match the ID number (which says %s)",
				  card.birth);
	p->sex = card.sex;
	snprintf(p->birth_date, sizeof(p->birth_date), "%s", card.birth);
	return 0;
}

static int check_contact(struct fk_person *p, struct fk_err *err)
{
	char phone[24];
	const char *res;
	int rc;

	if (p->phone[0]) {
		rc = fk_phone_normalize(p->phone, phone, err);
		if (rc < 0)
			return rc;
		memcpy(p->phone, phone, sizeof(phone));
	}
	fk_utf8_trim(p->residence);
	if (p->residence[0]) {
		res = fk_person_residence_norm(p->residence);
		if (!res)
			return fk_err_set(err, FK_EINVAL, "invalid_residence", "residence",
					  "居住类型“%s”无效，应为 户籍/常住/暂住/外来",
					  "residence \"%s\" is not valid: use registered, "
					  "permanent, temporary or visitor",
					  p->residence);
		snprintf(p->residence, sizeof(p->residence), "%s", res);
	}
	return 0;
}

int pp_person_check(struct fk_person *p, struct fk_err *err)
{
	int rc;

	p->name[sizeof(p->name) - 1] = '\0';
	p->household[sizeof(p->household) - 1] = '\0';
	p->note[sizeof(p->note) - 1] = '\0';
	p->id_number[sizeof(p->id_number) - 1] = '\0';
	p->phone[sizeof(p->phone) - 1] = '\0';
	p->residence[sizeof(p->residence) - 1] = '\0';
	p->birth_date[sizeof(p->birth_date) - 1] = '\0';
	rc = check_text(p->name, FK_PERSON_NAME_MAX, true, "name", "姓名", err);
	if (rc == 0)
		rc = check_id(p, err);
	if (rc == 0)
		rc = check_contact(p, err);
	if (rc == 0)
		rc = check_text(p->household, FK_PERSON_HOUSEHOLD_MAX, false, "household", "房号",
				err);
	if (rc == 0)
		rc = check_text(p->note, FK_PERSON_NOTE_MAX, false, "note", "备注", err);
	if (rc == 0)
		rc = check_tags(p, err);
	if (rc == 0 && p->area_id <= 0)
		rc = fk_err_set(err, FK_EINVAL, "area_required", "area_id", "未指定所在区域",
				"the area is required");
	return rc;
}
