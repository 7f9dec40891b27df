-- Shifts: a worker at a place (a sampling site, a checkpoint or an isolation facility) from
-- starts_at to ends_at (epoch ms, ends_at excluded). area_path is the place's, for scope;
-- worker_name and place_name are as they were when the shift was made (the roster shows
-- them without a read per row); worker_user_id is the worker's account (0: none), for
-- "my shifts".
CREATE TABLE shifts (
	id BIGINT PRIMARY KEY,
	worker_id BIGINT NOT NULL,
	worker_user_id BIGINT NOT NULL DEFAULT 0,
	worker_name TEXT NOT NULL,
	place_kind TEXT NOT NULL,
	place_id BIGINT NOT NULL,
	place_name TEXT NOT NULL,
	area_path TEXT NOT NULL,
	starts_at BIGINT NOT NULL,
	ends_at BIGINT NOT NULL,
	role TEXT,
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX shifts_worker ON shifts (worker_id, starts_at);
CREATE INDEX shifts_user ON shifts (worker_user_id, starts_at);
CREATE INDEX shifts_place ON shifts (place_kind, place_id, starts_at);
CREATE INDEX shifts_starts ON shifts (starts_at);
CREATE INDEX shifts_path ON shifts (area_path);

-- A row per worker whose shifts a write is changing: the write upserts it first, which holds
-- the row's lock until the transaction ends, so two shifts for one worker sent at once on
-- PostgreSQL are checked for overlap one after the other.
CREATE TABLE duty_locks (
	name TEXT PRIMARY KEY,
	at BIGINT NOT NULL
);
