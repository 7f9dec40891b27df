/* gates: checkpoints 卡口/门岗 and the people who pass them (SPEC §5) — checkpoints over
 * areas with their duty staff (volunteer accounts), the pass log (a resident's sampling code
 * or ID number, an outsider registered in full, or a duty staff member), the rule at the gate
 * under the zones in force (platform/zone_rule.h), and fever referrals followed to their
 * close.
 *
 * Other modules reach it only through its descriptor: its routes answer over HTTP. */
#ifndef FK_GATES_H
#define FK_GATES_H
#include "platform/module.h"

extern const struct fk_module fk_module_gates;

#endif
