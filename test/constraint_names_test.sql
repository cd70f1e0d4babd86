-- Every CHECK constraint of the extension carries a rule name (doc/records.md):
-- none keeps the generated <table>_<column>_check name, and the ones outside
-- 50_records.sql are listed and raise their name.
BEGIN;
SELECT plan(4);

SELECT is_empty(
  $$SELECT c.conrelid::regclass || ': ' || c.conname
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE n.nspname = 'quarantine' AND c.contype = 'c' AND c.conname LIKE '%\_check'$$,
  'no CHECK of the extension has a generated name');
SELECT set_has(
  $$SELECT conname::text FROM pg_constraint WHERE contype = 'c'
       AND connamespace = 'quarantine'::regnamespace$$,
  $$VALUES ('audit_log_op'), ('staff_role'), ('code_assignment_reason'),
           ('policy_nat_days'), ('policy_effective')$$,
  'the CHECKs outside the record tables carry their rule names');

-- audit_log_op: no client may write audit_log, so only the table owner can
-- reach the check; it answers with its name.
SELECT throws_rule(
  $$INSERT INTO audit_log (by_role, table_name, op, row_key) VALUES ('x', 'person', 'TRUNCATE', '1')$$,
  '23514', 'audit_log_op', 'audit_log_op refuses an operation other than INSERT, UPDATE, DELETE');
SELECT lives_ok(
  $$INSERT INTO audit_log (by_role, table_name, op, row_key) VALUES ('x', 'person', 'DELETE', '1')$$,
  'audit_log_op accepts DELETE');

SELECT * FROM finish();
ROLLBACK;
