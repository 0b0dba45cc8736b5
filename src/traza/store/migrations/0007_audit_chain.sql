-- Issue 16: the audit log is a hash chain. Each event carries the hash of the event before it
-- (prev_hash; the first carries 64 zeros) and the SHA-256 of its canonical serialisation with
-- that link (hash), written by cases/audit.record and checked by `traza audit verify`
-- (store/chain.py). Events written before this migration are chained by it, in event order
-- (migrate._AFTER), so the whole log verifies from its first event.
ALTER TABLE events ADD COLUMN prev_hash VARCHAR;
ALTER TABLE events ADD COLUMN hash VARCHAR
