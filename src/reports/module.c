/* module: the reports module's descriptor. */
#include "reports/reports.h"

const struct fk_module fk_module_reports = {
    .name = "reports",
};
