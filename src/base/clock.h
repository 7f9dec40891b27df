/* clock: wall time as UTC epoch milliseconds (what the store keeps) and ISO 8601 text (what
 * JSON carries); a monotonic clock for latencies. */
#ifndef FK_CLOCK_H
#define FK_CLOCK_H
#include <stdint.h>
#include <stddef.h>

int64_t fk_now_ms(void);
uint64_t fk_mono_ns(void);
/* Writes "2026-11-26T10:46:54.123Z" (24 chars + NUL) into out; returns out. */
char *fk_iso8601(int64_t epoch_ms, char out[32]);
/* Parses exactly "YYYY-MM-DD" (a real calendar date, years 1..9999) into year/month/day (each
 * may be NULL); returns 0 or FK_EINVAL. */
int fk_date_parse(const char *s, int *year, int *month, int *day);
/* 1 if the date exists in the Gregorian calendar (leap years included), else 0. */
int fk_date_valid(int year, int month, int day);
/* Days since 1970-01-01 (negative before it). */
int64_t fk_date_days(int year, int month, int day);
/* Today's date in China Standard Time (UTC+8), the calendar the users live in. */
void fk_date_today(int *year, int *month, int *day);
/* Whole years between birth date by-bm-bd and date y-m-d (0 if not yet born). */
int fk_age_years(int by, int bm, int bd, int y, int m, int d);
/* Parses "YYYY-MM-DDTHH:MM:SS[.fff]" followed by "Z" or "+08:00"/"+0800" (a space may replace
 * the T) into epoch ms; returns 0 or FK_EINVAL. */
int fk_iso8601_parse(const char *s, int64_t *epoch_ms);

#endif
