-- The half-days the job health.missed has swept: one row per half-day once its deadline has
-- passed, so that a later run (or another server) does not sweep it again; missed counts the
-- misses it recorded.
CREATE TABLE health_sweeps (
	day TEXT NOT NULL,
	half TEXT NOT NULL,
	swept_at BIGINT NOT NULL,
	missed BIGINT NOT NULL,
	PRIMARY KEY (day, half)
);
