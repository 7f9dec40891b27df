-- A row per person and per room whose placements a write is changing: the write upserts its
-- row first, which holds the row's lock until the transaction ends, so two writes about one
-- person (overlap) or one room (capacity) on PostgreSQL check one after the other.
CREATE TABLE isolation_locks (
	name TEXT PRIMARY KEY,
	at BIGINT NOT NULL
);
