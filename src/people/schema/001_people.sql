-- people: residents (SPEC §2). Written by the people module only.
-- area_path copies the path of the person's area (002_areas.sql) so that every scope filter is a
-- range on one indexed column; the area move hook rewrites it. No foreign key to areas: the area
-- module refuses to delete an area with residents through its residents counter.
-- (id_number, id_type) is unique with the number first, so an ID search (exact or prefix)
-- uses the same index. tags is the canonical comma list for display; person_tags is what tag
-- filters read.
CREATE TABLE people (
	id BIGINT PRIMARY KEY,
	name TEXT NOT NULL,
	id_type TEXT NOT NULL,
	id_number TEXT NOT NULL,
	phone TEXT,
	sex TEXT,
	birth_date TEXT,
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	household TEXT,
	residence TEXT,
	tags TEXT,
	note TEXT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	UNIQUE (id_number, id_type)
);
-- Name order within a wide scope: walk names; area_id lets the walk skip other scopes' rows
-- without reading them (area_path would too, but it is ~100 bytes and slows every insert).
CREATE INDEX people_name ON people (name, id, area_id);
-- A narrow scope (grid, building): its rows first, names filtered in the index.
CREATE INDEX people_area ON people (area_path, name, id);
CREATE INDEX people_phone ON people (phone);

-- One row per tag of a person, with copies of the person's name and area id so that a tag
-- filter stays inside one index: seeking the scope's areas (narrow scopes) or walking names
-- (wide ones). Both indexes hold every column a search reads here.
CREATE TABLE person_tags (
	person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	tag TEXT NOT NULL,
	name TEXT NOT NULL,
	area_id BIGINT NOT NULL,
	PRIMARY KEY (person_id, tag)
);
CREATE INDEX person_tags_area ON person_tags (tag, area_id, name, person_id);
CREATE INDEX person_tags_name ON person_tags (tag, name, person_id, area_id);
