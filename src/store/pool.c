/* pool: the store's connections for the server's threads. Idle connections are kept on a
 * stack (the one used last is handed out first, with its page cache still warm), and up to
 * `max` are opened on demand. Beside them the store keeps writer connections (one on SQLite,
 * FK_STORE_WRITERS on PostgreSQL) for a caller
 * that serializes its own use of it (group commit), so that the connection doing most writes
 * keeps its cache: on SQLite any other connection's commit makes a connection drop its
 * cache at its next transaction.
 *
 * On SQLite the store also checkpoints the WAL from a thread of its own every
 * FK_CHECKPOINT_MS, and its connections never do (wal_autocheckpoint=0): a checkpoint copies
 * pages into the database file and syncs it, which a request should not wait for, and pages
 * written many times between two checkpoints are copied once. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/log.h"
#include "base/xmalloc.h"
#include "store/backend.h"

struct fk_store {
	char *url;
	struct fk_db_opts opts; /* of every connection it opens */
	int max, open;
	struct fk_db *idle;
	struct fk_db *writer[FK_STORE_WRITERS];
	int writers; /* how many the store's kind uses */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool manual_checkpoints; /* the backend checkpoints only when told (SQLite) */
	bool stopping;
	pthread_t checkpointer;
	pthread_cond_t stop_cv;
};

static int open_conn(struct fk_store *s, struct fk_db **out, struct fk_err *err)
{
	int rc = fk_db_open_with(s->url, &s->opts, out, err);

	if (rc == 0 && s->manual_checkpoints)
		(*out)->be->set_autocheckpoint(*out, false);
	return rc;
}

/* ---- background checkpoints ---- */

static void deadline_in(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static void *checkpoint_loop(void *arg)
{
	struct fk_store *s = arg;
	struct fk_err err = {0};
	struct fk_db *db = NULL;
	struct timespec ts;

	pthread_setname_np(pthread_self(), "fk-checkpoint");
	if (fk_db_open_with(s->url, &s->opts, &db, &err) < 0) {
		fk_error("msg=\"checkpoint connection failed\" error=\"%s\"", err.en);
		return NULL;
	}
	pthread_mutex_lock(&s->mu);
	while (!s->stopping) {
		deadline_in(&ts, FK_CHECKPOINT_MS);
		pthread_cond_timedwait(&s->stop_cv, &s->mu, &ts);
		pthread_mutex_unlock(&s->mu);
		db->be->checkpoint(db, false);
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	/* What is left, so that the file is whole without its WAL after a clean stop. */
	db->be->checkpoint(db, true);
	fk_db_close(db);
	return NULL;
}

static void start_checkpointer(struct fk_store *s)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&s->stop_cv, &attr);
	pthread_condattr_destroy(&attr);
	s->manual_checkpoints = pthread_create(&s->checkpointer, NULL, checkpoint_loop, s) == 0;
	if (!s->manual_checkpoints)
		fk_warn("msg=\"no checkpoint thread: connections checkpoint themselves\"");
}

/* ---- the pool ---- */

int fk_store_open(const char *url, int max, struct fk_store **out, struct fk_err *err)
{
	return fk_store_open_with(url, max, NULL, out, err);
}

int fk_store_open_with(const char *url, int max, const struct fk_db_opts *opts,
		       struct fk_store **out, struct fk_err *err)
{
	struct fk_store *s;
	struct fk_db *db;
	int rc;

	*out = NULL;
	rc = fk_db_open_with(url, opts, &db, err);
	if (rc < 0)
		return rc;
	s = fk_xcalloc(1, sizeof(*s));
	s->url = fk_xstrdup(url);
	if (opts)
		s->opts = *opts;
	s->max = max < 1 ? 1 : max;
	s->open = 1;
	s->idle = db;
	s->writers = strcmp(db->be->name, "sqlite") == 0 ? 1 : FK_STORE_WRITERS;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (db->be->checkpoint) {
		start_checkpointer(s);
		if (s->manual_checkpoints)
			db->be->set_autocheckpoint(db, false);
	}
	*out = s;
	return 0;
}

/* Returns NULL only when a new connection could not be opened (logged). */
struct fk_db *fk_store_acquire(struct fk_store *s)
{
	struct fk_db *db = NULL;
	struct fk_err err = {0};

	pthread_mutex_lock(&s->mu);
	while (!s->idle && s->open >= s->max)
		pthread_cond_wait(&s->cv, &s->mu);
	if (s->idle) {
		db = s->idle;
		s->idle = db->pool_next;
		db->pool_next = NULL;
		pthread_mutex_unlock(&s->mu);
		return db;
	}
	s->open++;
	pthread_mutex_unlock(&s->mu);
	if (open_conn(s, &db, &err) == 0)
		return db;
	fk_error("msg=\"store connection failed\" error=\"%s\"", err.en);
	pthread_mutex_lock(&s->mu);
	s->open--;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* Gives statements a caller forgot back to the cache. */
static void db_reset_busy(struct fk_db *db)
{
	if (db->nbusy == 0)
		return;
	fk_warn("msg=\"connection released with %d open statements\"", db->nbusy);
	for (struct fk_q *q = db->lru_head; q; q = q->lru_next)
		if (q->busy)
			fk_q_done(q);
	db->nbusy = 0;
}

void fk_store_release(struct fk_store *s, struct fk_db *db)
{
	if (!db)
		return;
	db_reset_busy(db);
	fk_db_rollback(db);
	if (!db->be->healthy(db)) {
		fk_warn("msg=\"dropping a broken store connection\"");
		fk_db_close(db);
		db = NULL;
	}
	pthread_mutex_lock(&s->mu);
	if (db) {
		db->pool_next = s->idle;
		s->idle = db;
	} else {
		s->open--;
	}
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

int fk_store_writers(struct fk_store *s)
{
	return s->writers;
}

struct fk_db *fk_store_writer_at(struct fk_store *s, int i, struct fk_err *err)
{
	struct fk_db *db;

	pthread_mutex_lock(&s->mu);
	db = s->writer[i];
	pthread_mutex_unlock(&s->mu);
	if (db && db->be->healthy(db))
		return db;
	if (db) {
		fk_warn("msg=\"reopening the store's broken writer connection\" writer=%d", i);
		fk_db_close(db);
	}
	if (open_conn(s, &db, err) < 0)
		db = NULL;
	else if (db->be->tune_writer)
		db->be->tune_writer(db);
	pthread_mutex_lock(&s->mu);
	s->writer[i] = db;
	pthread_mutex_unlock(&s->mu);
	return db;
}

struct fk_db *fk_store_writer(struct fk_store *s, struct fk_err *err)
{
	return fk_store_writer_at(s, 0, err);
}

const char *fk_store_url(struct fk_store *s)
{
	return s->url;
}

int fk_store_connect(struct fk_store *s, struct fk_db **out, struct fk_err *err)
{
	return fk_db_open_with(s->url, &s->opts, out, err);
}

static void stop_checkpointer(struct fk_store *s)
{
	if (!s->manual_checkpoints)
		return;
	pthread_mutex_lock(&s->mu);
	s->stopping = true;
	pthread_cond_signal(&s->stop_cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->checkpointer, NULL);
	pthread_cond_destroy(&s->stop_cv);
}

/* Every connection must have been released. */
void fk_store_close(struct fk_store *s)
{
	if (!s)
		return;
	for (int i = 0; i < FK_STORE_WRITERS; i++)
		fk_db_close(s->writer[i]);
	while (s->idle) {
		struct fk_db *db = s->idle;
		s->idle = db->pool_next;
		fk_db_close(db);
	}
	stop_checkpointer(s);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s->url);
	free(s);
}
