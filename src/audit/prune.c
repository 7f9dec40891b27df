/* prune: retention of the audit log (the audit.prune job). Rows are deleted only from the
 * sealed chain's oldest end, in seq order, so what is kept is still one whole chain: the head
 * keeps the last deleted row's seq and hash, from which fangkong audit verify starts. The
 * period is the policy retention.audit_days (declared by the policy module, read through
 * app->policy_ms since the policy module sits above this one). */
#include <string.h>
#include "audit/audit.h"
#include "audit/chain.h"
#include "base/clock.h"
#include "base/log.h"
#include "platform/module.h"

#define AUDIT_RETENTION_POLICY "retention.audit_days"
#define AUDIT_RETENTION_MS     (1095LL * 24 * 3600 * 1000) /* 3 years: PIPL art. 56 */

static const char sql_oldest[] = "SELECT seal_seq, seal_hash, at FROM audit WHERE seal_seq > ? "
				 "ORDER BY seal_seq LIMIT ?";
static const char sql_delete[] = "DELETE FROM audit WHERE seal_seq > ? AND seal_seq <= ?";
static const char sql_pruned[] = "UPDATE audit_seal SET pruned_seq = ?, pruned_hash = ? "
				 "WHERE id = 1";

/* Finds, after head->pruned_seq, the last seq of the run of rows older than before_ms (up to
 * CHAIN_BATCH of them) into *last and its hash into hash; *last stays at pruned_seq when the
 * oldest kept row is newer. */
static int old_run(struct fk_db *db, const struct chain_head *head, int64_t before_ms,
		   int64_t *last, char hash[CHAIN_HEX], struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, sql_oldest, err);

	*last = head->pruned_seq;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, head->pruned_seq);
	fk_q_bind_i64(q, 2, CHAIN_BATCH);
	while ((rc = fk_q_step(q, err)) > 0 && fk_q_i64(q, 2) < before_ms) {
		*last = fk_q_i64(q, 0);
		snprintf(hash, CHAIN_HEX, "%s", fk_q_text(q, 1) ? fk_q_text(q, 1) : "");
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static int prune_batch(struct fk_db *db, int64_t before_ms, int64_t *n, struct fk_err *err)
{
	struct chain_head head = {0};
	char hash[CHAIN_HEX] = "";
	int64_t last = 0;
	int rc = fk_db_begin(db, true, err);

	*n = 0;
	if (rc < 0)
		return rc;
	rc = fk_db_write(db, err, "UPDATE audit_seal SET last_seq = last_seq WHERE id = 1", "");
	if (rc == 0)
		rc = chain_head(db, &head, err);
	if (rc == 0)
		rc = old_run(db, &head, before_ms, &last, hash, err);
	if (rc == 0 && last > head.pruned_seq) {
		*n = fk_db_run(db, err, sql_delete, "ii", head.pruned_seq, last);
		rc = *n < 0 ? (int)*n : fk_db_write(db, err, sql_pruned, "it", last, hash);
	}
	if (rc == 0)
		rc = fk_db_commit(db, err);
	if (rc < 0) {
		fk_db_rollback(db);
		*n = 0;
	}
	return rc;
}

int fk_audit_prune(struct fk_db *db, int64_t before_ms, int64_t *pruned, struct fk_err *err)
{
	int64_t total = 0, n = CHAIN_BATCH;
	int rc = fk_audit_seal(db, NULL, err);

	while (rc == 0 && n == CHAIN_BATCH) {
		rc = prune_batch(db, before_ms, &n, err);
		total += n;
	}
	if (pruned)
		*pruned = total;
	return rc;
}

int audit_prune_job(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	int64_t keep = app && app->policy_ms
			   ? app->policy_ms(db, AUDIT_RETENTION_POLICY, AUDIT_RETENTION_MS)
			   : AUDIT_RETENTION_MS;
	int64_t n = 0;
	int rc = fk_audit_prune(db, fk_now_ms() - keep, &n, err);

	if (rc == 0 && n > 0)
		fk_info("event=audit_pruned count=%lld", (long long)n);
	return rc;
}
