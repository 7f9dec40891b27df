/* half: the half-days reports are filed for — a calendar day in China Standard Time and
 * "am" (before 12:00) or "pm" — their deadlines under the policies, and the symptom keys. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "base/clock.h"
#include "health/internal.h"

#define CST_MS	(8LL * 3600 * 1000)
#define DAY_MS	(24LL * 3600 * 1000)
#define NOON_MS (12LL * 3600 * 1000)

static void day_of(int64_t cst_ms, char out[HL_DAY_LEN])
{
	time_t t = (time_t)(cst_ms >= 0 ? cst_ms / 1000 : (cst_ms - 999) / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, HL_DAY_LEN, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
		 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

/* The first ms of day in China Standard Time, as epoch ms. */
static int64_t day_start_ms(const char *day)
{
	int y = 1970, m = 1, d = 1;

	fk_date_parse(day, &y, &m, &d);
	return fk_date_days(y, m, d) * DAY_MS - CST_MS;
}

void hl_half_at(int64_t epoch_ms, struct hl_half *out)
{
	int64_t cst = epoch_ms + CST_MS, in_day = ((cst % DAY_MS) + DAY_MS) % DAY_MS;

	day_of(cst, out->day);
	snprintf(out->half, sizeof(out->half), "%s", in_day < NOON_MS ? "am" : "pm");
}

void hl_half_prev(const struct hl_half *h, struct hl_half *out)
{
	hl_half_at(day_start_ms(h->day) + (strcmp(h->half, "pm") == 0 ? 0 : -1), out);
}

int hl_half_cmp(const struct hl_half *a, const struct hl_half *b)
{
	int c = strcmp(a->day, b->day);

	return c ? c : strcmp(a->half, b->half); /* "am" < "pm" */
}

/* Minutes into the day of a FK_POLICY_TIME value "HH:MM". */
static int64_t time_ms(const struct fk_policy_snap *s, const struct fk_policy_def *d)
{
	json_t *v = fk_policy_snap_json(s, d);
	const char *t = json_string_value(v);
	int64_t ms = 0;

	if (t && strlen(t) == 5)
		ms =
		    (((t[0] - '0') * 10 + (t[1] - '0')) * 60LL + (t[3] - '0') * 10 + (t[4] - '0')) *
		    60000;
	json_decref(v);
	return ms;
}

int64_t hl_deadline_ms(const struct fk_policy_snap *s, const struct hl_half *h)
{
	bool am = strcmp(h->half, "am") == 0;

	return day_start_ms(h->day) +
	       time_ms(s, &hl_policies[am ? HL_POL_MORNING : HL_POL_EVENING]) +
	       fk_policy_snap_ms(s, &hl_policies[HL_POL_GRACE]);
}

int hl_half_check(const struct hl_half *h, struct fk_err *err)
{
	if (fk_date_parse(h->day, NULL, NULL, NULL) < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_day", "day", "day 须为 YYYY-MM-DD",
				  "day must be YYYY-MM-DD");
	if (strcmp(h->half, "am") != 0 && strcmp(h->half, "pm") != 0)
		return fk_err_set(err, FK_EINVAL, "invalid_half", "half",
				  "half 须为 am（上午）或 pm（下午）", "half must be am or pm");
	return 0;
}

bool hl_symptom_valid(const char *key)
{
	static const char *const keys[] = {
	    "fever",	 "cough",	 "sore_throat", "fatigue", "loss_of_taste_smell",
	    "diarrhoea", "short_breath", "other"};

	for (size_t i = 0; key && i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}
