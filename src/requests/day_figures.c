/* day_figures: the requests module's per-day figures for the daily report (requests.h): hotline
 * tickets made, requests handled, and those overdue at the day's end, in an area's subtree. */
#include <string.h>
#include "requests/internal.h"

int fk_requests_day_figures(struct fk_db *db, const char *under, int64_t from, int64_t to,
			    struct fk_requests_day *out, struct fk_err *err)
{
	char upper[FK_AREA_PATH_MAX + 5];
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = fk_area_upper(under, upper, err)) < 0)
		return rc;
	rc = fk_db_one_i64(db, err, &out->hotline_tickets,
			   "SELECT COUNT(*) FROM requests WHERE area_path >= ? AND area_path < ? "
			   "AND source = 'hotline' AND created_at >= ? AND created_at < ?",
			   "ttii", under, upper, from, to);
	if (rc >= 0)
		rc = fk_db_one_i64(
		    db, err, &out->handled,
		    "SELECT COUNT(DISTINCT request_id) FROM request_log WHERE at >= ? "
		    "AND at < ? AND action IN ('done', 'closed', 'confirmed') AND "
		    "area_path >= ? AND area_path < ?",
		    "iitt", from, to, under, upper);
	/* Overdue at the day's end: made before it, its deadline passed, and not closed by
	 * then (still open or accepted, or closed only later). */
	if (rc >= 0)
		rc = fk_db_one_i64(
		    db, err, &out->overdue,
		    "SELECT COUNT(*) FROM requests WHERE area_path >= ? AND area_path < ? AND "
		    "created_at < ? AND due_at < ? AND (status IN ('open', 'accepted') OR "
		    "(closed_at IS NOT NULL AND closed_at >= ?))",
		    "ttiii", under, upper, to, to, to);
	return rc < 0 ? rc : 0;
}
