-- The audit log becomes list-partitioned by table_name, with a btree on
-- row_key per partition and no index on audit_id (85_audit_log.sql,
-- doc/security.md).  The 0.2.0 log is set aside here, without its indexes,
-- under a name of its own, sequence included; 85_audit_log.sql, listed next,
-- then creates the new log under the names of a fresh install, and
-- 86_audit_log_rows.sql moves every row into it.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey;
DROP INDEX audit_log_row, audit_log_at;
ALTER TABLE audit_log RENAME TO audit_log_0_2_0;
ALTER SEQUENCE audit_log_audit_id_seq RENAME TO audit_log_0_2_0_audit_id_seq;
