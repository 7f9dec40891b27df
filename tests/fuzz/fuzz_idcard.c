/* fuzz_idcard: libFuzzer harness for base/idcard (fk_idcard_parse for every document type,
 * fk_idtype_parse) and base/mask (fk_mask_id). Besides "no crash", it checks what the header
 * promises: errors name the field and leave out untouched; a success is normalised, parses
 * again to the same result, and for a resident ID carries a real birth date, the sex and the
 * region. Inputs of 17 digits get their check digit appended so the success path is reached.
 * The check digit is computed here from GB 11643-1999 itself, never by the code under test,
 * so a wrong formula there fails the harness instead of agreeing with itself. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/idcard.h"
#include "base/mask.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_idcard: check failed at line %d: %s\n", __LINE__,    \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

static bool upper_alnum(const char *s)
{
	for (; *s; s++) {
		if (!(*s >= 'A' && *s <= 'Z') && !(*s >= '0' && *s <= '9'))
			return false;
	}
	return true;
}

/* GB 11643-1999: the 17 digits weighted by 2^(17-i) mod 11, the sum mod 11 mapped to
 * 1 0 X 9 8 7 6 5 4 3 2. The weights are written out rather than computed so the harness
 * shares nothing with base/idcard. */
static char gb11643_check_digit(const char *num17)
{
	static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char digit[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (num17[i] - '0') * weight[i];
	return digit[sum % 11];
}

/* The birth date a resident ID must have to be accepted: real, 1900 or later, not future. */
static bool birth_acceptable(const char *num)
{
	int y = 0, m, d, ty, tm, td;

	for (int i = 6; i < 10; i++)
		y = y * 10 + (num[i] - '0');
	m = (num[10] - '0') * 10 + (num[11] - '0');
	d = (num[12] - '0') * 10 + (num[13] - '0');
	fk_date_today(&ty, &tm, &td);
	return fk_date_valid(y, m, d) && y >= 1900 &&
	       fk_date_days(y, m, d) <= fk_date_days(ty, tm, td);
}

static void check_resident(const struct fk_idcard *c)
{
	char birth[11];

	CHECK(strlen(c->number) == 18);
	CHECK(all_digits(c->number, 17));
	CHECK(c->number[0] != '0');
	CHECK(gb11643_check_digit(c->number) == c->number[17]);
	CHECK(fk_date_parse(c->birth, NULL, NULL, NULL) == 0);
	snprintf(birth, sizeof(birth), "%.4s-%.2s-%.2s", c->number + 6, c->number + 10,
		 c->number + 12);
	CHECK(strcmp(birth, c->birth) == 0);
	CHECK(birth_acceptable(c->number));
	CHECK(c->sex == ((c->number[16] - '0') % 2 ? 'M' : 'F'));
	CHECK(strlen(c->region) == 6 && strncmp(c->region, c->number, 6) == 0);
}

/* What the header of base/mask promises, byte by byte, for any output size. */
static void check_mask_size(const char *s, size_t outsz)
{
	char out[64];
	size_t n = strlen(s), head = 6, tail = 4, want;

	fk_mask_id(s, out, outsz);
	want = n < outsz ? n : outsz - 1;
	CHECK(strlen(out) == want);
	if (n <= head + tail)
		head = tail = n > 2 ? 1 : 0;
	for (size_t i = 0; i < want; i++)
		CHECK(out[i] == (i < head || i >= n - tail ? s[i] : '*'));
}

static void check_masked(const char *s)
{
	check_mask_size(s, 64);
	check_mask_size(s, 8);
	check_mask_size(s, 1);
	CHECK(fk_mask_id(s, NULL, 0) == NULL);
}

static void parse_one(enum fk_id_type type, const char *s)
{
	struct fk_idcard out, again;
	struct fk_err err;
	int rc;

	memset(&out, 0xA5, sizeof(out));
	fk_err_clear(&err);
	rc = fk_idcard_parse(type, s, &out, &err);
	if (rc < 0) {
		struct fk_idcard pristine;

		CHECK(rc == FK_EINVAL && err.code == FK_EINVAL && err.key[0] && err.en[0]);
		CHECK(strcmp(err.field, type > FK_IDT_OTHER ? "id_type" : "id_number") == 0);
		memset(&pristine, 0xA5, sizeof(pristine));
		CHECK(memcmp(&out, &pristine, sizeof(out)) == 0);
		return;
	}
	CHECK(rc == 0 && type <= FK_IDT_OTHER && out.type == type);
	CHECK(memchr(out.number, '\0', sizeof(out.number)) != NULL);
	if (type == FK_IDT_RESIDENT) {
		check_resident(&out);
	} else {
		size_t n = strlen(out.number);

		CHECK(n >= 5 && n <= 20 && upper_alnum(out.number));
		CHECK(out.birth[0] == '\0' && out.sex == 0 && out.region[0] == '\0');
	}
	CHECK(fk_idcard_parse(type, out.number, &again, NULL) == 0);
	CHECK(strcmp(again.number, out.number) == 0 && strcmp(again.birth, out.birth) == 0);
	CHECK(again.sex == out.sex && strcmp(again.region, out.region) == 0);
	CHECK(fk_idcard_parse(type, s, NULL, NULL) == 0);
	check_masked(out.number);
}

/* 17 digits (after optional spaces) + the right check digit: the success path is then decided
 * only by the region and the birth date. */
static void parse_completed(const char *s)
{
	char num[19];
	struct fk_idcard out;
	int rc;

	while (*s == ' ')
		s++;
	if (strlen(s) < 17 || !all_digits(s, 17))
		return;
	memcpy(num, s, 17);
	num[17] = gb11643_check_digit(num);
	CHECK(fk_idcard_check_digit(num) == num[17]);
	num[18] = '\0';
	rc = fk_idcard_parse(FK_IDT_RESIDENT, num, &out, NULL);
	CHECK((rc == 0) == (num[0] != '0' && birth_acceptable(num)));
	if (rc == 0)
		check_resident(&out);
	num[17] = num[17] == 'X' ? '0' : (num[17] == '9' ? 'X' : (char)(num[17] + 1));
	CHECK(fk_idcard_parse(FK_IDT_RESIDENT, num, &out, NULL) < 0);
}

static void parse_type_name(const char *s)
{
	int t = fk_idtype_parse(s);

	CHECK(t >= -1 && t <= FK_IDT_OTHER);
	if (t >= 0)
		CHECK(fk_idtype_parse(fk_idtype_name((enum fk_id_type)t)) == t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (int t = FK_IDT_RESIDENT; t <= FK_IDT_OTHER + 1; t++)
		parse_one((enum fk_id_type)t, s);
	parse_one((enum fk_id_type)99, s);
	parse_completed(s);
	parse_type_name(s);
	check_masked(s);
	free(s);
	return 0;
}
