-- Server mode: append-only like the other logs.
CREATE TRIGGER change_heads_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON change_heads FOR EACH STATEMENT EXECUTE FUNCTION traza_append_only()
