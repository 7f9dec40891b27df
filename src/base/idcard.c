/* idcard: identity document types and numbers; the resident ID card (GB 11643-1999) in full:
 * length, characters, region, birth date and the ISO 7064 mod 11-2 check digit. */
#include <string.h>
#include <strings.h>
#include "base/clock.h"
#include "base/idcard.h"
#include "base/norm.h"

static const struct {
	const char *name;
	enum fk_id_type type;
} idtype_names[] = {
    {"resident", FK_IDT_RESIDENT},
    {"id_card", FK_IDT_RESIDENT},
    {"身份证", FK_IDT_RESIDENT},
    {"居民身份证", FK_IDT_RESIDENT},
    {"passport", FK_IDT_PASSPORT},
    {"护照", FK_IDT_PASSPORT},
    {"hkmo", FK_IDT_HKMO},
    {"港澳通行证", FK_IDT_HKMO},
    {"港澳居民来往内地通行证", FK_IDT_HKMO},
    {"港澳居民居住证", FK_IDT_HKMO},
    {"回乡证", FK_IDT_HKMO},
    {"tw", FK_IDT_TW},
    {"台湾通行证", FK_IDT_TW},
    {"台胞证", FK_IDT_TW},
    {"台湾居民来往大陆通行证", FK_IDT_TW},
    {"台湾居民居住证", FK_IDT_TW},
    {"other", FK_IDT_OTHER},
    {"其他", FK_IDT_OTHER},
    {"其它", FK_IDT_OTHER},
};

int fk_idtype_parse(const char *s)
{
	char tmp[64];
	size_t n;

	if (!s)
		return FK_IDT_RESIDENT;
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return FK_IDT_RESIDENT;
	if (n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	for (size_t i = 0; i < sizeof(idtype_names) / sizeof(idtype_names[0]); i++) {
		if (strcasecmp(tmp, idtype_names[i].name) == 0)
			return idtype_names[i].type;
	}
	return -1;
}

const char *fk_idtype_name(enum fk_id_type t)
{
	switch (t) {
	case FK_IDT_RESIDENT:
		return "resident";
	case FK_IDT_PASSPORT:
		return "passport";
	case FK_IDT_HKMO:
		return "hkmo";
	case FK_IDT_TW:
		return "tw";
	case FK_IDT_OTHER:
		return "other";
	}
	return "other";
}

char fk_idcard_check_digit(const char *first17)
{
	static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char map[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * weights[i];
	return map[sum % 11];
}

static int resident_birth(const char *num, struct fk_idcard *out, struct fk_err *err)
{
	int y = 0, m = 0, d = 0, ty, tm, td;

	for (int i = 6; i < 10; i++)
		y = y * 10 + (num[i] - '0');
	m = (num[10] - '0') * 10 + (num[11] - '0');
	d = (num[12] - '0') * 10 + (num[13] - '0');
	fk_date_today(&ty, &tm, &td);
	if (!fk_date_valid(y, m, d) || y < 1900 || fk_date_days(y, m, d) > fk_date_days(ty, tm, td))
		return fk_err_set(
		    err, FK_EINVAL, "id_number_birth", "id_number",
		    "身份证号码中的出生日期（第7-14位）不是有效日期",
		    "The birth date in the ID number (digits 7-14) is not a valid date");
	memcpy(out->birth, num + 6, 4);
	out->birth[4] = '-';
	memcpy(out->birth + 5, num + 10, 2);
	out->birth[7] = '-';
	memcpy(out->birth + 8, num + 12, 2);
	out->birth[10] = '\0';
	return 0;
}

static int parse_resident(const char *num, struct fk_idcard *out, struct fk_err *err)
{
	size_t n = strlen(num);
	int rc;

	if (n != 18)
		return fk_err_set(err, FK_EINVAL, "id_number_length", "id_number",
				  "身份证号码应为18位，实际为%zu位",
				  "The ID number must have 18 characters, not %zu", n);
	for (int i = 0; i < 17; i++) {
		if (num[i] < '0' || num[i] > '9')
			goto chars;
	}
	if ((num[17] < '0' || num[17] > '9') && num[17] != 'X')
		goto chars;
	if (num[0] == '0')
		return fk_err_set(err, FK_EINVAL, "id_number_region", "id_number",
				  "身份证号码的地区码（前6位）无效",
				  "The region code of the ID number (first 6 digits) is not valid");
	rc = resident_birth(num, out, err);
	if (rc < 0)
		return rc;
	if (fk_idcard_check_digit(num) != num[17])
		return fk_err_set(
		    err, FK_EINVAL, "id_number_check", "id_number",
		    "身份证号码校验位不正确，请核对号码",
		    "The check digit of the ID number is wrong; please check the number");
	memcpy(out->region, num, 6);
	out->region[6] = '\0';
	out->sex = (num[16] - '0') % 2 ? 'M' : 'F';
	return 0;
chars:
	return fk_err_set(err, FK_EINVAL, "id_number_chars", "id_number",
			  "身份证号码只能由数字组成，最后一位可以是X",
			  "The ID number must be digits only, the last one may be X");
}

static int parse_other(const char *num, struct fk_err *err)
{
	size_t n = strlen(num);

	if (n < 5 || n > 20)
		goto bad;
	for (size_t i = 0; i < n; i++) {
		if (!(num[i] >= 'A' && num[i] <= 'Z') && !(num[i] >= '0' && num[i] <= '9'))
			goto bad;
	}
	return 0;
bad:
	return fk_err_set(err, FK_EINVAL, "id_number_chars", "id_number",
			  "证件号码应为5-20位字母或数字",
			  "The document number must be 5-20 letters or digits");
}

int fk_idcard_parse(enum fk_id_type type, const char *number, struct fk_idcard *out,
		    struct fk_err *err)
{
	struct fk_idcard tmp;
	int rc;

	memset(&tmp, 0, sizeof(tmp));
	tmp.type = type;
	if ((unsigned)type > FK_IDT_OTHER)
		return fk_err_set(err, FK_EINVAL, "id_type_invalid", "id_type", "证件类型无效",
				  "The ID type is not valid");
	if (fk_norm_id_number(number, tmp.number, sizeof(tmp.number), NULL) < 0) {
		if (type != FK_IDT_RESIDENT)
			return parse_other("", err);
		return fk_err_set(err, FK_EINVAL, "id_number_length", "id_number",
				  "身份证号码应为18位", "The ID number must have 18 characters");
	}
	if (type == FK_IDT_RESIDENT)
		rc = parse_resident(tmp.number, &tmp, err);
	else
		rc = parse_other(tmp.number, err);
	if (rc < 0)
		return rc;
	if (out)
		*out = tmp;
	return 0;
}
