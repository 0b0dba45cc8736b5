-- UBL e-documents (SUNAT invoices and remission guides): operators' product mappings, the
-- documents received, what a guide tells about the receiver's side, and the lines traza
-- could not classify with confidence. Append-only like the rest (docs/principles.md, principle 2).
CREATE SEQUENCE IF NOT EXISTS expected_movement_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS review_line_id_seq START 1;

-- Seller item code -> catalogue chemical (or 'none': the item is not a controlled chemical),
-- versioned like the registry; kg_per_unit converts lines counted in pieces (NIU, bags).
CREATE TABLE product_mapping_versions (
    version_id BIGINT PRIMARY KEY,
    ruc VARCHAR NOT NULL,
    item_code VARCHAR NOT NULL,
    chemical VARCHAR NOT NULL,
    kg_per_unit DOUBLE PRECISION,
    extra VARCHAR,
    row_hash VARCHAR NOT NULL,
    submission_id BIGINT,
    source_line BIGINT,
    recorded_at TIMESTAMP NOT NULL,
    recorded_by VARCHAR
);

CREATE VIEW product_mappings AS
SELECT v.* FROM product_mapping_versions v
JOIN (SELECT ruc, item_code, max(version_id) AS version_id
      FROM product_mapping_versions GROUP BY ruc, item_code) latest
  ON latest.version_id = v.version_id;

-- Every commercial document accepted (one row per distinct file content).
CREATE TABLE ubl_documents (
    doc_key VARCHAR NOT NULL,
    doc_type VARCHAR NOT NULL,
    ubl_version VARCHAR,
    document_number VARCHAR NOT NULL,
    issuer_ruc VARCHAR,
    receiver_ruc VARCHAR,
    issue_date VARCHAR,
    transfer_date VARCHAR,
    motive VARCHAR,
    origin_ubigeo VARCHAR,
    delivery_ubigeo VARCHAR,
    carrier_ruc VARCHAR,
    vehicle VARCHAR,
    linked_guide VARCHAR,
    line_count INTEGER NOT NULL,
    file_name VARCHAR NOT NULL,
    file_hash VARCHAR NOT NULL,
    submission_id BIGINT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- The receiver's side of a shipment as the seller's guide describes it. It is not the
-- receiver's declaration (detection must not count it as one): reconciliation compares it
-- with what the receiver declares. One row per accepted outgoing movement of a guide or an
-- unlinked invoice, keyed by that movement.
CREATE TABLE expected_movements (
    expected_id BIGINT NOT NULL,
    movement_key VARCHAR NOT NULL,
    declaration_id VARCHAR NOT NULL,
    receiver_ruc VARCHAR NOT NULL,
    receiver_establishment VARCHAR,
    date DATE NOT NULL,
    type VARCHAR NOT NULL,
    chemical VARCHAR NOT NULL,
    quantity DOUBLE PRECISION NOT NULL,
    unit VARCHAR NOT NULL,
    quantity_kg DOUBLE PRECISION NOT NULL,
    counterparty_ruc VARCHAR NOT NULL,
    counterparty_establishment VARCHAR,
    document_ref VARCHAR,
    document_key VARCHAR NOT NULL,
    origin_ubigeo VARCHAR,
    destination_ubigeo VARCHAR,
    submission_id BIGINT NOT NULL,
    source_file VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- Expected movements the receiver has not declared (same receiver, chemical and document).
CREATE VIEW expected_movements_open AS
SELECT e.* FROM expected_movements e
WHERE NOT EXISTS (
    SELECT 1 FROM movements m
    WHERE m.declarant_ruc = e.receiver_ruc AND m.chemical = e.chemical
      AND m.document_ref = e.document_ref AND m.type = e.type
);

-- Lines that may be controlled chemicals but could not be decided: an analyst (or the
-- operator's product mapping) settles them. Also the lines flagged 7022=1 that map to nothing.
CREATE TABLE review_lines (
    review_id BIGINT NOT NULL,
    review_key VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    submission_id BIGINT NOT NULL,
    file_name VARCHAR NOT NULL,
    xpath VARCHAR NOT NULL,
    document_key VARCHAR NOT NULL,
    line_no VARCHAR NOT NULL,
    issuer_ruc VARCHAR,
    item_code VARCHAR,
    description VARCHAR,
    quantity VARCHAR,
    unit VARCHAR,
    best_guess VARCHAR,
    confidence DOUBLE PRECISION,
    method VARCHAR,
    reason VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

-- Review lines not yet settled by a product mapping of the seller's item (re-sending the
-- document after the mapping arrives then records its movement).
CREATE VIEW review_lines_open AS
SELECT r.* FROM review_lines r
WHERE NOT EXISTS (
    SELECT 1 FROM product_mappings p
    WHERE p.ruc = r.issuer_ruc AND p.item_code = upper(trim(r.item_code))
);
