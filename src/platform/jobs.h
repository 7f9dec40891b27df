/* jobs: work a module runs on a schedule, and the scheduler that runs it.
 *
 * A module lists its jobs in its descriptor (struct fk_module .jobs, ended by FK_JOBS_END):
 *   static int purge(struct fk_app *app, struct fk_db *db, struct fk_err *err);
 *   static const struct fk_job users_jobs[] = {
 *       {.name = "users.purge_sessions", .every_ms = 10 * 60 * 1000, .run = purge},
 *       {.name = "reports.daily", .at = "08:00", .run = daily, .max_ms = 5 * 60 * 1000},
 *       FK_JOBS_END,
 *   };
 * A job runs every every_ms, or daily at "HH:MM" China Standard Time, by fk_now_ms() (so the
 * test clock moves it). Its next due time lives in the store (table jobs), so a restart keeps
 * it and several servers on one database share it: a server takes the job's lock
 * (fk_db_try_lock), re-reads next_due, and runs the job only if it is still due, moving
 * next_due on first; a due time is run once whichever server gets it. A job that was due
 * several times while no server ran it runs once, not once per missed time.
 *
 * run gets a store connection with no transaction open (it opens its own) and returns 0 or an
 * FK_E* code with err filled. Each run is one log line
 *   event=job name=users.purge_sessions duration_ms=3 result=ok|failed|overrun error="..."
 * a row of job_runs, and counters in app->job_stats (GET /metrics). A failed run is logged and
 * counted and the next one is scheduled as usual; a run longer than max_ms is an overrun. */
#ifndef FK_PLATFORM_JOBS_H
#define FK_PLATFORM_JOBS_H
#include <stdint.h>
#include "base/err.h"
#include "http/http.h"
#include "store/db.h"

#define FK_JOB_NAME_MAX 63
#define FK_JOB_MAX_MS	60000 /* max_ms when a job gives none */

struct fk_job {
	const char *name; /* unique among all modules: a-z 0-9 . _ -, up to 63 bytes */
	int64_t every_ms; /* runs every this many ms; 0 when at is given */
	const char *at;	  /* or daily at "HH:MM", China Standard Time; NULL with every_ms */
	int (*run)(struct fk_app *app, struct fk_db *db, struct fk_err *err);
	int64_t max_ms; /* a run longer than this is logged and counted as overrun; 0 = 60 s */
};
/* clang-format off */
#define FK_JOBS_END {.name = NULL}
/* clang-format on */

struct fk_sched;

/* Gathers the jobs of mods (NULL-terminated) and checks them: a job with no name or a bad one,
 * no run function, neither or both of every_ms and at, a bad at time, a negative max_ms, two
 * jobs with one name are each FK_EINVAL "bad_job" naming the module and the job. On success
 * *out is a new scheduler (nothing started) and app->job_stats points at its counters until
 * fk_sched_free. */
int fk_sched_new(struct fk_app *app, const struct fk_module *const *mods, struct fk_sched **out,
		 struct fk_err *err);
/* Makes the store's jobs rows match the declarations: a new job, or one whose schedule
 * changed, is next due one interval from now (every_ms) or at its next time of day (at).
 * Returns 0 or an FK_E* code. */
int fk_sched_sync(struct fk_sched *s, struct fk_db *db, struct fk_err *err);
/* Runs, one after another on db, every job that is due now and that no other connection is
 * running; returns how many ran (>= 0, failed runs included) or an FK_E* store error. When
 * next_due is not NULL it receives the earliest time a job may be due next. No thread: the
 * scheduler's thread calls it, and so do unit tests. */
int fk_sched_run_due(struct fk_sched *s, struct fk_db *db, int64_t *next_due, struct fk_err *err);
/* Syncs the store (on a connection of app->store), then starts the scheduler's thread, which
 * sleeps until the next due time, a move of the test clock, or fk_sched_stop. 0 or FK_E*. */
int fk_sched_start(struct fk_sched *s, struct fk_err *err);
/* Stops the thread after the run in progress, if any. Safe when never started. */
void fk_sched_stop(struct fk_sched *s);
/* Stops it if needed, clears app->job_stats and frees s. NULL is a no-op. */
void fk_sched_free(struct fk_sched *s);

/* The next time after now at which "HH:MM" China Standard Time comes (strictly after now). */
int64_t fk_job_next_at(int minute_of_day, int64_t now_ms);

/* Routes: GET /api/v1/jobs is the platform's (fk_platform_routes, platform.c); POST
 * /api/v1/test/clock is fk_module_test_clock's, a module only `serve --test-clock` adds. */
extern const struct fk_route fk_platform_routes[];
extern const struct fk_module fk_module_test_clock;

#endif
