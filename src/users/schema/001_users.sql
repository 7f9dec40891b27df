-- users: accounts, the areas each holds its role over (scopes), and login sessions.
-- user_scopes.area_id names an area of 002_areas.sql; it carries no foreign key so that the
-- area module alone decides when an area may go (a scope on a deleted area is skipped).
CREATE TABLE users (
	id BIGINT PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL,
	person_id BIGINT,
	password_hash TEXT NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0,
	failed_count INTEGER NOT NULL DEFAULT 0,
	locked_until BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE user_scopes (
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	area_id BIGINT NOT NULL,
	PRIMARY KEY (user_id, area_id)
);
CREATE INDEX user_scopes_area ON user_scopes (area_id);

-- token_hash: hex BLAKE2b-256 of the 32-byte random token; the token itself lives only in
-- the browser's cookie.
CREATE TABLE sessions (
	id BIGINT PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	ip TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
