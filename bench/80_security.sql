-- Issue 10 bench: what the audit log and row-level security cost, as ratios
-- measured in this one run.
--  * audit_log on COPY: 1M persons, entries and controls through every
--    trigger, with the audit triggers vs with them disabled; then the
--    history of one row (what the log is read for) on the log just written;
--  * row security on writes: 100k persons inserted as a district operator
--    (policies checked) vs the same INSERT as the owner (no policies).
--    COPY FROM is refused under row security by PostgreSQL, so INSERT ...
--    SELECT is the operator's bulk path;
--  * row security on an indexed lookup: 100k primary-key lookups of persons
--    (and of their entries, whose policy probes person) as the operator vs
--    as the owner.
\set QUIET on
-- Rows per table: BENCH_ROWS (default 1M), as bench/50_records.sql.
\getenv n BENCH_ROWS
\if :{?n}
\else
\set n 1000000
\endif
SELECT CASE WHEN :n % 1000000 = 0 THEN (:n / 1000000) || 'M'
            WHEN :n % 1000 = 0 THEN (:n / 1000) || 'k' ELSE :n::text END AS nl \gset
SET client_min_messages = warning;
SET quarantine.duplicate_detection = off;
SELECT current_setting('data_directory') AS datadir \gset
\set pfile :datadir '/bench_sec_person.csv'
\set efile :datadir '/bench_sec_entry.csv'
\set cfile :datadir '/bench_sec_control.csv'
INSERT INTO quarantine.jurisdiction (code, name, level) VALUES ('330302', 'Lucheng', 'district')
ON CONFLICT DO NOTHING;
COPY (SELECT 5000000 + i, 'passport', 'S' || lpad(i::text, 8, '0'), 'WANG ' || i, 'CHN', '330302'
        FROM generate_series(1, :n) i) TO :'pfile' (FORMAT csv);
COPY (SELECT 6000000 + i, 5000000 + i, timestamptz '2021-06-01 08:00+08' + (i % 200) * interval '1 day', 36.5
        FROM generate_series(1, :n) i) TO :'efile' (FORMAT csv);
COPY (SELECT 7000000 + i, 5000000 + i, 6000000 + i, 'pending' FROM generate_series(1, :n) i) TO :'cfile' (FORMAT csv);
CREATE OR REPLACE FUNCTION bench.copy_ms(target text, file text, cols text)
RETURNS numeric LANGUAGE plpgsql AS $$
BEGIN
  RETURN bench.time_ms(format('COPY %s (%s) FROM %L (FORMAT csv)', target, cols, file), 1);
END $$;
\set pcols 'person_id, doc_kind, doc_no, name, nationality, jurisdiction'
\set ecols 'entry_id, person_id, entered_at, temperature'
\set ccols 'control_id, person_id, entry_id, status'
CREATE TEMP TABLE t (p_audit numeric, e_audit numeric, c_audit numeric, p_none numeric, e_none numeric, c_none numeric);
INSERT INTO t DEFAULT VALUES;
-- warm-up, discarded
SELECT bench.copy_ms('quarantine.person', :'pfile', :'pcols') IS NULL AS warm \gset
TRUNCATE quarantine.control, quarantine.entry, quarantine.person, quarantine.audit_log CASCADE;
CHECKPOINT;
UPDATE t SET p_audit = bench.copy_ms('quarantine.person', :'pfile', :'pcols');
UPDATE t SET e_audit = bench.copy_ms('quarantine.entry', :'efile', :'ecols');
UPDATE t SET c_audit = bench.copy_ms('quarantine.control', :'cfile', :'ccols');
-- What the log is read for (doc/security.md): the history of one row.  On the
-- log just written (3 x n rows), 1,000 entries' histories spread over the
-- load (best of 3), and the plan of one.
ANALYZE quarantine.audit_log;
SELECT greatest(:n / 1000, 1) AS step, 6000000 + :n / 2 AS mid \gset
SELECT bench.time_ms('SELECT count(*) FROM generate_series(1, 1000) g, LATERAL (SELECT a.audit_id, a.at, a.op, a.old_row, a.new_row'
                     ' FROM quarantine.audit_log a WHERE a.table_name = ''entry'' AND a.row_key = (6000000 + g * ' || :step || ')::text'
                     ' ORDER BY a.audit_id) h') AS hist \gset
INSERT INTO bench.result VALUES
  ('audit: history of one row on a log of ' || 3 * :n || ' rows, 1000 rows', :hist, NULL, NULL,
   round(:hist, 1) || ' µs a row');
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF)
SELECT a.audit_id, a.at, a.op, a.old_row, a.new_row FROM quarantine.audit_log a
 WHERE a.table_name = 'entry' AND a.row_key = :'mid' ORDER BY a.audit_id;
TRUNCATE quarantine.control, quarantine.entry, quarantine.person, quarantine.audit_log CASCADE;
CHECKPOINT;
ALTER TABLE quarantine.person DISABLE TRIGGER audit_insert;
ALTER TABLE quarantine.entry DISABLE TRIGGER audit_insert;
ALTER TABLE quarantine.control DISABLE TRIGGER audit_insert;
UPDATE t SET p_none = bench.copy_ms('quarantine.person', :'pfile', :'pcols');
UPDATE t SET e_none = bench.copy_ms('quarantine.entry', :'efile', :'ecols');
UPDATE t SET c_none = bench.copy_ms('quarantine.control', :'cfile', :'ccols');
ALTER TABLE quarantine.person ENABLE TRIGGER audit_insert;
ALTER TABLE quarantine.entry ENABLE TRIGGER audit_insert;
ALTER TABLE quarantine.control ENABLE TRIGGER audit_insert;
INSERT INTO bench.result
SELECT 'audit: copy ' || :'nl' || ' person, with vs without audit_log', p_audit, p_none, round(p_audit / p_none, 2), 'every other trigger on' FROM t
UNION ALL SELECT 'audit: copy ' || :'nl' || ' entry, with vs without audit_log', e_audit, e_none, round(e_audit / e_none, 2), NULL FROM t
UNION ALL SELECT 'audit: copy ' || :'nl' || ' control, with vs without audit_log', c_audit, c_none, round(c_audit / c_none, 2), NULL FROM t
UNION ALL SELECT 'audit: copy ' || :'nl' || ' x 3 rows, with vs without audit_log', p_audit + e_audit + c_audit, p_none + e_none + c_none,
                 round((p_audit + e_audit + c_audit) / (p_none + e_none + c_none), 2), NULL FROM t;

-- Row security: an operator of the district the rows belong to.
DO $$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_operator') THEN
    CREATE ROLE bench_operator IN ROLE quarantine_operator;
  END IF;
END$$;
INSERT INTO quarantine.operator_scope VALUES ('bench_operator', '330302') ON CONFLICT DO NOTHING;
CREATE TABLE bench.src_person AS
SELECT 8000000 + i AS person_id, 'passport'::quarantine.doc_kind AS doc_kind, 'R' || lpad(i::text, 8, '0') AS doc_no,
       'LI ' || i AS name, 'CHN'::char(3) AS nationality, '330302'::text AS jurisdiction
  FROM generate_series(1, 100000) i;
GRANT USAGE ON SCHEMA bench TO bench_operator;
GRANT SELECT ON bench.src_person TO bench_operator;
SELECT bench.time_ms($q$SET LOCAL ROLE bench_operator;
  INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality, jurisdiction)
  SELECT * FROM bench.src_person; RESET ROLE; DELETE FROM quarantine.person WHERE person_id > 8000000$q$) AS rls_ins \gset
SELECT bench.time_ms($q$
  INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality, jurisdiction)
  SELECT * FROM bench.src_person; DELETE FROM quarantine.person WHERE person_id > 8000000$q$) AS own_ins \gset
INSERT INTO bench.result VALUES ('rls: insert 100k persons as operator vs as owner',
  :rls_ins, :own_ins, round(:rls_ins / :own_ins, 2), 'each run includes deleting them again');
\set lookup 'SELECT count(*) FROM generate_series(1, 100000) g, LATERAL (SELECT 1 FROM quarantine.person p WHERE p.person_id = 5000000 + g) x'
\set lookup_e 'SELECT count(*) FROM generate_series(1, 100000) g, LATERAL (SELECT 1 FROM quarantine.entry e WHERE e.entry_id = 6000000 + g) x'
SELECT bench.time_ms('SET LOCAL ROLE bench_operator; ' || :'lookup' || '; RESET ROLE') AS rls_sel \gset
SELECT bench.time_ms(:'lookup') AS own_sel \gset
SELECT bench.time_ms('SET LOCAL ROLE bench_operator; ' || :'lookup_e' || '; RESET ROLE') AS rls_sel_e \gset
SELECT bench.time_ms(:'lookup_e') AS own_sel_e \gset
INSERT INTO bench.result VALUES
  ('rls: 100k person lookups by key as operator vs as owner', :rls_sel, :own_sel, round(:rls_sel / :own_sel, 2), 'policy: jurisdiction = ANY(initplan)'),
  ('rls: 100k entry lookups by key as operator vs as owner', :rls_sel_e, :own_sel_e, round(:rls_sel_e / :own_sel_e, 2), 'policy: EXISTS person by key');
TRUNCATE quarantine.control, quarantine.entry, quarantine.person, quarantine.audit_log CASCADE;
DROP TABLE bench.src_person;
DROP FUNCTION bench.copy_ms(text, text, text);
\set QUIET off
SELECT label, subject_ms, baseline_ms, ratio, note FROM bench.result WHERE label LIKE 'audit%' OR label LIKE 'rls%' ORDER BY label;
