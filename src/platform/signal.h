/* signal: how one module reacts to another's fact without depending on it. A module that
 * makes a fact others may need (a positive pool, a zone drawn) declares the signal's name in
 * its descriptor (.signals) and calls fk_signal inside the transaction that made the fact; a
 * module that reacts declares a listener (.listeners). Listeners run at once, in module list
 * order, on the caller's thread and store connection, inside its transaction: what they write
 * commits or rolls back with the fact, and an error from one fails the caller. So a listener
 * must be short (it holds the writer) and must not call fk_signal for the same signal.
 *
 * Each signal's payload (a JSON object) is documented beside its name in the emitting
 * module's public header. fk_modules_use refuses a listener of a signal no module in the list
 * declares ("bad_module"), so a misspelt name stops the start instead of never firing.
 *
 *   static const struct fk_listener zn_listeners[] = {
 *       {.signal = FK_SIGNAL_POSITIVE_POOL, .fn = zn_on_positive_pool},
 *       {0},
 *   };
 *   ...
 *   rc = fk_signal(req->app, db, FK_SIGNAL_POSITIVE_POOL, payload, err);
 */
#ifndef FK_PLATFORM_SIGNAL_H
#define FK_PLATFORM_SIGNAL_H
#include <jansson.h>
#include "base/err.h"
#include "store/db.h"

struct fk_app;

struct fk_listener {
	const char *signal; /* "tubes.positive_pool"; NULL ends the list */
	/* payload is borrowed (do not keep it); 0 or a negative code with err filled. */
	int (*fn)(struct fk_app *app, struct fk_db *db, const json_t *payload, struct fk_err *err);
};

/* Calls every listener of name among app's modules, in list order; stops at the first error
 * and returns it. app NULL (a command without modules) or no listener: 0. payload is
 * borrowed. */
int fk_signal(struct fk_app *app, struct fk_db *db, const char *name, const json_t *payload,
	      struct fk_err *err);

#endif
