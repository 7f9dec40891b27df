-- Follow-up calls 电话随访 (SPEC §7): one row per call a worker logged, with its outcome.
-- area_path: the person's home area (the scope of the call); day: the call's day in China
-- Standard Time; request_id: the request a needs_help call raised.
CREATE TABLE calls (
	id BIGINT PRIMARY KEY,
	person_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	user_id BIGINT NOT NULL,
	day TEXT NOT NULL,
	outcome TEXT NOT NULL,		-- reached | no_answer | wrong_number | needs_help
	note TEXT NOT NULL,
	request_id BIGINT NOT NULL,	-- 0 when none
	at BIGINT NOT NULL
);
CREATE INDEX calls_day ON calls (day, area_path);
CREATE INDEX calls_person ON calls (person_id, day);
