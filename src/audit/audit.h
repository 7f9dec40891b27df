/* audit: who read or changed what, when, from where (SPEC §12). Every read of a person's
 * record, every export and every change of accounts or areas writes one row. */
#ifndef FK_AUDIT_H
#define FK_AUDIT_H
#include <stdint.h>
#include "base/err.h"
#include "store/db.h"
#include "http/http.h"

extern const struct fk_module fk_module_audit;

struct fk_audit_entry {
	const char *action;	 /* "people.read", "people.search", "people.import", "area.move" */
	const char *target_kind; /* "person", "area", "user", "import" */
	int64_t target_id;	 /* 0 if none */
	const char *detail;	 /* short free text or JSON, may be NULL */
};

/* Records the entry for the request's principal (user, role, ip, request id, time). */
int fk_audit(struct fk_req *req, const struct fk_audit_entry *e, struct fk_err *err);
/* Same, outside a request (CLI): user_id 0 means the system account. */
int fk_audit_cli(struct fk_db *db, const struct fk_audit_entry *e, struct fk_err *err);

#endif
