-- areas: the tree of areas (SPEC §1). path is the materialized path of ids "/1/12/305/" (the
-- ancestors and the area itself); a subtree is the path range [path, fk_prefix_upper(path)).
-- responsible is a JSON array [{"title","name","phone"}]. Written by the area module only.
CREATE TABLE areas (
	id BIGINT PRIMARY KEY,
	parent_id BIGINT REFERENCES areas (id),
	path TEXT NOT NULL UNIQUE,
	depth INTEGER NOT NULL,
	kind TEXT NOT NULL,
	name TEXT NOT NULL,
	code TEXT NOT NULL UNIQUE,
	responsible TEXT NOT NULL DEFAULT '[]',
	lat DOUBLE PRECISION,
	lng DOUBLE PRECISION,
	geometry TEXT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX areas_parent_name ON areas (parent_id, name);

-- area_moves: every change of an area's parent, so that a building moved from one grid to
-- another keeps its history (SPEC §1). user_id 0 is the system (CLI import).
CREATE TABLE area_moves (
	id BIGINT PRIMARY KEY,
	area_id BIGINT NOT NULL,
	old_parent_id BIGINT,
	new_parent_id BIGINT,
	old_path TEXT NOT NULL,
	new_path TEXT NOT NULL,
	at BIGINT NOT NULL,
	user_id BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX area_moves_area ON area_moves (area_id, at);
