/* internal: what the files of the reports module share.
 *
 *   figures.c  one area's figures for a day, from the other modules' headers
 *   daily.c    the report: the date's checks, the area and its children, its JSON
 *   xlsx.c     the report as an XLSX workbook (libxlsxwriter)
 *   api.c      the handlers: the report as JSON and as XLSX */
#ifndef FK_REPORTS_INTERNAL_H
#define FK_REPORTS_INTERNAL_H
#include <stdint.h>
#include "http/http.h"
#include "reports/reports.h"

/* The China Standard Time day date ("YYYY-MM-DD", valid) as [*from, *to) in epoch ms. */
void rp_day_bounds(const char *date, int64_t *from, int64_t *to);
/* Fills row->fig for the subtree at path on date ([from, to) its bounds). */
int rp_area_figures(struct fk_db *db, const char *path, const char *date, int64_t from, int64_t to,
		    struct fk_daily_row *row, struct fk_err *err);

int rp_api_daily(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);
int rp_api_daily_xlsx(struct fk_req *req, struct fk_resp *resp, struct fk_err *err);

#endif
