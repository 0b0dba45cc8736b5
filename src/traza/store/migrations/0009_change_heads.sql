-- Optimistic concurrency (no lost updates). An alert, a case or an operator's registry file
-- has a version: the id of its latest change (alert_log / case_log event id, registry
-- version id; 0 before any). A change names the version it was made against; the service
-- appends one row here in the change's transaction, and the primary key lets only one change
-- be made against any one version: of N simultaneous changes sent with the same version,
-- exactly one commits and the others are refused with what changed. Rows are never updated.
CREATE TABLE change_heads (
    subject_type VARCHAR NOT NULL,
    subject_id VARCHAR NOT NULL,
    base_version BIGINT NOT NULL,
    version BIGINT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    PRIMARY KEY (subject_type, subject_id, base_version)
);
