-- people_counts: how many residents each area holds directly (their area_id, a building or a
-- unit), moved in the transaction of every insert and of every update that changes a
-- person's area, so the dashboard sums an area's residents over these rows instead of
-- counting people (SPEC §11). Filled from the people already stored.
CREATE TABLE people_counts (
	area_id BIGINT PRIMARY KEY,
	area_path TEXT NOT NULL,
	n BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX people_counts_path ON people_counts (area_path);
INSERT INTO people_counts (area_id, area_path, n)
	SELECT area_id, MIN(area_path), COUNT(*) FROM people GROUP BY area_id;
