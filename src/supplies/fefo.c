/* fefo: the pure rules of stock — which lots an issue takes (first expiry, first out), how
 * many days the stock lasts at the last week's use, and when it is low. No store access. */
#include <stdlib.h>
#include <string.h>
#include "supplies/internal.h"

/* Earliest expiry first; a lot with no expiry keeps longest, so it goes last; then by lot. */
static int lot_cmp(const void *pa, const void *pb)
{
	const struct sp_lot *a = pa, *b = pb;

	if (a->expiry[0] == '\0' && b->expiry[0] != '\0')
		return 1;
	if (a->expiry[0] != '\0' && b->expiry[0] == '\0')
		return -1;
	int c = strcmp(a->expiry, b->expiry); /* "YYYY-MM-DD" sorts as days do */

	return c ? c : strcmp(a->lot, b->lot);
}

int sp_fefo(struct sp_lot *lots, int n, double want, struct sp_take *take)
{
	int used = 0;

	if (n > 0)
		qsort(lots, (size_t)n, sizeof(*lots), lot_cmp);
	for (int i = 0; i < n && want > SP_EPS; i++) {
		if (lots[i].qty <= SP_EPS)
			continue;
		double q = lots[i].qty < want ? lots[i].qty : want;

		take[used].lot = i;
		take[used].qty = q;
		used++;
		want -= q;
	}
	return want > SP_EPS ? -1 : used;
}

double sp_days_left(double qty, double used_7d)
{
	if (used_7d <= SP_EPS)
		return -1;
	return qty <= 0 ? 0 : qty / (used_7d / 7.0);
}

int64_t sp_cst_day(int64_t epoch_ms)
{
	int64_t t = epoch_ms + 8 * 3600 * 1000LL; /* UTC+8, no summer time */

	return t >= 0 ? t / SP_DAY_MS : -((-t + SP_DAY_MS - 1) / SP_DAY_MS);
}

bool sp_low(double qty, double low_at, double days_left, double low_days, const char **by)
{
	*by = NULL;
	if (low_at > 0 && qty <= low_at + SP_EPS)
		*by = "threshold";
	else if (days_left >= 0 && days_left < low_days)
		*by = "days_left";
	return *by != NULL;
}
