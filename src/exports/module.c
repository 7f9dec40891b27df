/* module: the exports module's descriptor — its one route. It keeps no tables: every row is
 * read through the owning module's header, a page at a time. */
#include "exports/internal.h"

static const struct fk_route ex_routes[] = {
    {.method = "GET",
     .path = "/api/v1/exports/{kind}",
     .fn = ex_api_export,
     .roles = FK_ROLES_PEOPLE,
     .summary = "Export residents, a round's results or missing people, requests or "
		"placements under an area in scope as CSV (streamed) or XLSX "
		"(?format=csv|xlsx&area_id&round_id), masked as the role sees them; an admin may "
		"unmask with a reason (&unmask=1&reason=). Audited"},
    FK_ROUTES_END,
};

const struct fk_module fk_module_exports = {
    .name = "exports",
    .routes = ex_routes,
};
