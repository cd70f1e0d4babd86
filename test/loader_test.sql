-- load_staged (doc/etl.md, SQL-only path): for each of person, entry,
-- control and lab_test a staged batch of good rows and bad rows of several
-- rules; exactly the good rows written, every bad row whole in import_reject
-- with the rule and SQLSTATE the same row raises when inserted directly;
-- staged = accepted + rejected; a second load writes nothing; an error that
-- is not about the data is raised, not recorded.
BEGIN;
SELECT plan(53);
SET client_min_messages = warning;

-- The error a staged row raises when inserted directly, with literal values
-- (an empty field as DEFAULT, as the loader writes it): SQLSTATE, message,
-- CONSTRAINT and COLUMN.  Test scaffolding, not a rule.
-- prepared: as a prepared statement with untyped parameters, each value
-- bound as text (JDBC with stringtype=unspecified); else with the values as
-- literals in the statement (psycopg2, which interpolates them).
CREATE FUNCTION pg_temp.direct_error(target text, staged jsonb, prepared boolean DEFAULT false,
  OUT state text, OUT rule text, OUT col text, OUT message text)
LANGUAGE plpgsql AS $$
DECLARE
  cols text;
  vals text;
  params text;
  args text;
BEGIN
  SELECT string_agg(quote_ident(key), ', ' ORDER BY a.attnum),
         string_agg(CASE WHEN value = 'null'::jsonb THEN 'DEFAULT' ELSE quote_literal(value #>> '{}') END,
                    ', ' ORDER BY a.attnum),
         string_agg(CASE WHEN value = 'null'::jsonb THEN 'DEFAULT' ELSE '$' || n END, ', ' ORDER BY a.attnum),
         string_agg(quote_literal(value #>> '{}'), ', ' ORDER BY a.attnum) FILTER (WHERE value <> 'null'::jsonb)
    INTO cols, vals, params, args
    FROM (SELECT key, value, count(*) FILTER (WHERE value <> 'null'::jsonb)
                 OVER (ORDER BY a.attnum) AS n, a.attnum
            FROM jsonb_each(staged) e
            JOIN pg_attribute a ON a.attrelid = format('quarantine.%I', target || '_staging')::regclass
                               AND a.attname = e.key
           WHERE key NOT IN ('batch', 'row_no')) a;
  IF prepared THEN
    EXECUTE format('PREPARE direct_untyped AS INSERT INTO quarantine.%I (%s) VALUES (%s)', target, cols, params);
  END IF;
  BEGIN
    IF prepared THEN
      EXECUTE format('EXECUTE direct_untyped (%s)', args);
    ELSE
      EXECUTE format('INSERT INTO quarantine.%I (%s) VALUES (%s)', target, cols, vals);
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'QT000', MESSAGE = 'direct insert passed';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, rule = CONSTRAINT_NAME,
                            col = COLUMN_NAME, message = MESSAGE_TEXT;
  END;
  IF prepared THEN
    DEALLOCATE direct_untyped;
  END IF;
END $$;

-- The corpus check: every reject of a batch against its direct insert.
-- The rule is the error's constraint, else <table>_<its column>; for the
-- few errors PostgreSQL raises with neither (a value its type cannot read)
-- the loader names the column, checked per row below.  A message may name
-- the control_id the sequence gave the row, which differs between the two.
CREATE FUNCTION pg_temp.verdicts_differ(t text, b text)
RETURNS TABLE (row_no int, loader text, direct text)
LANGUAGE sql AS $$
  SELECT r.row_no, r.sqlstate || ' ' || r.rule || ' ' || r.message,
         d.state || ' ' || coalesce(nullif(d.rule, ''), t || '_' || nullif(d.col, ''), r.rule) || ' ' || d.message
    FROM quarantine.import_reject r
   CROSS JOIN LATERAL pg_temp.direct_error(t, r.row) d
   WHERE r.target = t AND r.batch = b
     AND (r.sqlstate IS DISTINCT FROM d.state
          OR regexp_replace(r.message, 'control \d+', 'control N') IS DISTINCT FROM regexp_replace(d.message, 'control \d+', 'control N')
          OR r.rule IS DISTINCT FROM coalesce(nullif(d.rule, ''), t || '_' || nullif(d.col, ''), r.rule))
$$;

INSERT INTO jurisdiction (code, name, level) VALUES ('LT01', 'Loader district A', 'district'),
                                                    ('LT02', 'Loader district B', 'district');

-- ===========================================================================
-- person
-- ===========================================================================
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
VALUES (920001, 'passport', 'L20000001', 'EXISTING ONE', 'CHN');

INSERT INTO person_staging (batch, row_no, doc_kind, doc_no, name, sex, birth_date, nationality, phone, jurisdiction) VALUES
  ('p1',  1, 'passport',    'L20000101',          'GOOD ONE',     'M',  '1980-01-01', 'chn', '13800000001', 'LT01'),
  ('p1',  2, 'resident_id', '360426199101010072', 'BAD CHECK',    NULL, NULL,         NULL,  NULL,          'LT01'),
  ('p1',  3, 'resident_id', '110102199101010078', 'DISAGREES',    'F',  NULL,         NULL,  NULL,          'LT01'),
  ('p1',  4, 'passport',    'L20000001',          'TAKEN',        NULL, NULL,         'CHN', NULL,          'LT01'),
  ('p1',  5, 'passport',    'L20000105',          'BAD DATE',     NULL, '1980-13-01', 'CHN', NULL,          'LT01'),
  ('p1',  6, 'visa',        'L20000106',          'BAD KIND',     NULL, NULL,         'CHN', NULL,          'LT01'),
  ('p1',  7, 'passport',    'L20000107',          'NO NATION',    NULL, NULL,         NULL,  NULL,          'LT01'),
  ('p1',  8, 'passport',    'L20000108',          'LONG NATION',  NULL, NULL,         'CHNA', NULL,         'LT01'),
  ('p1',  9, 'passport',    'l2000-0101',         'SAME AS ONE',  NULL, NULL,         'CHN', NULL,          'LT01'),
  ('p1', 10, 'passport',    'L20000110',          'GOOD TWO',     'F',  NULL,         'USA', NULL,          'LT02'),
  ('p1', 11, NULL,          'L20000111',          'NO KIND',      NULL, NULL,         'CHN', NULL,          'LT01'),
  ('p1', 12, 'passport',    'L20000112',          '   ',          NULL, NULL,         'CHN', NULL,          'LT01'),
  ('p1', 13, 'passport',    'L20000113',          'NOWHERE',      NULL, NULL,         'CHN', NULL,          'XX99'),
  ('p1', 14, 'passport',    'L20000114',          'BORN LATER',   NULL, '2099-01-01', 'CHN', NULL,          'LT01');

SELECT results_eq($$SELECT * FROM load_staged('person', 'p1')$$,
                  $$VALUES (14, 2, 12, 2)$$,
                  'person: 14 staged, 2 accepted, 12 rejected, 2 written');
SELECT results_eq($$SELECT name, nationality::text, jurisdiction FROM person WHERE doc_no LIKE 'L200001%' ORDER BY doc_no$$,
                  $$VALUES ('GOOD ONE', 'CHN', 'LT01'), ('GOOD TWO', 'USA', 'LT02')$$,
                  'person: exactly the good rows are written, through the triggers (nationality upper-cased)');
SELECT results_eq(
  $$SELECT row_no, rule, sqlstate FROM import_reject WHERE target = 'person' AND batch = 'p1' ORDER BY row_no$$,
  $$VALUES (2, 'person_doc_no', '22P02'), (3, 'person_document_agreement', '23514'),
           (4, 'person_identity', '23505'), (5, 'person_birth_date', '22008'),
           (6, 'person_doc_kind', '22P02'), (7, 'person_nationality', '23514'),
           (8, 'person_nationality', '22001'), (9, 'person_identity', '23505'),
           (11, 'person_doc_kind', '23502'), (12, 'person_name', '23514'),
           (13, 'person_jurisdiction_fkey', '23503'), (14, 'person_birth_date', '23514')$$,
  'person: every bad row rejected with its rule and SQLSTATE (check digit, agreement, identity, malformed date and label, nationality, in-batch duplicate, NOT NULL, CHECK, foreign key)');
SELECT is_empty(
  $$SELECT r.row_no FROM import_reject r JOIN person_staging s ON s.batch = r.batch AND s.row_no = r.row_no
     WHERE r.target = 'person' AND r.batch = 'p1' AND r.row IS DISTINCT FROM to_jsonb(s)$$,
  'person: each reject holds the staged row whole');
SELECT is((SELECT count(*)::int FROM import_reject WHERE target = 'person' AND batch = 'p1'
             AND message IS NOT NULL AND (hint IS NOT NULL OR detail IS NOT NULL OR sqlstate LIKE '22%' OR sqlstate = '23502')), 12,
          'person: rejects carry the message, and the detail or hint of the error');
SELECT is_empty($$SELECT * FROM pg_temp.verdicts_differ('person', 'p1')$$,
                'person corpus: every reject has the SQLSTATE, rule and message of the direct insert of its row');
SELECT is((SELECT hint FROM import_reject WHERE target = 'person' AND batch = 'p1' AND row_no = 4),
          (tap.error_of($$INSERT INTO person (doc_kind, doc_no, name, nationality) VALUES ('passport', 'L20000001', 'TAKEN', 'CHN')$$)).hint,
          'person: the HINT is the trigger''s');

-- A second load writes nothing and records nothing new.
SELECT results_eq($$SELECT * FROM load_staged('person', 'p1')$$,
                  $$VALUES (14, 2, 12, 0)$$,
                  'person: a second load of the batch writes nothing');
SELECT is((SELECT count(*)::int FROM import_reject WHERE target = 'person' AND batch = 'p1'), 12,
          'person: a second load records no reject twice');
SELECT is((SELECT count(*)::int FROM load_accept WHERE target = 'person' AND batch = 'p1'), 2,
          'person: the ledger lists the two rows written');

-- Row numbers: exact repeats collapse; a number staged twice with different
-- values, or missing, is refused (staged_row_no).
INSERT INTO person_staging (batch, row_no, doc_kind, doc_no, name, nationality) VALUES
  ('p2', 1, 'passport', 'L20000201', 'REPEATED', 'CHN'),
  ('p2', 1, 'passport', 'L20000201', 'REPEATED', 'CHN'),
  ('p2', 2, 'passport', 'L20000202', 'TWIN A', 'CHN'),
  ('p2', 2, 'passport', 'L20000203', 'TWIN B', 'CHN'),
  ('p2', NULL, 'passport', 'L20000204', 'UNNUMBERED', 'CHN');
SELECT results_eq($$SELECT * FROM load_staged('person', 'p2')$$,
                  $$VALUES (4, 1, 3, 1)$$,
                  'row numbers: a repeated row loads once; twins and an unnumbered row are refused');
SELECT results_eq(
  $$SELECT row_no, rule, sqlstate FROM import_reject WHERE target = 'person' AND batch = 'p2' ORDER BY row_no, row->>'name'$$,
  $$VALUES (2, 'staged_row_no', '23505'), (2, 'staged_row_no', '23505'), (NULL, 'staged_row_no', '23502')$$,
  'row numbers: rule staged_row_no');
-- A reused batch name never drops a row silently.
UPDATE person_staging SET name = 'REPEATED OTHER' WHERE batch = 'p2' AND row_no = 1;
SELECT results_eq($$SELECT staged, accepted, rejected, loaded FROM load_staged('person', 'p2')$$,
                  $$VALUES (4, 0, 4, 0)$$,
                  'row numbers: another row under a number already loaded is refused, not skipped');
SELECT is((SELECT message FROM import_reject WHERE target = 'person' AND batch = 'p2' AND row_no = 1),
          'row number 1 was loaded before with other values', 'row numbers: the message says why');

-- ===========================================================================
-- entry
-- ===========================================================================
INSERT INTO entry_staging (batch, row_no, person_id, entered_at, port_kind, seat, temperature) VALUES
  ('e1', 1, '920001',    '2021-06-01 10:00+08', NULL,   '12C', '36.5'),
  ('e1', 2, '999999999', '2021-06-01 10:00+08', NULL,   NULL,  '36.5'),
  ('e1', 3, '920001',    'soon',                NULL,   NULL,  NULL),
  ('e1', 4, '920001',    '2021-06-01 10:00+08', NULL,   NULL,  '98.6'),
  ('e1', 5, '920001',    '2021-06-01 10:00+08', NULL,   'ZZZ', NULL),
  ('e1', 6, '920001',    '2021-06-02 10:00+08', 'sea',  NULL,  NULL),
  ('e1', 7, '920001',    '2021-06-01 10:00+08', 'rail', NULL,  NULL),
  ('e1', 8, 'abc',       '2021-06-01 10:00+08', NULL,   NULL,  NULL),
  ('e1', 9, '920001',    '1850-01-01 10:00+08', NULL,   NULL,  NULL);
SELECT results_eq($$SELECT * FROM load_staged('entry', 'e1')$$,
                  $$VALUES (9, 2, 7, 2)$$,
                  'entry: 9 staged, 2 accepted, 7 rejected');
SELECT results_eq($$SELECT port_kind, seat, temperature::text FROM entry WHERE person_id = 920001 ORDER BY entered_at$$,
                  $$VALUES ('air', '12C', '36.5'), ('sea', NULL, NULL)$$,
                  'entry: exactly the good rows are written; an empty port_kind takes its default');
SELECT results_eq(
  $$SELECT row_no, rule, sqlstate FROM import_reject WHERE target = 'entry' AND batch = 'e1' ORDER BY row_no$$,
  $$VALUES (2, 'entry_person_id_fkey', '23503'), (3, 'entry_entered_at', '22007'),
           (4, 'entry_temperature', '23514'), (5, 'entry_seat', '22P02'),
           (7, 'entry_port_kind', '23514'), (8, 'entry_person_id', '22P02'),
           (9, 'entry_entered_at', '22008')$$,
  'entry: foreign key, malformed time and id, temperature, seat, port kind, implausible year');
SELECT is_empty($$SELECT * FROM pg_temp.verdicts_differ('entry', 'e1')$$,
                'entry corpus: every reject has the SQLSTATE, rule and message of the direct insert of its row');
SELECT results_eq($$SELECT * FROM load_staged('entry', 'e1')$$, $$VALUES (9, 2, 7, 0)$$,
                  'entry: a second load writes nothing');

-- ===========================================================================
-- control
-- ===========================================================================
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
SELECT 920010 + i, 'passport', 'L2000100' || i, 'CONTROLLED ' || i, 'CHN' FROM generate_series(0, 4) i;
INSERT INTO entry (entry_id, person_id, entered_at)
SELECT 920110 + i, 920010 + i, CASE WHEN i = 4 THEN '2024-03-01 10:00+08' ELSE '2021-06-01 10:00+08' END::timestamptz
  FROM generate_series(0, 4) i;
INSERT INTO control_staging (batch, row_no, person_id, entry_id, status, plan, end_reason) VALUES
  ('c1', 1, '920010', '920110', NULL,       NULL,  NULL),
  ('c1', 2, '920010', NULL,     NULL,       '14c', NULL),
  ('c1', 3, '920011', '920111', 'ended',    NULL,  NULL),
  ('c1', 4, '920012', '920112', 'returned', NULL,  NULL),
  ('c1', 5, '920013', '920110', NULL,       NULL,  NULL),
  ('c1', 6, '920013', '920113', NULL,       'abc', NULL),
  ('c1', 7, '920013', '920113', 'bogus',    NULL,  NULL),
  ('c1', 8, '920013', '920113', NULL,       NULL,  NULL),
  ('c1', 9, '920014', '920114', NULL,       NULL,  NULL);
SELECT results_eq($$SELECT * FROM load_staged('control', 'c1')$$,
                  $$VALUES (9, 2, 7, 2)$$,
                  'control: 9 staged, 2 accepted, 7 rejected');
SELECT results_eq($$SELECT person_id, status::text, plan::text FROM control WHERE person_id BETWEEN 920010 AND 920014 ORDER BY person_id$$,
                  $$VALUES (920010::bigint, 'pending', '14c+7m'), (920013, 'pending', '14c+7m')$$,
                  'control: exactly the good rows are written, pending with the policy plan (defaults)');
SELECT results_eq(
  $$SELECT row_no, rule, sqlstate FROM import_reject WHERE target = 'control' AND batch = 'c1' ORDER BY row_no$$,
  $$VALUES (2, 'control_single_open', '23505'), (3, 'control_end', '23514'),
           (4, 'control_return_reason', '23514'), (5, 'control_entry_person', '23514'),
           (6, 'control_plan', '22P02'), (7, 'control_status', '22P02'),
           (9, 'control_plan_required', '23514')$$,
  'control: single open, end, return reason, entry person, malformed plan and status, plan required');
SELECT is_empty($$SELECT * FROM pg_temp.verdicts_differ('control', 'c1')$$,
                'control corpus: every reject has the SQLSTATE, rule and message of the direct insert of its row');
SELECT results_eq($$SELECT * FROM load_staged('control', 'c1')$$, $$VALUES (9, 2, 7, 0)$$,
                  'control: a second load writes nothing');

-- ===========================================================================
-- lab_test
-- ===========================================================================
INSERT INTO lab_test_staging (batch, row_no, person_id, kind, sampled_at, result, reported_at) VALUES
  ('t1', 1, '920001',    'nat', '2021-06-03 09:00+08', 'negative', '2021-06-03 18:00+08'),
  ('t1', 2, '920001',    'nat', '2021-06-03 09:00+08', 'negative', '2021-06-02 18:00+08'),
  ('t1', 3, '920001',    'nat', '1800-06-03 09:00+08', NULL,       NULL),
  ('t1', 4, '920001',    'pcr', '2021-06-03 09:00+08', NULL,       NULL),
  ('t1', 5, '920001',    'igm', '2021-06-04 09:00+08', NULL,       NULL),
  ('t1', 6, '920001',    'nat', NULL,                  NULL,       NULL),
  ('t1', 7, '999999999', 'nat', '2021-06-03 09:00+08', NULL,       NULL);
SELECT results_eq($$SELECT * FROM load_staged('lab_test', 't1')$$,
                  $$VALUES (7, 2, 5, 2)$$,
                  'lab_test: 7 staged, 2 accepted, 5 rejected');
SELECT results_eq($$SELECT kind::text, result::text FROM lab_test WHERE person_id = 920001 ORDER BY sampled_at$$,
                  $$VALUES ('nat', 'negative'), ('igm', 'pending')$$,
                  'lab_test: exactly the good rows are written; an empty result takes its default');
SELECT results_eq(
  $$SELECT row_no, rule, sqlstate FROM import_reject WHERE target = 'lab_test' AND batch = 't1' ORDER BY row_no$$,
  $$VALUES (2, 'lab_test_reported_at', '23514'), (3, 'lab_test_sampled_at', '22008'),
           (4, 'lab_test_kind', '22P02'), (6, 'lab_test_sampled_at', '23502'),
           (7, 'lab_test_person_id_fkey', '23503')$$,
  'lab_test: report before sample, implausible year, malformed kind, NOT NULL, foreign key');
SELECT is_empty($$SELECT * FROM pg_temp.verdicts_differ('lab_test', 't1')$$,
                'lab_test corpus: every reject has the SQLSTATE, rule and message of the direct insert of its row');
SELECT results_eq($$SELECT * FROM load_staged('lab_test', 't1')$$, $$VALUES (7, 2, 5, 0)$$,
                  'lab_test: a second load writes nothing');

-- The same (SQLSTATE, rule) on the direct write, in the CONSTRAINT field
-- itself (no fallback to the column): the INSERT a case system sends, with
-- the values as literals (psycopg2 sends them so; JDBC with
-- stringtype=unspecified as untyped parameters, read by the same input
-- functions).  The exceptions are exactly the values PostgreSQL refuses
-- itself before any rule of the extension runs (doc/records.md, "Refused
-- before the rules"): a value its type cannot read, and a NULL in a NOT NULL
-- column.
SELECT results_eq(
  $$SELECT p.prepared, r.target, r.row_no, r.sqlstate, r.rule
      FROM import_reject r CROSS JOIN (VALUES (false), (true)) p(prepared)
     CROSS JOIN LATERAL pg_temp.direct_error(r.target, r.row, p.prepared) d
     WHERE r.batch IN ('p1', 'e1', 'c1', 't1') AND r.target IS NOT NULL
       AND (d.state, nullif(d.rule, '')) IS DISTINCT FROM (r.sqlstate, r.rule)
     ORDER BY 1, 2, 3$$,
  $$SELECT p.prepared, v.* FROM (VALUES (false), (true)) p(prepared) CROSS JOIN (VALUES ('control', 6, '22P02', 'control_plan'), ('control', 7, '22P02', 'control_status'),
           ('entry', 3, '22007', 'entry_entered_at'), ('entry', 8, '22P02', 'entry_person_id'),
           ('lab_test', 4, '22P02', 'lab_test_kind'), ('lab_test', 6, '23502', 'lab_test_sampled_at'),
           ('person', 5, '22008', 'person_birth_date'), ('person', 6, '22P02', 'person_doc_kind'),
           ('person', 8, '22001', 'person_nationality'), ('person', 11, '23502', 'person_doc_kind')) v
     ORDER BY 1, 2, 3$$,
  'corpus as a direct INSERT: every refusal names its rule in CONSTRAINT, but for the values PostgreSQL refuses itself');
SELECT is_empty(
  $$SELECT r.target, r.row_no, p.prepared, d.state, d.rule
      FROM import_reject r CROSS JOIN (VALUES (false), (true)) p(prepared)
     CROSS JOIN LATERAL pg_temp.direct_error(r.target, r.row, p.prepared) d
     WHERE r.batch IN ('p1', 'e1', 'c1', 't1') AND r.target IS NOT NULL
       AND d.state IS DISTINCT FROM r.sqlstate$$,
  'corpus as a direct INSERT: the same SQLSTATE with literals (psycopg2) and with untyped parameters (JDBC)');
-- Malformed values a case system sent that the corpus does not hold: a seat,
-- a task module.
SELECT results_eq(
  $$SELECT d.state, d.rule, d.col FROM pg_temp.direct_error('entry', '{"person_id": "920001", "entered_at": "2021-06-09 10:00+08", "seat": "window"}') d
    UNION ALL
    SELECT e.state, e.rule, 'module'
      FROM tap.error_of($q$INSERT INTO task (module, issued_at) VALUES ('visit', '2021-06-01 10:00+08')$q$) e$$,
  $$VALUES ('22P02', 'entry_seat', 'seat'), ('22023', 'task_module', 'module')$$,
  'a seat ''window'' and a task module ''visit'' name their rules');

-- The corpus covers every reject of the four batches.
SELECT is((SELECT count(*)::int FROM import_reject WHERE target IS NOT NULL AND batch IN ('p1', 'e1', 'c1', 't1')), 31,
          'corpus: 31 bad rows over the four tables');

-- ===========================================================================
-- Many rows: the split finds each bad row among good ones
-- ===========================================================================
INSERT INTO lab_test_staging (batch, row_no, person_id, kind, sampled_at, result)
SELECT 't2', i, CASE WHEN i % 97 = 0 THEN '999999999' ELSE '920001' END,
       CASE WHEN i % 89 = 0 THEN 'pcr' ELSE 'antigen' END,
       '2021-07-01 09:00+08'::timestamptz + i * interval '1 minute', 'negative'
  FROM generate_series(1, 2000) i;
SELECT results_eq($$SELECT * FROM load_staged('lab_test', 't2')$$,
                  $$SELECT 2000, 2000 - count(*)::int, count(*)::int, 2000 - count(*)::int
                      FROM generate_series(1, 2000) i WHERE i % 97 = 0 OR i % 89 = 0$$,
                  'many rows: every row with a bad label or an unknown person is rejected, every other written');
SELECT is((SELECT count(*)::int FROM lab_test WHERE person_id = 920001 AND kind = 'antigen'),
          (SELECT count(*)::int FROM generate_series(1, 2000) i WHERE i % 97 <> 0 AND i % 89 <> 0),
          'many rows: the good rows are in lab_test');

-- ===========================================================================
-- A file without batch and row_no columns (doc/etl.md, "A file without
-- batch and row_no"): the whole table is the batch the call names, its rows
-- numbered 1..N in physical order (the order COPY wrote them)
-- ===========================================================================
CREATE TEMP TABLE plain_persons (doc_kind text, doc_no text, name text, nationality text, jurisdiction text);
COPY plain_persons FROM stdin WITH (FORMAT csv);
passport,L20000401,PLAIN ONE,CHN,LT01
passport,L20000402,PLAIN NO NATION,,LT01
passport,L20000403,PLAIN TWO,USA,LT01
passport,L20000403,PLAIN TWO AGAIN,USA,LT01
\.
SELECT results_eq($$SELECT * FROM load_staged('person', 'plain-0601', 'plain_persons')$$,
                  $$VALUES (4, 2, 2, 2)$$,
                  'no batch/row_no: every row of the table is staged, numbered by the loader');
SELECT results_eq($$SELECT row_no, rule, row ->> 'name' FROM import_reject
                     WHERE target = 'person' AND batch = 'plain-0601' ORDER BY row_no$$,
                  $$VALUES (2, 'person_nationality', 'PLAIN NO NATION'), (4, 'person_identity', 'PLAIN TWO AGAIN')$$,
                  'no batch/row_no: the rejects carry the file''s line numbers (1..N, in the order COPY wrote)');
SELECT results_eq($$SELECT * FROM load_staged('person', 'plain-0601', 'plain_persons')$$,
                  $$VALUES (4, 2, 2, 0)$$,
                  'no batch/row_no: a second load of the same table writes nothing');
CREATE TEMP TABLE half_staging (row_no int, doc_kind text);
SELECT throws_ok($$SELECT * FROM load_staged('person', 'x', 'half_staging')$$, '42703', NULL,
                 'row_no without batch is an error: both or neither');

-- import_summary counts a load_staged batch (target the table) apart from
-- the manifests: staged = accepted + rejected.
SELECT results_eq($$SELECT staged, accepted, reused, rejected FROM import_summary
                     WHERE batch = 'plain-0601' AND target = 'person'$$,
                  $$VALUES (4::bigint, 2::bigint, 0::bigint, 2::bigint)$$,
                  'import_summary: a load_staged batch''s staged, accepted and rejected rows');
SELECT is((SELECT count(*)::int FROM import_summary WHERE batch = 'p1' AND target IS NULL), 0,
          'import_summary: a load_staged batch is not listed as a manifest');

-- ===========================================================================
-- Errors that are not about the data are raised, and nothing is written
-- ===========================================================================
SELECT throws_ok($$SELECT * FROM load_staged('verification', 'x')$$, '22023', NULL,
                 'only person, entry, control and lab_test are loaded');
CREATE TEMP TABLE odd_staging (batch text, row_no int, doc_kind text, shoe_size text);
SELECT throws_ok($$SELECT * FROM load_staged('person', 'x', 'odd_staging')$$, '42703', NULL,
                 'a staging column the target lacks is an error, not a reject');
-- A regclass can outlive its table: a clear error, not a crashed backend.
SELECT throws_ok($$SELECT * FROM load_staged('person', 'x', 2000000000::oid::regclass)$$, '42P01', NULL,
                 'a staging relation that no longer exists is named as missing');
CREATE TEMP VIEW odd_view AS SELECT * FROM quarantine.person_staging;
SELECT throws_ok($$SELECT * FROM load_staged('person', 'x', 'odd_view')$$, '42809', NULL,
                 'a view is refused as staging: rows are read back by ctid');

-- An operator: loads from its own temporary table (it may COPY into that),
-- row security applies to what it writes, and a row of another district is
-- an access error that aborts the load (42501), not a reject.
CREATE ROLE qt_loader_op LOGIN IN ROLE quarantine_operator;
INSERT INTO operator_scope VALUES ('qt_loader_op', 'LT01');
SET LOCAL ROLE qt_loader_op;
-- (the columns of its file: batch, row_no and any columns of person)
CREATE TEMP TABLE my_persons (batch text, row_no int, doc_kind text, doc_no text, name text,
                              nationality text, jurisdiction text);
COPY my_persons (batch, row_no, doc_kind, doc_no, name, nationality, jurisdiction) FROM stdin;
op1	1	passport	L20000301	OPERATOR GOOD	CHN	LT01
op1	2	passport	L20000302	OPERATOR BAD	\N	LT01
\.
SELECT results_eq($$SELECT * FROM load_staged('person', 'op1', 'my_persons')$$,
                  $$VALUES (2, 1, 1, 1)$$,
                  'operator: loads its own staged rows through a temporary table');
SELECT results_eq($$SELECT row_no, rule FROM import_reject WHERE target = 'person' AND batch = 'op1'$$,
                  $$VALUES (2, 'person_nationality')$$,
                  'operator: sees the reject of a row of its district');
CREATE TEMP TABLE my_entries (batch text, row_no int, person_id text, entered_at text, temperature text);
INSERT INTO my_entries
SELECT 'ope1', n, person_id::text, '2021-06-05 08:00+08', t
  FROM person, (VALUES (1, '36.6'), (2, '96.8')) v(n, t) WHERE doc_no = 'L20000301';
SELECT results_eq($$SELECT * FROM load_staged('entry', 'ope1', 'my_entries')$$,
                  $$VALUES (2, 1, 1, 1)$$,
                  'operator: loads entries of its persons');
SELECT results_eq($$SELECT row_no, rule FROM import_reject WHERE target = 'entry' AND batch = 'ope1'$$,
                  $$VALUES (2, 'entry_temperature')$$,
                  'operator: sees the reject of an entry of a person in its scope (the row names no jurisdiction)');
SELECT throws_ok($$SELECT * FROM quarantine.person_staging$$, '42501', NULL,
                 'operator: the shared staging tables are the administrator''s');
INSERT INTO my_persons (batch, row_no, doc_kind, doc_no, name, nationality, jurisdiction) VALUES
  ('op2', 1, 'passport', 'L20000303', 'MINE', 'CHN', 'LT01'),
  ('op2', 2, 'passport', 'L20000304', 'NOT MINE', 'CHN', 'LT02');
SELECT throws_ok($$SELECT * FROM load_staged('person', 'op2', 'my_persons')$$, '42501', NULL,
                 'operator: a row of another district is an access error, raised');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM person WHERE doc_no IN ('L20000303', 'L20000304')), 0,
          'operator: the failed load wrote nothing');
SELECT is((SELECT count(*)::int FROM import_reject WHERE batch = 'op2'), 0,
          'operator: the failed load recorded nothing');

SELECT * FROM finish();
ROLLBACK;
