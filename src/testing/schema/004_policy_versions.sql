-- testing: a round remembers the policy version it followed (policy module): the one it was
-- created with (its pool size, its targets) and the one it was opened with (the 24 h / 6 h
-- targets then in force, copied beside it so the round keeps them when the policy changes
-- later). Rounds made before policies were versioned followed the defaults: version 0.
ALTER TABLE rounds ADD COLUMN policy_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rounds ADD COLUMN opened_policy_version BIGINT;
ALTER TABLE rounds ADD COLUMN round_target_ms BIGINT NOT NULL DEFAULT 86400000;
ALTER TABLE rounds ADD COLUMN sampling_target_ms BIGINT NOT NULL DEFAULT 21600000;
