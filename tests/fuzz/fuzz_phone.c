/* fuzz_phone: libFuzzer harness for base/phone (fk_phone_normalize) and base/mask
 * (fk_mask_phone). A success must be a mobile "1[3-9]" + 9 digits or a landline
 * "0AA(A)-SSSSSSS(S)[-EEEEEE]", keep the input's digits (less a +86 country code, plus a trunk
 * 0 it restores), and be a fixed point: normalising it again gives it back. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/mask.h"
#include "base/norm.h"
#include "base/phone.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_phone: check failed at line %d: %s\n", __LINE__,     \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Length of the run of digits at s. */
static size_t digits_at(const char *s)
{
	size_t n = 0;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

static bool is_mobile(const char *s)
{
	return strlen(s) == 11 && digits_at(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9';
}

/* 0 + area (3 digits with the 0 for 010/02x, else 4) - 7 or 8 digits [- 1 to 6 digits]. */
static bool is_landline(const char *s)
{
	size_t area = digits_at(s), sub, ext;

	if (s[0] != '0' || s[1] == '0' || s[area] != '-')
		return false;
	if (area != ((s[1] == '1' || s[1] == '2') ? 3u : 4u))
		return false;
	s += area + 1;
	sub = digits_at(s);
	if (sub < 7 || sub > 8 || s[0] == '0')
		return false;
	s += sub;
	if (*s == '\0')
		return true;
	ext = digits_at(s + 1);
	return s[0] == '-' && ext >= 1 && ext <= 6 && s[1 + ext] == '\0';
}

/* The digits of s, at most cap - 1 of them. */
static void only_digits(const char *s, char *out, size_t cap)
{
	size_t o = 0;

	for (; *s && o + 1 < cap; s++) {
		if (*s >= '0' && *s <= '9')
			out[o++] = *s;
	}
	out[o] = '\0';
}

/* The result's digits are the input's, less a leading 86 and plus a restored trunk 0. */
static void check_digits_kept(const char *in, const char *out)
{
	char din[64], dout[32];

	only_digits(in, din, sizeof(din));
	only_digits(out, dout, sizeof(dout));
	if (strcmp(din, dout) == 0)
		return;
	CHECK(strncmp(din, "86", 2) == 0);
	if (strcmp(din + 2, dout) == 0)
		return;
	CHECK(dout[0] == '0' && strcmp(din + 2, dout + 1) == 0);
}

static void check_mask(const char *s, size_t outsz)
{
	char out[32];
	size_t n = strlen(s), head = 3, tail = 4, want;

	fk_mask_phone(s, out, outsz);
	want = n < outsz ? n : outsz - 1;
	CHECK(strlen(out) == want);
	if (n <= head + tail)
		head = tail = n > 2 ? 1 : 0;
	for (size_t i = 0; i < want; i++)
		CHECK(out[i] == (i < head || i >= n - tail ? s[i] : '*'));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[24], again[24], typed[256];
	struct fk_err err;
	int rc;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	fk_err_clear(&err);
	memset(out, 0x5A, sizeof(out));
	rc = fk_phone_normalize(s, out, &err);
	if (rc < 0) {
		CHECK(rc == FK_EINVAL && err.code == FK_EINVAL && err.key[0] && err.en[0]);
		CHECK(strcmp(err.field, "phone") == 0);
		goto out;
	}
	CHECK(rc == 0 && memchr(out, '\0', sizeof(out)) != NULL);
	/* Accepted as typed: once full-width forms are folded and spaces tidied (norm.h), only
	 * digits and separators are left, and every digit is kept. */
	CHECK(fk_norm_phone(s, typed, sizeof(typed), NULL) == 0);
	CHECK(strspn(typed, "0123456789 -()+") == strlen(typed));
	CHECK(is_mobile(out) || is_landline(out));
	check_digits_kept(typed, out);
	CHECK(fk_phone_normalize(out, again, NULL) == 0 && strcmp(again, out) == 0);
	check_mask(out, sizeof(out));
	check_mask(out, 5);
out:
	check_mask(s, sizeof(out));
	free(s);
	return 0;
}
