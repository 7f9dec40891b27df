/* span: the duty module's pure rules — a shift's bounds, when two shifts overlap, the week a
 * roster asks for (ISO weeks, Monday to Sunday in China Standard Time) and what a place
 * needs by the policies. No store, no clock. */
#include <string.h>
#include "base/clock.h"
#include "duty/internal.h"

#define CST_MS (8 * DU_HOUR_MS) /* China Standard Time is UTC+8 all year */

static const char *const kinds[DU_KINDS] = {"site", "checkpoint", "facility"};

int du_kind_parse(const char *s)
{
	for (int i = 0; s && i < DU_KINDS; i++)
		if (strcmp(s, kinds[i]) == 0)
			return i;
	return -1;
}

const char *du_kind_name(enum du_kind k)
{
	return (unsigned)k < DU_KINDS ? kinds[k] : "unknown";
}

int du_span_check(int64_t starts_at, int64_t ends_at, struct fk_err *err)
{
	if (ends_at <= starts_at)
		return fk_err_set(err, FK_EINVAL, "invalid_span", "ends_at",
				  "班次结束时间须晚于开始时间", "a shift must end after it starts");
	if (ends_at - starts_at > DU_SHIFT_MAX_MS)
		return fk_err_set(err, FK_EINVAL, "shift_too_long", "ends_at",
				  "一个班次最长 24 小时", "a shift lasts at most 24 hours");
	return 0;
}

bool du_overlaps(int64_t a0, int64_t a1, int64_t b0, int64_t b1)
{
	return a0 < b1 && b0 < a1;
}

/* Monday 00:00 CST of the week holding the CST day `days` (days since 1970-01-01, a
 * Thursday). */
static int64_t monday_of(int64_t days)
{
	int64_t wd = ((days + 3) % 7 + 7) % 7; /* Monday 0 */

	return (days - wd) * DU_DAY_MS - CST_MS;
}

void du_week_of(int64_t at, int64_t *from, int64_t *to)
{
	int64_t shifted = at + CST_MS;
	int64_t days =
	    shifted >= 0 ? shifted / DU_DAY_MS : -((-shifted + DU_DAY_MS - 1) / DU_DAY_MS);

	*from = monday_of(days);
	*to = *from + 7 * DU_DAY_MS;
}

/* ISO week w of year y: week 1 holds 4 January. */
static int iso_week(int y, int w, int64_t *from)
{
	int64_t jan4 = fk_date_days(y, 1, 4);
	int64_t dec28 = fk_date_days(y, 12, 28); /* always in the year's last week */
	int64_t first = monday_of(jan4);
	int64_t last = monday_of(dec28);

	*from = first + (int64_t)(w - 1) * 7 * DU_DAY_MS;
	return w >= 1 && *from <= last ? 0 : -1;
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int week_text(const char *s, int64_t *from)
{
	int y, w;

	if (strlen(s) != 8 || s[4] != '-' || s[5] != 'W')
		return -1;
	y = digits(s, 4);
	w = digits(s + 6, 2);
	return y >= 1 && w >= 1 ? iso_week(y, w, from) : -1;
}

int du_week_range(const char *s, const char *field, int64_t *from, int64_t *to, struct fk_err *err)
{
	int y, m, d;

	if (s && fk_date_parse(s, &y, &m, &d) == 0)
		*from = monday_of(fk_date_days(y, m, d));
	else if (!s || week_text(s, from) < 0)
		return fk_err_set(err, FK_EINVAL, "invalid_week", field,
				  "周须为 YYYY-Www（如 2026-W49）或某一天 YYYY-MM-DD",
				  "week must be YYYY-Www (e.g. 2026-W49) or a day YYYY-MM-DD");
	*to = *from + 7 * DU_DAY_MS;
	return 0;
}

int du_need(enum du_kind k, int desks, int per_desk, int per_gate, int per_facility)
{
	switch (k) {
	case DU_SITE:
		return per_desk * (desks > 0 ? desks : 1);
	case DU_CHECKPOINT:
		return per_gate;
	case DU_FACILITY:
		return per_facility;
	default:
		return 0;
	}
}

/* Whether paths[i] lies under another of paths (or repeats an earlier one): its places are
 * read with that one's. */
bool du_path_covered(const char *const *paths, int n, int i)
{
	for (int j = 0; j < n; j++) {
		size_t len = strlen(paths[j]);
		if (j != i && strncmp(paths[i], paths[j], len) == 0 &&
		    (strlen(paths[i]) > len || j < i))
			return true;
	}
	return false;
}
