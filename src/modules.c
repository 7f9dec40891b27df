/* modules: every domain module, in the order their migrations run and they start. */
#include "modules.h"
#include "platform/platform.h"
#include "audit/audit.h"
#include "notify/notify.h"
#include "policy/policy.h"
#include "users/users.h"
#include "area/area.h"
#include "people/people.h"
#include "events/events.h"
#include "testing/testing.h"
#include "tubes/tubes.h"
#include "zones/zones.h"
#include "gates/gates.h"
#include "trace/trace.h"
#include "isolation/isolation.h"
#include "health/health.h"
#include "requests/requests.h"
#include "screening/screening.h"
#include "calls/calls.h"
#include "workforce/workforce.h"
#include "duty/duty.h"
#include "supplies/supplies.h"
#include "donations/donations.h"
#include "deliveries/deliveries.h"
#include "dashboard/dashboard.h"
#include "reports/reports.h"
#include "exports/exports.h"

/* clang-format off */
const struct fk_module *const fk_modules[] = {
    &fk_module_platform,
    &fk_module_policy, /* before the others: their start hooks may read policies */
    &fk_module_audit,
    &fk_module_notify, /* below users: login codes go out through it */
    &fk_module_area,
    &fk_module_users,
    &fk_module_people,
    &fk_module_events,
    &fk_module_testing,
    &fk_module_tubes, /* stands on testing: a tube belongs to a round and a site */
    &fk_module_zones, /* follows tubes' results; testing and tubes follow it by the zone hook */
    &fk_module_gates, /* after zones: it follows them through fk_zone_of */
    &fk_module_trace, /* follows tubes' positive retests by their signal */
    &fk_module_isolation, /* places trace's contacts */
    &fk_module_health, /* reports of people under isolation's placements */
    &fk_module_requests,
    &fk_module_screening,
    &fk_module_calls, /* calls the people of screening's plans and isolation's placements */
    &fk_module_workforce,
    &fk_module_duty,	   /* shifts of workforce's people at sites, checkpoints, facilities */
    &fk_module_supplies,   /* follows tubes opened at sites by their signal */
    &fk_module_donations,  /* goods received become supplies' stock moves */
    &fk_module_deliveries, /* runs over zones' sealed buildings */
    &fk_module_dashboard,  /* reads every module above through its header */
    &fk_module_reports,
    &fk_module_exports,
    NULL,
};
/* clang-format on */
