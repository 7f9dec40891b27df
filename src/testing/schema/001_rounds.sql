-- testing rounds (SPEC §3), the rounds part of the testing module: rounds over areas,
-- exemptions, sampling sites with their areas and registrars, call-up slots and the
-- per-building counters coverage reads. Written by the testing module only.
-- area_path columns copy the path of the area named beside them (002_areas.sql) so scope and
-- subtree filters are ranges on one column; the module's area move hook rewrites them.

-- status: planned, sampling, closed. pool_size: people per tube (1, 5, 10 or 20).
CREATE TABLE rounds (
	id BIGINT PRIMARY KEY,
	name TEXT NOT NULL,
	status TEXT NOT NULL,
	pool_size INTEGER NOT NULL,
	starts_at BIGINT NOT NULL,
	deadline_at BIGINT NOT NULL,
	opened_at BIGINT,
	closed_at BIGINT,
	created_by BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	note TEXT
);

-- The areas a round covers; none lies inside another of the same round.
CREATE TABLE round_areas (
	round_id BIGINT NOT NULL REFERENCES rounds (id),
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	PRIMARY KEY (round_id, area_id)
);
CREATE INDEX round_areas_path ON round_areas (area_path);

-- People not expected in a round, with the reason. building_id is the area whose counters the
-- exemption was counted in (the person's area when the round opened or the exemption was
-- made), so withdrawing it undoes exactly that.
CREATE TABLE round_exempt (
	round_id BIGINT NOT NULL REFERENCES rounds (id),
	person_id BIGINT NOT NULL,
	building_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	reason TEXT NOT NULL,
	by_user BIGINT NOT NULL DEFAULT 0,
	at BIGINT NOT NULL,
	PRIMARY KEY (round_id, person_id)
);
CREATE INDEX round_exempt_path ON round_exempt (round_id, area_path);

-- Sampling sites 采样点: where (area_id), fixed or mobile, desks and opening hours.
CREATE TABLE sites (
	id BIGINT PRIMARY KEY,
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	desks INTEGER NOT NULL,
	hours TEXT,
	lat DOUBLE PRECISION,
	lng DOUBLE PRECISION,
	active INTEGER NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX sites_path ON sites (area_path);

-- The buildings and grids a site serves.
CREATE TABLE site_areas (
	site_id BIGINT NOT NULL REFERENCES sites (id),
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	PRIMARY KEY (site_id, area_id)
);
CREATE INDEX site_areas_path ON site_areas (area_path);

-- Registrars bound to a site: they register residents there only.
CREATE TABLE site_registrars (
	site_id BIGINT NOT NULL REFERENCES sites (id),
	user_id BIGINT NOT NULL,
	PRIMARY KEY (site_id, user_id)
);
CREATE INDEX site_registrars_user ON site_registrars (user_id);

-- Call-up 叫号: a building's time slot in a round, and when it was done and by whom.
CREATE TABLE callups (
	round_id BIGINT NOT NULL REFERENCES rounds (id),
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	slot_start BIGINT NOT NULL,
	slot_end BIGINT NOT NULL,
	done_at BIGINT,
	done_by BIGINT,
	PRIMARY KEY (round_id, area_id)
);
CREATE INDEX callups_path ON callups (round_id, area_path);

-- Per-building counters of an open round: filled for every building in the round's areas when
-- it opens (expected = residents there less the exempt), then changed by deltas in the same
-- transaction as each scan, undo, void and result. Coverage of any area is a SUM over the
-- rows in its path range.
CREATE TABLE round_stats (
	round_id BIGINT NOT NULL REFERENCES rounds (id),
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	expected BIGINT NOT NULL DEFAULT 0,
	exempt BIGINT NOT NULL DEFAULT 0,
	sampled BIGINT NOT NULL DEFAULT 0,
	resulted BIGINT NOT NULL DEFAULT 0,
	positive BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (round_id, area_id)
);
CREATE INDEX round_stats_path ON round_stats (round_id, area_path);
