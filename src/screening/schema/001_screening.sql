-- Screening campaigns 排查登记 (SPEC §2): a campaign over an area with the public link's secret
-- token; the registrations of outsiders and returnees (by themselves through the link, or by a
-- worker), each linked to a person of the registry (matched by ID number, or registered new);
-- key persons' monitoring plans and their call days. Days are "YYYY-MM-DD" (China Standard
-- Time); times epoch ms.
CREATE TABLE screening_campaigns (
	id BIGINT PRIMARY KEY,
	name TEXT NOT NULL,
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	criteria TEXT NOT NULL,
	from_day TEXT NOT NULL,
	until_day TEXT,			-- NULL: open-ended
	active BIGINT NOT NULL,
	token TEXT NOT NULL UNIQUE,	-- the public link's secret (32 random bytes, hex)
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX screening_campaigns_path ON screening_campaigns (area_path);

-- area_id/area_path: the address the person gave in the campaign's area (a building, unit...).
CREATE TABLE screening_registrations (
	id BIGINT PRIMARY KEY,
	campaign_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	from_place TEXT NOT NULL,
	arrived_day TEXT NOT NULL,
	travel_code TEXT NOT NULL,	-- green | yellow | red
	address_detail TEXT NOT NULL,
	key_person BIGINT NOT NULL,	-- 1 once a monitoring plan is set
	registered_by TEXT NOT NULL,	-- self | worker
	by_user BIGINT NOT NULL,	-- 0 for self
	matched TEXT NOT NULL,		-- existing (linked) | new (registered by it)
	created_at BIGINT NOT NULL,
	UNIQUE (campaign_id, person_id)
);
CREATE INDEX screening_registrations_campaign ON screening_registrations (campaign_id, area_path);

CREATE TABLE screening_plans (
	id BIGINT PRIMARY KEY,
	registration_id BIGINT NOT NULL UNIQUE,
	person_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	call_days TEXT NOT NULL,	-- JSON array of days, sorted
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

-- One row per call day of a plan; the calls module reads it in its own SQL (the day's list).
-- area_path: the person's home area.
CREATE TABLE screening_call_days (
	person_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	day TEXT NOT NULL,
	plan_id BIGINT NOT NULL,
	registration_id BIGINT NOT NULL,
	PRIMARY KEY (plan_id, day)
);
CREATE INDEX screening_call_days_day ON screening_call_days (day, area_path);
