/* run: the store side of the scheduler. A run is claimed (next_due moved on and a job_runs row
 * written, in one write transaction, under the job's lock), executed with no transaction
 * open, then recorded (the run's row and the job's totals), logged and counted. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/log.h"
#include "platform/internal.h"

struct claim {
	int64_t run_id, due, started, next_due;
};

struct outcome {
	bool ok, overrun;
	int64_t duration_ms;
	const char *error; /* NULL when ok */
};

static int sync_one(struct fk_db *db, const struct sched_job *j, int64_t now, struct fk_err *err)
{
	const struct fk_job *job = j->job;
	struct fk_q *q;
	bool same = false;
	int rc = fk_db_query(db, &q, "SELECT every_ms, at_cst FROM jobs WHERE name = ?", err);

	if (rc < 0)
		return rc;
	fk_q_bind_text(q, 1, job->name);
	rc = fk_q_step(q, err);
	if (rc > 0) {
		const char *at = fk_q_text(q, 1);
		same = fk_q_i64(q, 0) == job->every_ms &&
		       (at && job->at ? strcmp(at, job->at) == 0 : at == job->at);
	}
	fk_q_done(q);
	if (rc < 0 || same)
		return rc < 0 ? rc : 0;
	int64_t n =
	    rc == 0 ? fk_db_run(db, err,
				"INSERT INTO jobs (name, every_ms, at_cst, next_due) "
				"VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
				"titi", job->name, job->every_ms, job->at, sched_first_due(j, now))
		    : fk_db_run(db, err,
				"UPDATE jobs SET every_ms = ?, at_cst = ?, next_due = ? "
				"WHERE name = ?",
				"itit", job->every_ms, job->at, sched_first_due(j, now), job->name);
	return n < 0 ? (int)n : 0;
}

int fk_sched_sync(struct fk_sched *s, struct fk_db *db, struct fk_err *err)
{
	int64_t now = fk_now_ms();
	int rc = fk_db_begin(db, true, err);

	for (int i = 0; rc == 0 && i < s->n; i++)
		rc = sync_one(db, &s->jobs[i], now, err);
	if (rc == 0)
		return fk_db_commit(db, err);
	fk_db_rollback(db);
	return rc;
}

static int no_row(const char *name, struct fk_err *err)
{
	return fk_err_set(err, FK_EINTERNAL, "job_not_synced", NULL, "任务 %s 不在 jobs 表中",
			  "job %s has no row in the jobs table", name);
}

/* Returns 1 when this connection now owns the run due at c->due, 0 when the job is not due
 * (c->next_due tells when it is), or < 0. */
static int claim(struct fk_db *db, const struct sched_job *j, struct claim *c, struct fk_err *err)
{
	const char *name = j->job->name;
	int64_t now = fk_now_ms(), n = 0;
	int rc = fk_db_begin(db, true, err);

	if (rc == 0)
		rc = fk_db_one_i64(db, err, &c->due, "SELECT next_due FROM jobs WHERE name = ?",
				   "t", name);
	if (rc == 0)
		rc = no_row(name, err);
	if (rc < 0 || c->due > now) {
		c->next_due = c->due;
		fk_db_rollback(db);
		return rc < 0 ? rc : 0;
	}
	c->started = now;
	c->next_due = sched_next_due(j, c->due, now);
	c->run_id = fk_id_next();
	n = fk_db_run(
	    db, err,
	    "UPDATE jobs SET next_due = ?, last_started = ? WHERE name = ? AND next_due = ?",
	    "iiti", c->next_due, now, name, c->due);
	if (n == 0) { /* claimed meanwhile by a connection that did not take the lock */
		fk_db_rollback(db);
		return 0;
	}
	if (n >= 0)
		n = fk_db_run(db, err,
			      "INSERT INTO job_runs (id, name, due, started_at, result) "
			      "VALUES (?, ?, ?, ?, 'running')",
			      "itii", c->run_id, name, c->due, now);
	if (n >= 0)
		n = fk_db_commit(db, err);
	if (n < 0) {
		fk_db_rollback(db);
		return (int)n;
	}
	return 1;
}

static const char *result_name(const struct outcome *o)
{
	return !o->ok ? "failed" : o->overrun ? "overrun" : "ok";
}

static int record(struct fk_db *db, const struct sched_job *j, const struct claim *c,
		  const struct outcome *o, struct fk_err *err)
{
	int64_t now = fk_now_ms();
	int64_t n = fk_db_begin(db, true, err);

	if (n == 0)
		n = fk_db_run(db, err,
			      "UPDATE job_runs SET finished_at = ?, duration_ms = ?, result = ?, "
			      "error = ? WHERE id = ?",
			      "iitti", now, o->duration_ms, result_name(o), o->error, c->run_id);
	if (n >= 0)
		n = fk_db_run(db, err,
			      "UPDATE jobs SET last_finished = ?, last_ok = ?, last_error = ?, "
			      "last_duration_ms = ?, runs = runs + 1, failures = failures + ?, "
			      "overruns = overruns + ? WHERE name = ?",
			      "iitiiit", now, (int64_t)o->ok, o->error, o->duration_ms,
			      (int64_t)!o->ok, (int64_t)o->overrun, j->job->name);
	if (n >= 0)
		n = fk_db_commit(db, err);
	if (n < 0)
		fk_db_rollback(db);
	return n < 0 ? (int)n : 0;
}

/* The log line; quotes and line breaks in the error become ' and space. */
static void log_run(const struct sched_job *j, const struct outcome *o)
{
	char error[340] = "";

	if (o->error) {
		snprintf(error, sizeof error, " error=\"%s\"", o->error);
		for (char *p = error + 8; p[1]; p++)
			if (*p == '"' || *p == '\n' || *p == '\r')
				*p = *p == '"' ? '\'' : ' ';
	}
	fk_log(o->ok && !o->overrun ? FK_LOG_INFO : FK_LOG_WARN,
	       "event=job name=%s duration_ms=%lld result=%s%s", j->job->name,
	       (long long)o->duration_ms, result_name(o), error);
}

static void count(struct fk_job_stats *st, const struct outcome *o)
{
	atomic_fetch_add(&st->runs, 1);
	if (!o->ok)
		atomic_fetch_add(&st->failures, 1);
	if (o->overrun)
		atomic_fetch_add(&st->overruns, 1);
	atomic_store(&st->last_duration_ms, o->duration_ms);
}

/* Runs the claimed job. Its duration is real (monotonic) time plus whatever the test clock
 * was moved while it ran, so a test can make a run overrun without waiting. */
static int execute(struct fk_sched *s, struct fk_db *db, int i, const struct claim *c,
		   struct fk_err *err)
{
	const struct sched_job *j = &s->jobs[i];
	struct fk_err jerr = {0};
	uint64_t t0 = fk_mono_ns();
	int64_t off0 = fk_clock_offset_ms();
	int rc = j->job->run(s->app, db, &jerr);
	struct outcome o = {.ok = rc == 0};

	if (fk_db_in_tx(db))
		fk_db_rollback(db); /* a job that failed inside its own transaction */
	o.duration_ms = (int64_t)((fk_mono_ns() - t0) / 1000000u) + fk_clock_offset_ms() - off0;
	if (o.duration_ms < 0)
		o.duration_ms = 0;
	o.overrun = o.duration_ms > j->max_ms;
	if (rc < 0)
		o.error = jerr.en[0] ? jerr.en : fk_code_name(rc);
	count(&s->stats[i], &o);
	log_run(j, &o);
	rc = record(db, j, c, &o, err);
	return rc < 0 ? rc : 1;
}

/* Returns 1 if the job ran here, 0 if it was not due or another connection holds it, or < 0;
 * *next is when to look at it again. A job another server holds is passed over: that server
 * moved next_due on before it started the run. */
static int run_one(struct fk_sched *s, struct fk_db *db, int i, int64_t *next, struct fk_err *err)
{
	struct claim c = {0};
	char lock[FK_JOB_NAME_MAX + 8];
	bool got = false;
	int64_t looked = fk_now_ms();
	int rc;

	snprintf(lock, sizeof lock, "job:%s", s->jobs[i].job->name);
	rc = fk_db_try_lock(db, lock, &got, err);
	if (rc < 0)
		return rc;
	if (!got) {
		*next = looked + SCHED_BUSY_RETRY_MS;
		atomic_store(&s->stats[i].last_check_ms, looked);
		return 0;
	}
	rc = claim(db, &s->jobs[i], &c, err);
	if (rc > 0)
		rc = execute(s, db, i, &c, err);
	*next = c.next_due;
	if (fk_db_unlock(db, lock, rc < 0 ? NULL : err) < 0 && rc >= 0)
		rc = err->code;
	/* Set last, so that a check seen in /metrics is over (ran or passed over). */
	atomic_store(&s->stats[i].last_check_ms, looked);
	return rc;
}

int fk_sched_run_due(struct fk_sched *s, struct fk_db *db, int64_t *next_due, struct fk_err *err)
{
	int64_t soonest = INT64_MAX, next = 0;
	int ran = 0, rc = 0;

	for (int i = 0; i < s->n; i++) {
		rc = run_one(s, db, i, &next, err);
		if (rc < 0)
			break;
		ran += rc;
		if (next < soonest)
			soonest = next;
	}
	if (next_due)
		*next_due = soonest;
	return rc < 0 ? rc : ran;
}
