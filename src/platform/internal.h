/* platform internals: what sched.c (declarations, the thread), run.c (the store side of a
 * run) and api.c share. */
#ifndef FK_PLATFORM_INTERNAL_H
#define FK_PLATFORM_INTERNAL_H
#include <pthread.h>
#include <stdbool.h>
#include "platform/jobs.h"
#include "platform/module.h"

#define SCHED_BUSY_RETRY_MS  1000  /* a job another server is running: look again after this */
#define SCHED_ERROR_RETRY_MS 5000  /* the store failed: try again after this */
#define SCHED_MAX_SLEEP_MS   60000 /* wake at least this often (other servers move next_due) */

struct sched_job {
	const struct fk_job *job;
	const char *module;
	int at_minute; /* minute of the day for at jobs, -1 for interval jobs */
	int64_t max_ms;
};

struct fk_sched {
	struct fk_app *app;
	int n;
	struct sched_job *jobs;
	struct fk_job_stats *stats; /* n + 1, the last with a NULL name */
	pthread_mutex_t lock;
	pthread_cond_t wake; /* on CLOCK_MONOTONIC */
	bool started, stop, moved;
	pthread_t thread;
};

/* The first due time of a job declared now (sync), and the one after a run due at due. */
int64_t sched_first_due(const struct sched_job *j, int64_t now);
int64_t sched_next_due(const struct sched_job *j, int64_t due, int64_t now);

#endif
