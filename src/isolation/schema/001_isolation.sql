-- Isolation facilities 隔离场所 with rooms, placements (centralised isolation, home isolation,
-- home health monitoring), transfers 转运 and the tests due while placed (SPEC §6).
CREATE TABLE facilities (
	id BIGINT PRIMARY KEY,
	name TEXT NOT NULL,
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,	-- where it stands
	address TEXT NOT NULL,
	phone TEXT NOT NULL,
	active BIGINT NOT NULL DEFAULT 1,
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX facilities_path ON facilities (area_path);

CREATE TABLE rooms (
	id BIGINT PRIMARY KEY,
	facility_id BIGINT NOT NULL,
	number TEXT NOT NULL,
	capacity BIGINT NOT NULL,
	active BIGINT NOT NULL DEFAULT 1,
	UNIQUE (facility_id, number)
);

-- Days are calendar days in China Standard Time, "YYYY-MM-DD": start_day is day 1 and
-- end_day the day of release (the first day free), so [start_day, end_day) is under the
-- placement. status: active, overdue (end_day passed with a test missing), released,
-- cancelled. test_days: JSON array of day numbers (1 = start_day).
CREATE TABLE placements (
	id BIGINT PRIMARY KEY,
	person_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,	-- the person's home area
	kind TEXT NOT NULL,		-- centralised | home_isolation | home_monitoring
	reason TEXT NOT NULL,		-- close_contact | secondary_contact | inbound | high_risk_arrival | medium_risk_arrival | positive_pool | other
	contact_id BIGINT,		-- the contact (trace module) it places, NULL otherwise
	case_id BIGINT,			-- that contact's case
	follows_id BIGINT,		-- the placement this one continues (home monitoring after centralised)
	facility_id BIGINT,
	room_id BIGINT,
	start_day TEXT NOT NULL,
	end_day TEXT NOT NULL,
	test_days TEXT NOT NULL,
	status TEXT NOT NULL,
	released_at BIGINT,
	released_by BIGINT,
	policy_version BIGINT NOT NULL,
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX placements_path ON placements (area_path, status);
CREATE INDEX placements_person ON placements (person_id, start_day);
CREATE INDEX placements_room ON placements (room_id, status);
CREATE INDEX placements_due ON placements (status, end_day);
CREATE INDEX placements_facility ON placements (facility_id, status);

CREATE TABLE transfers (
	id BIGINT PRIMARY KEY,
	placement_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,	-- the person's home area
	facility_id BIGINT NOT NULL,
	vehicle TEXT NOT NULL,
	escort TEXT NOT NULL,
	departed_at BIGINT,
	arrived_at BIGINT,
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX transfers_placement ON transfers (placement_id);
CREATE INDEX transfers_facility ON transfers (facility_id, arrived_at);

-- One row per test day of a placement: due, sampled, negative or positive; late when its
-- result came after the placement ended.
CREATE TABLE placement_tests (
	id BIGINT PRIMARY KEY,
	placement_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	day_no BIGINT NOT NULL,
	due_day TEXT NOT NULL,
	door BIGINT NOT NULL,		-- 1: sampled at the door (home isolation or monitoring)
	status TEXT NOT NULL,
	sampled_at BIGINT,
	result_at BIGINT,
	late BIGINT NOT NULL DEFAULT 0,
	by_user BIGINT,
	UNIQUE (placement_id, day_no)
);
CREATE INDEX placement_tests_due ON placement_tests (due_day, area_path);
