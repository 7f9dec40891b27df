-- Residents' requests (SPEC §7) and their log. area_path copies the path of the person's home
-- area (the scope filter); level_area_id and level_area_path name the area of the level the
-- request sits at (building, grid, community, street, district), whose accounts receive it.
-- at_top: the job found no level above to move it to; it stays overdue where it is.
-- ticket_no: the hotline's ticket number of an imported request (unique; NULL otherwise).
CREATE TABLE requests (
	id BIGINT PRIMARY KEY,
	person_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	kind TEXT NOT NULL,		-- medicine | medical | supplies | elderly_help | complaint | other
	urgency TEXT NOT NULL,		-- normal | urgent
	detail TEXT NOT NULL,
	contact_phone TEXT,
	source TEXT NOT NULL,		-- resident | worker | hotline | call
	ticket_no TEXT UNIQUE,
	received_at BIGINT,		-- when the hotline received the ticket
	call_id BIGINT,
	status TEXT NOT NULL,		-- open | accepted | done | closed
	level TEXT NOT NULL,
	level_area_id BIGINT NOT NULL,
	level_area_path TEXT NOT NULL,
	at_top BIGINT NOT NULL DEFAULT 0,
	due_at BIGINT NOT NULL,
	escalations BIGINT NOT NULL DEFAULT 0,
	raised_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	closed_at BIGINT,
	closed_by TEXT,			-- resident | worker
	close_reason TEXT
);
-- The job: the open and accepted ones past their deadline, not stuck at the top.
CREATE INDEX requests_due ON requests (status, at_top, due_at);
-- A level's queue (mine=1): the requests sitting at an area, newest first, in index order
-- whether or not a status filters them (the status is read on the walk).
CREATE INDEX requests_queue ON requests (level_area_id, id);
-- The scope's list and counts.
CREATE INDEX requests_path ON requests (area_path, id);
CREATE INDEX requests_person ON requests (person_id, id);

-- What happened to a request, oldest first. by_user 0 and by_name '' for the job.
-- deadline_at: for an escalation, the deadline that passed.
CREATE TABLE request_log (
	request_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	at BIGINT NOT NULL,
	action TEXT NOT NULL,		-- raised | accepted | done | closed | confirmed | reopened | escalated | assigned
	by_user BIGINT NOT NULL,
	by_name TEXT NOT NULL,
	from_level TEXT,
	to_level TEXT,
	deadline_at BIGINT,
	note TEXT
);
CREATE INDEX request_log_request ON request_log (request_id, at);
CREATE INDEX request_log_at ON request_log (at, action);

-- The job's work table, rewritten each tick inside its transaction: where the requests due
-- at each level area move to (to_area_id 0: nowhere above; they stay, flagged at_top).
CREATE TABLE request_moves (
	from_area_id BIGINT PRIMARY KEY,
	to_area_id BIGINT NOT NULL,
	to_level TEXT NOT NULL,
	to_path TEXT NOT NULL
);
