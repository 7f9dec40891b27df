/* batch: group commit of keyed writes on SQLite. SQLite has one writer at a time, and what a
 * scan costs is mostly its commit: the pages it touched appended to the WAL (about eleven
 * 4 KiB frames for a scan alone) and, every thousand frames, a checkpoint. So writes that
 * arrive while another commit is under way queue up; the first of them to get its turn (the
 * leader) runs the queue in one transaction on its own connection, and goes on with whatever
 * queued up meanwhile until the queue is empty, then commits once. Each job runs under a
 * savepoint of its own: a refused scan is rolled back to it and changes nothing, the others
 * commit together and share their pages. Nobody waits for a batch to fill; a scan alone is a
 * batch of one.
 *
 * A waiting request thread lends its request to the leader: the leader runs the job's
 * function with the request's connection swapped for its own, while the owner sleeps on the
 * condition variable; the mutex hands the memory over both ways. */
#include <pthread.h>
#include <string.h>
#include "testing/internal.h"

#define BATCH_MAX 256

static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_done = PTHREAD_COND_INITIALIZER;
static struct tb_job *q_head, *q_tail;
static bool q_leading;

static int savepoint(struct fk_db *db, const char *sql)
{
	struct fk_err ignored = {0};
	int64_t rc = fk_db_run(db, &ignored, sql, "");

	return rc < 0 ? (int)rc : 0;
}

/* One job inside the batch's transaction, under its own savepoint. */
static void run_one(struct fk_db *db, struct tb_job *j)
{
	struct fk_db *own = j->req->db;

	j->req->db = db;
	j->rc = savepoint(db, "SAVEPOINT tb_job");
	if (j->rc == 0)
		j->rc = j->run(j);
	if (j->rc < 0)
		savepoint(db, "ROLLBACK TO SAVEPOINT tb_job");
	savepoint(db, "RELEASE SAVEPOINT tb_job");
	j->req->db = own;
}

static void fail_all(struct tb_job *jobs, int rc, const struct fk_err *err)
{
	for (struct tb_job *j = jobs; j; j = j->next) {
		if (j->rc < 0)
			continue;
		j->rc = rc;
		*j->err = *err;
	}
}

/* Takes up to max queued jobs off the queue (under q_lock); NULL when it is empty. *n grows
 * by the number taken. */
static struct tb_job *take(int max, int *n)
{
	struct tb_job *first = q_head, *last = q_head;

	if (!first || max <= 0)
		return NULL;
	for (++*n, --max; last->next && max > 0; --max, ++*n)
		last = last->next;
	q_head = last->next;
	if (!q_head)
		q_tail = NULL;
	last->next = NULL;
	return first;
}

/* Runs the jobs taken, then those that queued up meanwhile, until the queue is empty (or the
 * batch full), and commits them all at once. Returns the list of every job run. */
static struct tb_job *run_batch(struct fk_db *db, struct tb_job *jobs, int n)
{
	struct tb_job *last = jobs, *more = jobs;
	struct fk_err err = {0};
	int rc = tb_tx_begin(db, &err);

	while (rc == 0 && more) {
		for (struct tb_job *j = more; j; j = j->next) {
			run_one(db, j);
			last = j;
		}
		pthread_mutex_lock(&q_lock);
		more = take(BATCH_MAX - n, &n);
		pthread_mutex_unlock(&q_lock);
		last->next = more;
	}
	if (rc == 0)
		rc = tb_tx_end(db, 0, &err);
	if (rc < 0)
		fail_all(jobs, rc, &err);
	return jobs;
}

int tb_batch_run(struct tb_job *job)
{
	job->next = NULL;
	job->done = false;
	pthread_mutex_lock(&q_lock);
	if (q_tail)
		q_tail->next = job;
	else
		q_head = job;
	q_tail = job;
	while (!job->done) {
		if (q_leading) {
			pthread_cond_wait(&q_done, &q_lock);
			continue;
		}
		int n = 0;
		struct tb_job *batch = take(BATCH_MAX, &n);
		q_leading = true;
		pthread_mutex_unlock(&q_lock);
		batch = run_batch(job->req->db, batch, n);
		pthread_mutex_lock(&q_lock);
		for (struct tb_job *j = batch, *next; j; j = next) {
			next = j->next;
			j->done = true;
		}
		q_leading = false;
		pthread_cond_broadcast(&q_done);
	}
	pthread_mutex_unlock(&q_lock);
	return job->rc;
}
