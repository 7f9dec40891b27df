/* phone: mainland mobile and landline numbers, normalised for storage and search. The split
 * between area code and subscriber number follows the numbering plan (010 and 02x are three
 * digits with the 0, every other area code four), so "053288886666" and "0532 8888 6666" both
 * become "0532-88886666". */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "base/norm.h"
#include "base/phone.h"

#define PHONE_MAX_DIGITS 24
#define PHONE_MAX_TEXT	 96 /* folded input, digits and separators */
#define PHONE_MAX_GROUPS 8

struct phone_digits {
	char d[PHONE_MAX_DIGITS + 1];
	int n;
	bool plus;
	int ngroups;
	int group_start[PHONE_MAX_GROUPS]; /* offset in d where each digit group starts */
};

static int bad(struct fk_err *err)
{
	return fk_err_set(err, FK_EINVAL, "phone_invalid", "phone",
			  "电话号码格式不正确：手机号为11位数字，固定电话如 0532-88886666",
			  "The phone number is not valid: a mobile has 11 digits, a landline looks "
			  "like 0532-88886666");
}

/* Collects the digits, noting where separated groups start; false on any other character. */
static bool collect(const char *in, struct phone_digits *p)
{
	bool in_group = false;

	memset(p, 0, sizeof(*p));
	if (*in == '+') {
		p->plus = true;
		in++;
	}
	for (; *in; in++) {
		if (*in >= '0' && *in <= '9') {
			if (p->n >= PHONE_MAX_DIGITS)
				return false;
			if (!in_group && p->ngroups < PHONE_MAX_GROUPS)
				p->group_start[p->ngroups++] = p->n;
			in_group = true;
			p->d[p->n++] = *in;
		} else if (*in == ' ' || *in == '-' || *in == '(' || *in == ')') {
			in_group = false;
		} else {
			return false;
		}
	}
	return true;
}

static bool is_mobile(const char *d, int n)
{
	return n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

static int landline(const struct phone_digits *p, const char *d, int n, char out[24],
		    struct fk_err *err)
{
	int area = (d[1] == '1' || d[1] == '2') ? 3 : 4;
	int sub = n - area, ext = 0;
	int last = p->ngroups > 1 ? p->group_start[p->ngroups - 1] - (p->n - n) : -1;

	/* A trailing separated group right after a 7-8 digit subscriber number is an extension. */
	if (last > area && (last - area == 7 || last - area == 8) && n - last <= 6) {
		sub = last - area;
		ext = n - last;
	}
	if (n < area + 7 || sub < 7 || sub > 8 || d[1] == '0' || d[area] == '0')
		return bad(err);
	if (ext)
		snprintf(out, 24, "%.*s-%.*s-%.*s", area, d, sub, d + area, ext, d + area + sub);
	else
		snprintf(out, 24, "%.*s-%.*s", area, d, sub, d + area);
	return 0;
}

int fk_phone_normalize(const char *in, char out[24], struct fk_err *err)
{
	struct phone_digits p;
	char text[PHONE_MAX_TEXT];
	char d[PHONE_MAX_DIGITS + 2];
	int n;

	out[0] = '\0';
	if (!in || fk_norm_phone(in, text, sizeof(text), NULL) < 0 || !collect(text, &p) ||
	    p.n == 0)
		return bad(err);
	memcpy(d, p.d, (size_t)p.n + 1);
	n = p.n;
	if (p.plus || (n == 13 && strncmp(d, "86", 2) == 0 && is_mobile(d + 2, 11))) {
		if (strncmp(d, "86", 2) != 0)
			return bad(err);
		memmove(d, d + 2, (size_t)n - 1);
		n -= 2;
		if (!is_mobile(d, n) && n > 0 && d[0] != '0') {
			/* +86 532 ...: the international form drops the trunk 0. */
			memmove(d + 1, d, (size_t)n + 1);
			d[0] = '0';
			n++;
		}
	}
	if (is_mobile(d, n)) {
		memcpy(out, d, 12);
		return 0;
	}
	if (n > 0 && d[0] == '0')
		return landline(&p, d, n, out, err);
	return bad(err);
}
