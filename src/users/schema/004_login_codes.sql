-- users: login by phone and one-time code. phone is set on resident accounts only (the
-- normalized mobile number from their person record), one account per number. A passwordless
-- account (made in bulk for residents) has password_hash '' and never logs in by password.
ALTER TABLE users ADD COLUMN phone TEXT;
CREATE UNIQUE INDEX users_phone ON users (phone);

-- One row per code asked for, whether or not an account has the number (the throttle counts
-- numbers, not accounts, so the reply says nothing of which numbers have one); user_id is
-- then NULL and no code can sign in. code_hash: hex BLAKE2b-256 of the code with the row's id
-- and number. tries counts wrong codes (the 5th kills it); used_at: signed in with it.
CREATE TABLE login_codes (
	id BIGINT PRIMARY KEY,
	phone TEXT NOT NULL,
	user_id BIGINT,
	code_hash TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	tries INTEGER NOT NULL DEFAULT 0,
	used_at BIGINT
);
CREATE INDEX login_codes_phone ON login_codes (phone, created_at);
CREATE INDEX login_codes_created ON login_codes (created_at);

-- The bulk making of resident accounts asks, person by person, whether one has an account.
CREATE INDEX users_person ON users (person_id);
