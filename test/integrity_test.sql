-- Integrity holes closed for issue 11, one session at a time (the concurrent
-- cases are in specs/*.spec): control_no_repeat in both orders and for two
-- completed controls; person_merged for the records of a merged person.
BEGIN;
SELECT plan(24);

INSERT INTO person (person_id, doc_kind, doc_no, name, nationality) VALUES
  (920001, 'passport', 'E20000001', 'ZHANG WEI', 'CHN'),
  (920002, 'passport', 'E20000002', 'WANG FANG', 'CHN'),
  (920003, 'passport', 'E20000003', 'LI NA', 'CHN');
-- 2021-06-01: policy 14c+7m, isolation ends 2021-06-15, free from 2021-06-22.
INSERT INTO entry (entry_id, person_id, entered_at) VALUES
  (920101, 920001, '2021-06-01 10:00+08'),
  (920102, 920001, '2021-07-01 10:00+08'),
  (920103, 920002, '2021-06-01 10:00+08'),
  (920104, 920003, '2021-06-01 10:00+08');
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES
  (920002, 'nat', '2021-06-14 09:00+08', 'negative');

-- control_no_repeat: a pending control, then a completed one for the same entry.
INSERT INTO control (control_id, person_id, entry_id) VALUES (920201, 920001, 920101);
SELECT throws_rule(
  $$INSERT INTO control (person_id, entry_id, status, end_reason, ended_at)
    VALUES (920001, 920101, 'ended', 'completed_elsewhere', '2021-06-25 10:00+08')$$,
  '23505', 'control_no_repeat',
  'a completed control for an entry that has an open control is refused');
SELECT is((tap.error_of(
  $$INSERT INTO control (person_id, entry_id, status, end_reason, ended_at)
    VALUES (920001, 920101, 'ended', 'completed_elsewhere', '2021-06-25 10:00+08')$$)).detail,
  'Control 920201 is pending for the same entry.',
  'the DETAIL names the other control and its status');
SELECT lives_ok(
  $$INSERT INTO control (person_id, entry_id, status, end_reason, ended_at)
    VALUES (920001, 920102, 'ended', 'transferred_out', '2021-07-02 10:00+08')$$,
  'another entry of the same person is another control');
-- The open control itself may end as completed elsewhere.
SELECT lives_ok(
  $$UPDATE control SET status = 'ended', end_reason = 'completed_elsewhere', ended_at = '2021-06-25 10:00+08'
     WHERE control_id = 920201$$,
  'the open control itself ends as completed_elsewhere');

-- control_no_repeat: two completed controls for one entry.
SELECT lives_ok(
  $$INSERT INTO control (control_id, person_id, entry_id, status, end_reason, ended_at)
    VALUES (920202, 920002, 920103, 'ended', 'completed', '2021-06-16 10:00+08')$$,
  'a control completed with a release NAT is accepted');
SELECT throws_rule(
  $$INSERT INTO control (person_id, entry_id, status, end_reason, ended_at)
    VALUES (920002, 920103, 'ended', 'completed_elsewhere', '2021-06-25 10:00+08')$$,
  '23505', 'control_no_repeat', 'a second completed control for the same entry is refused');
SELECT throws_rule(
  $$INSERT INTO control (person_id, entry_id) VALUES (920002, 920103)$$,
  '23505', 'control_no_repeat', 'and so is a new open control for it (the rule as before)');
SELECT lives_ok(
  $$INSERT INTO control (person_id, entry_id, status, end_reason, ended_at)
    VALUES (920002, 920103, 'ended', 'transferred_out', '2021-06-25 10:00+08')$$,
  'a control of the same entry that did not complete isolation is not a repeat');

-- An open control returned and a completed one: the returned one cannot reopen.
INSERT INTO control (control_id, person_id, entry_id, status, return_reason, return_note)
VALUES (920203, 920003, 920104, 'returned', 'out_of_province', 'isolated in Hangzhou');
SELECT lives_ok(
  $$INSERT INTO control (person_id, entry_id, status, end_reason, ended_at)
    VALUES (920003, 920104, 'ended', 'completed_elsewhere', '2021-06-25 10:00+08')$$,
  'a returned control does not block a completed one');
SELECT throws_rule(
  $$UPDATE control SET status = 'pending' WHERE control_id = 920203$$,
  '23505', 'control_no_repeat', 'the returned control cannot reopen once the entry is completed');

-- The unique index is the guarantee under concurrency; the trigger reports it.
SELECT is((SELECT indisunique FROM pg_index WHERE indexrelid = 'quarantine.control_no_repeat'::regclass),
          true, 'control_no_repeat is backed by a unique index');
SELECT is((SELECT count(*) FROM control WHERE entry_id = 920103), 2::bigint,
          'entry 920103 has its completed control and the transferred one');

-- person_merged: after merge_persons(keep, drop), drop takes no new records.
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality) VALUES
  (920004, 'passport', 'E20000004', 'SUN LI', 'CHN'),
  (920005, 'passport', 'E20000005', 'SUN LI', 'CHN');
INSERT INTO entry (entry_id, person_id, entered_at) VALUES (920105, 920005, '2021-06-01 10:00+08');
INSERT INTO lab_test (test_id, person_id, kind, sampled_at, result)
VALUES (920301, 920004, 'nat', '2021-06-02 09:00+08', 'negative');
SELECT merge_persons(920004, 920005);
SELECT is((SELECT person_id FROM entry WHERE entry_id = 920105), 920004::bigint,
          'the merge moves the entry of the dropped person to the kept one');
SELECT throws_rule(
  $$INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES (920005, 'nat', '2021-06-03 09:00+08', 'negative')$$,
  '23514', 'person_merged', 'a lab test for a merged person is refused');
SELECT throws_rule(
  $$INSERT INTO entry (person_id, entered_at) VALUES (920005, '2021-07-01 10:00+08')$$,
  '23514', 'person_merged', 'an entry for a merged person is refused');
SELECT throws_rule(
  $$INSERT INTO control (person_id, quarantine_start) VALUES (920005, '2021-06-01')$$,
  '23514', 'person_merged', 'a control for a merged person is refused');
SELECT throws_rule(
  $$INSERT INTO verification (person_id, return_date) VALUES (920005, '2021-06-01')$$,
  '23514', 'person_merged', 'a verification for a merged person is refused');
SELECT throws_rule(
  $$UPDATE lab_test SET person_id = 920005 WHERE test_id = 920301$$,
  '23514', 'person_merged', 'a record cannot be moved to a merged person either');
SELECT results_eq(
  $$SELECT message, detail, hint
      FROM tap.error_of($x$INSERT INTO lab_test (person_id, kind, sampled_at) VALUES (920005, 'nat', '2021-06-03 09:00+08')$x$)$$,
  $$VALUES ('person 920005 was merged into person 920004',
            'Person 920005 has merged_into = 920004: its records and its document belong to person 920004.',
            'Write the lab_test row for person 920004.')$$,
  'the message, DETAIL and HINT name the kept person');
SELECT lives_ok(
  $$INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES (920004, 'nat', '2021-06-03 09:00+08', 'negative');
    INSERT INTO entry (person_id, entered_at) VALUES (920004, '2021-07-01 10:00+08')$$,
  'the kept person takes the records');
SELECT lives_ok(
  $$UPDATE lab_test SET result = 'positive' WHERE test_id = 920301$$,
  'an update that keeps the person is not checked');

-- A statement of many persons reads the merged persons instead of probing
-- each of its persons: the same rule, the same first merged person named.
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
SELECT 920500 + i, 'passport', 'E2005' || lpad(i::text, 4, '0'), 'ZHOU ' || i, 'CHN'
  FROM generate_series(1, 40) i;
SELECT merge_persons(920530, 920531);
SELECT merge_persons(920520, 920521);
SELECT results_eq(
  $$SELECT state, rule, message
      FROM tap.error_of($x$INSERT INTO lab_test (person_id, kind, sampled_at)
                          SELECT 920500 + i, 'nat', '2021-06-03 09:00+08' FROM generate_series(40, 1, -1) i$x$)$$,
  $$VALUES ('23514', 'person_merged', 'person 920521 was merged into person 920520')$$,
  'a statement for 40 persons, two of them merged, names the first merged person');
SELECT lives_ok(
  $$INSERT INTO lab_test (person_id, kind, sampled_at)
    SELECT 920500 + i, 'nat', '2021-06-03 09:00+08' FROM generate_series(1, 40) i WHERE i NOT IN (21, 31)$$,
  'the same statement without the merged persons is accepted');
SELECT throws_rule(
  $$INSERT INTO entry (person_id, entered_at)
    SELECT person_id, '2021-07-01 10:00+08' FROM person WHERE person_id > 920500$$,
  '23514', 'person_merged', 'an entry per person of many, one merged, is refused');

SELECT * FROM finish();
ROLLBACK;
