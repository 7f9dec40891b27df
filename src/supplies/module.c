/* module: the supplies module's descriptor. */
#include "supplies/supplies.h"

const struct fk_module fk_module_supplies = {
    .name = "supplies",
};
