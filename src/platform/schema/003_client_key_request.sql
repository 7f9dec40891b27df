-- platform: what a keyed write asked (a hash of its method, path and body without the key,
-- platform/keyed.c), kept beside its key: a repeat of the key that asks something else is
-- refused (422 key_reused) instead of getting the first reply. Keys stored before this column
-- have NULL and are not checked.
ALTER TABLE client_keys ADD COLUMN request_hash TEXT;
