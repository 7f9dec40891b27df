/* figures: one area's figures for one day, each read from the module that owns it through
 * its public header (the `figures (daily report)` reads). */
#include "base/clock.h"
#include "calls/calls.h"
#include "deliveries/deliveries.h"
#include "duty/duty.h"
#include "isolation/isolation.h"
#include "reports/internal.h"
#include "requests/requests.h"
#include "trace/trace.h"
#include "tubes/tubes.h"

#define DAY_MS	   (24 * 3600 * 1000LL)
#define CST_OFF_MS (8 * 3600 * 1000LL)

void rp_day_bounds(const char *date, int64_t *from, int64_t *to)
{
	int y = 1970, m = 1, d = 1;

	fk_date_parse(date, &y, &m, &d);
	*from = fk_date_days(y, m, d) * DAY_MS - CST_OFF_MS;
	*to = *from + DAY_MS;
}

static int requests_figures(struct fk_db *db, const char *path, int64_t from, int64_t to,
			    int64_t *fig, struct fk_err *err)
{
	struct fk_requests_day rd;
	int rc = fk_requests_day_figures(db, path, from, to, &rd, err);

	fig[FK_DF_HOTLINE_TICKETS] = rd.hotline_tickets;
	fig[FK_DF_REQUESTS_HANDLED] = rd.handled;
	fig[FK_DF_REQUESTS_OVERDUE] = rd.overdue;
	return rc;
}

int rp_area_figures(struct fk_db *db, const char *path, const char *date, int64_t from, int64_t to,
		    struct fk_daily_row *row, struct fk_err *err)
{
	int64_t *f = row->fig;
	int rc =
	    fk_tubes_day_figures(db, path, from, to, &f[FK_DF_TESTED], &f[FK_DF_POSITIVES], err);

	if (rc == 0)
		rc = fk_trace_day_cases(db, path, from, to, &f[FK_DF_CASES], err);
	if (rc == 0)
		rc = fk_isolation_day_placed(db, path, date, &f[FK_DF_PLACED], err);
	if (rc == 0)
		rc = requests_figures(db, path, from, to, f, err);
	if (rc == 0)
		rc = fk_calls_day_figures(db, path, date, &f[FK_DF_FOLLOW_UPS],
					  &f[FK_DF_CALLS_ANSWERED], err);
	if (rc == 0)
		rc = fk_duty_day_staff(db, path, from, to, &f[FK_DF_STAFF_DEPLOYED], err);
	if (rc == 0)
		rc = fk_deliveries_day_delivered(db, path, from, to, &f[FK_DF_SUPPLIES_DELIVERED],
						 err);
	return rc;
}
