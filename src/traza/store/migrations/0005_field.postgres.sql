-- Server mode: the lookups field loads and tallies make.
CREATE INDEX field_plots_id ON field_plots (plot_id);
CREATE INDEX field_plots_place ON field_plots (ubigeo, date);
CREATE INDEX field_seedbeds_id ON field_seedbeds (seedbed_id);
CREATE INDEX field_operations_id ON field_operations (operation_id);
CREATE INDEX enaco_certificate_versions_id ON enaco_certificate_versions (certificate_id);
CREATE INDEX field_findings_run ON field_findings (run_id, check_id);
-- Field records are facts: the database itself refuses edits (0003's traza_append_only).
CREATE TRIGGER field_goals_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON field_goals FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER field_operations_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON field_operations FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER field_plots_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON field_plots FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER field_seedbeds_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON field_seedbeds FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER field_measurements_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON field_measurements FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER enaco_certificate_versions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON enaco_certificate_versions FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER field_incidents_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON field_incidents FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER field_labs_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON field_labs FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
CREATE TRIGGER field_seizures_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON field_seizures FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only();
