-- verification: the rules of the verification list (doc/records.md), tasks and the
-- views of doc/records.md and doc/tasks-phones-names.md.
BEGIN;
SELECT plan(20);

INSERT INTO person (person_id, doc_kind, doc_no, name, nationality) VALUES
  (920001, 'passport', 'E20000001', 'QIAN HUA', 'CHN'),
  (920002, 'passport', 'E20000002', 'ZHOU MIN', 'CHN');
INSERT INTO entry (entry_id, person_id, entered_at, port_kind) VALUES
  (920101, 920001, '2021-04-13 08:00+08', 'air'),
  (920102, 920002, '2021-06-01 10:00+08', 'air');

-- verification_close_early
SELECT throws_rule(
  $$INSERT INTO verification (person_id, return_date, status) VALUES (920001, local_date(now()) + 3, 'closed')$$,
  '23514', 'verification_close_early', 'cannot close while the return date is in the future');
SELECT lives_ok(
  $$INSERT INTO verification (person_id, return_date, status) VALUES (920001, local_date(now()) - 1, 'closed')$$,
  'can close once the return date has passed');
SELECT lives_ok(
  $$INSERT INTO verification (person_id, return_date, status) VALUES (920001, local_date(now()) + 3, 'open')$$,
  'an open record may have a future return date');

-- verification_isolation_claim
SELECT throws_rule(
  $$INSERT INTO verification (person_id, entry_id, return_date, isolated_days_before_return)
    VALUES (920002, 920102, '2021-06-10', 14)$$,
  '23514', 'verification_isolation_claim', '14 days claimed between an entry on 06-01 and a return on 06-10');
SELECT lives_ok(
  $$INSERT INTO verification (person_id, entry_id, return_date, isolated_days_before_return)
    VALUES (920002, 920102, '2021-06-15', 14)$$,
  '14 days claimed between 06-01 and 06-15 is possible');

-- verification_note_required
SELECT throws_rule(
  $$INSERT INTO verification (person_id, entry_id, return_date, isolated_days_before_return)
    VALUES (920002, 920102, '2021-06-10', 9)$$,
  '23514', 'verification_note_required', 'fewer than observation_days isolated needs a note');
SELECT lives_ok(
  $$INSERT INTO verification (person_id, entry_id, return_date, isolated_days_before_return, note)
    VALUES (920002, 920102, '2021-06-10', 9, 'remaining 5 days at home, district notified')$$,
  'with a note it is accepted');
SET LOCAL quarantine.observation_days = 7;
SELECT lives_ok(
  $$INSERT INTO verification (person_id, entry_id, return_date, isolated_days_before_return)
    VALUES (920002, 920102, '2021-06-10', 9)$$,
  'the threshold follows quarantine.observation_days');
RESET quarantine.observation_days;

-- verification_transfer_date (the district notes: moved from Shanghai on 27 April)
INSERT INTO control (control_id, person_id, entry_id, status, control_start, transferred_from, quarantine_start)
VALUES (920201, 920001, 920101, 'under_control', '2021-04-27 16:00+08', 'Shanghai, Pudong hotel', '2021-04-13');
SELECT throws_rule(
  $$INSERT INTO verification (person_id, entry_id, return_date) VALUES (920001, 920101, '2021-04-28')$$,
  '23514', 'verification_transfer_date', 'the return date must be the day the district took control');
SELECT lives_ok(
  $$INSERT INTO verification (verification_id, person_id, entry_id, return_date) VALUES (920301, 920001, 920101, '2021-04-27')$$,
  'a return date equal to the local date of control_start is accepted');
SELECT throws_rule(
  $$SELECT correct_control_start(920201, '2021-04-28 09:00+08', 'typed the wrong day')$$,
  '23514', 'verification_transfer_date', 'checked from the control side as well');
-- transfer written second, from the control side
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality) VALUES (920003, 'passport', 'E20000003', 'WU JIE', 'CHN');
INSERT INTO entry (entry_id, person_id, entered_at, port_kind) VALUES (920103, 920003, '2021-04-13 08:00+08', 'air');
INSERT INTO verification (person_id, entry_id, return_date) VALUES (920003, 920103, '2021-04-28');
SELECT throws_rule(
  $$INSERT INTO control (person_id, entry_id, status, control_start, transferred_from, quarantine_start)
    VALUES (920003, 920103, 'under_control', '2021-04-27 16:00+08', 'Shanghai', '2021-04-13')$$,
  '23514', 'verification_transfer_date', 'a transfer written after the verification is checked too');

-- task: due_at from task_deadline
INSERT INTO task (task_id, module, person_id, issued_at) VALUES
  (920401, 'control', 920001, '2021-04-27 14:00+08'),
  (920402, 'phone_check', 920001, '2021-04-27 14:00+08'),
  (920403, 'verification', 920001, now() + interval '1 hour');
SELECT results_eq(
  $$SELECT due_at FROM task WHERE task_id IN (920401, 920402) ORDER BY task_id$$,
  $$VALUES (timestamptz '2021-04-27 17:00+08'), (timestamptz '2021-04-28 12:00+08')$$,
  'due_at: control by 17:00 the same day, phone check by 12:00 the next day');
SELECT throws_ok($$INSERT INTO task (module, issued_at) VALUES ('lunch', now())$$, '22023', NULL,
                 'an unknown module is rejected');

-- views
SELECT results_eq(
  $$SELECT task_id FROM overdue_tasks WHERE task_id BETWEEN 920401 AND 920403 ORDER BY 1$$,
  $$VALUES (920401::bigint), (920402::bigint)$$, 'overdue_tasks lists undone tasks past due');
UPDATE task SET done_at = '2021-04-27 16:00+08' WHERE task_id = 920401;
SELECT results_eq(
  $$SELECT task_id FROM overdue_tasks WHERE task_id BETWEEN 920401 AND 920403$$,
  $$VALUES (920402::bigint)$$, 'a done task is not overdue');
SELECT results_eq(
  $$SELECT control_id, days_late FROM late_registrations WHERE control_id = 920201$$,
  $$VALUES (920201::bigint, local_date(now()) - date '2021-04-27')$$,
  'a control registered days after its control_start is a late registration');
SELECT results_eq(
  $$SELECT issue FROM verification_issues WHERE verification_id = 920301 ORDER BY issue$$,
  $$VALUES ('return_date_passed')$$,
  'an open record whose return date has passed is an issue');
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES (920001, 'nat', '2021-04-28 09:00+08', 'positive');
UPDATE verification SET health_status = 'healthy', followed_up_at = now() WHERE verification_id = 920301;
SELECT results_eq(
  $$SELECT issue FROM verification_issues WHERE verification_id = 920301 ORDER BY issue$$,
  $$VALUES ('health_status_mismatch'), ('return_date_passed')$$,
  'healthy despite a positive NAT is an issue');
SELECT is_empty(
  $$SELECT 1 FROM verification_issues JOIN verification v USING (verification_id) WHERE v.status = 'closed'$$,
  'closed records are never issues');

SELECT * FROM finish();
ROLLBACK;
