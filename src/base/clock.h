/* clock: wall time as UTC epoch milliseconds (what the store keeps) and ISO 8601 text (what
 * JSON carries); a monotonic clock for latencies.
 *
 * Every "now" of the program is fk_now_ms() (or fk_date_today, built on it). A test run may
 * turn on the test clock (fk_clock_test_enable): an offset added to the real time, which
 * fk_clock_set_ms and fk_clock_advance_ms move. The offset is one atomic, so any thread may
 * read the time while another moves it; whatever waits for a wall-clock time registers a
 * watcher (fk_clock_watch) to be woken when the clock moves. The monotonic clock never moves
 * with it: latencies and timeouts are real time. */
#ifndef FK_CLOCK_H
#define FK_CLOCK_H
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

int64_t fk_now_ms(void);
uint64_t fk_mono_ns(void);

/* The environment variable that marks a process run for tests ("1"): `serve --test-clock` is
 * refused without it, and new password hashes take the least cost with it (users/password.c).
 * Never set in production. */
#define FK_TEST_MODE_ENV "FANGKONG_TEST_MODE"

/* Turns the test clock on for the rest of the process (only `serve --test-clock` and unit
 * tests do). Until then fk_clock_set_ms and fk_clock_advance_ms refuse with FK_EPERM. */
void fk_clock_test_enable(void);
bool fk_clock_is_test(void);
/* Makes fk_now_ms() read epoch_ms now (and go on from there at real speed); 0 or FK_EPERM. */
int fk_clock_set_ms(int64_t epoch_ms);
/* Moves the clock forward by ms (>= 0); 0, FK_EINVAL (ms < 0) or FK_EPERM. */
int fk_clock_advance_ms(int64_t ms);
/* What the test clock adds to the real time (0 unless it was moved). */
int64_t fk_clock_offset_ms(void);
/* fn(cls) is called, on the thread that moved the clock, each time the test clock moves, until
 * fk_clock_unwatch(fn, cls). fn must not block nor move the clock. Up to 8 watchers at once;
 * returns 0 or FK_ELIMIT. */
int fk_clock_watch(void (*fn)(void *cls), void *cls);
void fk_clock_unwatch(void (*fn)(void *cls), void *cls);

/* Parses an ISO 8601 duration of days and time, "P1D", "PT3H", "PT10M", "P1DT2H30M15S"
 * (weeks "P2W" too; no years or months, whose length varies) into ms; 0 or FK_EINVAL. */
int fk_duration_parse(const char *s, int64_t *ms);
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
