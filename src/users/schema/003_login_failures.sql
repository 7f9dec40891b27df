-- users: the login lockout, kept per (name, client address) so that a guesser locks only
-- itself, and per name over all addresses (source '*') as a brake on many addresses guessing
-- one name. username is the name as typed, folded to lower case, whether an account has it or
-- not, so that an unknown name is counted exactly like a real one. failed counts wrong
-- passwords in a row, each within users.lock_window_minutes of the last (failed_at); a lock
-- holds until locked_until; ok_at is the last login that succeeded from this address, which
-- lets that address pass the per-name brake. All times are epoch ms, 0 = none. The users
-- table's failed_count, locked_until and failed_at are no longer used.
CREATE TABLE login_failures (
	username TEXT NOT NULL,
	source TEXT NOT NULL,
	failed INTEGER NOT NULL DEFAULT 0,
	failed_at BIGINT NOT NULL DEFAULT 0,
	locked_until BIGINT NOT NULL DEFAULT 0,
	ok_at BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (username, source)
);
CREATE INDEX login_failures_failed_at ON login_failures (failed_at);
