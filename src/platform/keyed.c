/* keyed: the writes a phone may retry, for every module (see keyed.h): the client's key, the
 * reply stored with the write in its transaction (client_keys), the replay of a repeat, and
 * the two ways a write runs: in the group commit on SQLite (batch.c), alone on PostgreSQL. */
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/xmalloc.h"
#include "base/json.h"
#include "base/log.h"
#include "platform/keyed.h"
#include "platform/module.h"

int fk_keyed_check(const char *key, struct fk_err *err)
{
	size_t n = key ? strlen(key) : 0;

	if (n < 8 || n > FK_KEY_MAX ||
	    strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-") != n)
		return fk_err_set(err, FK_EINVAL, "invalid_client_key", "client_key",
				  "client_key 应为 8 到 %d 位字母、数字或 _ . : -",
				  "client_key must be 8 to %d letters, digits or _ . : -",
				  FK_KEY_MAX);
	return 0;
}

static int key_reused(struct fk_err *err)
{
	return fk_err_set(err, FK_ECONFLICT, "client_key_reused", "client_key",
			  "此 client_key 已用于另一个操作，请为每次操作生成新的 client_key",
			  "this client_key was used for another operation; make a new key for each "
			  "operation");
}

static int key_find(struct fk_db *db, struct fk_arena *arena, const char *key, int64_t user_id,
		    const char *op, int *status, const char **reply, struct fk_err *err)
{
	struct fk_q *q;
	bool mine = false;
	int rc = fk_db_query(
	    db, &q, "SELECT user_id, op, status, reply FROM client_keys WHERE client_key = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, key);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		mine = fk_q_i64(q, 0) == user_id && strcmp(fk_q_text(q, 1), op) == 0;
		*status = (int)fk_q_i64(q, 2);
		*reply = fk_arena_strdup(arena, fk_q_text(q, 3));
	}
	fk_q_done(q);
	if (rc > 0 && !mine)
		return key_reused(err);
	return rc;
}

static int key_store(struct fk_db *db, const char *key, int64_t user_id, const char *op, int status,
		     const char *reply, struct fk_err *err)
{
	int64_t rc =
	    fk_db_run(db, err,
		      "INSERT INTO client_keys (client_key, user_id, op, status, reply, at) "
		      "VALUES (?, ?, ?, ?, ?, ?)",
		      "tititi", key, user_id, op, (int64_t)status, reply, fk_now_ms());
	return rc < 0 ? (int)rc : 0;
}

int fk_keyed_purge(struct fk_db *db, int64_t before_ms, int64_t *purged, struct fk_err *err)
{
	int64_t rc = fk_db_run(db, err, "DELETE FROM client_keys WHERE at < ?", "i", before_ms);

	if (purged)
		*purged = rc < 0 ? 0 : rc;
	return rc < 0 ? (int)rc : 0;
}

int fk_keyed_purge_job(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	int64_t keep = app->policy_ms
			   ? app->policy_ms(db, FK_KEY_RETENTION_POLICY, FK_KEY_RETENTION_MS)
			   : FK_KEY_RETENTION_MS;
	int64_t purged = 0;
	int rc = fk_keyed_purge(db, fk_now_ms() - keep, &purged, err);

	if (rc == 0 && purged > 0)
		fk_info("event=client_keys_purged count=%lld", (long long)purged);
	return rc;
}

/* ---- the HTTP side of a keyed write ---- */

static void answer(struct fk_resp *resp, int status, const char *text)
{
	resp->status = status;
	resp->body = text;
	resp->body_len = strlen(text);
	resp->content_type = "application/json; charset=utf-8";
}

/* reply as compact JSON text in the request's arena (NULL when it cannot be written); reply
 * is released. Written on the stack first: a reply is mostly under 1 KiB. */
static const char *reply_text(struct fk_req *req, json_t *reply)
{
	char stack[2048], *text = stack;
	size_t n = reply ? json_dumpb(reply, stack, sizeof(stack), JSON_COMPACT) : 0;

	if (n >= sizeof(stack)) {
		text = fk_xmalloc(n);
		n = json_dumpb(reply, text, n, JSON_COMPACT);
	}
	json_decref(reply);
	const char *out = n ? fk_arena_strndup(req->arena, text, n) : NULL;
	if (text != stack)
		free(text);
	return out;
}

/* Runs the op's write and stores its reply, inside the transaction the caller opened. */
static int run_and_store(struct fk_req *req, struct fk_resp *resp, const char *key,
			 const struct fk_keyed_op *op, void *ctx, struct fk_err *err)
{
	json_t *reply = NULL;
	int status = 200;
	const char *text;
	int rc = op->write(req, ctx, &status, &reply, err);

	if (rc < 0)
		return rc;
	text = reply_text(req, reply);
	if (!text)
		return fk_err_set(err, FK_EINTERNAL, "reply", NULL, "无法生成回复",
				  "the reply could not be written");
	answer(resp, status, text);
	return key_store(req->db, key, req->who->user_id, op->name, status, text, err);
}

/* The reply stored under key, if any: 1 found (answered), 0 not, <0 error. */
static int replay(struct fk_req *req, struct fk_resp *resp, const char *key, const char *op,
		  struct fk_err *err)
{
	const char *stored = NULL;
	int status = 0;
	int found =
	    key_find(req->db, req->arena, key, req->who->user_id, op, &status, &stored, err);

	if (found > 0)
		answer(resp, status, stored);
	return found;
}

struct keyed {
	struct fk_batch_job job; /* first: the batch hands this back */
	struct fk_resp *resp;
	const char *key;
	const struct fk_keyed_op *op;
	void *ctx;
	bool replayed; /* answered with a stored reply: nothing was written */
};

/* A refused write may be the retry of one done before (the person is in the tube, the tube
 * it filled is closed, the key is taken): a reply stored under the key wins over the
 * refusal rc (0, answered); else the refusal stands. */
static int stored_or(struct keyed *k, int rc)
{
	struct fk_err refused = *k->job.err;
	int found = replay(k->job.req, k->resp, k->key, k->op->name, k->job.err);

	k->replayed = found > 0;
	if (found == 0)
		*k->job.err = refused;
	return found > 0 ? 0 : found < 0 ? found : rc;
}

/* Before the write, in one read transaction (one snapshot), the preparation's reads; 1 when
 * they refused a retry, answered with its stored reply. */
static int before_write(struct keyed *k)
{
	struct fk_req *req = k->job.req;
	int rc = fk_db_begin(req->db, false, k->job.err);

	if (rc < 0)
		return rc;
	if (k->op->prep)
		rc = k->op->prep(req, k->ctx, k->job.err);
	if (rc < 0)
		rc = stored_or(k, rc) == 0 ? 1 : rc;
	fk_db_rollback(req->db);
	return rc;
}

/* Inside the write transaction: the key again (the same key may have been sent twice at
 * once), then the write and its stored reply. */
static int keyed_in_tx(struct fk_batch_job *job)
{
	struct keyed *k = (struct keyed *)job;
	int rc = replay(job->req, k->resp, k->key, k->op->name, job->err);

	k->replayed = rc > 0;
	if (rc == 0)
		rc = run_and_store(job->req, k->resp, k->key, k->op, k->ctx, job->err);
	return rc > 0 ? 0 : rc;
}

/* In the group commit (SQLite), on the writer connection, whose cache the commits keep warm:
 * the reads and the write at once, since a key is new nearly always. A refusal is undone
 * before the key is looked up. */
static int keyed_in_batch(struct fk_batch_job *job)
{
	struct keyed *k = (struct keyed *)job;
	int rc = k->op->prep ? k->op->prep(job->req, k->ctx, job->err) : 0;

	if (rc == 0)
		rc = run_and_store(job->req, k->resp, k->key, k->op, k->ctx, job->err);
	if (rc == 0)
		return 0;
	fk_batch_undo(job);
	return stored_or(k, rc);
}

static void committed(struct keyed *k)
{
	if (k->job.rc == 0 && !k->replayed && k->op->committed)
		k->op->committed(k->job.req, k->ctx);
}

/* PostgreSQL: the reads before any row lock is taken, then a transaction of its own. */
static int keyed_alone(struct keyed *k)
{
	struct fk_tx tx;
	struct fk_req *req = k->job.req;
	struct fk_err *err = k->job.err;
	int rc = before_write(k);

	if (rc != 0)
		return rc > 0 ? 0 : rc;
	rc = fk_tx_begin(req->db, &tx, err);
	if (rc == 0)
		rc = fk_tx_end(req->db, &tx, keyed_in_tx(&k->job), err);
	/* The twin may commit between our look and our insert. */
	if (rc == FK_ECONFLICT && strcmp(err->key, "duplicate") == 0)
		rc = stored_or(k, rc);
	k->job.rc = rc;
	committed(k);
	return rc;
}

static void keyed_done(struct fk_batch_job *job)
{
	committed((struct keyed *)job);
	fk_req_done(job->req, job->rc);
}

int fk_keyed(struct fk_req *req, struct fk_resp *resp, const struct fk_keyed_op *op, void *ctx,
	     struct fk_err *err)
{
	struct keyed *k = fk_arena_alloc(req->arena, sizeof(*k));
	int rc;

	*k = (struct keyed){.job = {.req = req, .err = err, .done = keyed_done},
			    .resp = resp,
			    .key = fk_json_str(req->body, "client_key"),
			    .op = op,
			    .ctx = ctx};
	rc = fk_keyed_check(k->key, err);
	if (rc == 0 && op->parse)
		rc = op->parse(req, ctx, err);
	if (rc < 0)
		return rc;
	if (fk_db_kind(req->db) != FK_DB_SQLITE)
		return keyed_alone(k);
	/* SQLite: in the group commit, on the store's writer connection. */
	k->job.run = keyed_in_batch;
	fk_req_defer(req);
	rc = fk_batch_submit(req->app->store, &k->job, err);
	if (rc < 0)
		fk_req_done(req, rc);
	return FK_DEFERRED;
}
