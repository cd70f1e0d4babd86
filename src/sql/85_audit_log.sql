-- audit_log (doc/security.md, "The audit log"): every write to the core
-- tables, written by the statement trigger audit_after_write (85_audit.sql,
-- src/security/audit.c).
--
-- What the log is read for is the history of one row: WHERE table_name = ...
-- AND row_key = ... ORDER BY audit_id, and the writes of a period (at).  So
-- the log is list-partitioned by table_name, one partition per audited table,
-- each with a btree on row_key and a BRIN on at; there is no index on
-- audit_id (nothing reads one entry by it, and the log is not published).  A
-- load writes keys in order, so its entries go to the partition's rightmost
-- page (doc/benchmarks.md, "The audit log's index").
--
-- The 0.2.0 -> 0.3.0 upgrade runs this file too, after it has set the old
-- log aside (upgrade/0.3.0/85_audit_log_aside.sql), then moves its rows in
-- (upgrade/0.3.0/86_audit_log_rows.sql).
--
-- audit_id comes from a sequence of its own rather than an identity column:
-- PostgreSQL 17 gives every partition the parent's identity, which the
-- federation's key ranges (doc/federation.md) would then try to alter per
-- partition; the log is in no publication, so its keys need no node range.
CREATE SEQUENCE audit_log_audit_id_seq;
CREATE TABLE audit_log (
  audit_id    bigint NOT NULL DEFAULT pg_catalog.nextval('audit_log_audit_id_seq'::pg_catalog.regclass),
  at          timestamptz NOT NULL DEFAULT now(),
  by_role     text NOT NULL,
  table_name  text NOT NULL,
  op          text NOT NULL CONSTRAINT audit_log_op CHECK (op IN ('INSERT', 'UPDATE', 'DELETE')),
  row_key     text NOT NULL,
  old_row     jsonb,
  new_row     jsonb
) PARTITION BY LIST (table_name);
CREATE TABLE audit_log_person PARTITION OF audit_log FOR VALUES IN ('person');
CREATE TABLE audit_log_entry PARTITION OF audit_log FOR VALUES IN ('entry');
CREATE TABLE audit_log_control PARTITION OF audit_log FOR VALUES IN ('control');
CREATE TABLE audit_log_lab_test PARTITION OF audit_log FOR VALUES IN ('lab_test');
CREATE TABLE audit_log_verification PARTITION OF audit_log FOR VALUES IN ('verification');
CREATE TABLE audit_log_task PARTITION OF audit_log FOR VALUES IN ('task');
CREATE TABLE audit_log_staff PARTITION OF audit_log FOR VALUES IN ('staff');
CREATE TABLE audit_log_policy PARTITION OF audit_log FOR VALUES IN ('policy');
CREATE TABLE audit_log_site PARTITION OF audit_log FOR VALUES IN ('site');
CREATE TABLE audit_log_jurisdiction PARTITION OF audit_log FOR VALUES IN ('jurisdiction');
CREATE TABLE audit_log_health_check PARTITION OF audit_log FOR VALUES IN ('health_check');
CREATE TABLE audit_log_circuit_breaker_policy PARTITION OF audit_log FOR VALUES IN ('circuit_breaker_policy');
CREATE TABLE audit_log_outbreak_area PARTITION OF audit_log FOR VALUES IN ('outbreak_area');
CREATE TABLE audit_log_goods_lot PARTITION OF audit_log FOR VALUES IN ('goods_lot');
CREATE TABLE audit_log_lot_movement PARTITION OF audit_log FOR VALUES IN ('lot_movement');
CREATE TABLE audit_log_disinfection PARTITION OF audit_log FOR VALUES IN ('disinfection');
CREATE TABLE audit_log_env_sample PARTITION OF audit_log FOR VALUES IN ('env_sample');
ALTER SEQUENCE audit_log_audit_id_seq OWNED BY audit_log.audit_id;
CREATE INDEX audit_log_row ON audit_log (row_key);
CREATE INDEX audit_log_at ON audit_log USING brin (at);
COMMENT ON TABLE audit_log IS
  'Every INSERT, UPDATE and DELETE on the core tables: who (by_role), when (at: the transaction time), the table, the row''s key and the old and new row; written only by the extension';
COMMENT ON COLUMN audit_log.audit_id IS 'Order of the log (from audit_log_audit_id_seq, written by the extension)';
COMMENT ON COLUMN audit_log.at IS 'Instant of the write (transaction time)';
COMMENT ON COLUMN audit_log.by_role IS 'The role that made the write (current_user of the statement)';
COMMENT ON COLUMN audit_log.table_name IS 'The table written, unqualified';
COMMENT ON COLUMN audit_log.op IS 'INSERT, UPDATE or DELETE';
COMMENT ON COLUMN audit_log.row_key IS 'The primary key of the row, as text';
COMMENT ON COLUMN audit_log.old_row IS 'The row before an UPDATE or DELETE, as jsonb';
COMMENT ON COLUMN audit_log.new_row IS 'The row after an INSERT; for an UPDATE, the columns it changed (the whole new row when the key changed); as jsonb';
-- pg_dump keeps the rows of the partitions and the sequence; the parent is
-- registered too, as checkin is (doc/places.md).
SELECT pg_catalog.pg_extension_config_dump('audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_person', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_entry', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_control', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_lab_test', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_verification', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_task', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_staff', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_policy', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_site', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_jurisdiction', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_health_check', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_circuit_breaker_policy', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_outbreak_area', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_goods_lot', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_lot_movement', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_disinfection', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_env_sample', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_audit_id_seq', '');
