-- Server mode: indexes for what the service looks up, and a trigger that makes the audit log
-- and the other append-only tables refuse UPDATE, DELETE and TRUNCATE, whoever asks.
CREATE INDEX events_subject ON events (subject_type, subject_id);
CREATE INDEX api_keys_ruc ON api_keys (ruc);
CREATE INDEX sale_checks_buyer ON sale_checks (buyer_ruc, checked_at);
CREATE INDEX sale_checks_seller ON sale_checks (seller_ruc, checked_at);
CREATE INDEX alert_log_alert ON alert_log (alert_id);
CREATE INDEX case_log_case ON case_log (case_id);
CREATE INDEX IF NOT EXISTS alerts_ruc ON alerts (ruc);
CREATE FUNCTION traza_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER staff_user_versions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON staff_user_versions FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER api_keys_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON api_keys FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER api_key_revocations_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON api_key_revocations FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER sale_checks_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON sale_checks FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER alert_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON alert_log FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER snoozes_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON snoozes FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER case_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON case_log FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER rule_modes_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON rule_modes FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only()
