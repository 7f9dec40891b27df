/* deliver: the notifier in force and the job notify.deliver, which hands it the queued
 * messages oldest first and marks each sent or failed. The gateway is called with no
 * transaction open (it may take seconds); the job's lock keeps two servers from sending one
 * message twice, and a message is marked only if it is still queued. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include "base/clock.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "notify/internal.h"

#define DELIVER_BATCH 200 /* messages per run; the rest wait for the next run */

static _Atomic(const struct fk_notifier *) installed;

void fk_notifier_set(const struct fk_notifier *n)
{
	atomic_store(&installed, n);
}

struct nt_msg {
	int64_t id;
	char to[NT_PHONE_MAX + 1];
	char *text;
};

static void msg_row(struct fk_q *q, void *rec)
{
	struct nt_msg *m = rec;

	m->id = fk_q_i64(q, 0);
	snprintf(m->to, sizeof m->to, "%s", fk_q_text(q, 1));
	m->text = fk_xstrdup(fk_q_text(q, 2));
}

static int queued(struct fk_db *db, struct nt_msg **out, int *n, struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT id, to_phone, body FROM outbox WHERE status = 'queued' "
			     "ORDER BY id LIMIT ?",
			     err);

	if (rc < 0)
		return rc;
	fk_q_bind_i64(q, 1, DELIVER_BATCH);
	return fk_q_collect(q, sizeof **out, msg_row, (void **)out, n, err);
}

static int mark(struct fk_db *db, const struct fk_notifier *nf, int64_t id, const char *error,
		struct fk_err *err)
{
	return fk_db_write(db, err,
			   "UPDATE outbox SET status = ?, sent_at = ?, error = ?, notifier = ? "
			   "WHERE id = ? AND status = 'queued'",
			   "titti", error ? "failed" : "sent", fk_now_ms(), error, nf->name, id);
}

static int send_one(struct fk_db *db, const struct fk_notifier *nf, const struct nt_msg *m,
		    bool *ok, struct fk_err *err)
{
	struct fk_err why = {0};
	int rc = nf->send(nf->ctx, m->to, m->text, &why);

	*ok = rc == 0;
	if (rc < 0)
		fk_warn("event=notify_failed id=%lld notifier=%s msg=\"%s\"", (long long)m->id,
			nf->name, why.en[0] ? why.en : "failed");
	return mark(db, nf, m->id, rc < 0 ? (why.en[0] ? why.en : "failed") : NULL, err);
}

int fk_notify_deliver(struct fk_db *db, int *sent, int *failed, struct fk_err *err)
{
	const struct fk_notifier *nf = atomic_load(&installed);
	struct nt_msg *msgs = NULL;
	int n = 0, rc = 0;
	bool ok;

	*sent = *failed = 0;
	if (!nf)
		return 0;
	rc = queued(db, &msgs, &n, err);
	for (int i = 0; rc == 0 && i < n; i++) {
		rc = send_one(db, nf, &msgs[i], &ok, err);
		*(ok ? sent : failed) += 1;
	}
	for (int i = 0; i < n; i++)
		free(msgs[i].text);
	free(msgs);
	return rc;
}

int nt_deliver_job(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	int sent, failed, rc;

	(void)app;
	rc = fk_notify_deliver(db, &sent, &failed, err);
	if (rc == 0 && sent + failed > 0)
		fk_info("event=notify_delivered sent=%d failed=%d", sent, failed);
	return rc;
}
