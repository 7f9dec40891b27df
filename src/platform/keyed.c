/* keyed: the writes a phone may retry, for every module (see keyed.h): the client's key, the
 * reply stored with the write in its transaction (client_keys) beside a hash of what the write
 * asked, the replay of a repeat, and the two ways a write runs: in the group commit (batch.c;
 * SQLite always, PostgreSQL unless the server's --group-commit is off), or alone in a
 * transaction of its own. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
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

static int key_asked_otherwise(struct fk_err *err)
{
	return fk_err_set(err, FK_EUNPROC, "key_reused", "client_key",
			  "此 client_key 已用于另一个请求",
			  "this client_key was used for a different request");
}

/* A keyed write as the key table sees it: whose, for what, and the hash of what it asked. */
struct key_use {
	const char *key;
	int64_t user_id;
	const char *op;
	const char *asked; /* hex of the request's hash (request_hash) */
};

/* 1 when the stored use of the key is the same user's, for the same operation (else 409),
 * asking the same (else 422); a row from before request_hash has NULL there and is not
 * checked. */
static int key_same_use(struct fk_q *q, const struct key_use *u, struct fk_err *err)
{
	const char *asked = fk_q_text(q, 2);

	if (fk_q_i64(q, 0) != u->user_id || strcmp(fk_q_text(q, 1), u->op) != 0)
		return key_reused(err);
	if (asked && strcmp(asked, u->asked) != 0)
		return key_asked_otherwise(err);
	return 1;
}

static int key_find(struct fk_db *db, struct fk_arena *arena, const struct key_use *u, int *status,
		    const char **reply, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT user_id, op, request_hash, status, reply FROM client_keys "
			     "WHERE client_key = ?",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, u->key);
	rc = fk_q_step(q, err);
	if (rc > 0)
		rc = key_same_use(q, u, err);
	if (rc > 0) {
		*status = (int)fk_q_i64(q, 3);
		*reply = fk_arena_strdup(arena, fk_q_text(q, 4));
	}
	fk_q_done(q);
	return rc;
}

static int key_store(struct fk_db *db, const struct key_use *u, int status, const char *reply,
		     struct fk_err *err)
{
	int64_t rc = fk_db_run(db, err,
			       "INSERT INTO client_keys (client_key, user_id, op, request_hash, "
			       "status, reply, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			       "tittiti", u->key, u->user_id, u->op, u->asked, (int64_t)status,
			       reply, fk_now_ms());
	return rc < 0 ? (int)rc : 0;
}

/* What the request asks, as a hash in hex (arena): its method, its path and its body without
 * client_key, with sorted keys and no spaces, so a retry of it hashes the same. NULL when the
 * body cannot be written. */
static const char *request_hash(struct fk_req *req)
{
	unsigned char h[crypto_generichash_BYTES];
	char *hex = fk_arena_alloc(req->arena, 2 * sizeof(h) + 1);
	json_t *body = req->body ? json_copy(req->body) : json_object();
	char *text;
	crypto_generichash_state st;

	json_object_del(body, "client_key");
	text = json_dumps(body, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(body);
	if (!text)
		return NULL;
	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)req->method, strlen(req->method));
	crypto_generichash_update(&st, (const unsigned char *)" ", 1);
	crypto_generichash_update(&st, (const unsigned char *)req->path, strlen(req->path) + 1);
	crypto_generichash_update(&st, (const unsigned char *)text, strlen(text));
	crypto_generichash_final(&st, h, sizeof(h));
	free(text);
	return sodium_bin2hex(hex, 2 * sizeof(h) + 1, h, sizeof(h));
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

/* FNV-1a of the request's address, never 0. */
static uint64_t path_affinity(const char *path)
{
	uint64_t h = 1469598103934665603ull;

	for (const unsigned char *p = (const unsigned char *)(path ? path : ""); *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return h ? h : 1;
}

struct keyed {
	struct fk_batch_job job; /* first: the batch hands this back */
	struct fk_resp *resp;
	struct key_use use;
	const struct fk_keyed_op *op;
	void *ctx;
	bool replayed; /* answered with a stored reply: nothing was written */
};

/* Runs the op's write and stores its reply, inside the transaction the caller opened. */
static int run_and_store(struct keyed *k)
{
	struct fk_req *req = k->job.req;
	struct fk_err *err = k->job.err;
	json_t *reply = NULL;
	int status = 200;
	const char *text;
	int rc = k->op->write(req, k->ctx, &status, &reply, err);

	if (rc < 0)
		return rc;
	text = reply_text(req, reply);
	if (!text)
		return fk_err_set(err, FK_EINTERNAL, "reply", NULL, "无法生成回复",
				  "the reply could not be written");
	answer(k->resp, status, text);
	return key_store(req->db, &k->use, status, text, err);
}

/* The reply stored under the key, if any: 1 found (answered), 0 not, <0 error. */
static int replay(struct keyed *k)
{
	struct fk_req *req = k->job.req;
	const char *stored = NULL;
	int status = 0;
	int found = key_find(req->db, req->arena, &k->use, &status, &stored, k->job.err);

	if (found > 0)
		answer(k->resp, status, stored);
	return found;
}

/* A refused write may be the retry of one done before (the person is in the tube, the tube
 * it filled is closed, the key is taken): a reply stored under the key wins over the
 * refusal rc (0, answered); else the refusal stands. */
static int stored_or(struct keyed *k, int rc)
{
	struct fk_err refused = *k->job.err;
	int found = replay(k);

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
	int rc = replay(k);

	k->replayed = rc > 0;
	if (rc == 0)
		rc = run_and_store(k);
	return rc > 0 ? 0 : rc;
}

/* In the group commit, on the writer connection, whose cache the commits keep warm:
 * the reads and the write at once, since a key is new nearly always. A refusal is undone
 * before the key is looked up. */
static int keyed_in_batch(struct fk_batch_job *job)
{
	struct keyed *k = (struct keyed *)job;
	int rc = k->op->prep ? k->op->prep(job->req, k->ctx, job->err) : 0;

	if (rc == 0)
		rc = run_and_store(k);
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

/* PostgreSQL without the group commit: the reads before any row lock is taken, then a
 * transaction of its own. */
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

/* The rest of what the key table keeps of the request: the user and what was asked. */
static int keyed_use(struct fk_req *req, struct key_use *u, struct fk_err *err)
{
	u->user_id = req->who ? req->who->user_id : 0; /* 0: a public route (no login) */
	u->asked = request_hash(req);
	if (!u->asked)
		return fk_err_set(err, FK_EINTERNAL, "request_hash", NULL, "无法读取请求",
				  "the request could not be read");
	return 0;
}

int fk_keyed(struct fk_req *req, struct fk_resp *resp, const struct fk_keyed_op *op, void *ctx,
	     struct fk_err *err)
{
	struct keyed *k = fk_arena_alloc(req->arena, sizeof(*k));
	int rc;

	*k = (struct keyed){.job = {.req = req, .err = err, .done = keyed_done},
			    .resp = resp,
			    .use = {.key = fk_json_str(req->body, "client_key"), .op = op->name},
			    .op = op,
			    .ctx = ctx};
	rc = fk_keyed_check(k->use.key, err);
	if (rc == 0)
		rc = keyed_use(req, &k->use, err);
	if (rc == 0 && op->parse)
		rc = op->parse(req, ctx, err);
	if (rc < 0)
		return rc;
	if (fk_db_kind(req->db) != FK_DB_SQLITE && req->app->no_group_commit)
		return keyed_alone(k);
	/* In the group commit, on the store's writer connection; writes to one object (one
	 * address: a tube's scans) in one lane, so that two lanes never wait on its rows. */
	k->job.run = keyed_in_batch;
	k->job.affinity = path_affinity(req->path);
	fk_req_defer(req);
	rc = fk_batch_submit(req->app->store, &k->job, err);
	if (rc < 0)
		fk_req_done(req, rc);
	return FK_DEFERRED;
}
