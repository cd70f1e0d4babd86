-- audit_log (doc/security.md): every write to the core tables, set-based per
-- statement, written only by the extension.
BEGIN;
SELECT plan(19);

INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
VALUES (985001, 'passport', 'EA9850001', 'HUANG LEI', 'CHN'),
       (985002, 'passport', 'EA9850002', 'MA JUN', 'CHN');
SELECT results_eq(
  $$SELECT op, row_key, old_row IS NULL, new_row ->> 'doc_no', by_role = current_user::text
      FROM audit_log WHERE table_name = 'person' AND row_key IN ('985001', '985002') ORDER BY row_key$$,
  $$VALUES ('INSERT', '985001', true, 'EA9850001', true), ('INSERT', '985002', true, 'EA9850002', true)$$,
  'an INSERT of two rows logs both, whole, with who wrote them');
SELECT is((SELECT count(DISTINCT at)::int FROM audit_log WHERE row_key IN ('985001', '985002')), 1,
          'at is the transaction time');

UPDATE person SET name = 'HUANG LEI JR' WHERE person_id = 985001;
SELECT results_eq(
  $$SELECT op, old_row ->> 'name', new_row ->> 'name' FROM audit_log
     WHERE table_name = 'person' AND row_key = '985001' AND op = 'UPDATE'$$,
  $$VALUES ('UPDATE', 'HUANG LEI', 'HUANG LEI JR')$$,
  'an UPDATE logs the old and the new row');
SELECT is((SELECT new_row FROM audit_log WHERE table_name = 'person' AND row_key = '985001' AND op = 'UPDATE'),
          (SELECT jsonb_build_object('name', 'HUANG LEI JR', 'name_key', name_key) FROM person WHERE person_id = 985001),
          'an UPDATE logs as new_row only the columns it changed (name and the maintained name_key)');
SELECT is((SELECT old_row || new_row FROM audit_log WHERE table_name = 'person' AND row_key = '985001' AND op = 'UPDATE'),
          (SELECT to_jsonb(p) FROM person p WHERE person_id = 985001),
          'the old row with the changes applied is the new row');

-- A key change pairs nothing: the old row and the new row are both kept.
UPDATE person SET person_id = 985003 WHERE person_id = 985002;
SELECT results_eq(
  $$SELECT row_key, old_row ->> 'person_id', new_row ->> 'person_id' FROM audit_log
     WHERE table_name = 'person' AND op = 'UPDATE' AND row_key IN ('985002', '985003') ORDER BY row_key$$,
  $$VALUES ('985002', '985002', NULL), ('985003', NULL, '985003')$$,
  'an UPDATE of the key logs the row before and after apart');

DELETE FROM person WHERE person_id = 985003;
SELECT results_eq(
  $$SELECT op, old_row ->> 'doc_no', new_row IS NULL FROM audit_log
     WHERE table_name = 'person' AND row_key = '985003' AND op = 'DELETE'$$,
  $$VALUES ('DELETE', 'EA9850002', true)$$,
  'a DELETE logs the old row');

-- The maintained columns are logged as stored, after the triggers.
INSERT INTO entry (entry_id, person_id, entered_at, port, temperature) VALUES (985101, 985001, '2021-07-10 06:20+08', 'PVG', 36.5);
INSERT INTO control (control_id, person_id, entry_id) VALUES (985201, 985001, 985101);
SELECT results_eq(
  $$SELECT table_name, new_row ->> 'category', new_row ->> 'plan' FROM audit_log
     WHERE (table_name, row_key) IN (('entry', '985101'), ('control', '985201')) ORDER BY table_name$$,
  $$VALUES ('control', NULL, '14c+7m'), ('entry', 'general', NULL)$$,
  'entry and control rows are logged with what the triggers derived');
-- The log builds the jsonb itself (src/security/audit.c): it must be what to_jsonb gives,
-- for every column type of the audited tables (enums, dates, instants, numbers,
-- plans, ranges, arrays, geography, nulls).
UPDATE person SET home_location = 'SRID=4326;POINT(120.65 28.01)' WHERE person_id = 985001;
INSERT INTO entry (entry_id, person_id, entered_at, port, temperature, travel_history, symptoms)
VALUES (985102, 985001, '2021-07-20 06:20+08', 'PVG', 36.55, '{USA,"GB "}', '{dry_cough,fever}');
INSERT INTO policy (category, plan, effective, nat_days, note) VALUES
  ('general', '14c+7m', '[2031-01-01,2031-02-01)', '{1,4,7,14,16,21}', 'audit test');
SELECT is((SELECT count(*)::int FROM (
             SELECT a.new_row, to_jsonb(e) AS j FROM audit_log a JOIN entry e ON a.row_key = e.entry_id::text
              WHERE a.table_name = 'entry' AND a.op = 'INSERT'
             UNION ALL
             SELECT a.new_row, to_jsonb(c) FROM audit_log a JOIN control c ON a.row_key = c.control_id::text
              WHERE a.table_name = 'control' AND a.op = 'INSERT'
             UNION ALL
             SELECT a.new_row, to_jsonb(p) FROM audit_log a JOIN policy p ON a.row_key = p.policy_id::text
              WHERE a.table_name = 'policy' AND a.op = 'INSERT'
             UNION ALL
             SELECT (SELECT old_row FROM audit_log WHERE table_name = 'person' AND row_key = '985001' ORDER BY audit_id DESC LIMIT 1)
                    || (SELECT new_row FROM audit_log WHERE table_name = 'person' AND row_key = '985001' ORDER BY audit_id DESC LIMIT 1),
                    (SELECT to_jsonb(p) FROM person p WHERE person_id = 985001)) x
            WHERE new_row IS DISTINCT FROM j), 0,
          'every logged row is exactly to_jsonb of the row');

-- A statement of more rows than the log writes at once (1,000 a batch,
-- src/security/audit.c): every row logged once, each found by its key's index.
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
SELECT 986000 + i, 'passport', 'EB' || (986000 + i), 'BATCH ' || i, 'CHN' FROM generate_series(1, 2500) i;
SELECT is((SELECT count(*)::int FROM audit_log
            WHERE table_name = 'person' AND op = 'INSERT' AND row_key::bigint BETWEEN 986001 AND 988500
              AND new_row ->> 'person_id' = row_key AND new_row ->> 'name' = 'BATCH ' || (row_key::bigint - 986000)), 2500,
          'a 2,500-row INSERT logs each row once, whole');
SET LOCAL enable_seqscan = off;
SET LOCAL enable_bitmapscan = off;
SELECT is((SELECT count(*)::int FROM generate_series(986001, 988500) k
            WHERE (SELECT count(*) FROM audit_log a WHERE a.table_name = 'person' AND a.row_key = k::text) = 1), 2500,
          'each of the 2,500 log rows is found by an index scan of its key');
RESET enable_seqscan;
RESET enable_bitmapscan;

-- Every table the issue names as core is audited, for each event.
SELECT set_eq(
  $$SELECT c.relname::text || ' ' || CASE WHEN t.tgtype & 4 <> 0 THEN 'INSERT' WHEN t.tgtype & 8 <> 0 THEN 'DELETE' ELSE 'UPDATE' END
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE t.tgfoid = 'audit_after_write()'::regprocedure$$,
  $$SELECT t || ' ' || e FROM unnest(ARRAY['person', 'entry', 'control', 'lab_test', 'verification', 'task',
                                            'staff', 'policy', 'site', 'jurisdiction', 'health_check',
                                            'circuit_breaker_policy', 'outbreak_area', 'goods_lot',
                                            'lot_movement', 'disinfection', 'env_sample']) t,
                              unnest(ARRAY['INSERT', 'UPDATE', 'DELETE']) e$$,
  'the core tables are audited on INSERT, UPDATE and DELETE');

-- COPY goes through the same statement trigger.
COPY lab_test (person_id, kind, sampled_at, result) FROM stdin;
985001	nat	2021-07-11 08:00+08	negative
985001	nat	2021-07-13 08:00+08	negative
\.
SELECT is((SELECT count(*)::int FROM audit_log WHERE table_name = 'lab_test' AND (new_row ->> 'person_id') = '985001'), 2,
          'a COPY is logged row by row, in one statement');

-- The log is partitioned by table (doc/security.md, "The audit log"): every
-- audited table has its partition, a table's rows are in it, and the
-- partitions have no grants of their own.
SELECT set_eq(
  $$SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'audit_log'::regclass$$,
  $$SELECT DISTINCT format('FOR VALUES IN (%L)', c.relname) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE t.tgfoid = 'audit_after_write()'::regprocedure$$,
  'every audited table has its partition of audit_log');
SELECT is((SELECT array_agg(DISTINCT c.relname::text) FROM audit_log a JOIN pg_class c ON c.oid = a.tableoid
            WHERE a.table_name = 'lab_test' AND (a.new_row ->> 'person_id') = '985001'),
          ARRAY['audit_log_lab_test'], 'a table''s log rows are in its partition');
SELECT is((SELECT count(*)::int FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'audit_log'::regclass AND c.relacl IS NOT NULL), 0,
          'the partitions have no grants: the log is read through audit_log');

-- Nobody but the owner writes it; the function refuses other tables.
SELECT is(has_table_privilege('quarantine_operator', 'audit_log', 'SELECT'), false, 'operators do not read the audit log');
SELECT is(has_table_privilege('quarantine_admin', 'audit_log', 'INSERT, UPDATE, DELETE, TRUNCATE'), false,
          'administrators read it and nothing more');
SELECT throws_ok($$CREATE TEMP TABLE fake (person_id bigint);
                   CREATE TRIGGER a AFTER INSERT ON fake REFERENCING NEW TABLE AS new_rows
                     FOR EACH STATEMENT EXECUTE FUNCTION audit_after_write();
                   INSERT INTO fake VALUES (1)$$,
                 '39P01', NULL, 'audit_after_write refuses a table that is not the extension''s');

SELECT * FROM finish();
ROLLBACK;
