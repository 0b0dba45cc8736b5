-- Server mode: ids from sequences (loads COPY rows without them) and the lookups loads make.
ALTER TABLE product_mapping_versions ALTER COLUMN version_id SET DEFAULT nextval('registry_version_seq');
ALTER TABLE expected_movements ALTER COLUMN expected_id SET DEFAULT nextval('expected_movement_id_seq');
ALTER TABLE review_lines ALTER COLUMN review_id SET DEFAULT nextval('review_line_id_seq');
CREATE INDEX product_mapping_versions_key ON product_mapping_versions (ruc, item_code);
CREATE INDEX ubl_documents_hash ON ubl_documents (file_hash);
CREATE INDEX ubl_documents_key ON ubl_documents (doc_key);
CREATE UNIQUE INDEX expected_movements_key ON expected_movements (movement_key);
CREATE INDEX expected_movements_receiver ON expected_movements (receiver_ruc, chemical, date);
CREATE UNIQUE INDEX review_lines_key ON review_lines (review_key);
