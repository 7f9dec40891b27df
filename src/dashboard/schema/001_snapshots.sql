-- dashboard_snapshots: a round's counters over an area (district, street or community) at a
-- moment, taken by the job dashboard.snapshot every dashboard.snapshot_minutes while the
-- round is open, so the round's curve is read from a few hundred rows, never recomputed from
-- the samples (SPEC §11). Written by the dashboard module only; area_path follows area moves.
CREATE TABLE dashboard_snapshots (
	round_id BIGINT NOT NULL,
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	at BIGINT NOT NULL,
	expected BIGINT NOT NULL,
	sampled BIGINT NOT NULL,
	resulted BIGINT NOT NULL,
	positive BIGINT NOT NULL,
	PRIMARY KEY (round_id, area_id, at)
);
CREATE INDEX dashboard_snapshots_at ON dashboard_snapshots (round_id, at);
