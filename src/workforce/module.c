/* module: the workforce module's descriptor. */
#include "workforce/workforce.h"

const struct fk_module fk_module_workforce = {
    .name = "workforce",
};
