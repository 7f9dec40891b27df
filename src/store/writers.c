/* writers: one lock per SQLite database file among this process's connections (writers.h),
 * kept in a small list by file name. A mutex and a condition rather than a bare mutex, so
 * that a wait can time out and the thread that gives the lock back need not be the one that
 * took it. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/xmalloc.h"
#include "store/writers.h"

struct fk_writers {
	char *path;
	int refs; /* connections open on the file; under registry_mu */
	pthread_mutex_t mu;
	pthread_cond_t freed;
	bool held;
	pthread_t holder; /* the thread that took it, while held */
	struct fk_writers *next;
};

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static struct fk_writers *registry;

static struct fk_writers *writers_new(const char *path)
{
	struct fk_writers *w = fk_xcalloc(1, sizeof(*w));
	pthread_condattr_t attr;

	w->path = fk_xstrdup(path);
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&w->freed, &attr);
	pthread_condattr_destroy(&attr);
	return w;
}

struct fk_writers *fk_writers_get(const char *path)
{
	struct fk_writers *w;

	if (!path || !*path)
		return NULL;
	pthread_mutex_lock(&registry_mu);
	for (w = registry; w && strcmp(w->path, path) != 0; w = w->next)
		;
	if (!w) {
		w = writers_new(path);
		w->next = registry;
		registry = w;
	}
	w->refs++;
	pthread_mutex_unlock(&registry_mu);
	return w;
}

void fk_writers_put(struct fk_writers *w)
{
	struct fk_writers **pp;

	if (!w)
		return;
	pthread_mutex_lock(&registry_mu);
	if (--w->refs > 0) {
		pthread_mutex_unlock(&registry_mu);
		return;
	}
	for (pp = &registry; *pp != w; pp = &(*pp)->next)
		;
	*pp = w->next;
	pthread_mutex_unlock(&registry_mu);
	pthread_cond_destroy(&w->freed);
	pthread_mutex_destroy(&w->mu);
	free(w->path);
	free(w);
}

static struct timespec deadline_after(int ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

int fk_writers_lock(struct fk_writers *w, int timeout_ms)
{
	struct timespec until = deadline_after(timeout_ms);
	int rc = 0;

	pthread_mutex_lock(&w->mu);
	while (w->held && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&w->freed, &w->mu, &until);
	if (!w->held) {
		w->held = true;
		w->holder = pthread_self();
		rc = 0;
	}
	pthread_mutex_unlock(&w->mu);
	return rc == 0 ? 0 : -1;
}

void fk_writers_unlock(struct fk_writers *w)
{
	pthread_mutex_lock(&w->mu);
	w->held = false;
	pthread_cond_signal(&w->freed);
	pthread_mutex_unlock(&w->mu);
}

bool fk_writers_mine(struct fk_writers *w)
{
	bool mine;

	pthread_mutex_lock(&w->mu);
	mine = w->held && pthread_equal(w->holder, pthread_self());
	pthread_mutex_unlock(&w->mu);
	return mine;
}
