-- alerts: events worth keeping until someone acknowledges them (a positive pool in a building,
-- a command-centre notice to a grid). Written by the events module only. area_path copies the
-- path of the area the alert is about, so the scope filter is a range on one indexed column;
-- the area move hook rewrites it. payload is a JSON object as text (or NULL).
CREATE TABLE alerts (
	id BIGINT PRIMARY KEY,
	kind TEXT NOT NULL,
	area_path TEXT NOT NULL,
	title_zh TEXT NOT NULL,
	title_en TEXT NOT NULL,
	payload TEXT,
	raised_at BIGINT NOT NULL,
	acked_at BIGINT,
	acked_by BIGINT
);
-- A narrow scope (a grid, a building): its rows, then newest first.
CREATE INDEX alerts_area ON alerts (area_path, raised_at);
-- A wide scope (the district): newest first, the scope checked on the way.
CREATE INDEX alerts_raised ON alerts (raised_at);
