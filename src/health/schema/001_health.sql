-- Health reports of people under a placement (SPEC §6): temperature and symptoms, one per
-- half-day (am, pm), and the misses the job has alerted. day is "YYYY-MM-DD" (China Standard
-- Time). late: filed after the placement ended (still stored).
CREATE TABLE health_reports (
	id BIGINT PRIMARY KEY,
	placement_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	day TEXT NOT NULL,
	half TEXT NOT NULL,		-- am | pm
	temperature DOUBLE PRECISION NOT NULL,
	symptoms TEXT NOT NULL,		-- JSON array of symptom keys
	fever BIGINT NOT NULL,
	late BIGINT NOT NULL,
	by_user BIGINT NOT NULL,
	by_self BIGINT NOT NULL,	-- 1: the person on their phone, 0: a worker for them
	reported_at BIGINT NOT NULL,
	UNIQUE (person_id, day, half)
);
CREATE INDEX health_reports_placement ON health_reports (placement_id, day, half);

CREATE TABLE health_misses (
	placement_id BIGINT NOT NULL,
	day TEXT NOT NULL,
	half TEXT NOT NULL,
	person_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	alerted_at BIGINT NOT NULL,
	PRIMARY KEY (placement_id, day, half)
);
CREATE INDEX health_misses_path ON health_misses (day, half, area_path);
