-- testing (tubes part): tubes and the samples scanned into them, the idempotency keys of
-- scans, transport boxes, lab results and positive-pool retests (SPEC §3). Written by the
-- testing module's tube, transport, lab and positive files only. Rounds, sites and the
-- per-building counters are in 001_rounds.sql.

-- A tube is opened by scanning its barcode at a site in an open round; capacity is the
-- round's pool size. status: open -> closed -> boxed -> received -> resulted, or voided
-- (open or closed tubes only). n counts its live samples.
CREATE TABLE tubes (
	id BIGINT PRIMARY KEY,
	round_id BIGINT NOT NULL,
	code TEXT NOT NULL UNIQUE,
	site_id BIGINT NOT NULL,
	status TEXT NOT NULL,
	capacity INTEGER NOT NULL,
	n INTEGER NOT NULL DEFAULT 0,
	box_id BIGINT,
	result TEXT,
	opened_by BIGINT NOT NULL,
	opened_at BIGINT NOT NULL,
	closed_at BIGINT,
	boxed_at BIGINT,
	received_at BIGINT,
	resulted_at BIGINT,
	resulted_by BIGINT,
	voided_at BIGINT,
	voided_by BIGINT
);
-- Not on status: a tube changes status five times, and each change would move it in the index.
CREATE INDEX tubes_round_site ON tubes (round_id, site_id);
CREATE INDEX tubes_box ON tubes (box_id);

-- One row per person scanned into a tube. building_id is the person's area at scan time
-- (the round_stats row the scan counted in), area_path its path, for scoped lists. voided = 1
-- when the tube was voided or its result was invalid: the person may then be sampled again.
-- A person has at most one live sample per round (the partial unique index). An undone scan
-- is deleted: it never happened. result: NULL until the tube's result, then negative,
-- positive or invalid.
CREATE TABLE samples (
	id BIGINT PRIMARY KEY,
	round_id BIGINT NOT NULL,
	tube_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,
	building_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	scanned_by BIGINT NOT NULL,
	scanned_at BIGINT NOT NULL,
	voided INTEGER NOT NULL DEFAULT 0,
	result TEXT
);
CREATE UNIQUE INDEX samples_live ON samples (round_id, person_id) WHERE voided = 0;
CREATE INDEX samples_tube ON samples (tube_id, voided, building_id);

-- The first reply to a write a phone may retry (tube open, scan, visitor, result), by the
-- client's key: a repeat of the key by the same user and operation gets these bytes back and
-- changes nothing. Keys older than a week are purged when tubes are opened.
CREATE TABLE scan_keys (
	client_key TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL,
	op TEXT NOT NULL,
	status INTEGER NOT NULL,
	reply TEXT NOT NULL,
	at BIGINT NOT NULL
);
CREATE INDEX scan_keys_at ON scan_keys (at);

-- Transport boxes: tubes closed at a site go in; the box is sealed, handed over to a courier
-- and received by the lab, each step with its time and who did it (chain of custody).
-- status: open -> sealed -> handed -> received.
CREATE TABLE boxes (
	id BIGINT PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	round_id BIGINT NOT NULL,
	site_id BIGINT NOT NULL,
	status TEXT NOT NULL,
	n INTEGER NOT NULL DEFAULT 0,
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	sealed_at BIGINT,
	sealed_by BIGINT,
	handed_at BIGINT,
	handed_by BIGINT,
	handed_to TEXT,
	received_at BIGINT,
	received_by BIGINT
);
CREATE INDEX boxes_round_status ON boxes (round_id, status);

-- Single-tube retests of everyone in a positive pool. status: pending -> sampled ->
-- negative | positive (settled_at set). area_path is the person's, for the grid and building
-- lists.
CREATE TABLE retests (
	id BIGINT PRIMARY KEY,
	round_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,
	from_tube_id BIGINT NOT NULL,
	building_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	status TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	sampled_at BIGINT,
	settled_at BIGINT,
	settled_by BIGINT,
	UNIQUE (round_id, person_id, from_tube_id)
);
CREATE INDEX retests_round_path ON retests (round_id, area_path);

-- Per-store secrets: the key of the HMAC in residents' sampling codes ("FK1:<id>:<mac>").
CREATE TABLE secrets (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
