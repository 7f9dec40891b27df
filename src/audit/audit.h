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

/* ---- the chain (docs/operations.md, "The audit chain") ----
 * The audit.seal job (every minute) and `fangkong audit seal` give each unsealed row, in id
 * order, the next seal_seq and its hash: BLAKE2b-256 over the previous hash in hex, "\n", the
 * seq and every column of the row as text joined by 0x1f (NULL as 0x1e). Writing a row costs
 * nothing more; the head (the last seq and hash) is logged by each run so an operator may
 * keep it elsewhere. Retention deletes the oldest sealed rows, and the chain is then verified
 * from the first one kept. */
#define FK_AUDIT_HASH_HEX 65 /* 64 hex digits and the NUL */

struct fk_audit_head {
	int64_t seq; /* 0 while nothing is sealed */
	char hash[FK_AUDIT_HASH_HEX];
};

/* Seals every unsealed row, in batches of 1,000 per write transaction, each holding the
 * head's lock (two servers on one PostgreSQL database take turns). *sealed (may be NULL) gets
 * how many. 0 or the store's error (the batches before it stay sealed). */
int fk_audit_seal(struct fk_db *db, int64_t *sealed, struct fk_err *err);
/* The chain's head as stored. */
int fk_audit_head(struct fk_db *db, struct fk_audit_head *head, struct fk_err *err);

enum fk_audit_break {
	FK_AUDIT_WHOLE = 0,
	FK_AUDIT_CHANGED, /* a row's columns or hash differ from what was sealed */
	FK_AUDIT_MISSING, /* a seq between the first kept and the head has no row */
	FK_AUDIT_HEAD,	  /* the head does not match the last row (changed, or rows past it) */
};

struct fk_audit_report {
	int64_t verified;  /* rows whose hash was recomputed and matched */
	int64_t unsealed;  /* rows not sealed yet (not checked) */
	int64_t first_seq; /* the first seq kept (1 unless retention pruned) */
	struct fk_audit_head head;
	enum fk_audit_break brk; /* the first break found, walking by seq */
	int64_t break_seq;	 /* the seq at which it was found */
	int64_t break_id;	 /* the audit row's id there, 0 when there is none */
};

/* Walks the chain by seq in one read snapshot, recomputing each hash. 0 when it could walk
 * (report->brk says whether the chain is whole), or the store's error. */
int fk_audit_verify(struct fk_db *db, struct fk_audit_report *report, struct fk_err *err);
/* "changed row", "missing seq", "head mismatch", or "" when whole. */
const char *fk_audit_break_name(enum fk_audit_break brk);
/* Seals what is unsealed, then deletes the sealed rows older than before_ms from the oldest
 * on (stopping at the first newer one), keeping the last deleted row's seq and hash in the
 * head; *pruned (may be NULL) gets how many. */
int fk_audit_prune(struct fk_db *db, int64_t before_ms, int64_t *pruned, struct fk_err *err);

#endif
