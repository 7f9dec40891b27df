/* audit: who read or changed what, when, from where (SPEC §12). Every read of a person's
 * record, every export and every change of accounts or areas writes one row. */
#ifndef FK_AUDIT_H
#define FK_AUDIT_H
#include <stdint.h>
#include <jansson.h>
#include "base/err.h"
#include "store/db.h"
#include "http/http.h"

extern const struct fk_module fk_module_audit;

/* An entry's detail is a JSON value (an object nearly always), stored as compact text with
 * sorted keys. Every call below that is given an entry takes the reference to its detail,
 * whether it records the entry or not (a failed write, a rollback): the caller builds the
 * detail in place and never frees it.
 *   rc = fk_audit_json(req, "tube.void", "tube", t.id, json_pack("{s:s}", "code", code), err);
 */
struct fk_audit_entry {
	const char *action;	 /* "people.read", "people.search", "people.import", "area.move" */
	const char *target_kind; /* "person", "area", "user", "import" */
	int64_t target_id;	 /* 0 if none */
	json_t *detail;		 /* JSON, or NULL; taken by the call given the entry */
};

/* Records the entry for the request's principal (user, role, ip, request id, time). */
int fk_audit(struct fk_req *req, const struct fk_audit_entry *e, struct fk_err *err);
/* The same, the entry given by its parts; takes detail (NULL for none). */
int fk_audit_json(struct fk_req *req, const char *action, const char *target_kind,
		  int64_t target_id, json_t *detail, struct fk_err *err);
/* An audited write: fk_audit_tx_begin opens the request's write transaction; fk_audit_tx_end,
 * given the write's result rc, records e (unless NULL) and commits when rc is 0, or rolls back,
 * and returns the final result. The change and its audit row land together or not at all. */
int fk_audit_tx_begin(struct fk_req *req, struct fk_err *err);
int fk_audit_tx_end(struct fk_req *req, int rc, const struct fk_audit_entry *e, struct fk_err *err);

/* Same, outside a request (CLI): user_id 0 means the system account. */
int fk_audit_cli(struct fk_db *db, const struct fk_audit_entry *e, struct fk_err *err);

#endif
