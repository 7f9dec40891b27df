/* notify: messages to people's phones (SPEC §7) — the one-time login codes and notices. A
 * message is written to the outbox (table outbox) in the caller's transaction, so it exists
 * exactly when what it tells of does; the job notify.deliver hands queued messages to the
 * notifier installed at start (an SMS gateway) and marks them sent or failed. With no notifier
 * (the default) messages stay queued and an administrator reads them on the outbox screen.
 *
 * The users module sends login codes through it; other modules may send notices. */
#ifndef FK_NOTIFY_H
#define FK_NOTIFY_H
#include <stdint.h>
#include "base/err.h"
#include "platform/module.h"
#include "store/db.h"

extern const struct fk_module fk_module_notify;

/* A way to reach a phone: send delivers text to the number to (normalized, e.g.
 * "13800138000") and returns 0, or a negative FK_E* code with err filled (the message is
 * marked failed with err's message). Called from the delivery job's thread, outside any
 * transaction; ctx is the notifier's own. */
struct fk_notifier {
	const char *name; /* e.g. "outbox" or a gateway's name, shown on the outbox screen */
	int (*send)(void *ctx, const char *to, const char *text, struct fk_err *err);
	void *ctx;
};

/* Installs n (NULL: none, messages stay queued) for the server's lifetime. Call before
 * serving. n is borrowed and must outlive the server. */
void fk_notifier_set(const struct fk_notifier *n);

/* Queues text for the phone to, in the caller's transaction. purpose says what it is
 * ("login_code", "notice"). *id (may be NULL) gets the message's id. FK_EINVAL naming the
 * field for an empty number or text, or a store error. */
int fk_notify_send(struct fk_db *db, const char *to, const char *purpose, const char *text,
		   int64_t *id, struct fk_err *err);

/* The work of the job notify.deliver, for tests and the job: hands up to 200 queued
 * messages, oldest first, to the notifier installed (none: does nothing) and marks each sent
 * or failed (with the notifier's message). Opens no transaction: each mark is a statement of
 * its own, and a message already marked by someone else is left as it is. *sent and *failed
 * get the counts. 0 or a store error. */
int fk_notify_deliver(struct fk_db *db, int *sent, int *failed, struct fk_err *err);

#endif
