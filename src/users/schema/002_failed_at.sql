-- users: the lockout counts wrong passwords within a window (policy users.lock_window_minutes):
-- the time of the last one counted, epoch ms (0 = none).
ALTER TABLE users ADD COLUMN failed_at BIGINT NOT NULL DEFAULT 0;
