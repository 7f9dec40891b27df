/* reports: the daily report 每日简报 (SPEC §11) per area and date — tested, positives, cases,
 * people under placement, hotline tickets and calls answered, follow-ups made, requests
 * handled and overdue, staff deployed, supplies delivered — as JSON for the page, as XLSX and
 * printable; `fangkong export daily-report` writes the same file. Figures come from the other
 * modules' public headers.
 *
 * Other modules reach it only through its descriptor: its routes answer over HTTP. */
#ifndef FK_REPORTS_H
#define FK_REPORTS_H
#include "platform/module.h"

extern const struct fk_module fk_module_reports;

#endif
