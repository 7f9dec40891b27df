/* chain: seals audit rows into one hash chain (the audit.seal job, `fangkong audit seal`).
 * A row's hash is BLAKE2b-256 over the previous row's hash in hex, "\n", then its seal_seq
 * and its columns in the order of CHAIN_COLUMNS, as text, joined by 0x1f, NULL as 0x1e. The
 * head (audit_seal, one row) is locked first in each batch, so two sealers on one PostgreSQL
 * database take turns and never fork the chain; writing an audit row does not touch it. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/audit.h"
#include "audit/chain.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/xmalloc.h"

static const char sql_lock_head[] = "UPDATE audit_seal SET last_seq = last_seq WHERE id = 1";
static const char sql_unsealed[] = "SELECT " CHAIN_COLUMNS " FROM audit WHERE seal_seq IS NULL "
				   "ORDER BY id LIMIT ?";
static const char sql_seal_row[] = "UPDATE audit SET seal_seq = ?, seal_hash = ? WHERE id = ?";
static const char sql_set_head[] = "UPDATE audit_seal SET last_seq = ?, last_hash = ? WHERE id = 1";

void chain_hash(const char *prev, int64_t seq, struct fk_q *q, int first, int ncols,
		char out[CHAIN_HEX])
{
	unsigned char h[crypto_generichash_BYTES];
	crypto_generichash_state st;
	char num[24];
	const unsigned char us = 0x1f, rs = 0x1e;

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)prev, strlen(prev));
	crypto_generichash_update(&st, (const unsigned char *)"\n", 1);
	snprintf(num, sizeof(num), "%lld", (long long)seq);
	crypto_generichash_update(&st, (const unsigned char *)num, strlen(num));
	for (int i = first; i < first + ncols; i++) {
		const char *v = fk_q_isnull(q, i) ? NULL : fk_q_text(q, i);

		crypto_generichash_update(&st, &us, 1);
		if (v)
			crypto_generichash_update(&st, (const unsigned char *)v, strlen(v));
		else
			crypto_generichash_update(&st, &rs, 1);
	}
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, CHAIN_HEX, h, sizeof(h));
}

int chain_head(struct fk_db *db, struct chain_head *head, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT last_seq, last_hash, pruned_seq, pruned_hash FROM audit_seal "
			     "WHERE id = 1",
			     err);

	if (rc < 0)
		return rc;
	rc = fk_q_step(q, err);
	if (rc > 0) {
		head->last_seq = fk_q_i64(q, 0);
		snprintf(head->last_hash, sizeof(head->last_hash), "%s", fk_q_text(q, 1));
		head->pruned_seq = fk_q_i64(q, 2);
		snprintf(head->pruned_hash, sizeof(head->pruned_hash), "%s", fk_q_text(q, 3));
	} else if (rc == 0) {
		rc = fk_err_set(err, FK_EINTERNAL, "audit_no_head", NULL, "审计链缺少链头",
				"the audit chain has no head row");
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

struct sealed {
	int64_t id;
	char hash[CHAIN_HEX];
};

/* Reads up to CHAIN_BATCH unsealed rows in id order, hashing each after the one before. */
static int hash_batch(struct fk_db *db, struct chain_head *head, struct sealed *out, int *n,
		      struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, sql_unsealed, err);

	*n = 0;
	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, CHAIN_BATCH);
	while ((rc = fk_q_step(q, err)) > 0) {
		struct sealed *s = &out[(*n)++];

		s->id = fk_q_i64(q, 0);
		chain_hash(head->last_hash, head->last_seq + 1, q, 0, CHAIN_NCOLS, s->hash);
		head->last_seq++;
		memcpy(head->last_hash, s->hash, CHAIN_HEX);
	}
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

/* UPDATE of CHAIN_CHUNK rows in one statement (one round trip on PostgreSQL, not one a row):
 * seal_seq and seal_hash by CASE on the id; the text is the same for every chunk, so it is
 * prepared once per connection. */
static int chunk_sql(struct fk_buf *sql)
{
	int rc = fk_buf_puts(sql, "UPDATE audit SET seal_seq = CASE id");

	for (int i = 0; i < CHAIN_CHUNK; i++)
		rc |= fk_buf_puts(sql, " WHEN ? THEN CAST(? AS BIGINT)");
	rc |= fk_buf_puts(sql, " END, seal_hash = CASE id");
	for (int i = 0; i < CHAIN_CHUNK; i++)
		rc |= fk_buf_puts(sql, " WHEN ? THEN CAST(? AS TEXT)");
	rc |= fk_buf_puts(sql, " END WHERE id IN (?");
	for (int i = 1; i < CHAIN_CHUNK; i++)
		rc |= fk_buf_puts(sql, ", ?");
	rc |= fk_buf_puts(sql, ")");
	return rc;
}

static int write_chunk(struct fk_db *db, const char *sql, int64_t seq, const struct sealed *s,
		       struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q, sql, err);

	if (rc < 0)
		return rc;
	for (int i = 0; i < CHAIN_CHUNK; i++) {
		fk_q_bind_i64(q, 2 * i + 1, s[i].id);
		fk_q_bind_i64(q, 2 * i + 2, seq + i);
		fk_q_bind_i64(q, 2 * CHAIN_CHUNK + 2 * i + 1, s[i].id);
		fk_q_bind_text(q, 2 * CHAIN_CHUNK + 2 * i + 2, s[i].hash);
		fk_q_bind_i64(q, 4 * CHAIN_CHUNK + i + 1, s[i].id);
	}
	rc = fk_q_step(q, err);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

/* Full chunks in one statement each, the rest a row at a time; then the head. */
static int write_batch(struct fk_db *db, const struct chain_head *head, const struct sealed *s,
		       int n, struct fk_err *err)
{
	int64_t seq = head->last_seq - n + 1;
	struct fk_buf sql;
	int i = 0, rc = 0;

	fk_buf_init(&sql, 64 * 1024);
	if (n >= CHAIN_CHUNK && chunk_sql(&sql) < 0)
		rc = fk_err_set(err, FK_EINTERNAL, "audit_sql", NULL, "审计链语句过长",
				"the audit chain's statement is too long");
	for (; rc == 0 && i + CHAIN_CHUNK <= n; i += CHAIN_CHUNK)
		rc = write_chunk(db, sql.data, seq + i, s + i, err);
	for (; rc == 0 && i < n; i++)
		rc = fk_db_write(db, err, sql_seal_row, "iti", seq + i, s[i].hash, s[i].id);
	fk_buf_release(&sql);
	if (rc == 0 && n > 0)
		rc = fk_db_write(db, err, sql_set_head, "it", head->last_seq, head->last_hash);
	return rc;
}

/* One write transaction: lock the head, seal up to CHAIN_BATCH rows, move the head. */
static int seal_batch(struct fk_db *db, struct sealed *buf, int *n, struct chain_head *head,
		      struct fk_err *err)
{
	int rc = fk_db_begin(db, true, err);

	if (rc < 0)
		return rc;
	rc = fk_db_write(db, err, sql_lock_head, "");
	if (rc == 0)
		rc = chain_head(db, head, err);
	if (rc == 0)
		rc = hash_batch(db, head, buf, n, err);
	if (rc == 0)
		rc = write_batch(db, head, buf, *n, err);
	if (rc == 0)
		rc = fk_db_commit(db, err);
	if (rc < 0)
		fk_db_rollback(db);
	return rc;
}

int fk_audit_seal(struct fk_db *db, int64_t *sealed, struct fk_err *err)
{
	struct sealed *buf = fk_xcalloc(CHAIN_BATCH, sizeof(*buf));
	struct chain_head head = {0};
	int64_t total = 0;
	int n = CHAIN_BATCH, rc = 0;

	while (rc == 0 && n == CHAIN_BATCH) {
		rc = seal_batch(db, buf, &n, &head, err);
		if (rc == 0)
			total += n;
	}
	free(buf);
	if (sealed)
		*sealed = total;
	return rc;
}

int fk_audit_head(struct fk_db *db, struct fk_audit_head *out, struct fk_err *err)
{
	struct chain_head head = {0};
	int rc = chain_head(db, &head, err);

	out->seq = head.last_seq;
	memcpy(out->hash, head.last_hash, CHAIN_HEX);
	return rc;
}

int audit_seal_job(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	struct fk_audit_head head;
	int64_t n = 0;
	int rc = fk_audit_seal(db, &n, err);

	(void)app;
	if (rc == 0)
		rc = fk_audit_head(db, &head, err);
	if (rc == 0)
		fk_info("event=audit_sealed count=%lld head_seq=%lld head_hash=%s", (long long)n,
			(long long)head.seq, head.hash[0] ? head.hash : "-");
	return rc;
}
