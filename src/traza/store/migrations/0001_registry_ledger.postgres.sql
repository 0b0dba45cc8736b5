-- Server mode serves many readers and concurrent loads: index what they look up, and let
-- the database itself refuse a duplicated declaration.
CREATE UNIQUE INDEX movements_idem_key ON movements (idem_key);
CREATE UNIQUE INDEX movements_id ON movements (movement_id);
CREATE INDEX movements_declarant ON movements (declarant_ruc, chemical, date);
CREATE INDEX movements_counterparty ON movements (counterparty_ruc, date);
CREATE INDEX operator_versions_ruc ON operator_versions (ruc);
CREATE INDEX establishment_versions_key ON establishment_versions (ruc, establishment_code);
CREATE INDEX authorisation_versions_key ON authorisation_versions (ruc, chemical);
CREATE INDEX submissions_hash ON submissions (file_hash);
-- Loads COPY rows without ids: the server's sequences number them, safe under concurrency.
ALTER TABLE movements ALTER COLUMN movement_id SET DEFAULT nextval('movement_id_seq');
ALTER TABLE operator_versions ALTER COLUMN version_id SET DEFAULT nextval('registry_version_seq');
ALTER TABLE establishment_versions ALTER COLUMN version_id SET DEFAULT nextval('registry_version_seq');
ALTER TABLE authorisation_versions ALTER COLUMN version_id SET DEFAULT nextval('registry_version_seq');
