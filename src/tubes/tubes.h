/* tubes: what happens to a sample once a round is open (SPEC §3 registration, transport, lab)
 * — tubes opened at a site's desk and the people scanned into them, visitors registered at
 * the desk, personal sampling codes and their QR images, boxes carried to the lab, lab
 * results and plate files, and the reflex of a positive pool with its single-tube retests.
 * Rounds, sites and the coverage they move are the testing module's (testing/testing.h).
 *
 * Other modules reach it through its routes, and read a resident's sampling code with
 * fk_tubes_code_person (the gates module, at a checkpoint). */
#ifndef FK_TUBES_H
#define FK_TUBES_H
#include <stdint.h>
#include "base/err.h"
#include "platform/module.h"
#include "store/db.h"

extern const struct fk_module fk_module_tubes;

/* The person id a resident's sampling code ("FK1:<id>:<mac>", what the QR code holds) names,
 * when its MAC is right under the store's key. Reads only. FK_EINVAL "invalid_person_code"
 * when code is not a sampling code, FK_ENOTFOUND "unknown_person" (both naming person_code)
 * when its MAC is wrong; it does not say whether the person still exists. app (may be NULL:
 * the key is read each time) keeps the key once read. */
int fk_tubes_code_person(struct fk_app *app, struct fk_db *db, const char *code, int64_t *person_id,
			 struct fk_err *err);

#endif
