-- audit chain: each row, once sealed by the audit.seal job, carries its place in one chain
-- (seal_seq, from 1 with no gaps) and seal_hash, the BLAKE2b-256 of the previous row's hash
-- and of its own columns; audit_seal is the chain's head, one row, locked by each sealer.
-- pruned_seq / pruned_hash: the last row deleted by retention, from which the chain is
-- verified (0 and '' while none is).
ALTER TABLE audit ADD COLUMN seal_seq BIGINT;
ALTER TABLE audit ADD COLUMN seal_hash TEXT;
-- Both partial: a new row adds one entry (to audit_unsealed), which its sealing moves.
CREATE UNIQUE INDEX audit_seal_seq ON audit (seal_seq) WHERE seal_seq IS NOT NULL;
CREATE INDEX audit_unsealed ON audit (id) WHERE seal_seq IS NULL;
CREATE TABLE audit_seal (
	id BIGINT PRIMARY KEY,
	last_seq BIGINT NOT NULL,
	last_hash TEXT NOT NULL,
	pruned_seq BIGINT NOT NULL DEFAULT 0,
	pruned_hash TEXT NOT NULL DEFAULT ''
);
INSERT INTO audit_seal (id, last_seq, last_hash) VALUES (1, 0, '');
