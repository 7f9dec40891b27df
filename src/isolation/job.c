/* job: isolation.release, every few minutes — each open placement whose end day has come is
 * released when every test due before its end has a result, else it becomes overdue and the
 * grid of the person gets an alert; an overdue one stays on the grid's list until released by
 * hand. One transaction per placement, so one failure leaves the others done. */
#include <stdlib.h>
#include <string.h>
#include "base/xmalloc.h"
#include "events/events.h"
#include "isolation/internal.h"

#define JOB_BATCH 500

/* The next batch of open placements whose end day has come, by id after *after. */
static int due_ids(struct fk_db *db, const char *today, int64_t after, int64_t *ids, int *n,
		   struct fk_err *err)
{
	struct fk_q *q;
	int rc = fk_db_query(db, &q,
			     "SELECT id FROM placements WHERE status = 'active' AND end_day <= ? "
			     "AND id > ? ORDER BY id LIMIT ?",
			     err);

	*n = 0;
	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, today);
	fk_q_bind_i64(q, 2, after);
	fk_q_bind_i64(q, 3, JOB_BATCH);
	while ((rc = fk_q_step(q, err)) > 0)
		ids[(*n)++] = fk_q_i64(q, 0);
	fk_q_done(q);
	return rc < 0 ? rc : 0;
}

static int overdue(struct fk_db *db, const struct is_placement *p, struct fk_err *err)
{
	int rc = fk_db_write(db, err,
			     "UPDATE placements SET status = 'overdue' WHERE id = ? AND status = "
			     "'active'",
			     "i", p->id);

	if (rc == 0)
		rc = fk_alert_raise(
		    db, "placement_overdue", p->area_path, "隔离期满但检测未完成，请补检后解除",
		    "A placement ended with a test missing: test, then release",
		    json_pack("{s:o, s:o, s:s, s:s}", "placement_id", fk_json_idv(p->id),
			      "person_id", fk_json_idv(p->person_id), "kind", p->kind, "end_day",
			      p->end_day),
		    NULL, err);
	return rc;
}

/* Ends one placement, re-read inside its transaction. */
static int end_one(struct fk_db *db, int64_t id, const char *today, struct fk_err *err)
{
	struct is_placement *p = fk_xcalloc(1, sizeof(*p));
	struct fk_tx tx;
	bool done = false;
	int rc = fk_tx_begin(db, &tx, err);

	if (rc == 0)
		rc = is_placement_get(db, NULL, id, p, err);
	if (rc == 0 && (strcmp(p->status, "active") != 0 || strcmp(p->end_day, today) > 0))
		rc = 1; /* another server ended it */
	if (rc == 0)
		rc = is_tests_done(db, p, &done, err);
	if (rc == 0)
		rc = done ? is_release(db, p, 0, err) : overdue(db, p, err);
	rc = fk_tx_end(db, &tx, rc < 0 ? rc : 0, err);
	free(p);
	return rc;
}

/* Every placement due, batch after batch: one that fails stays behind the cursor, to be
 * tried again by the next run. */
int is_job_release(struct fk_app *app, struct fk_db *db, struct fk_err *err)
{
	char today[IS_DAY];
	int64_t *ids = fk_xcalloc(JOB_BATCH, sizeof(*ids)), after = 0;
	int n = 0, failed = 0, rc;

	(void)app;
	is_day_today(today);
	do {
		rc = due_ids(db, today, after, ids, &n, err);
		for (int i = 0; rc == 0 && i < n; i++)
			if (end_one(db, ids[i], today, err) < 0)
				failed++;
		after = n ? ids[n - 1] : after;
	} while (rc == 0 && n == JOB_BATCH);
	free(ids);
	if (rc == 0 && failed)
		rc = fk_err_set(err, FK_EINTERNAL, "release_failed", NULL, "%d 条隔离记录未能结束",
				"%d placements could not be ended", failed);
	return rc;
}
