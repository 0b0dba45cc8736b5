-- A manifest's identity is one rule for every reader (ports/store.py, IDENTITY_SQL): a digest
-- of its stored rows. The stored manifests are re-keyed by it after this file (migrate._AFTER),
-- so that a file sent before the upgrade is still recognised when sent again.
SELECT 1;
