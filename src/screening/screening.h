/* screening: screening campaigns 排查登记 (SPEC §2) — outsiders and returnees of a campaign
 * over areas register themselves through a public link or QR code, or a worker registers
 * them; a match with the registry links the person, a new one is registered; key persons get
 * a monitoring plan, the days on which they are to be called (table screening_call_days, read
 * by the calls module).
 *
 * Other modules reach it only through its descriptor and that table. */
#ifndef FK_SCREENING_H
#define FK_SCREENING_H
#include "platform/module.h"

extern const struct fk_module fk_module_screening;

#endif
