/* module: the donations module's descriptor. */
#include "donations/donations.h"

const struct fk_module fk_module_donations = {
    .name = "donations",
};
