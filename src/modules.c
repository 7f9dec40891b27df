/* modules: every domain module, in the order their routes are matched. */
#include "modules.h"
#include "audit/audit.h"
#include "policy/policy.h"
#include "users/users.h"
#include "area/area.h"
#include "people/people.h"
#include "events/events.h"
#include "testing/testing.h"

const struct fk_module *const fk_modules[] = {
    &fk_module_policy, /* first: the others' start hooks may read policies */
    &fk_module_users,
    &fk_module_audit,
    &fk_module_area,
    &fk_module_people,
    &fk_module_events,
    &fk_module_testing,
    NULL,
};
