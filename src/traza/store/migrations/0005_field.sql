-- Field operations (issue 9): eradication operations, coca plots and seedbeds, CADA field
-- measurements, ENACO certificates, incidents, seizures, labs and goals. Append-only like the
-- registry (docs/principles.md, principle 2): a record is identified by its natural id, re-sending the
-- same content changes nothing, and different content under a known id is refused, except
-- for certificates, which are versioned (a later verification is a new version).
-- Every row names the submission, file and line (CSV) or feature (GeoJSON) it came from.
CREATE SEQUENCE IF NOT EXISTS field_run_seq START 1;

-- Yearly (month NULL) and monthly goals, national (axis and ubigeo NULL) or by axis/district.
CREATE TABLE field_goals (
    goal_id VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER,
    axis VARCHAR,
    ubigeo VARCHAR,
    hectares DOUBLE PRECISION,
    seedbed_m2 DOUBLE PRECISION,
    resolution VARCHAR,
    row_hash VARCHAR NOT NULL,
    extra VARCHAR,
    submission_id BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- One day's eradication by one brigade in one district.
CREATE TABLE field_operations (
    operation_id VARCHAR NOT NULL,
    date DATE NOT NULL,
    axis VARCHAR NOT NULL,            -- eje operacional
    coca_area VARCHAR,                -- ambito cocalero
    ubigeo VARCHAR NOT NULL,
    brigade VARCHAR,
    eradicators INTEGER,
    police INTEGER,
    modality VARCHAR NOT NULL,        -- forced | voluntary
    goal_id VARCHAR,
    row_hash VARCHAR NOT NULL,
    extra VARCHAR,
    submission_id BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- A coca plot eradicated. ``area_ha`` is computed geodesically from the geometry (GeoJSON
-- text, EPSG:4326); a plot known by one GPS point only has no geometry and keeps the area
-- reported (area_method says which).
CREATE TABLE field_plots (
    plot_id VARCHAR NOT NULL,
    operation_id VARCHAR,
    date DATE NOT NULL,
    ubigeo VARCHAR NOT NULL,
    geometry VARCHAR,
    latitude DOUBLE PRECISION NOT NULL,   -- centroid (or the single GPS point)
    longitude DOUBLE PRECISION NOT NULL,
    area_ha DOUBLE PRECISION NOT NULL,
    area_method VARCHAR NOT NULL,         -- geodesic | reported
    reported_ha DOUBLE PRECISION,
    replanted BOOLEAN NOT NULL,
    vulnerable_zone VARCHAR,              -- native_community | buffer_zone | protected_area | forest_concession
    certificate_id VARCHAR,               -- ENACO certificate the grower presented, if any
    row_hash VARCHAR NOT NULL,
    extra VARCHAR,
    submission_id BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- Seedbeds (almacigos) destroyed; "hectares if planted" is computed by the tallies with a
-- configurable factor (a convention, not a regulation).
CREATE TABLE field_seedbeds (
    seedbed_id VARCHAR NOT NULL,
    operation_id VARCHAR,
    date DATE NOT NULL,
    ubigeo VARCHAR NOT NULL,
    area_m2 DOUBLE PRECISION NOT NULL,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    geometry VARCHAR,
    row_hash VARCHAR NOT NULL,
    extra VARCHAR,
    submission_id BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- Coca fields measured (CADA, for alternative development), from imagery or on the ground.
CREATE TABLE field_measurements (
    measurement_id VARCHAR NOT NULL,
    date DATE NOT NULL,
    ubigeo VARCHAR NOT NULL,
    community VARCHAR,
    imagery_source VARCHAR,
    measured_ha DOUBLE PRECISION NOT NULL,
    row_hash VARCHAR NOT NULL,
    extra VARCHAR,
    submission_id BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- ENACO register entries ("certificates"), versioned: a field verification or a death
-- record is a new version of the same certificate.
CREATE TABLE enaco_certificate_versions (
    version_id BIGINT NOT NULL,
    certificate_id VARCHAR NOT NULL,
    holder_name VARCHAR NOT NULL,
    holder_document VARCHAR NOT NULL,
    role VARCHAR NOT NULL,                 -- registrant | representative
    registration_year INTEGER NOT NULL,
    declared_ha DOUBLE PRECISION NOT NULL,
    declared_ubigeo VARCHAR NOT NULL,
    verified_ha DOUBLE PRECISION,
    holder_deceased BOOLEAN NOT NULL,
    representative_verified BOOLEAN NOT NULL,
    row_hash VARCHAR NOT NULL,
    extra VARCHAR,
    submission_id BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

CREATE VIEW enaco_certificates AS
SELECT v.* FROM enaco_certificate_versions v
JOIN (SELECT certificate_id, max(version_id) AS version_id
      FROM enaco_certificate_versions GROUP BY certificate_id) latest
  ON latest.version_id = v.version_id;

-- Attacks and accidents against eradication (casualties by group: police, eradicators,
-- civilians, attackers).
CREATE TABLE field_incidents (
    incident_id VARCHAR NOT NULL,
    date DATE NOT NULL,
    ubigeo VARCHAR NOT NULL,
    operation_id VARCHAR,
    type VARCHAR NOT NULL,     -- ambush | rock_throwing | firearm | explosive | blockade | aircraft_damage
    aircraft VARCHAR,
    aircraft_damaged INTEGER NOT NULL,
    police_wounded INTEGER NOT NULL,
    police_killed INTEGER NOT NULL,
    eradicators_wounded INTEGER NOT NULL,
    eradicators_killed INTEGER NOT NULL,
    civilians_wounded INTEGER NOT NULL,
    civilians_killed INTEGER NOT NULL,
    attackers_wounded INTEGER NOT NULL,
    attackers_killed INTEGER NOT NULL,
    eradication_halted BOOLEAN NOT NULL,
    description VARCHAR,
    row_hash VARCHAR NOT NULL,
    extra VARCHAR,
    submission_id BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- Drug labs found (pozas de maceración, base and HCl labs).
CREATE TABLE field_labs (
    lab_id VARCHAR NOT NULL,
    date DATE NOT NULL,
    ubigeo VARCHAR NOT NULL,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    type VARCHAR NOT NULL,     -- maceration_pit | base_paste | cocaine_hcl | recycling
    destroyed BOOLEAN NOT NULL,
    row_hash VARCHAR NOT NULL,
    extra VARCHAR,
    submission_id BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- Seizures (at a lab or anywhere). A precursor chemical names its catalogue code and, when
-- the container told it, the lot / document and the seller's RUC: the way back to the ledger.
CREATE TABLE field_seizures (
    seizure_id VARCHAR NOT NULL,
    date DATE NOT NULL,
    ubigeo VARCHAR NOT NULL,
    lab_id VARCHAR,
    substance VARCHAR NOT NULL,   -- cocaine_hcl | base_paste | coca_leaf | precursor | other
    chemical VARCHAR,             -- catalogue code when substance = precursor
    quantity DOUBLE PRECISION NOT NULL,
    unit VARCHAR NOT NULL,
    quantity_kg DOUBLE PRECISION,
    lot_ref VARCHAR,              -- a lot number or the seller's document (matches movements.document_ref)
    seller_ruc VARCHAR,
    arrests INTEGER NOT NULL,
    weapons INTEGER NOT NULL,
    row_hash VARCHAR NOT NULL,
    extra VARCHAR,
    submission_id BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- Findings of the field checks (src/traza/field/rules), one row per finding per run.
CREATE TABLE field_check_runs (
    run_id BIGINT NOT NULL,
    engine VARCHAR NOT NULL,
    as_of DATE NOT NULL,
    started_at TIMESTAMP NOT NULL,
    findings BIGINT NOT NULL
);

CREATE TABLE field_findings (
    run_id BIGINT NOT NULL,
    check_id VARCHAR NOT NULL,
    check_version INTEGER NOT NULL,
    subject VARCHAR NOT NULL,
    ubigeo VARCHAR,
    period_start DATE,
    period_end DATE,
    observed DOUBLE PRECISION,
    baseline DOUBLE PRECISION,
    strength DOUBLE PRECISION,
    detail VARCHAR,
    evidence VARCHAR NOT NULL     -- JSON list of record ids (plots, certificates, seizures, movements)
);

-- Coca seen per district and day: eradicated plots and measured fields. Detection's
-- geographic risk reads it (traza.detect.base.coca_zones): a district with fresh coca
-- counts as a special-regime zone.
CREATE VIEW field_coca_districts AS
SELECT ubigeo, date, area_ha AS hectares, 'eradicated' AS source FROM field_plots
UNION ALL
SELECT ubigeo, date, measured_ha AS hectares, 'measured' AS source FROM field_measurements;
