-- Server mode: ending every session of a user finds them by principal; sessions and their
-- ends are append-only like the audit log (login_throttle is a counter, updated in place).
CREATE INDEX sessions_principal ON sessions (kind, principal);
CREATE TRIGGER sessions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON sessions FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER session_ends_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON session_ends FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only()
