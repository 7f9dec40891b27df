/* module: the dashboard module's descriptor. */
#include "dashboard/dashboard.h"

const struct fk_module fk_module_dashboard = {
    .name = "dashboard",
};
