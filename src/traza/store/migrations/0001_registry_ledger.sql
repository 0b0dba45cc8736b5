-- Registry, ledger, submissions and rejections. Facts are appended, never updated in place
-- (docs/principles.md, principle 2): the registry keeps every version of a record, and the current
-- state is a view over the latest version.

CREATE SEQUENCE IF NOT EXISTS submission_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS registry_version_seq START 1;
CREATE SEQUENCE IF NOT EXISTS movement_id_seq START 1;

CREATE TABLE submissions (
    submission_id BIGINT PRIMARY KEY,
    kind VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    file_hash VARCHAR NOT NULL,
    received_at TIMESTAMP NOT NULL,
    submitted_by VARCHAR,
    rows_total BIGINT NOT NULL,
    rows_accepted BIGINT NOT NULL,
    rows_duplicate BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    status VARCHAR NOT NULL
);

CREATE TABLE rejections (
    submission_id BIGINT NOT NULL,
    file_name VARCHAR NOT NULL,
    line BIGINT,
    column_name VARCHAR,
    value VARCHAR,
    reason VARCHAR NOT NULL
);

CREATE TABLE operator_versions (
    version_id BIGINT PRIMARY KEY,
    ruc VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    sector VARCHAR NOT NULL,
    registered_on DATE NOT NULL,
    status VARCHAR NOT NULL,
    representative_id VARCHAR,
    phone VARCHAR,
    email VARCHAR,
    extra VARCHAR,
    row_hash VARCHAR NOT NULL,
    submission_id BIGINT,
    source_line BIGINT,
    recorded_at TIMESTAMP NOT NULL,
    recorded_by VARCHAR
);

CREATE TABLE establishment_versions (
    version_id BIGINT PRIMARY KEY,
    ruc VARCHAR NOT NULL,
    establishment_code VARCHAR NOT NULL,
    ubigeo VARCHAR NOT NULL,
    address VARCHAR,
    extra VARCHAR,
    row_hash VARCHAR NOT NULL,
    submission_id BIGINT,
    source_line BIGINT,
    recorded_at TIMESTAMP NOT NULL,
    recorded_by VARCHAR
);

CREATE TABLE authorisation_versions (
    version_id BIGINT PRIMARY KEY,
    ruc VARCHAR NOT NULL,
    chemical VARCHAR NOT NULL,
    activities VARCHAR NOT NULL,
    annual_quota_kg DOUBLE PRECISION,
    valid_from DATE NOT NULL,
    valid_to DATE,
    extra VARCHAR,
    row_hash VARCHAR NOT NULL,
    submission_id BIGINT,
    source_line BIGINT,
    recorded_at TIMESTAMP NOT NULL,
    recorded_by VARCHAR
);

-- No primary key or unique index here on purpose: DuckDB's index maintenance would dominate
-- bulk loads, and ingestion already guarantees uniqueness of idem_key (anti-join inside the
-- loading transaction). PostgreSQL gets its indexes in 0001_registry_ledger.postgres.sql.
CREATE TABLE movements (
    movement_id BIGINT NOT NULL,
    idem_key VARCHAR NOT NULL,
    declaration_id VARCHAR,
    declarant_ruc VARCHAR NOT NULL,
    establishment_code VARCHAR NOT NULL,
    date DATE NOT NULL,
    type VARCHAR NOT NULL,
    chemical VARCHAR NOT NULL,
    quantity DOUBLE PRECISION NOT NULL,
    unit VARCHAR NOT NULL,
    quantity_kg DOUBLE PRECISION NOT NULL,
    counterparty_ruc VARCHAR,
    counterparty_establishment VARCHAR,
    counterparty_registered BOOLEAN,
    document_ref VARCHAR,
    destination_ubigeo VARCHAR,
    origin_country VARCHAR,
    destination_country VARCHAR,
    declared_on DATE,
    extra VARCHAR,
    submission_id BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    source_line BIGINT,
    declared_at TIMESTAMP NOT NULL
);

CREATE VIEW operators AS
SELECT v.* FROM operator_versions v
JOIN (SELECT ruc, max(version_id) AS version_id FROM operator_versions GROUP BY ruc) latest
  ON latest.version_id = v.version_id;

CREATE VIEW establishments AS
SELECT v.* FROM establishment_versions v
JOIN (SELECT ruc, establishment_code, max(version_id) AS version_id
      FROM establishment_versions GROUP BY ruc, establishment_code) latest
  ON latest.version_id = v.version_id;

CREATE VIEW authorisations AS
SELECT v.* FROM authorisation_versions v
JOIN (SELECT ruc, chemical, valid_from, max(version_id) AS version_id
      FROM authorisation_versions GROUP BY ruc, chemical, valid_from) latest
  ON latest.version_id = v.version_id;
