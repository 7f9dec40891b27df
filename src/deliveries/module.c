/* module: the deliveries module's descriptor. */
#include "deliveries/deliveries.h"

const struct fk_module fk_module_deliveries = {
    .name = "deliveries",
};
