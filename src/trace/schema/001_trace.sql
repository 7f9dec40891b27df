-- Cases (positive people) and their contacts: whom a case met, where and when (SPEC §10).
-- One case per person. area_path is the person's home area, as everywhere people data is kept.
CREATE TABLE cases (
	id BIGINT PRIMARY KEY,
	person_id BIGINT NOT NULL UNIQUE,
	area_path TEXT NOT NULL,
	status TEXT NOT NULL,		-- confirmed | asymptomatic | recovered
	onset_day TEXT,			-- YYYY-MM-DD (China Standard Time), NULL unknown
	found_by TEXT NOT NULL,		-- retest | isolation_test | screening | fever_clinic | imported | other
	found_place TEXT,
	source_case_id BIGINT,		-- the case that infected this one, NULL unknown
	generation BIGINT NOT NULL,	-- 1 for a case with no known source, else the source's + 1
	retest_id BIGINT,		-- the settled retest that made it, NULL by hand
	note TEXT,
	created_by BIGINT NOT NULL,	-- 0 when made by the system (a listener)
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX cases_path ON cases (area_path, created_at);
CREATE INDEX cases_source ON cases (source_case_id);

-- A contact of a case: close (密接) or secondary (次密接, through via_contact_id, a close
-- contact of the same case). status: listed, placed (under a placement), became_case, moved
-- (a secondary contact moved up to a close contact of a new case: moved_to_id).
CREATE TABLE contacts (
	id BIGINT PRIMARY KEY,
	case_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	kind TEXT NOT NULL,		-- close | secondary
	via_contact_id BIGINT,
	place TEXT NOT NULL,
	met_at BIGINT NOT NULL,
	exposure TEXT NOT NULL,		-- household | shared_space | workplace | transport | care | other
	certainty TEXT NOT NULL,	-- confirmed | probable | possible
	source TEXT NOT NULL,		-- named_by_case | checkpoint_log | sampling_desk | other
	status TEXT NOT NULL,
	placement_id BIGINT,
	moved_to_id BIGINT,
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (case_id, person_id)
);
CREATE INDEX contacts_path ON contacts (area_path, created_at);
CREATE INDEX contacts_person ON contacts (person_id);
CREATE INDEX contacts_via ON contacts (via_contact_id);
