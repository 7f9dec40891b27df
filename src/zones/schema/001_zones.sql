-- zones (SPEC §4): zones drawn over areas, their history, and the proposals to draw, downgrade
-- or lift one that a commander confirms or rejects. Written by the zones module only.
-- kind is a kind of the scheme the zone was drawn under (scheme: 202204, 202206, 202211);
-- level follows from it (3 sealed/high, 2 controlled/medium, 1 precaution/low). kind_since is
-- when the current kind began (the start, or the last downgrade): the lift rule counts from it
-- or from the last positive in the zone's areas, whichever is later.
CREATE TABLE zones (
	id BIGINT PRIMARY KEY,
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	kind TEXT NOT NULL,
	level INTEGER NOT NULL,
	scheme INTEGER NOT NULL,
	status TEXT NOT NULL,
	reason TEXT NOT NULL,
	source_tube_code TEXT,
	case_ref TEXT,
	started_at BIGINT NOT NULL,
	kind_since BIGINT NOT NULL,
	lifted_at BIGINT,
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	policy_version BIGINT NOT NULL
);
CREATE INDEX zones_path ON zones (area_path, status);
CREATE INDEX zones_status ON zones (status, area_path);

-- Every change of a zone: drawn, downgraded, lifted, proposed, confirmed, rejected; by whom
-- (by_user 0: the system's job or reflex) and under which policy version.
CREATE TABLE zone_events (
	id BIGINT PRIMARY KEY,
	zone_id BIGINT NOT NULL,
	action TEXT NOT NULL,
	kind TEXT,
	from_kind TEXT,
	reason TEXT,
	proposal_id BIGINT,
	by_user BIGINT NOT NULL,
	by_name TEXT NOT NULL,
	policy_version BIGINT NOT NULL,
	at BIGINT NOT NULL
);
CREATE INDEX zone_events_zone ON zone_events (zone_id, at);

-- A proposed change: draw (a positive pool's building, zone_id NULL), downgrade or lift a
-- zone (to kind; NULL when lifting). status: pending -> confirmed | rejected. One pending
-- proposal per area and action.
CREATE TABLE zone_proposals (
	id BIGINT PRIMARY KEY,
	action TEXT NOT NULL,
	zone_id BIGINT,
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	kind TEXT,
	reason TEXT NOT NULL,
	source_tube_code TEXT,
	status TEXT NOT NULL,
	policy_version BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	decided_by BIGINT,
	decided_at BIGINT,
	decision_reason TEXT,
	result_zone_id BIGINT
);
CREATE UNIQUE INDEX zone_proposals_pending ON zone_proposals (area_id, action) WHERE status = 'pending';
CREATE INDEX zone_proposals_path ON zone_proposals (area_path, status);
