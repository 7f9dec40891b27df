-- jobs: the scheduled work of the modules (src/platform/sched.c). One row per job name keeps
-- its schedule and next due time in the store, so a restart keeps them and several servers on
-- one database share them: a server claims a due run by moving next_due on, under the job's
-- lock, and only the server that moved it runs it. every_ms (0 for a job at a time of day) or
-- at_cst (HH:MM, China Standard Time) is the schedule as last declared; a changed declaration
-- starts the job over.
CREATE TABLE jobs (
	name TEXT PRIMARY KEY,
	every_ms BIGINT NOT NULL DEFAULT 0,
	at_cst TEXT,
	next_due BIGINT NOT NULL,
	last_started BIGINT,
	last_finished BIGINT,
	last_ok INTEGER,
	last_error TEXT,
	last_duration_ms BIGINT,
	runs BIGINT NOT NULL DEFAULT 0,
	failures BIGINT NOT NULL DEFAULT 0,
	overruns BIGINT NOT NULL DEFAULT 0
);
-- One row per run, written when the run is claimed (result 'running') and finished after it.
-- A due time is run once: (name, due) is unique, whichever server claims it.
CREATE TABLE job_runs (
	id BIGINT PRIMARY KEY,
	name TEXT NOT NULL,
	due BIGINT NOT NULL,
	started_at BIGINT NOT NULL,
	finished_at BIGINT,
	duration_ms BIGINT,
	result TEXT NOT NULL,
	error TEXT,
	UNIQUE (name, due)
);
CREATE INDEX job_runs_started ON job_runs (name, started_at);
