/* module: the screening module's descriptor — campaigns, registrations (public and by a
 * worker) and monitoring plans. */
#include "screening/screening.h"

const struct fk_module fk_module_screening = {
    .name = "screening",
};
