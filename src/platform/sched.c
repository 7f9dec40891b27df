/* sched: the scheduler's declarations (gathered from the modules and checked once), its due
 * time arithmetic, and its thread, which sleeps on a condition variable until the next due
 * time, a move of the test clock, or stop. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/clock.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "platform/internal.h"

#define DAY_MS 86400000LL
#define CST_MS (8 * 3600000LL)

int64_t fk_job_next_at(int minute_of_day, int64_t now_ms)
{
	int64_t local = now_ms + CST_MS;
	int64_t day = local >= 0 ? local / DAY_MS : (local - DAY_MS + 1) / DAY_MS;
	int64_t t = day * DAY_MS + minute_of_day * 60000LL - CST_MS;

	return t > now_ms ? t : t + DAY_MS;
}

int64_t sched_first_due(const struct sched_job *j, int64_t now)
{
	return j->at_minute >= 0 ? fk_job_next_at(j->at_minute, now) : now + j->job->every_ms;
}

/* The next point of the job's grid (due + k * every) after now: missed times run once. */
int64_t sched_next_due(const struct sched_job *j, int64_t due, int64_t now)
{
	int64_t every = j->job->every_ms;

	if (j->at_minute >= 0)
		return fk_job_next_at(j->at_minute, now);
	if (due > now)
		return due + every;
	return due + ((now - due) / every + 1) * every;
}

/* "HH:MM" -> minute of the day, or -1. */
static int parse_at(const char *at)
{
	if (!at || strlen(at) != 5 || at[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (at[i] < '0' || at[i] > '9'))
			return -1;
	int h = (at[0] - '0') * 10 + (at[1] - '0'), m = (at[3] - '0') * 10 + (at[4] - '0');

	return h < 24 && m < 60 ? h * 60 + m : -1;
}

static bool name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return n > 0 && n <= FK_JOB_NAME_MAX &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

static int bad_job(struct fk_err *err, const char *module, int index, const char *name,
		   const char *zh, const char *en)
{
	return fk_err_set(err, FK_EINVAL, "bad_job", "jobs", "模块 %s 的第 %d 个任务（%s）：%s%.0s",
			  "module %s, job %d (%s): %.0s%s", module, index + 1,
			  name ? name : "no name", zh, en);
}

/* Checks one declaration; fills out. */
static int check_job(const struct fk_job *j, const char *module, int index, struct sched_job *out,
		     struct fk_err *err)
{
	if (!name_ok(j->name))
		return bad_job(err, module, index, j->name, "名称应为 1 到 63 位 a-z 0-9 . _ -",
			       "the name must be 1 to 63 of a-z 0-9 . _ -");
	if (!j->run)
		return bad_job(err, module, index, j->name, "没有运行函数", "no run function");
	if ((j->every_ms > 0) == (j->at != NULL) || j->every_ms < 0)
		return bad_job(err, module, index, j->name, "应给出 every_ms 或 at 之一",
			       "give one of every_ms (> 0) or at");
	out->at_minute = j->at ? parse_at(j->at) : -1;
	if (j->at && out->at_minute < 0)
		return bad_job(err, module, index, j->name, "at 应为 HH:MM（北京时间）",
			       "at must be HH:MM (China Standard Time)");
	if (j->max_ms < 0)
		return bad_job(err, module, index, j->name, "max_ms 不能为负",
			       "max_ms must not be negative");
	out->job = j;
	out->module = module;
	out->max_ms = j->max_ms ? j->max_ms : FK_JOB_MAX_MS;
	return 0;
}

/* The all-empty entry that ends a module's list (FK_JOBS_END). */
static bool is_end(const struct fk_job *j)
{
	return !j->name && !j->run && !j->every_ms && !j->at && !j->max_ms;
}

static int count_jobs(const struct fk_module *const *mods)
{
	int n = 0;

	for (int m = 0; mods[m]; m++)
		for (const struct fk_job *j = mods[m]->jobs; j && !is_end(j); j++)
			n++;
	return n;
}

/* Another job of the first k has this name. */
static bool taken(const struct fk_sched *s, int k, const char *name)
{
	for (int d = 0; d < k; d++)
		if (strcmp(s->jobs[d].job->name, name) == 0)
			return true;
	return false;
}

static int gather(struct fk_sched *s, const struct fk_module *const *mods, struct fk_err *err)
{
	int k = 0;

	for (int m = 0; mods[m]; m++) {
		const struct fk_job *jobs = mods[m]->jobs;
		for (int i = 0; jobs && !is_end(&jobs[i]); i++, k++) {
			int rc = check_job(&jobs[i], mods[m]->name, i, &s->jobs[k], err);
			if (rc == 0 && taken(s, k, jobs[i].name))
				rc = bad_job(err, mods[m]->name, i, jobs[i].name,
					     "与另一个任务同名", "another job has this name");
			if (rc < 0)
				return rc;
			s->stats[k].name = jobs[i].name;
		}
	}
	return 0;
}

int fk_sched_new(struct fk_app *app, const struct fk_module *const *mods, struct fk_sched **out,
		 struct fk_err *err)
{
	struct fk_sched *s = fk_xcalloc(1, sizeof(*s));
	pthread_condattr_t ca;
	int rc;

	s->app = app;
	s->n = count_jobs(mods);
	s->jobs = fk_xcalloc((size_t)s->n + 1, sizeof(*s->jobs));
	s->stats = fk_xcalloc((size_t)s->n + 1, sizeof(*s->stats));
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->wake, &ca);
	pthread_condattr_destroy(&ca);
	rc = gather(s, mods, err);
	if (rc < 0) {
		fk_sched_free(s);
		return rc;
	}
	app->job_stats = s->stats;
	*out = s;
	return 0;
}

/* The clock watcher: a move of the test clock makes the thread look again. */
static void clock_moved(void *cls)
{
	struct fk_sched *s = cls;

	pthread_mutex_lock(&s->lock);
	s->moved = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
}

/* Sleeps (s->lock held) until next_due by the clock, a clock move or stop. */
static void sleep_until(struct fk_sched *s, int64_t next_due)
{
	int64_t wait_ms = next_due - fk_now_ms();
	uint64_t ns;
	struct timespec ts;

	if (wait_ms > SCHED_MAX_SLEEP_MS)
		wait_ms = SCHED_MAX_SLEEP_MS;
	if (wait_ms < 0)
		wait_ms = 0;
	ns = fk_mono_ns() + (uint64_t)wait_ms * 1000000u;
	ts.tv_sec = (time_t)(ns / 1000000000u);
	ts.tv_nsec = (long)(ns % 1000000000u);
	while (!s->stop && !s->moved)
		if (pthread_cond_timedwait(&s->wake, &s->lock, &ts) == ETIMEDOUT)
			break;
	s->moved = false;
}

static void *sched_main(void *arg)
{
	struct fk_sched *s = arg;
	struct fk_err err = {0};
	int64_t next = 0;

	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		s->moved = false;
		pthread_mutex_unlock(&s->lock);
		struct fk_db *db = fk_store_acquire(s->app->store);
		int rc = fk_sched_run_due(s, db, &next, &err);
		fk_store_release(s->app->store, db);
		if (rc < 0) {
			fk_error("event=job_scheduler_failed error=\"%s\"", err.en);
			next = fk_now_ms() + SCHED_ERROR_RETRY_MS;
		}
		pthread_mutex_lock(&s->lock);
		if (!s->stop && !s->moved)
			sleep_until(s, next);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int fk_sched_start(struct fk_sched *s, struct fk_err *err)
{
	struct fk_db *db = fk_store_acquire(s->app->store);
	int rc = fk_sched_sync(s, db, err);

	fk_store_release(s->app->store, db);
	if (rc < 0)
		return rc;
	if (fk_clock_watch(clock_moved, s) < 0)
		return fk_err_set(err, FK_EINTERNAL, "clock_watchers", NULL, "时钟监听已满",
				  "too many clock watchers");
	if (pthread_create(&s->thread, NULL, sched_main, s) != 0) {
		fk_clock_unwatch(clock_moved, s);
		return fk_err_set(err, FK_EINTERNAL, "thread_failed", NULL, "无法启动任务调度线程",
				  "could not start the job scheduler's thread");
	}
	s->started = true;
	fk_info("event=job_scheduler_started jobs=%d", s->n);
	return 0;
}

void fk_sched_stop(struct fk_sched *s)
{
	if (!s || !s->started)
		return;
	fk_clock_unwatch(clock_moved, s);
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	s->started = false;
}

void fk_sched_free(struct fk_sched *s)
{
	if (!s)
		return;
	fk_sched_stop(s);
	if (s->app && s->app->job_stats == s->stats)
		s->app->job_stats = NULL;
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	free(s->stats);
	free(s->jobs);
	free(s);
}
