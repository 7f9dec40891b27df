/* chain: what the audit module's sealer (chain.c), verifier (verify.c) and pruner (prune.c)
 * share: the columns a row's hash covers, in their fixed order, and the head row. */
#ifndef FK_AUDIT_CHAIN_H
#define FK_AUDIT_CHAIN_H
#include <stdint.h>
#include "audit/audit.h"

/* Every column of an audit row but the seal's own, in the order they are hashed. */
#define CHAIN_COLUMNS                                                                              \
	"id, at, user_id, username, role, action, target_kind, target_id, detail, ip, request_id"
#define CHAIN_NCOLS 11
#define CHAIN_BATCH 1000 /* rows sealed or pruned per write transaction */
#define CHAIN_CHUNK 100	 /* rows sealed by one UPDATE statement */
#define CHAIN_HEX   FK_AUDIT_HASH_HEX

/* The head row, audit_seal. */
struct chain_head {
	int64_t last_seq;
	char last_hash[CHAIN_HEX];
	int64_t pruned_seq; /* the last row retention deleted, 0 = none */
	char pruned_hash[CHAIN_HEX];
};

int chain_head(struct fk_db *db, struct chain_head *head, struct fk_err *err);
/* The hash of the row whose CHAIN_NCOLS columns are q's columns first.., sealed as seq after
 * the row whose hash is prev ("" for the first). */
void chain_hash(const char *prev, int64_t seq, struct fk_q *q, int first, int ncols,
		char out[CHAIN_HEX]);

/* Jobs (the descriptor in api.c). */
int audit_seal_job(struct fk_app *app, struct fk_db *db, struct fk_err *err);
int audit_prune_job(struct fk_app *app, struct fk_db *db, struct fk_err *err);

#endif
