-- notify: the outbox — every message to a phone (login codes, notices), written in the
-- transaction of what it tells of. status: queued until the job notify.deliver hands it to the
-- installed notifier, then sent or failed (error says why). With no notifier installed,
-- messages stay queued and an administrator reads them on the outbox screen. to_phone is the
-- normalized number; notifier names what sent it.
CREATE TABLE outbox (
	id BIGINT PRIMARY KEY,
	channel TEXT NOT NULL,
	to_phone TEXT NOT NULL,
	purpose TEXT NOT NULL,
	body TEXT NOT NULL,
	status TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	sent_at BIGINT,
	error TEXT,
	notifier TEXT
);
CREATE INDEX outbox_status ON outbox (status, id);
CREATE INDEX outbox_to ON outbox (to_phone, id);
