/* module: the reports module's descriptor — the daily report's routes. It keeps no tables:
 * every figure is read through the owning module's header. */
#include "reports/internal.h"

#define RP_READ (FK_R(ADMIN) | FK_R(COMMANDER) | FK_R(COMMUNITY))

static const struct fk_route rp_routes[] = {
    {.method = "GET",
     .path = "/api/v1/reports/daily",
     .fn = rp_api_daily,
     .roles = RP_READ,
     .summary = "The daily report 每日简报 of an area in scope on a date (?area_id&date): its "
		"figures and its children's one level down"},
    {.method = "GET",
     .path = "/api/v1/reports/daily.xlsx",
     .fn = rp_api_daily_xlsx,
     .roles = RP_READ,
     .summary = "The same daily report as an XLSX workbook (?area_id&date)"},
    FK_ROUTES_END,
};

const struct fk_module fk_module_reports = {
    .name = "reports",
    .routes = rp_routes,
};
