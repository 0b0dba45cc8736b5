-- Server mode: the lookups loads and lists make.
CREATE INDEX port_manifests_call ON port_manifests (call_id, manifest_number, version);
CREATE UNIQUE INDEX port_manifests_hash ON port_manifests (content_hash);
CREATE INDEX port_documents_manifest ON port_documents (manifest_id);
CREATE INDEX port_equipment_manifest ON port_equipment (manifest_id);
CREATE UNIQUE INDEX port_events_key ON port_events (event_key);
CREATE INDEX port_inspections_call ON port_inspections (call_id);
