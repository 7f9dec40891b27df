/* module: the requests module's descriptor — its deadline policies, routes, area paths and
 * the escalation job. */
#include "requests/requests.h"

const struct fk_module fk_module_requests = {
    .name = "requests",
};
