/* fuzz_date: libFuzzer harness for base/clock's parsers: fk_date_parse ("YYYY-MM-DD") and
 * fk_iso8601_parse, checked against a plain reading of the calendar and against gmtime
 * (through fk_iso8601): a parsed date prints back the same and its day count converts back
 * to it; a parsed timestamp formats and parses back to the same instant. The first eight
 * bytes are also used as an epoch in ms for fk_iso8601. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/err.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_date: check failed at line %d: %s\n", __LINE__,      \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define FALLBACK "1970-01-01T00:00:00.000Z"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool plain_date_ok(const char *s)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, max;

	if (strlen(s) != 10 || strspn(s, "0123456789") != 4 || s[4] != '-' ||
	    strspn(s + 5, "0123456789") != 2 || s[7] != '-' || strspn(s + 8, "0123456789") != 2)
		return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return false;
	max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

/* Howard Hinnant's civil_from_days: the inverse of fk_date_days. */
static void civil(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static void check_date(const char *s)
{
	int y = -1, m = -1, d = -1, y2, m2, d2;
	char back[16];
	int rc = fk_date_parse(s, &y, &m, &d);

	CHECK(rc == 0 || rc == FK_EINVAL);
	CHECK((rc == 0) == plain_date_ok(s));
	CHECK(fk_date_parse(s, NULL, NULL, NULL) == rc);
	if (rc < 0)
		return;
	CHECK(fk_date_valid(y, m, d));
	snprintf(back, sizeof(back), "%04d-%02d-%02d", y, m, d);
	CHECK(strcmp(back, s) == 0);
	civil(fk_date_days(y, m, d), &y2, &m2, &d2);
	CHECK(y2 == y && m2 == m && d2 == d);
	civil(fk_date_days(y, m, d) + 1, &y2, &m2, &d2);
	CHECK(fk_date_valid(y2, m2, d2) || y2 == 10000);
}

/* Epoch ms of 1000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: fk_iso8601 writes four
 * digit years only, so these bound the instants it must print exactly. */
static bool printable(int64_t ms)
{
	return ms >= fk_date_days(1000, 1, 1) * 86400000 &&
	       ms < (fk_date_days(9999, 12, 31) + 1) * 86400000;
}

static void check_format(int64_t ms)
{
	char out[32];
	int64_t back = 0;

	fk_iso8601(ms, out);
	CHECK(strlen(out) == 24);
	if (!printable(ms)) {
		CHECK(strcmp(out, FALLBACK) == 0 ||
		      (fk_iso8601_parse(out, &back) == 0 && back == ms));
		return;
	}
	CHECK(fk_iso8601_parse(out, &back) == 0 && back == ms);
}

static void check_timestamp(const char *s)
{
	int64_t ms = 0;
	char out[32], date[11];
	size_t n = strlen(s);

	if (fk_iso8601_parse(s, &ms) != 0)
		return;
	memcpy(date, s, 10);
	date[10] = '\0';
	/* Years 1..9999 shifted by at most a day's offset. */
	CHECK(ms >= (fk_date_days(1, 1, 1) - 1) * 86400000 &&
	      ms < (fk_date_days(9999, 12, 31) + 2) * 86400000);
	CHECK(plain_date_ok(date));
	check_format(ms);
	/* UTC with milliseconds is the form fk_iso8601 writes: it must come back unchanged. */
	if (printable(ms) && n == 24 && s[10] == 'T' && s[19] == '.' && s[23] == 'Z')
		CHECK(strcmp(fk_iso8601(ms, out), s) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	int64_t ms = 0;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_date(s);
	check_timestamp(s);
	memcpy(&ms, data, size < sizeof(ms) ? size : sizeof(ms));
	check_format(ms);
	free(s);
	return 0;
}
