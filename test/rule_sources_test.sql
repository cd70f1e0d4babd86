-- The rule core (issue #12 part 1) and the direct-write rules of issue #11:
-- one source per rule, errors a client can act on.
BEGIN;
SELECT plan(38);

-- The diagnostics fields a client reads (psycopg2's e.diag): state, rule
-- (CONSTRAINT), schema, table and column.
CREATE FUNCTION pg_temp.diag_of(sql text, OUT state text, OUT rule text, OUT schema_name text,
                                OUT table_name text, OUT column_name text, OUT detail text)
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE sql;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, rule = CONSTRAINT_NAME,
                          schema_name = SCHEMA_NAME, table_name = TABLE_NAME,
                          column_name = COLUMN_NAME, detail = PG_EXCEPTION_DETAIL;
END $$;

INSERT INTO person (person_id, doc_kind, doc_no, name, nationality) VALUES
  (990001, 'passport', 'E99000001', 'QIAN YU', 'CHN'),
  (990002, 'passport', 'E99000002', 'SUN MEI', 'CHN');
INSERT INTO entry (entry_id, person_id, entered_at, flight, seat)
VALUES (990101, 990001, '2021-06-01 10:00+08', 'CA939', '12A');
INSERT INTO control (control_id, person_id, entry_id, plan)
VALUES (990201, 990001, 990101, '14c');
UPDATE control SET status = 'under_control', control_start = '2021-06-01 12:00+08'
 WHERE control_id = 990201;

-- ---------- item 8: schema, table, constraint and column of trigger errors ----------
SELECT is(
  (SELECT ROW(d.state, d.rule, d.schema_name, d.table_name)::text
     FROM pg_temp.diag_of($$UPDATE control SET status = 'returned' WHERE control_id = 990201$$) d),
  '(23514,control_status_transition,quarantine,control)',
  'a rule error carries schema, table and the rule as constraint (errtableconstraint)');
SELECT is(
  (SELECT d.state FROM pg_temp.diag_of($$INSERT INTO person (doc_kind, doc_no, name) VALUES ('resident_id', '110102199101010078', 'A')$$) d),
  NULL, 'a good resident ID raises nothing');
SELECT is(
  (SELECT ROW(d.state, d.schema_name, d.table_name, d.column_name)::text
     FROM pg_temp.diag_of($$INSERT INTO person (doc_kind, doc_no, name) VALUES ('resident_id', '360426199101010072', 'B')$$) d),
  '(22P02,quarantine,person,doc_no)',
  'a malformed document number names its column (errtablecol)');
SELECT is(
  (SELECT ROW(d.state, d.table_name, d.column_name)::text
     FROM pg_temp.diag_of($$INSERT INTO entry (person_id, entered_at, seat) VALUES (990002, '2021-06-01 10:00+08', '12')$$) d),
  '(22P02,entry,seat)', 'a malformed seat names its column');
SELECT is(
  (SELECT ROW(d.state, d.table_name, d.column_name)::text
     FROM pg_temp.diag_of($$INSERT INTO entry (person_id, entered_at, symptoms) VALUES (990002, '2021-06-01 10:00+08', '{cough}')$$) d),
  '(22023,entry,symptoms)', 'an unknown symptom code names its column');
SELECT is(
  (SELECT ROW(d.state, d.table_name, d.column_name)::text
     FROM pg_temp.diag_of($$INSERT INTO task (module, person_id) VALUES ('core', 990002)$$) d),
  '(22023,task,module)', 'an unknown task module names its column');
SELECT is(
  (SELECT ROW(d.state, d.rule, d.table_name)::text
     FROM pg_temp.diag_of($$INSERT INTO control (person_id, entry_id) VALUES (990001, 990101)$$) d),
  '(23505,control_single_open,control)', 'control_single_open names its table too');

-- ---------- item 6: a passport needs its nationality on every write path ----------
SELECT throws_rule(
  $$INSERT INTO person (doc_kind, doc_no, name) VALUES ('passport', 'K98765431', 'NO NATION')$$,
  '23514', 'person_nationality', 'a passport without nationality is refused on a direct insert');
SELECT is(
  (SELECT ROW(d.state, d.rule, d.column_name)::text
     FROM pg_temp.diag_of($$INSERT INTO person (doc_kind, doc_no, name, nationality) VALUES ('passport', 'K98765431', 'BAD NATION', 'U1')$$) d),
  '(22P02,person_nationality,nationality)', 'a malformed nationality is refused and its column named');
SELECT throws_rule(
  $$UPDATE person SET nationality = NULL WHERE person_id = 990002$$,
  '23514', 'person_nationality', 'nor can an update remove a passport''s nationality');
SELECT lives_ok(
  $$INSERT INTO person (person_id, doc_kind, doc_no, name) VALUES (990003, 'resident_id', '412723199010050012', 'NOBODY')$$,
  'other documents need no nationality');
SELECT lives_ok(
  $$INSERT INTO person (person_id, doc_kind, doc_no, name, nationality) VALUES (990004, 'passport', 'K98765432', 'JOHN SMITH', 'usa')$$,
  'a passport with a lower-case nationality is accepted');
SELECT is((SELECT nationality::text FROM person WHERE person_id = 990004), 'USA',
          'and stored upper case');

-- ---------- issue #12: person_for_doc normalizes as the trigger does ----------
SELECT is(person_for_doc('passport', 'K98765432', 'usa'), 990004::bigint,
          'person_for_doc finds a passport by its nationality in lower case');
SELECT is(person_for_doc('passport', 'k9876 5432', ' USA'), 990004::bigint,
          'and with blanks around the nationality and in the number');
SELECT is(person_for_doc('passport', 'K98765432', 'GBR'), NULL,
          'another nationality is another document');
SELECT throws_ok($$SELECT person_for_doc('passport', 'K98765432', 'U1')$$, '22P02', NULL,
                 'a malformed nationality is malformed input, as for the trigger');
SELECT is(identity_scope('resident_id', 'chn'), '', 'identity_scope: only passports are scoped');

-- ---------- item 5: implausible dates and instants on direct writes ----------
SELECT lives_ok(
  $$UPDATE person SET birth_date = '1980-01-01' WHERE person_id = 990004$$,
  'a plausible birth date is accepted');
SELECT is(
  (SELECT ROW(d.state, d.rule, d.column_name)::text
     FROM pg_temp.diag_of($$UPDATE person SET birth_date = 'infinity' WHERE person_id = 990004$$) d),
  '(22008,person_birth_date,birth_date)', 'birth date infinity is refused');
SELECT throws_rule($$UPDATE person SET birth_date = '-infinity' WHERE person_id = 990004$$,
                   '22008', 'person_birth_date', 'birth date -infinity is refused');
SELECT throws_rule($$UPDATE person SET birth_date = current_date + 30 WHERE person_id = 990004$$,
                   '23514', 'person_birth_date', 'a birth date in the future is refused');
SELECT is(
  (SELECT ROW(d.state, d.rule, d.column_name)::text
     FROM pg_temp.diag_of($$INSERT INTO entry (person_id, entered_at) VALUES (990002, '294276-12-31 00:00+00')$$) d),
  '(22008,entry_entered_at,entered_at)', 'an entry in the year 294276 is refused');
SELECT lives_ok($$INSERT INTO entry (person_id, entered_at) VALUES (990002, '2021-06-02 10:00+08')$$,
                'a plausible entry is accepted');
SELECT is(
  (SELECT ROW(d.state, d.rule, d.column_name)::text
     FROM pg_temp.diag_of($$INSERT INTO lab_test (person_id, kind, sampled_at) VALUES (990002, 'nat', '294276-12-31 00:00+00')$$) d),
  '(22008,lab_test_sampled_at,sampled_at)', 'a lab test sampled in the year 294276 is refused');
SELECT throws_rule(
  $$INSERT INTO lab_test (person_id, kind, sampled_at, reported_at) VALUES (990002, 'nat', '2021-06-02 10:00+08', '294276-12-31 00:00+00')$$,
  '22008', 'lab_test_reported_at', 'so is a report in the year 294276');
SELECT lives_ok($$INSERT INTO lab_test (person_id, kind, sampled_at) VALUES (990002, 'nat', '2021-06-02 10:00+08')$$,
                'a plausible lab test is accepted');
SELECT is(
  (SELECT ROW(d.state, d.rule, d.column_name)::text
     FROM pg_temp.diag_of($$SELECT correct_control_start(990201, '294276-12-31 00:00+00', 'typo')$$) d),
  '(22008,control_dates,control_start)', 'correct_control_start refuses an instant in the year 294276');
SELECT lives_ok($$SELECT correct_control_start(990201, '2021-06-01 13:00+08', 'registered late')$$,
                'and accepts a plausible one');

-- ---------- item 9: one value, one error ----------
SELECT throws_rule(
  $$INSERT INTO entry (person_id, entered_at, temperature) VALUES (990002, '2021-06-03 10:00+08', 98.6)$$,
  '23514', 'entry_temperature', 'temperature 98.6 without a category: the rule entry_temperature');
SELECT throws_rule(
  $$INSERT INTO entry (person_id, entered_at, temperature, category) VALUES (990002, '2021-06-03 10:00+08', 98.6, 'general')$$,
  '23514', 'entry_temperature', 'temperature 98.6 with a category: the same error');
SELECT is((SELECT count(*)::int FROM pg_constraint
            WHERE conrelid = 'quarantine.entry'::regclass AND conname = 'entry_temperature'),
          1, 'the CHECK behind it carries the rule name');

-- ---------- item 10: no id from an earlier row of the same failed statement ----------
SELECT is(
  (SELECT ROW(d.state, d.rule, d.detail)::text
     FROM pg_temp.diag_of($$INSERT INTO person (doc_kind, doc_no, name, nationality)
                            VALUES ('passport', 'E99000009', 'FIRST', 'CHN'), ('passport', 'E99000009', 'AGAIN', 'CHN')$$) d),
  '(23505,person_identity,"Document passport E99000009 of CHN is given twice in this statement.")',
  'a document given twice in one statement is named, not the id of a row that never exists');
SELECT is(
  (SELECT ROW(d.state, d.rule, d.detail)::text
     FROM pg_temp.diag_of($$INSERT INTO control (person_id, plan) VALUES (990002, '14c'), (990002, '14c')$$) d),
  '(23505,control_single_open,"An earlier row of this statement is an open control of person 990002.")',
  'two open controls in one statement: the DETAIL names the earlier row, not its id');
SELECT is((error_of($$INSERT INTO person (doc_kind, doc_no, name, nationality) VALUES ('passport', 'E99000001', 'QIAN YU', 'CHN')$$)).detail,
          'Document passport E99000001 of CHN belongs to person_id 990001.',
          'a person of an earlier statement is still named by id');

-- ---------- item 7: placeholder is a filler of 11 digits ----------
SELECT is(phone_kind('12345'), 'invalid', 'phone_kind(''12345'') is invalid, not placeholder');
SELECT is(phone_kind('11111111111'), 'placeholder', 'eleven 1s are a filler');

-- ---------- item 12: a dropped index is an error with a SQLSTATE ----------
DROP INDEX quarantine.entry_person;
SELECT is((error_of($$SELECT code_color(990001, '2021-06-05 12:00+08')$$)).state, '42704',
          'code_color after DROP INDEX entry_person: 42704, not XX000');

SELECT * FROM finish();
ROLLBACK;
