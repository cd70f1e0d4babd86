-- audit_log (doc/security.md): every write to the core tables.
--
-- Written by the statement trigger audit_after_write (src/security/audit.c) with the
-- extension owner's rights; nobody else may insert, update, delete or
-- truncate it (90_access.sql grants SELECT to quarantine_admin only: the old
-- and new rows hold full documents and phones).  Also part of the 0.1.0 ->
-- 0.2.0 upgrade (src/sql/upgrade/ links this file).
CREATE TABLE audit_log (
  audit_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  by_role     text NOT NULL,
  table_name  text NOT NULL,
  op          text NOT NULL CONSTRAINT audit_log_op CHECK (op IN ('INSERT', 'UPDATE', 'DELETE')),
  row_key     text NOT NULL,
  old_row     jsonb,
  new_row     jsonb
);
COMMENT ON TABLE audit_log IS
  'Every INSERT, UPDATE and DELETE on the core tables: who (by_role), when (at: the transaction time), the table, the row''s key and the old and new row; written only by the extension';
COMMENT ON COLUMN audit_log.by_role IS 'The role that made the write (current_user of the statement)';
COMMENT ON COLUMN audit_log.row_key IS 'The primary key of the row, as text';
COMMENT ON COLUMN audit_log.old_row IS 'The row before an UPDATE or DELETE, as jsonb';
COMMENT ON COLUMN audit_log.new_row IS 'The row after an INSERT; for an UPDATE, the columns it changed (the whole new row when the key changed); as jsonb';
CREATE INDEX audit_log_row ON audit_log (table_name, row_key);
CREATE INDEX audit_log_at ON audit_log USING brin (at);
SELECT pg_catalog.pg_extension_config_dump('audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_audit_id_seq', '');

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
