-- A person's own results (GET /api/v1/people/{id}/results) read their samples by person.
CREATE INDEX samples_person ON samples (person_id, scanned_at);
