/* day: the calendar arithmetic of placements — days as "YYYY-MM-DD" in China Standard Time,
 * counted through the days since 1970 (base/clock.h) and back through gmtime_r. */
#include <string.h>
#include <time.h>
#include "base/clock.h"
#include "isolation/internal.h"

bool is_day_valid(const char *s)
{
	return s && strlen(s) == IS_DAY - 1 && fk_date_parse(s, NULL, NULL, NULL) == 0;
}

static int64_t day_number(const char *s)
{
	int y = 0, m = 0, d = 0;

	fk_date_parse(s, &y, &m, &d);
	return fk_date_days(y, m, d);
}

static void day_text(int64_t days, char out[IS_DAY])
{
	time_t t = (time_t)(days * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, IS_DAY, "%Y-%m-%d", &tm);
}

int is_day_add(const char *day, int64_t n, char out[IS_DAY])
{
	if (!is_day_valid(day))
		return FK_EINVAL;
	day_text(day_number(day) + n, out);
	return 0;
}

int64_t is_day_diff(const char *a, const char *b)
{
	return day_number(a) - day_number(b);
}

void is_day_today(char out[IS_DAY])
{
	int y, m, d;

	fk_date_today(&y, &m, &d);
	day_text(fk_date_days(y, m, d), out);
}
