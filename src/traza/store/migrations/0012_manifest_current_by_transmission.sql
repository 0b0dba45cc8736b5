-- A manifest's current version is the one its sender transmitted last, not the one traza
-- received last: an original loaded after its replacement (a folder read in name order,
-- amendments.csv before manifests.csv) stays a past version. Versions without a
-- transmission time keep their order of arrival, after those that have one.
CREATE OR REPLACE VIEW port_manifests_current AS
SELECT manifest_id, call_id, manifest_number, version, message_function, source_format, transmitted_at,
       file_name, content_hash, recorded_at, recorded_by
FROM (
    SELECT m.*, row_number() OVER (
               PARTITION BY m.call_id, m.manifest_number
               ORDER BY m.transmitted_at DESC NULLS LAST, m.version DESC) AS rn
    FROM port_manifests m
) ranked
WHERE rn = 1;
