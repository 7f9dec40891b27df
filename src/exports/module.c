/* module: the exports module's descriptor. */
#include "exports/exports.h"

const struct fk_module fk_module_exports = {
    .name = "exports",
};
