/* internal: what the files of the health module share. A function that writes expects the
 * caller's write transaction (fk_tx_begin or the request's audited one) unless it says
 * otherwise. */
#ifndef FK_HEALTH_INTERNAL_H
#define FK_HEALTH_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include "area/area.h"
#include "audit/audit.h"
#include "http/http.h"
#include "platform/module.h"
#include "policy/policy.h"
#include "health/health.h"

extern const struct fk_policy_def hl_policies[];

#endif
