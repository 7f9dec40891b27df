/* batch: group commit of keyed writes. A writer thread takes every job queued (up to
 * BATCH_MAX), runs them in one transaction on a writer connection of the store and commits
 * once; what queued up meanwhile is the next batch. Each job runs under a savepoint of its
 * own: a refused scan is rolled back to it and changes nothing, the others commit together.
 * Nobody waits for a batch to fill; a scan alone is a batch of one.
 *
 * SQLite has one writer at a time, and what a scan costs is mostly its commit: the pages it
 * touched appended to the WAL (about eleven 4 KiB frames for a scan alone), shared by a
 * batch. So there is one writer thread. On PostgreSQL a commit is a WAL flush and a round
 * trip, and each statement a round trip: there are FK_STORE_WRITERS writer threads (lanes),
 * each with its own connection (fk_store_writer_at) and queue, so that their round trips
 * overlap, a job going to the lane of its affinity (a keyed write's: its address, so that one
 * tube's scans share a lane and never wait on each other's row locks) or else to the lane with
 * the fewest queued; row locks order what two lanes
 * (or two servers) write, and a job that loses a deadlock or a lock wait runs again in its
 * lane's next batch (take_losers).
 *
 * The request threads do not wait: a request hands its job over and its reply is deferred
 * (fk_req_defer); the job's done function, called once the commit is over by a finisher
 * thread (so that the writer goes on with the next batch meanwhile), sends it. So the server's
 * threads parse and answer other requests while the writers write, and only the writer
 * connections make the commits (on SQLite one, which keeps a warm page cache, where a
 * connection whose cache another's commit made stale must read its pages again). */
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>
#include "base/log.h"
#include "platform/keyed.h"

#define BATCH_MAX 256

/* A queue of jobs and the thread that works through it. */
struct lane {
	pthread_mutex_t mu;
	pthread_cond_t work;
	struct fk_batch_job *head, *tail;
	int queued; /* jobs on the queue (writer lanes) */
	pthread_t thread;
	bool running, stopping;
};

#define LANE_INIT                                                                                  \
	{                                                                                          \
		.mu = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER                  \
	}

/* The jobs submitted, for the writer threads (one lane each); and the jobs committed, for the
 * finisher thread to hand back to their requests (resuming a connection is a system call
 * each) while the writers go on with their next batches. */
static struct lane lanes[FK_STORE_WRITERS] = {LANE_INIT, LANE_INIT, LANE_INIT, LANE_INIT};
_Static_assert(FK_STORE_WRITERS == 4, "one LANE_INIT per writer connection");
static struct lane fin = LANE_INIT;
/* Under start_mu: the store the writers write to, how many lanes run, which are stopping. */
static pthread_mutex_t start_mu = PTHREAD_MUTEX_INITIALIZER;
static struct fk_store *writer_store;
static int nlanes;
static bool halting;

/* Under l->mu: appends the jobs first..last and wakes the lane's thread. */
static void lane_push(struct lane *l, struct fk_batch_job *first, struct fk_batch_job *last)
{
	if (l->tail)
		l->tail->next = first;
	else
		l->head = first;
	l->tail = last;
	pthread_cond_signal(&l->work);
}

/* Under l->mu: puts the jobs of the list first back at the head of the queue. */
static void lane_push_front(struct lane *l, struct fk_batch_job *first)
{
	struct fk_batch_job *last = first;
	int n = 1;

	for (; last->next; last = last->next)
		n++;
	last->next = l->head;
	l->head = first;
	if (!l->tail)
		l->tail = last;
	__atomic_add_fetch(&l->queued, n, __ATOMIC_RELAXED);
}

/* Under l->mu: waits for work; false when the lane is stopping and has none left. */
static bool lane_wait(struct lane *l)
{
	while (!l->head && !l->stopping)
		pthread_cond_wait(&l->work, &l->mu);
	return l->head != NULL;
}

/* Lets the lane's thread finish what is queued and joins it; the lane stays stopping (it
 * takes nothing more) until the caller clears running and stopping. */
static void lane_halt(struct lane *l)
{
	pthread_mutex_lock(&l->mu);
	l->stopping = true;
	pthread_cond_signal(&l->work);
	bool running = l->running;
	pthread_mutex_unlock(&l->mu);
	if (running)
		pthread_join(l->thread, NULL);
}

static int savepoint(struct fk_db *db, const char *sql)
{
	struct fk_err ignored = {0};
	int64_t rc = fk_db_run(db, &ignored, sql, "");

	return rc < 0 ? (int)rc : 0;
}

/* A job that lost a deadlock or a serialization check (PostgreSQL: another writer's batch,
 * of this server or another, took the same counter rows in another order) is rolled back to
 * its savepoint and taken out of the batch, whose other jobs commit; then it runs again at the
 * head of the next batch, when the rows the batch's earlier jobs held are free. After
 * JOB_TRIES batches it fails (409 "retry": the client sends it again with its key). */
#define JOB_TRIES 8 /* a slow acknowledgement beats a refusal at the desk */

static bool lost_a_race(const struct fk_batch_job *j)
{
	return j->rc == FK_ECONFLICT && strcmp(j->err->key, "retry") == 0 &&
	       j->tries + 1 < JOB_TRIES;
}

/* One job inside the batch's transaction, under its own savepoint. */
static void run_one(struct fk_db *db, struct fk_batch_job *j)
{
	struct fk_db *own = j->req->db;

	j->req->db = db;
	j->counts_mark = fk_db_counts_mark(db);
	j->rc = savepoint(db, "SAVEPOINT fk_job");
	if (j->rc == 0)
		j->rc = j->run(j);
	if (j->rc < 0)
		fk_batch_undo(j);
	savepoint(db, "RELEASE SAVEPOINT fk_job");
	j->req->db = own;
}

/* Moves the jobs that lost a race from *jobs to the returned list, ready to run again. */
static struct fk_batch_job *take_losers(struct fk_batch_job **jobs)
{
	struct fk_batch_job *again = NULL, **tail = &again;

	for (struct fk_batch_job **pp = jobs; *pp;) {
		struct fk_batch_job *j = *pp;
		if (!lost_a_race(j)) {
			pp = &j->next;
			continue;
		}
		*pp = j->next;
		j->next = NULL;
		j->tries++;
		j->rc = 0;
		*j->err = (struct fk_err){0};
		*tail = j;
		tail = &j->next;
	}
	return again;
}

/* Before a lost race runs again: a random pause of up to 10 ms a try, so that two writers that
 * took the same rows in opposite orders do not meet again at the same moment. */
static void back_off(int tries)
{
	unsigned us = randombytes_uniform(10000u * (unsigned)tries) + 1000u;
	struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)us * 1000};

	nanosleep(&ts, NULL);
}

void fk_batch_undo(struct fk_batch_job *job)
{
	savepoint(job->req->db, "ROLLBACK TO SAVEPOINT fk_job");
	fk_db_counts_rewind(job->req->db, job->counts_mark);
}

/* The batch rolled back for a lost lock wait: every job's outcome is that (take_losers
 * then queues those with tries left). */
static void lose_all(struct fk_batch_job *jobs, int rc, const struct fk_err *err)
{
	for (struct fk_batch_job *j = jobs; j; j = j->next) {
		j->rc = rc;
		*j->err = *err;
	}
}

/* The counters the batch's jobs bumped (a building's in a round) are applied last, so that
 * the batch holds their rows only for its commit. Another batch holding one past the lock
 * wait, or inserting a row first, rolls the whole batch back: every job runs again. */
static int flush_counts(struct fk_db *db, struct fk_batch_job *jobs, struct fk_err *err)
{
	int rc = fk_db_counts_flush(db, err);

	if (rc == FK_ECONFLICT) {
		fk_err_set(err, FK_ECONFLICT, "retry", NULL, "请重试", "please try again");
		lose_all(jobs, rc, err);
	}
	return rc;
}

static void fail_all(struct fk_batch_job *jobs, int rc, const struct fk_err *err)
{
	for (struct fk_batch_job *j = jobs; j; j = j->next) {
		if (j->rc < 0)
			continue;
		j->rc = rc;
		*j->err = *err;
	}
}

/* Takes up to max queued jobs off the lane's queue (under l->mu); NULL when it is empty. */
static struct fk_batch_job *take(struct lane *l, int max)
{
	struct fk_batch_job *first = l->head, *last = l->head;
	int n = 1;

	if (!first)
		return NULL;
	while (last->next && n < max) {
		last = last->next;
		n++;
	}
	l->head = last->next;
	if (!l->head)
		l->tail = NULL;
	__atomic_sub_fetch(&l->queued, n, __ATOMIC_RELAXED);
	last->next = NULL;
	return first;
}

/* Runs the jobs taken and commits them at once. Those that queue up meanwhile wait for the
 * next batch: a batch that kept taking them in would hold every reply until the queue ran
 * dry, and the clients, answered all together, would send their next writes all together
 * while the writer sat idle. */
static struct fk_batch_job *run_batch(struct fk_db *db, struct fk_batch_job **jobs)
{
	struct fk_tx tx;
	struct fk_err err = {0};
	struct fk_batch_job *again = NULL;
	int rc = fk_tx_begin(db, &tx, &err);

	if (rc == 0) {
		fk_db_defer_counts(db, true);
		for (struct fk_batch_job *j = *jobs; j; j = j->next)
			run_one(db, j);
		rc = flush_counts(db, *jobs, &err);
		again = take_losers(jobs);
	}
	rc = fk_tx_end(db, &tx, rc, &err);
	fk_db_defer_counts(db, false);
	if (rc < 0)
		fail_all(*jobs, rc, &err);
	return again;
}

/* Without a connection to write with (err says why), every job fails alike. */
static void refuse(struct fk_batch_job *jobs, const struct fk_err *err)
{
	fail_all(jobs, err->code, err);
}

/* Runs each job's done; a job belongs to its request again once done runs: read next first. */
static void finish_now(struct fk_batch_job *jobs)
{
	for (struct fk_batch_job *j = jobs, *next; j; j = next) {
		next = j->next;
		j->done(j);
	}
}

static void *finisher_loop(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "fk-finisher");
	pthread_mutex_lock(&fin.mu);
	while (lane_wait(&fin)) {
		struct fk_batch_job *jobs = fin.head;
		fin.head = fin.tail = NULL;
		pthread_mutex_unlock(&fin.mu);
		finish_now(jobs);
		pthread_mutex_lock(&fin.mu);
	}
	pthread_mutex_unlock(&fin.mu);
	return NULL;
}

static void finish(struct fk_batch_job *jobs)
{
	struct fk_batch_job *last = jobs;

	while (last->next)
		last = last->next;
	if (fin.running) {
		pthread_mutex_lock(&fin.mu);
		lane_push(&fin, jobs, last);
		pthread_mutex_unlock(&fin.mu);
	} else {
		finish_now(jobs);
	}
}

static void *writer_loop(void *arg)
{
	struct lane *l = arg;
	int index = (int)(l - lanes);
	struct fk_err err = {0};

	pthread_setname_np(pthread_self(), "fk-writer");
	pthread_mutex_lock(&l->mu);
	while (lane_wait(l)) {
		struct fk_batch_job *jobs = take(l, BATCH_MAX);
		pthread_mutex_unlock(&l->mu);
		struct fk_db *db = fk_store_writer_at(writer_store, index, &err);
		struct fk_batch_job *again = NULL;
		if (db)
			again = run_batch(db, &jobs);
		else
			refuse(jobs, &err);
		if (jobs)
			finish(jobs);
		if (again)
			back_off(again->tries);
		pthread_mutex_lock(&l->mu);
		if (again)
			lane_push_front(l, again);
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

/* Under start_mu: the finisher and one writer per writer connection of the store. */
static void start_lanes(struct fk_store *store)
{
	int want = fk_store_writers(store);

	writer_store = store;
	if (!fin.running)
		fin.running = pthread_create(&fin.thread, NULL, finisher_loop, NULL) == 0;
	for (nlanes = 0; nlanes < want; nlanes++) {
		struct lane *l = &lanes[nlanes];
		l->running = pthread_create(&l->thread, NULL, writer_loop, l) == 0;
		if (!l->running)
			break;
	}
}

/* The lane of an affinity; else the running lane with the fewest jobs queued, ties going
 * round (a read of each count without its lock: a stale one only makes the choice less even). */
static struct lane *pick_lane(uint64_t affinity)
{
	static unsigned turn;

	if (affinity)
		return &lanes[affinity % (unsigned)nlanes];
	int start = (int)(__atomic_fetch_add(&turn, 1, __ATOMIC_RELAXED) % (unsigned)nlanes);
	struct lane *best = &lanes[start];

	for (int k = 1; k < nlanes; k++) {
		struct lane *l = &lanes[(start + k) % nlanes];
		if (__atomic_load_n(&l->queued, __ATOMIC_RELAXED) <
		    __atomic_load_n(&best->queued, __ATOMIC_RELAXED))
			best = l;
	}
	return best;
}

int fk_batch_submit(struct fk_store *store, struct fk_batch_job *job, struct fk_err *err)
{
	struct lane *l = NULL;

	job->next = NULL;
	pthread_mutex_lock(&start_mu);
	if (nlanes == 0 && !halting)
		start_lanes(store);
	if (nlanes > 0 && !halting && writer_store == store)
		l = pick_lane(job->affinity);
	pthread_mutex_unlock(&start_mu);
	if (!l)
		return fk_err_set(err, FK_EINTERNAL, "no_writer", NULL, "写入线程不可用",
				  "the writer thread is not available");
	pthread_mutex_lock(&l->mu);
	if (l->stopping) {
		pthread_mutex_unlock(&l->mu);
		return fk_err_set(err, FK_EINTERNAL, "no_writer", NULL, "写入线程不可用",
				  "the writer thread is not available");
	}
	__atomic_add_fetch(&l->queued, 1, __ATOMIC_RELAXED);
	lane_push(l, job, job);
	pthread_mutex_unlock(&l->mu);
	return 0;
}

/* The writers first (their last batches go to the finisher), then the finisher; submits are
 * refused until all are down. */
void fk_batch_stop(void)
{
	int n;

	pthread_mutex_lock(&start_mu);
	halting = true;
	n = nlanes;
	pthread_mutex_unlock(&start_mu);
	for (int i = 0; i < n; i++)
		lane_halt(&lanes[i]);
	lane_halt(&fin);
	pthread_mutex_lock(&fin.mu);
	fin.running = fin.stopping = false;
	pthread_mutex_unlock(&fin.mu);
	for (int i = 0; i < n; i++) {
		pthread_mutex_lock(&lanes[i].mu);
		lanes[i].running = lanes[i].stopping = false;
		lanes[i].queued = 0;
		pthread_mutex_unlock(&lanes[i].mu);
	}
	pthread_mutex_lock(&start_mu);
	nlanes = 0;
	halting = false;
	writer_store = NULL;
	pthread_mutex_unlock(&start_mu);
}
