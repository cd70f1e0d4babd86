-- Every row of the 0.2.0 audit log moves into the partitioned log
-- (85_audit_log.sql) with its audit_id; its sequence goes on from where the
-- old identity stood.  A row of a table without a partition would fail the
-- update: 0.2.0 logged only tables that have one.  Then the old log leaves
-- the extension (and its pg_dump registration) and is dropped.
INSERT INTO audit_log (audit_id, at, by_role, table_name, op, row_key, old_row, new_row)
SELECT o.audit_id, o.at, o.by_role, o.table_name, o.op, o.row_key, o.old_row, o.new_row
  FROM audit_log_0_2_0 o
 ORDER BY o.audit_id;
SELECT pg_catalog.setval('audit_log_audit_id_seq', s.last_value, s.is_called)
  FROM audit_log_0_2_0_audit_id_seq s;
ALTER EXTENSION quarantine DROP TABLE audit_log_0_2_0;
ALTER EXTENSION quarantine DROP SEQUENCE audit_log_0_2_0_audit_id_seq;
DROP TABLE audit_log_0_2_0;
GRANT SELECT ON audit_log TO quarantine_admin;
