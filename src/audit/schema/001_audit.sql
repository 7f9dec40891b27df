-- audit: one row per read of a person's record, export, or change of accounts and areas
-- (SPEC §12). Written by the audit module only; never updated, never deleted by the app.
CREATE TABLE audit (
	id BIGINT PRIMARY KEY,
	at BIGINT NOT NULL,
	user_id BIGINT NOT NULL DEFAULT 0,
	username TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	target_kind TEXT NOT NULL DEFAULT '',
	target_id BIGINT NOT NULL DEFAULT 0,
	detail TEXT,
	ip TEXT,
	request_id TEXT
);
CREATE INDEX audit_target ON audit (target_kind, target_id);
CREATE INDEX audit_user_at ON audit (user_id, at);
