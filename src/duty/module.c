/* module: the duty module's descriptor. */
#include "duty/duty.h"

const struct fk_module fk_module_duty = {
    .name = "duty",
};
