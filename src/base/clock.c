/* clock: wall time in epoch ms (with the test clock's offset), monotonic ns, ISO 8601 UTC text
 * and durations, and calendar dates. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "base/clock.h"
#include "base/err.h"

#define MAX_WATCHERS 8

static atomic_bool test_on;
static _Atomic int64_t offset_ms;
/* Guards the watchers and orders moves, so two moves never interleave their read and write. */
static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	void (*fn)(void *cls);
	void *cls;
} watchers[MAX_WATCHERS];

static int64_t real_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t fk_now_ms(void)
{
	return real_now_ms() + atomic_load_explicit(&offset_ms, memory_order_relaxed);
}

void fk_clock_test_enable(void)
{
	atomic_store(&test_on, true);
}

bool fk_clock_is_test(void)
{
	return atomic_load(&test_on);
}

int64_t fk_clock_offset_ms(void)
{
	return atomic_load_explicit(&offset_ms, memory_order_relaxed);
}

/* Sets the offset and wakes the watchers; watch_lock is held. */
static void moved_locked(int64_t offset)
{
	atomic_store(&offset_ms, offset);
	for (int i = 0; i < MAX_WATCHERS; i++)
		if (watchers[i].fn)
			watchers[i].fn(watchers[i].cls);
}

int fk_clock_set_ms(int64_t epoch_ms)
{
	if (!fk_clock_is_test())
		return FK_EPERM;
	pthread_mutex_lock(&watch_lock);
	moved_locked(epoch_ms - real_now_ms());
	pthread_mutex_unlock(&watch_lock);
	return 0;
}

int fk_clock_advance_ms(int64_t ms)
{
	if (!fk_clock_is_test())
		return FK_EPERM;
	if (ms < 0)
		return FK_EINVAL;
	pthread_mutex_lock(&watch_lock);
	moved_locked(atomic_load(&offset_ms) + ms);
	pthread_mutex_unlock(&watch_lock);
	return 0;
}

int fk_clock_watch(void (*fn)(void *cls), void *cls)
{
	int rc = FK_ELIMIT;

	pthread_mutex_lock(&watch_lock);
	for (int i = 0; i < MAX_WATCHERS && rc < 0; i++)
		if (!watchers[i].fn) {
			watchers[i].fn = fn;
			watchers[i].cls = cls;
			rc = 0;
		}
	pthread_mutex_unlock(&watch_lock);
	return rc;
}

void fk_clock_unwatch(void (*fn)(void *cls), void *cls)
{
	pthread_mutex_lock(&watch_lock);
	for (int i = 0; i < MAX_WATCHERS; i++)
		if (watchers[i].fn == fn && watchers[i].cls == cls)
			watchers[i].fn = NULL;
	pthread_mutex_unlock(&watch_lock);
}

uint64_t fk_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

char *fk_iso8601(int64_t epoch_ms, char out[32])
{
	int64_t sec = epoch_ms / 1000, ms = epoch_ms % 1000;
	time_t t;
	struct tm tm;

	if (ms < 0) {
		ms += 1000;
		sec--;
	}
	t = (time_t)sec;
	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0 ||
	    strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm) != 19) {
		snprintf(out, 32, "1970-01-01T00:00:00.000Z");
		return out;
	}
	snprintf(out + 19, 13, ".%03dZ", (int)ms);
	return out;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int fk_date_valid(int year, int month, int day)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int max;

	if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
		return 0;
	max = mdays[month - 1] + (month == 2 && is_leap(year));
	return day <= max;
}

/* Reads exactly n ASCII digits. */
static int read_digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int fk_date_parse(const char *s, int *year, int *month, int *day)
{
	int y, m, d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return FK_EINVAL;
	if (read_digits(s, 4, &y) || read_digits(s + 5, 2, &m) || read_digits(s + 8, 2, &d))
		return FK_EINVAL;
	if (!fk_date_valid(y, m, d))
		return FK_EINVAL;
	if (year)
		*year = y;
	if (month)
		*month = m;
	if (day)
		*day = d;
	return 0;
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
int64_t fk_date_days(int year, int month, int day)
{
	int64_t y = year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void fk_date_today(int *year, int *month, int *day)
{
	time_t t = (time_t)(fk_now_ms() / 1000 + 8 * 3600);
	struct tm tm;

	gmtime_r(&t, &tm);
	*year = tm.tm_year + 1900;
	*month = tm.tm_mon + 1;
	*day = tm.tm_mday;
}

int fk_age_years(int by, int bm, int bd, int y, int m, int d)
{
	int age = y - by;

	if (m < bm || (m == bm && d < bd))
		age--;
	return age < 0 ? 0 : age;
}

/* Reads "HH:MM:SS[.fff...]" at s; returns the characters used or -1. */
static int parse_time(const char *s, int *h, int *mi, int *sec, int *ms)
{
	int n = 8, frac = 0, digits = 0;

	if (read_digits(s, 2, h) || s[2] != ':' || read_digits(s + 3, 2, mi) || s[5] != ':' ||
	    read_digits(s + 6, 2, sec))
		return -1;
	if (*h > 23 || *mi > 59 || *sec > 59)
		return -1;
	if (s[8] == '.') {
		for (n = 9; s[n] >= '0' && s[n] <= '9'; n++, digits++)
			if (digits < 3)
				frac = frac * 10 + (s[n] - '0');
		if (digits == 0)
			return -1;
		for (; digits < 3; digits++)
			frac *= 10;
	}
	*ms = frac;
	return n;
}

/* Reads "Z", "+08:00", "+0800" or "-05:00"; returns the offset in seconds or INT32_MIN. */
static int parse_offset(const char *s)
{
	int h, m, sign;

	if (s[0] == 'Z' && s[1] == '\0')
		return 0;
	if (s[0] != '+' && s[0] != '-')
		return INT32_MIN;
	sign = s[0] == '-' ? -1 : 1;
	if (read_digits(s + 1, 2, &h) || h > 23)
		return INT32_MIN;
	s += 3;
	if (*s == ':')
		s++;
	if (read_digits(s, 2, &m) || m > 59 || s[2] != '\0')
		return INT32_MIN;
	return sign * (h * 3600 + m * 60);
}

int fk_iso8601_parse(const char *s, int64_t *epoch_ms)
{
	char date[11];
	int y, mo, d, h, mi, sec, ms, n, off;

	if (!s || strlen(s) < 20 || (s[10] != 'T' && s[10] != ' '))
		return FK_EINVAL;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (fk_date_parse(date, &y, &mo, &d) < 0)
		return FK_EINVAL;
	n = parse_time(s + 11, &h, &mi, &sec, &ms);
	if (n < 0)
		return FK_EINVAL;
	off = parse_offset(s + 11 + n);
	if (off == INT32_MIN)
		return FK_EINVAL;
	*epoch_ms = ((fk_date_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) - off) * 1000 + ms;
	return 0;
}

/* Reads "<digits><unit>" parts whose units come in the order given by units; returns 0 and
 * adds to *ms, or -1. Each part is at most 9 digits (a duration of years is not a typo). */
static int duration_parts(const char **sp, const char *units, const int64_t *unit_ms, int64_t *ms,
			  int *nparts)
{
	const char *s = *sp;
	int next = 0;

	while (*s >= '0' && *s <= '9') {
		int64_t v = 0;
		int digits = 0, u;
		const char *hit;

		for (; *s >= '0' && *s <= '9'; s++, digits++)
			v = v * 10 + (*s - '0');
		hit = *s ? strchr(units + next, *s) : NULL;
		if (digits > 9 || !hit)
			return -1;
		u = (int)(hit - units);
		*ms += v * unit_ms[u];
		next = u + 1;
		(*nparts)++;
		s++;
	}
	*sp = s;
	return 0;
}

int fk_duration_parse(const char *s, int64_t *ms)
{
	static const int64_t date_ms[] = {7 * 86400000LL, 86400000LL};
	static const int64_t time_ms[] = {3600000LL, 60000LL, 1000LL};
	int64_t total = 0;
	int nparts = 0, ntime = 0;

	if (!s || *s++ != 'P' || duration_parts(&s, "WD", date_ms, &total, &nparts) < 0)
		return FK_EINVAL;
	if (*s == 'T') {
		s++;
		if (duration_parts(&s, "HMS", time_ms, &total, &ntime) < 0 || ntime == 0)
			return FK_EINVAL;
	}
	if (*s || nparts + ntime == 0)
		return FK_EINVAL;
	*ms = total;
	return 0;
}
