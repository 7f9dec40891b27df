/* internal: what the files of the trace module share. A function that writes expects the
 * caller's write transaction (fk_tx_begin or the request's audited one) unless it says
 * otherwise. */
#ifndef FK_TRACE_INTERNAL_H
#define FK_TRACE_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include "area/area.h"
#include "audit/audit.h"
#include "http/http.h"
#include "platform/module.h"
#include "policy/policy.h"
#include "trace/trace.h"

#endif
