/* tubes: what happens to a sample once a round is open (SPEC §3 registration, transport, lab)
 * — tubes opened at a site's desk and the people scanned into them, visitors registered at
 * the desk, personal sampling codes and their QR images, boxes carried to the lab, lab
 * results and plate files, and the reflex of a positive pool with its single-tube retests.
 * Rounds, sites and the coverage they move are the testing module's (testing/testing.h).
 *
 * Other modules reach it only through its descriptor: its routes answer over HTTP. */
#ifndef FK_TUBES_H
#define FK_TUBES_H
#include "platform/module.h"

extern const struct fk_module fk_module_tubes;

#endif
