/* keyed: writes a phone may retry (a scan, a lab result, a gate pass, a health report, a
 * delivery sign-off), made safe to repeat. The client sends a key with each write, in the JSON
 * body as "client_key"; the first reply to it is stored with the write, in its transaction,
 * beside a hash of what the write asked (method, path, and the body without client_key, with
 * sorted keys), and a repeat of the key by the same user for the same operation asking the same
 * gets the stored bytes back and changes nothing. Only successes are stored: a refused write
 * changed nothing, so running it again is safe. A key used by another user or for another
 * operation is 409 "client_key_reused"; the key asking something else (another body or path)
 * is 422 "key_reused" naming client_key, and changes nothing.
 *
 * The writes of every module go through one writer thread that commits what queued up
 * together (the group commit, batch.c); the request's reply is deferred meanwhile. On
 * PostgreSQL with serve's --group-commit off, each write runs in a transaction of its own on
 * the request's connection.
 *
 *   struct note_ctx { const char *text; int64_t id; };
 *   static int note_write(struct fk_req *req, void *ctx, int *status, json_t **reply,
 *                         struct fk_err *err)
 *   {   // inside the write transaction, on req->db
 *       struct note_ctx *c = ctx;
 *       ... INSERT ...; *status = 201; *reply = json_pack("{s:I}", "id", c->id); return 0;
 *   }
 *   static const struct fk_keyed_op note_op = {.name = "note.create", .write = note_write};
 *   static int api_note(struct fk_req *req, struct fk_resp *resp, struct fk_err *err)
 *   {
 *       struct note_ctx *c = fk_arena_alloc(req->arena, sizeof(*c));  // lives with req
 *       c->text = fk_json_str(req->body, "text");
 *       return fk_keyed(req, resp, &note_op, c, err);  // may return FK_DEFERRED: pass it on
 *   }
 *
 * On a public route (no session) the key belongs to user 0: anyone repeating it with the same
 * body gets the stored reply, so a public reply must tell no more than the body did.
 *
 * The route's body schema must list "client_key" (FK_KEYED_FIELD). Old keys are purged by the
 * platform's job under the retention policy (fk_keyed_purge). */
#ifndef FK_PLATFORM_KEYED_H
#define FK_PLATFORM_KEYED_H
#include <stdint.h>
#include <jansson.h>
#include "http/http.h"

#define FK_KEY_MAX 64 /* client keys: 8..64 of [A-Za-z0-9_.:-] */
/* The body schema entry of a keyed route; a key too long is refused by fk_keyed's own check,
 * which says what a key is. */
/* clang-format off */
#define FK_KEYED_FIELD {.name = "client_key", .type = FK_J_STRING, .required = true, .max_len = 2 * FK_KEY_MAX}
/* clang-format on */

/* Steps of a keyed write. parse runs first on the request's own thread and connection: what
 * needs no lock nor the latest rows (checking the body, a sampling code's HMAC), kept off the
 * writer. prep (reads that need no lock) and write run for a key not seen before: in the group
 * commit, else (PostgreSQL, --group-commit off) prep in a read snapshot and write in a write
 * transaction; write fills the reply's status and JSON (stolen). committed runs after the commit of
 * a write that was not a replay (live events). Each returns 0 or a negative FK_E* with err filled;
 * parse, prep and committed may be NULL. */
typedef int (*fk_keyed_step)(struct fk_req *req, void *ctx, struct fk_err *err);
typedef int (*fk_keyed_write)(struct fk_req *req, void *ctx, int *status, json_t **reply,
			      struct fk_err *err);
struct fk_keyed_op {
	const char *name; /* what a key is stored for: "tube.scan" */
	fk_keyed_step parse;
	fk_keyed_step prep;
	fk_keyed_write write;
	void (*committed)(struct fk_req *req, void *ctx);
};

/* Runs op for the request (its body's client_key, its user); ctx must live as long as the
 * request (allocate it in req->arena). Returns what a handler returns: 0 with resp filled (the
 * write's reply, or the stored one), FK_DEFERRED (the reply goes out when the group
 * commit is over; return it as it is), or a negative code with err filled (FK_EINVAL
 * "invalid_client_key", FK_ECONFLICT "client_key_reused", FK_EUNPROC "key_reused", or what a
 * step refused). */
int fk_keyed(struct fk_req *req, struct fk_resp *resp, const struct fk_keyed_op *op, void *ctx,
	     struct fk_err *err);
/* FK_EINVAL "invalid_client_key" naming client_key unless key is 8..FK_KEY_MAX of
 * [A-Za-z0-9_.:-]. */
int fk_keyed_check(const char *key, struct fk_err *err);
/* Forgets keys stored before before_ms; *purged (may be NULL) gets how many. */
int fk_keyed_purge(struct fk_db *db, int64_t before_ms, int64_t *purged, struct fk_err *err);
/* How long a phone may retry a write and get its stored reply back: the policy, else 7 days. */
#define FK_KEY_RETENTION_POLICY "retention.client_key_days"
#define FK_KEY_RETENTION_MS	(7LL * 24 * 3600 * 1000)
/* The platform's job (hourly): purges keys older than the retention. */
int fk_keyed_purge_job(struct fk_app *app, struct fk_db *db, struct fk_err *err);

/* ---- the group commit (batch.c) ---- */

/* A write waiting for its turn: run is called inside a write transaction on the writer
 * connection and returns 0 or <0 with err filled. */
struct fk_batch_job {
	struct fk_req *req; /* run with req->db swapped for the writer connection */
	struct fk_err *err;
	int (*run)(struct fk_batch_job *job);	/* inside the batch's transaction */
	void (*done)(struct fk_batch_job *job); /* after the commit; rc is the outcome */
	int rc;
	int tries;	    /* batches it ran in and lost a deadlock (PostgreSQL) */
	uint64_t affinity;  /* jobs of one affinity go to one writer lane (0: the least busy) */
	size_t counts_mark; /* the writer's counter queue at the job's savepoint (batch.c) */
	struct fk_batch_job *next;
};
/* Queues job for the writer thread of store (started by the first job), which runs
 * it in a transaction shared with the jobs queued beside it, under its own savepoint, then
 * calls its done (with rc the job's result, or the commit's failure). The job must live until
 * done runs. FK_EINTERNAL "no_writer" when there is no writer thread (stopping). */
int fk_batch_submit(struct fk_store *store, struct fk_batch_job *job, struct fk_err *err);
/* From a job's run: undoes what the job wrote so far (its savepoint stays open). */
void fk_batch_undo(struct fk_batch_job *job);
/* Lets the writer thread finish what is queued and stops it (the platform's fini). */
void fk_batch_stop(void);

#endif
