-- platform: the replies of keyed writes (platform/keyed.h), for every module. A write a phone
-- may retry carries the client's key: a repeat of the key by the same user and operation gets
-- these bytes back and changes nothing. Old keys are purged by a job.
CREATE TABLE client_keys (
	client_key TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL,
	op TEXT NOT NULL,
	status INTEGER NOT NULL,
	reply TEXT NOT NULL,
	at BIGINT NOT NULL
);
CREATE INDEX client_keys_at ON client_keys (at);
