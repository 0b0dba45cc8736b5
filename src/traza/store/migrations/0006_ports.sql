-- Ports (issue 8): cargo manifests of vessel calls, the containers they list, what happened to
-- those containers in the port, the risk assessments and inspections that followed, and the
-- seizures that feed the watch list. Append-only: an amendment is a new manifest version and
-- every row below a manifest belongs to exactly one version (docs/principles.md, principle 2).
CREATE SEQUENCE IF NOT EXISTS port_id_seq START 1;

-- A vessel's call at a port (UN/LOCODE, e.g. PECLL Callao) in one direction.
CREATE TABLE port_vessel_calls (
    call_id VARCHAR PRIMARY KEY,           -- port|vessel|voyage|direction, stable across versions
    port VARCHAR NOT NULL,
    direction VARCHAR NOT NULL,            -- import | export | transit
    vessel_name VARCHAR NOT NULL,
    vessel_imo VARCHAR,
    voyage VARCHAR NOT NULL,
    carrier VARCHAR,
    arrival DATE,
    departure DATE,
    recorded_at TIMESTAMP NOT NULL
);

-- One row per accepted manifest message; an amendment is a new version of the same manifest.
CREATE TABLE port_manifests (
    manifest_id BIGINT NOT NULL,           -- one id per version
    call_id VARCHAR NOT NULL,
    manifest_number VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    message_function VARCHAR NOT NULL,     -- original | replacement | change
    source_format VARCHAR NOT NULL,        -- csv | cuscar
    transmitted_at TIMESTAMP,
    file_name VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,         -- re-sending the same content changes nothing
    recorded_at TIMESTAMP NOT NULL,
    recorded_by VARCHAR
);

-- The latest version of each manifest.
CREATE VIEW port_manifests_current AS
SELECT m.* FROM port_manifests m
JOIN (SELECT call_id, manifest_number, max(version) AS version
      FROM port_manifests GROUP BY call_id, manifest_number) latest
  ON latest.call_id = m.call_id AND latest.manifest_number = m.manifest_number
 AND latest.version = m.version;

-- Transport documents (bills of lading), master or house, as one manifest version lists them.
CREATE TABLE port_documents (
    manifest_id BIGINT NOT NULL,
    bl_number VARCHAR NOT NULL,
    bl_type VARCHAR NOT NULL,              -- master | house
    master_bl VARCHAR,                     -- for a house B/L, the consolidator's master
    shipper_name VARCHAR,
    shipper_id VARCHAR,                    -- RUC when Peruvian
    consignee_name VARCHAR,
    consignee_id VARCHAR,
    notify_name VARCHAR,
    notify_id VARCHAR,
    port_original_loading VARCHAR,
    port_loading VARCHAR,
    port_transshipment VARCHAR,
    port_discharge VARCHAR,
    port_final_destination VARCHAR,
    packages BIGINT,
    gross_kg DOUBLE PRECISION,
    description VARCHAR,                   -- goods descriptions joined
    hs_codes VARCHAR,                      -- comma-separated 6-digit headings
    un_numbers VARCHAR,                    -- comma-separated
    source_ref VARCHAR NOT NULL            -- line or segment the document came from
);

-- Goods items of a document (GID in CUSCAR, one CSV row).
CREATE TABLE port_goods_items (
    manifest_id BIGINT NOT NULL,
    bl_number VARCHAR NOT NULL,
    item_no INTEGER NOT NULL,
    container_no VARCHAR,
    packages BIGINT,
    package_type VARCHAR,
    gross_kg DOUBLE PRECISION,
    description VARCHAR,
    hs_code VARCHAR,
    un_number VARCHAR,
    imdg_class VARCHAR,
    marks VARCHAR
);

-- Equipment (containers) of a manifest version. A bad ISO 6346 check digit is kept, flagged.
CREATE TABLE port_equipment (
    manifest_id BIGINT NOT NULL,
    container_no VARCHAR NOT NULL,
    check_digit_ok BOOLEAN NOT NULL,
    size_type VARCHAR,
    reefer BOOLEAN NOT NULL,
    full_empty VARCHAR,
    vgm_kg DOUBLE PRECISION,
    tare_kg DOUBLE PRECISION
);

CREATE TABLE port_seals (
    manifest_id BIGINT NOT NULL,
    container_no VARCHAR NOT NULL,
    seal_number VARCHAR NOT NULL,
    sealing_party VARCHAR                  -- CA carrier | CU customs | SH shipper | TO terminal
);

-- Which documents travel in which containers.
CREATE TABLE port_document_containers (
    manifest_id BIGINT NOT NULL,
    bl_number VARCHAR NOT NULL,
    container_no VARCHAR NOT NULL
);

-- What happened to a container in the port (gate_in, scan, door_opened, moved, loaded, ...).
CREATE TABLE port_events (
    event_key VARCHAR NOT NULL,            -- hash of the event: re-sending changes nothing
    call_id VARCHAR,
    container_no VARCHAR NOT NULL,
    event_type VARCHAR NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    location VARCHAR,
    detail VARCHAR,
    file_name VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- The random-control draw of a vessel call: seed, share and what it picked, so it can be redone.
CREATE TABLE port_control_draws (
    draw_id BIGINT NOT NULL,
    call_id VARCHAR NOT NULL,
    seed BIGINT NOT NULL,
    share DOUBLE PRECISION NOT NULL,
    population INTEGER NOT NULL,
    drawn VARCHAR NOT NULL,                -- JSON list of container numbers
    recorded_at TIMESTAMP NOT NULL
);

-- A risk assessment: the ranked containers of a call when the inspection list was made.
CREATE TABLE port_risk_assessments (
    assessment_id BIGINT NOT NULL,
    call_id VARCHAR NOT NULL,
    container_no VARCHAR NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    rank INTEGER NOT NULL,
    selected_by VARCHAR NOT NULL,          -- targeted | random | none
    reasons VARCHAR NOT NULL,              -- JSON list of {rule, version, strength, detail}
    methods VARCHAR NOT NULL,              -- comma-separated recommended methods
    draw_id BIGINT,
    recorded_at TIMESTAMP NOT NULL
);

CREATE TABLE port_inspections (
    inspection_id BIGINT NOT NULL,
    call_id VARCHAR NOT NULL,
    container_no VARCHAR NOT NULL,
    selected_by VARCHAR NOT NULL,          -- targeted | random | other
    methods VARCHAR NOT NULL,              -- k9, scanner, physical, diver
    agencies VARCHAR,
    seals_found VARCHAR,
    seals_manifested VARCHAR,
    k9_alert BOOLEAN,
    result VARCHAR NOT NULL,               -- clean | seizure | irregularity
    notes VARCHAR,
    inspected_at TIMESTAMP NOT NULL,
    recorded_by VARCHAR,
    recorded_at TIMESTAMP NOT NULL
);

CREATE TABLE port_seizures (
    seizure_id BIGINT NOT NULL,
    inspection_id BIGINT NOT NULL,
    substance VARCHAR NOT NULL,
    packages BIGINT,
    net_kg DOUBLE PRECISION,
    concealment VARCHAR,
    markings VARCHAR,
    recorded_at TIMESTAMP NOT NULL
);

-- Parties, routes and markings from past seizures, which rules match new manifests against.
CREATE TABLE port_watchlist (
    entry_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL,                 -- party | route | marking
    value VARCHAR NOT NULL,                -- normalised (upper case, single spaces)
    seizure_id BIGINT,
    reason VARCHAR,
    recorded_at TIMESTAMP NOT NULL
);
