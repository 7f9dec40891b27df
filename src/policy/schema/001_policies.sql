-- policy: the numbers SPEC marks *policy*, written by the policy module only.
-- Every accepted edit is one row of policy_versions: who, when, why, and what changed as a
-- JSON object {"key": {"from": old, "to": new}}. Version 0 is "nothing edited yet": a policy
-- with no row in policy_values has the default its module declares, so a policy declared
-- later needs no migration. The current version is MAX(version).
CREATE TABLE policy_versions (
	version BIGINT PRIMARY KEY,
	changed_by BIGINT NOT NULL,
	changed_by_name TEXT NOT NULL,
	changed_at BIGINT NOT NULL,
	reason TEXT NOT NULL,
	changes TEXT NOT NULL
);

-- The current value (JSON text) of each policy ever edited, and the version that set it.
CREATE TABLE policy_values (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	version BIGINT NOT NULL REFERENCES policy_versions (version)
);
