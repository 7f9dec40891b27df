-- Checkpoints 卡口/门岗 over areas, their duty staff, the pass log and fever referrals.
CREATE TABLE checkpoints (
	id BIGINT PRIMARY KEY,
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	active BIGINT NOT NULL DEFAULT 1,
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX checkpoints_path ON checkpoints (area_path);

CREATE TABLE checkpoint_staff (
	checkpoint_id BIGINT NOT NULL,
	user_id BIGINT NOT NULL,
	PRIMARY KEY (checkpoint_id, user_id)
);
CREATE INDEX checkpoint_staff_user ON checkpoint_staff (user_id);

-- One row per pass, passed or refused. subject: code, id_number, visitor or staff. The
-- person's details are copied as shown at the gate: an outsider has no other record.
CREATE TABLE passes (
	id BIGINT PRIMARY KEY,
	checkpoint_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	at BIGINT NOT NULL,
	direction TEXT NOT NULL,
	subject TEXT NOT NULL,
	person_id BIGINT,
	staff_user_id BIGINT,
	name TEXT NOT NULL,
	id_number TEXT,
	phone TEXT,
	from_place TEXT,
	visiting TEXT,
	plate TEXT,
	temperature DOUBLE PRECISION,
	purpose TEXT,
	verdict TEXT NOT NULL,
	reason TEXT,
	zone_id BIGINT,
	override_reason TEXT,
	policy_version BIGINT NOT NULL,
	by_user BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX passes_day ON passes (checkpoint_id, at);
CREATE INDEX passes_path ON passes (area_path);

-- A fever found at a gate, followed to its close: open -> sent -> resulted -> closed.
CREATE TABLE fever_referrals (
	id BIGINT PRIMARY KEY,
	pass_id BIGINT NOT NULL,
	checkpoint_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	person_id BIGINT,
	name TEXT NOT NULL,
	id_number TEXT,
	phone TEXT,
	temperature DOUBLE PRECISION NOT NULL,
	threshold DOUBLE PRECISION NOT NULL,
	policy_version BIGINT NOT NULL,
	status TEXT NOT NULL,
	opened_at BIGINT NOT NULL,
	opened_by BIGINT NOT NULL,
	sent_at BIGINT,
	sent_by BIGINT,
	clinic TEXT,
	result_at BIGINT,
	result_by BIGINT,
	result TEXT,
	closed_at BIGINT,
	closed_by BIGINT,
	close_note TEXT
);
CREATE INDEX fever_referrals_path ON fever_referrals (area_path, status);
