/* module: the calls module's descriptor — the day's call list, call logs and counts. */
#include "calls/calls.h"

const struct fk_module fk_module_calls = {
    .name = "calls",
};
