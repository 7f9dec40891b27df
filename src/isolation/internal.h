/* internal: what the files of the isolation module share. A function that writes expects the
 * caller's write transaction (fk_tx_begin or the request's audited one) unless it says
 * otherwise. */
#ifndef FK_ISOLATION_INTERNAL_H
#define FK_ISOLATION_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include "area/area.h"
#include "audit/audit.h"
#include "http/http.h"
#include "platform/module.h"
#include "policy/policy.h"
#include "isolation/isolation.h"

extern const struct fk_policy_def is_policies[];

#endif
