-- testing: the keys of scans, tube opens and results now live with every other module's, in
-- the platform's client_keys (platform/schema/001_client_keys.sql, which runs first and is
-- empty until this copy).
INSERT INTO client_keys (client_key, user_id, op, status, reply, at)
	SELECT client_key, user_id, op, status, reply, at FROM scan_keys;
DROP TABLE scan_keys;
