-- events: the live events of a PostgreSQL store, so that every server hears them. A server's
-- relay writes what its requests published, in one short transaction that first moves the
-- one row of event_counter (its row lock gives ids in commit order across servers, and with
-- no gaps: a rolled-back write gives its ids back), then NOTIFY fk_events; each server's
-- listener reads the rows after the newest it has into its ring. body is the event's data
-- line (a JSON object); wide is 1 for an event that reaches scopes inside its area too. The
-- job events.prune keeps a day of them, at most the newest 100,000. Unused on SQLite, where
-- events stay in the memory of the one process.
CREATE TABLE events (
	id BIGINT PRIMARY KEY,
	kind TEXT NOT NULL,
	area_path TEXT NOT NULL,
	wide INTEGER NOT NULL,
	body TEXT NOT NULL,
	at BIGINT NOT NULL
);
CREATE INDEX events_at ON events (at);
-- The one row that gives ids. base: 0 until the first event, then an id taken from the time
-- (base/id.h), and the events' ids follow it: base + 1, base + 2... last_id: the newest given.
-- A store made again later starts above every id of the old one, so a Last-Event-ID below
-- base, or above last_id, is from another store and gets a resync.
CREATE TABLE event_counter (
	one INTEGER PRIMARY KEY,
	base BIGINT NOT NULL,
	last_id BIGINT NOT NULL
);
INSERT INTO event_counter (one, base, last_id) VALUES (1, 0, 0);
