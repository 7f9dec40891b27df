/* reports: the daily report 每日简报 (SPEC §11) per area and date — tested, positives, cases,
 * people under placement, hotline tickets and calls answered, follow-ups made, requests
 * handled and overdue, staff deployed, supplies delivered — as JSON for the page, as XLSX and
 * printable; `fangkong export daily-report` writes the same file. Figures come from the other
 * modules' public headers (their `figures (daily report)` reads), one area at a time.
 *
 * Example (the CLI's use):
 *   struct fk_daily_report r;
 *   if (fk_daily_report_make(db, NULL, area_id, "2026-12-01", &r, err) == 0) {
 *           rc = fk_daily_report_xlsx(&r, "out.xlsx", err);
 *           fk_daily_report_release(&r);
 *   } */
#ifndef FK_REPORTS_H
#define FK_REPORTS_H
#include <stdint.h>
#include <jansson.h>
#include "base/err.h"
#include "platform/module.h"
#include "store/db.h"
#include "users/principal.h"

extern const struct fk_module fk_module_reports;

/* The figures in the order of the report's columns. */
enum fk_daily_fig {
	FK_DF_TESTED,
	FK_DF_POSITIVES,
	FK_DF_CASES,
	FK_DF_PLACED,
	FK_DF_HOTLINE_TICKETS,
	FK_DF_CALLS_ANSWERED,
	FK_DF_FOLLOW_UPS,
	FK_DF_REQUESTS_HANDLED,
	FK_DF_REQUESTS_OVERDUE,
	FK_DF_STAFF_DEPLOYED,
	FK_DF_SUPPLIES_DELIVERED,
	FK_DF_COUNT
};
/* The figure's JSON key ("tested") and its heading in Chinese ("检测人次"). */
const char *fk_daily_fig_key(enum fk_daily_fig f);
const char *fk_daily_fig_zh(enum fk_daily_fig f);

struct fk_daily_row {
	int64_t area_id;
	char code[64];
	char name[260];
	char kind[24];
	int64_t fig[FK_DF_COUNT];
};

struct fk_daily_report {
	char date[11];		       /* "YYYY-MM-DD", China Standard Time */
	struct fk_daily_row area;      /* the area itself (its whole subtree) */
	struct fk_daily_row *children; /* one level down, by code; malloc'd, NULL when none */
	int nchildren;
};

/* Checks date: FK_EINVAL "invalid_date" naming field unless "YYYY-MM-DD" of a real day,
 * FK_EUNPROC "date_in_future" when it is after today (China Standard Time, fk_now_ms). */
int fk_daily_date_check(const char *date, const char *field, struct fk_err *err);

/* Makes the report of area_id on date for who (NULL: the system, no scope limit; else an
 * area outside its scopes is FK_ENOTFOUND "area_not_found" naming area_id, as a missing one).
 * Checks date as fk_daily_date_check. Fills out (release it with fk_daily_report_release,
 * also after an error). Reads only. */
int fk_daily_report_make(struct fk_db *db, const struct fk_principal *who, int64_t area_id,
			 const char *date, struct fk_daily_report *out, struct fk_err *err);
void fk_daily_report_release(struct fk_daily_report *r);

/* The report as JSON {area:{id,code,name,kind}, date, figures:{...}, children:[{area,
 * figures}]} (a new reference). */
json_t *fk_daily_report_json(const struct fk_daily_report *r);

/* Writes the report as an XLSX workbook at path (libxlsxwriter): one sheet, a title row, the
 * headings in Chinese, then the area's row and its children's, numbers as numbers.
 * FK_EINTERNAL "xlsx_failed" when the file cannot be written. */
int fk_daily_report_xlsx(const struct fk_daily_report *r, const char *path, struct fk_err *err);

#endif
