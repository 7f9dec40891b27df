/* module: the notify module's descriptor — the outbox, its screen's route and the job that
 * hands queued messages to the notifier. */
#include "notify/notify.h"

const struct fk_module fk_module_notify = {
    .name = "notify",
};
