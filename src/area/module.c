/* module: the area module's descriptor (routes, grid size policies). It needs no start hook:
 * the path columns other modules declare are read from their descriptors (paths.c). */
#include "area/area_int.h"
#include "platform/module.h"

extern const struct fk_migration fk_migrations_area[]; /* from schema/ */

const struct fk_module fk_module_area = {
    .name = "area",
    .routes = area_routes,
    .migrations = fk_migrations_area,
    .policies = area_policies,
};
