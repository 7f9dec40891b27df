/* verify: walks the audit chain by seal_seq in one read snapshot, recomputing every row's
 * hash from the one before, and reports the first break: a row changed, a seq missing, or
 * a head that is not the last row (`fangkong audit verify`). */
#include <string.h>
#include "audit/audit.h"
#include "audit/chain.h"

#define VERIFY_PAGE 10000

static const char sql_page[] = "SELECT seal_seq, seal_hash, " CHAIN_COLUMNS " FROM audit "
			       "WHERE seal_seq > ? ORDER BY seal_seq LIMIT ?";

struct walk {
	struct fk_audit_report *r;
	const struct chain_head *head;
	int64_t expected; /* the next seq */
	int64_t last_id;  /* the id of the last row checked */
	char prev[CHAIN_HEX];
};

static void found(struct walk *w, enum fk_audit_break brk, int64_t seq, int64_t id)
{
	w->r->brk = brk;
	w->r->break_seq = seq;
	w->r->break_id = id;
}

/* Checks the row q is on; false when it breaks the chain. */
static bool check_row(struct walk *w, struct fk_q *q)
{
	int64_t seq = fk_q_i64(q, 0), id = fk_q_i64(q, 2);
	const char *stored = fk_q_text(q, 1);
	char hash[CHAIN_HEX];

	if (seq != w->expected) {
		found(w, FK_AUDIT_MISSING, w->expected, id);
		return false;
	}
	if (seq > w->head->last_seq) {
		found(w, FK_AUDIT_HEAD, seq, id);
		return false;
	}
	chain_hash(w->prev, seq, q, 2, CHAIN_NCOLS, hash);
	if (!stored || strcmp(hash, stored) != 0) {
		found(w, FK_AUDIT_CHANGED, seq, id);
		return false;
	}
	memcpy(w->prev, hash, CHAIN_HEX);
	w->expected++;
	w->last_id = id;
	w->r->verified++;
	return true;
}

/* One page of rows after the last seq checked; *more is false at the end or at a break. */
static int walk_page(struct fk_db *db, struct walk *w, bool *more, struct fk_err *err)
{
	struct fk_q *q;
	int64_t n = 0;
	int rc = fk_db_query(db, &q, sql_page, err);

	*more = false;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, w->expected - 1);
	fk_q_bind_i64(q, 2, VERIFY_PAGE);
	while ((rc = fk_q_step(q, err)) > 0) {
		n++;
		if (!check_row(w, q))
			break;
	}
	fk_q_done(q);
	*more = rc > 0 ? false : n == VERIFY_PAGE;
	return rc < 0 ? rc : 0;
}

/* After the last row: the head must name it. */
static void check_end(struct walk *w)
{
	if (w->r->brk != FK_AUDIT_WHOLE)
		return;
	if (w->expected - 1 < w->head->last_seq)
		found(w, FK_AUDIT_MISSING, w->expected, 0);
	else if (strcmp(w->prev, w->head->last_hash) != 0)
		found(w, FK_AUDIT_HEAD, w->head->last_seq, w->last_id);
}

static int walk_chain(struct fk_db *db, struct fk_audit_report *r, struct fk_err *err)
{
	struct chain_head head = {0};
	struct walk w = {.r = r, .head = &head};
	bool more = true;
	int rc = chain_head(db, &head, err);

	if (rc == 0)
		rc = fk_db_one_i64(db, err, &r->unsealed,
				   "SELECT COUNT(*) FROM audit WHERE seal_seq IS NULL", "");
	if (rc < 0)
		return rc;
	rc = 0;
	r->first_seq = head.pruned_seq + 1;
	r->head.seq = head.last_seq;
	memcpy(r->head.hash, head.last_hash, CHAIN_HEX);
	w.expected = r->first_seq;
	memcpy(w.prev, head.pruned_hash, CHAIN_HEX);
	while (rc == 0 && more)
		rc = walk_page(db, &w, &more, err);
	if (rc == 0)
		check_end(&w);
	return rc;
}

int fk_audit_verify(struct fk_db *db, struct fk_audit_report *r, struct fk_err *err)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = fk_db_begin(db, false, err);
	if (rc < 0)
		return rc;
	rc = walk_chain(db, r, err);
	fk_db_rollback(db);
	return rc < 0 ? rc : 0;
}

const char *fk_audit_break_name(enum fk_audit_break brk)
{
	switch (brk) {
	case FK_AUDIT_CHANGED:
		return "changed row";
	case FK_AUDIT_MISSING:
		return "missing seq";
	case FK_AUDIT_HEAD:
		return "head mismatch";
	default:
		return "";
	}
}
