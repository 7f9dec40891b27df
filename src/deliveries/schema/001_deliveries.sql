-- Deliveries to sealed households (SPEC §9): a run per building and day, and its households,
-- each signed off once (delivered, nobody_home, refused) on a phone. area_path copies the
-- building's path for scope filters; the area move hook rewrites it. A household's key is the
-- people module's household value ("1-101"), unique within its building.
CREATE TABLE delivery_runs (
	id BIGINT PRIMARY KEY,
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	area_name TEXT NOT NULL,
	day TEXT NOT NULL,
	item_note TEXT,
	assignees TEXT NOT NULL DEFAULT '[]',	-- JSON array of user ids (strings)
	total BIGINT NOT NULL,
	done BIGINT NOT NULL DEFAULT 0,
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX delivery_runs_area ON delivery_runs (area_path, day);

CREATE TABLE delivery_households (
	run_id BIGINT NOT NULL REFERENCES delivery_runs (id) ON DELETE CASCADE,
	hkey TEXT NOT NULL,
	address TEXT NOT NULL,
	people_count BIGINT NOT NULL,
	outcome TEXT NOT NULL DEFAULT 'pending',	-- pending | delivered | nobody_home | refused
	note TEXT,
	photo TEXT,		-- a small JPEG as base64, or NULL
	signed_at BIGINT,
	signed_by BIGINT,
	signed_by_name TEXT,
	PRIMARY KEY (run_id, hkey)
);
