-- The audit trigger (doc/security.md): every write to the core tables goes
-- to audit_log (85_audit_log.sql).  The trigger writes it with the extension
-- owner's rights; nobody else may insert, update, delete or truncate it
-- (90_access.sql grants SELECT to quarantine_admin only: the old and new
-- rows hold full documents and phones).

CREATE FUNCTION audit_after_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'audit_after_write' LANGUAGE C;
COMMENT ON FUNCTION audit_after_write() IS
  'Appends the rows a statement wrote to audit_log, set-based from its transition tables';

-- Three triggers a table (a trigger with transition tables fires for one
-- event only).
DO $audit$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['person', 'entry', 'control', 'lab_test', 'verification', 'task',
                           'staff', 'policy', 'site', 'jurisdiction'] LOOP
    EXECUTE pg_catalog.format('CREATE TRIGGER audit_insert AFTER INSERT ON quarantine.%I '
                              'REFERENCING NEW TABLE AS new_rows '
                              'FOR EACH STATEMENT EXECUTE FUNCTION quarantine.audit_after_write()', t);
    EXECUTE pg_catalog.format('CREATE TRIGGER audit_update AFTER UPDATE ON quarantine.%I '
                              'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                              'FOR EACH STATEMENT EXECUTE FUNCTION quarantine.audit_after_write()', t);
    EXECUTE pg_catalog.format('CREATE TRIGGER audit_delete AFTER DELETE ON quarantine.%I '
                              'REFERENCING OLD TABLE AS old_rows '
                              'FOR EACH STATEMENT EXECUTE FUNCTION quarantine.audit_after_write()', t);
  END LOOP;
END
$audit$;
