-- The people who serve (SPEC §8): staff, party members, cadres sent from their organisations,
-- volunteers. area_path copies the path of the area they serve (the scope filter). phone is
-- normalised and unique: an import and a public sign-up match a worker by it.
CREATE TABLE workers (
	id BIGINT PRIMARY KEY,
	name TEXT NOT NULL,
	phone TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL,		-- staff | party_member | cadre | volunteer
	organisation TEXT,		-- a cadre's home organisation
	skills TEXT NOT NULL,		-- comma-separated: driver,medical,interpreter,sampler,logistics,other
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	user_id BIGINT,
	active BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX workers_path ON workers (area_path, id);
CREATE INDEX workers_user ON workers (user_id);

-- A call for volunteers with its public sign-up link (token: the link's secret).
CREATE TABLE callouts (
	id BIGINT PRIMARY KEY,
	title TEXT NOT NULL,
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	skills TEXT NOT NULL,
	wanted BIGINT NOT NULL,
	place_text TEXT,
	starts_at BIGINT,
	ends_at BIGINT,
	status TEXT NOT NULL,		-- open | closed
	token TEXT NOT NULL UNIQUE,
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX callouts_path ON callouts (area_path, id);

-- A sign-up to a call-out; one per worker and call-out.
CREATE TABLE callout_signups (
	id BIGINT PRIMARY KEY,
	callout_id BIGINT NOT NULL,
	worker_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,	-- the call-out's
	note TEXT,
	status TEXT NOT NULL,		-- signed_up | accepted | declined | dispatched
	dispatch_area_id BIGINT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	UNIQUE (callout_id, worker_id)
);
CREATE INDEX callout_signups_callout ON callout_signups (callout_id, id);

-- A dispatch batch of cadres sent to a community on a day.
CREATE TABLE worker_batches (
	id BIGINT PRIMARY KEY,
	name TEXT NOT NULL,
	organisation TEXT,
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	day TEXT NOT NULL,
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX worker_batches_path ON worker_batches (area_path, id);
CREATE TABLE worker_batch_members (
	batch_id BIGINT NOT NULL,
	worker_id BIGINT NOT NULL,
	PRIMARY KEY (batch_id, worker_id)
);

-- Teams 突击队 / 志愿服务队 and posts 先锋岗, with a leader.
CREATE TABLE teams (
	id BIGINT PRIMARY KEY,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,		-- assault | volunteer | vanguard_post
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	leader_id BIGINT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX teams_path ON teams (area_path, id);
CREATE TABLE team_members (
	team_id BIGINT NOT NULL,
	worker_id BIGINT NOT NULL,
	PRIMARY KEY (team_id, worker_id)
);
