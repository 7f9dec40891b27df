/* module: the area module's descriptor (routes, grid size policies). It needs no start hook: the
 * hooks higher modules register (area.h) are plain function tables filled before the server starts.
 */
#include "area/area_int.h"

const struct fk_module fk_module_area = {
    .name = "area",
    .routes = area_routes,
    .policies = area_policies,
    .init = NULL,
};
