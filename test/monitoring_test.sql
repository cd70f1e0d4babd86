-- Daily health monitoring and the daily report (doc/monitoring.md):
-- task.jurisdiction, the health_check rules, medical referrals, missing
-- checks, completeness, the daily report and its submissions.  Every date is
-- relative to one captured local today.
BEGIN;
SELECT plan(58);

SELECT local_date(now()) AS today \gset

INSERT INTO jurisdiction (code, name, parent, level) VALUES
  ('M0', '监测市', NULL, 'city'),
  ('M1', '甲区', 'M0', 'district'),
  ('M2', '乙区', 'M0', 'district'),
  ('M1S', '甲区一街道', 'M1', 'street'),
  ('M3', '丙区 (no records)', 'M0', 'district');

-- 940001 at home in M1 (day 9 of 7c+7h), 940002 centralized in M2, 940003
-- staff in a street of M1, 940004 merged into 940001, 940005 at home in M1
-- with no control jurisdiction of its own (follows the person).
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, jurisdiction) VALUES
  (940001, 'passport', 'EM9400001', 'LIN HAI', 'CHN', 'M1'),
  (940002, 'passport', 'EM9400002', 'HE PING', 'CHN', 'M2'),
  (940003, 'passport', 'EM9400003', 'SONG JIE', 'CHN', 'M1S'),
  (940004, 'passport', 'EM9400004', 'LIN HAI', 'CHN', 'M1'),
  (940005, 'passport', 'EM9400005', 'TAN YU', 'CHN', 'M1');
INSERT INTO entry (entry_id, person_id, entered_at) VALUES
  (940101, 940001, local_day_start(:'today'::date - 8) + interval '8 hours'),
  (940102, 940002, local_day_start(:'today'::date - 2) + interval '8 hours'),
  (940105, 940005, local_day_start(:'today'::date - 8) + interval '8 hours');
INSERT INTO control (control_id, person_id, entry_id, jurisdiction, plan, status, control_start, registered_at) VALUES
  (940201, 940001, 940101, 'M1', '7c+7h', 'under_control', local_day_start(:'today'::date - 8) + interval '10 hours',
   local_day_start(:'today'::date - 8) + interval '10 hours'),
  (940202, 940002, 940102, 'M2', '14c', 'under_control', local_day_start(:'today'::date - 1) + interval '10 hours',
   local_day_start(:'today'::date - 1) + interval '10 hours'),
  (940205, 940005, 940105, NULL, '7c+7h', 'under_control', local_day_start(:'today'::date - 8) + interval '10 hours',
   local_day_start(:'today'::date - 8) + interval '10 hours');
INSERT INTO staff (person_id, role, created_at) VALUES (940003, 'port_frontline', local_day_start(:'today'::date - 3));

-- 1. task.jurisdiction: filled from the open control, else the person.
INSERT INTO task (task_id, module, person_id) VALUES (940301, 'phone_check', 940001), (940302, 'control', 940003);
INSERT INTO task (task_id, module, person_id, jurisdiction) VALUES (940303, 'control', 940001, 'M2');
SELECT is(array_agg(jurisdiction ORDER BY task_id), ARRAY['M1', 'M1S', 'M2'],
          'a task gets its district from the open control, else the person; a given one is kept')
  FROM task WHERE task_id BETWEEN 940301 AND 940303;
UPDATE control SET jurisdiction = 'M2' WHERE control_id = 940205;
INSERT INTO task (task_id, module, person_id) VALUES (940304, 'phone_check', 940005);
SELECT is(jurisdiction, 'M2', 'the open control''s district wins over the person''s') FROM task WHERE task_id = 940304;
UPDATE control SET jurisdiction = NULL WHERE control_id = 940205;
-- A control that is not open gives no district: the person's is taken.
INSERT INTO control (control_id, person_id, jurisdiction, plan, status, return_reason, return_note)
VALUES (940203, 940003, 'M2', '14c', 'returned', 'out_of_province', 'moved away');
INSERT INTO task (task_id, module, person_id) VALUES (940305, 'phone_check', 940003);
SELECT is(jurisdiction, 'M1S', 'a control that is not open gives no district') FROM task WHERE task_id = 940305;
DELETE FROM control WHERE control_id = 940203;
DELETE FROM task WHERE task_id BETWEEN 940301 AND 940305;

-- 2. The rules of a check.
SELECT throws_rule($$INSERT INTO health_check (person_id, temperature) VALUES (940001, 98.6)$$,
  '23514', 'health_check_temperature', 'a Fahrenheit reading is refused');
SELECT throws_rule($$INSERT INTO health_check (person_id, temperature) VALUES (940001, 29.9)$$,
  '23514', 'health_check_temperature', 'below 30.0 is refused');
SELECT lives_ok($$INSERT INTO health_check (person_id, checked_at, temperature) VALUES (940001, now() - interval '3 days', 45.0)$$,
  '45.0 is a body temperature');
SELECT throws_rule($$INSERT INTO health_check (person_id, symptoms) VALUES (940001, '{fatigue,cough}')$$,
  '22023', 'health_check_symptoms', 'an unknown symptom code is refused');
SELECT is((tap.error_of($$INSERT INTO health_check (person_id, symptoms) VALUES (940001, '{cough}')$$)).detail,
  'Symptom code "cough" is not in the symptom vocabulary.', 'the DETAIL names the code');
SELECT throws_rule($$INSERT INTO health_check (person_id, checked_at) VALUES (940001, now() + interval '10 minutes')$$,
  '23514', 'health_check_time', 'a check 10 minutes ahead is refused');
SELECT lives_ok($$INSERT INTO health_check (person_id, checked_at, temperature) VALUES (940001, now() + interval '4 minutes', 36.5)$$,
  'a clock 4 minutes ahead is tolerated');
SELECT throws_rule($$INSERT INTO health_check (person_id, checked_at) VALUES (940001, '1850-01-01 08:00+08')$$,
  '23514', 'health_check_time', 'a check in 1850 is refused');
SELECT throws_rule($$UPDATE health_check SET temperature = 50 WHERE person_id = 940001$$,
  '23514', 'health_check_temperature', 'an update is checked too');
SELECT is((SELECT count(*) FROM task WHERE person_id = 940001 AND module = 'medical_referral'), 0::bigint,
  'a fever three days ago issues no referral (older than 24 hours)');
SELECT lives_ok($$INSERT INTO health_check (person_id, temperature, symptoms) VALUES (940001, 36.4, '{}')$$,
  'a zero report is accepted');
SELECT is((SELECT count(*) FROM task WHERE person_id = 940001), 0::bigint, 'a zero report issues no task');
SELECT lives_ok($$INSERT INTO health_check (person_id, temperature) VALUES (940001, 37.3)$$,
  '37.3 is accepted');
SELECT is((SELECT count(*) FROM task WHERE person_id = 940001), 0::bigint, '37.3 is not a fever (above 37.3 is)');

-- merged_into: a merged person takes no check.
UPDATE person SET merged_into = 940001 WHERE person_id = 940004;
SELECT throws_rule($$INSERT INTO health_check (person_id, temperature) VALUES (940004, 36.5)$$,
  '23514', 'person_merged', 'a merged person takes no check');
UPDATE person SET merged_into = NULL WHERE person_id = 940004;

-- 3. A fever issues one referral, due at once, in the person's district.
INSERT INTO health_check (check_id, person_id, checked_at, temperature) VALUES
  (940401, 940001, now(), 38.2);
SELECT results_eq(
  $$SELECT module, jurisdiction, due_at = issued_at, issued_at = now(), done_at IS NULL
      FROM task WHERE person_id = 940001$$,
  $$VALUES ('medical_referral', 'M1', true, true, true)$$,
  'a fever issues one medical_referral, due_at = issued_at = checked_at, in the district');
INSERT INTO health_check (person_id, temperature, symptoms) VALUES (940001, 38.5, '{dry_cough}'), (940001, 38.9, NULL);
SELECT is((SELECT count(*) FROM task WHERE person_id = 940001 AND module = 'medical_referral'), 1::bigint,
  'further fevers keep one open referral');
SELECT is(medical_referral_due(now(), NULL, '{dyspnea}'), true, 'a symptom alone calls for a referral');
SELECT is(medical_referral_due(now() - interval '25 hours', 39.0, NULL), false, 'not for a report older than 24 hours');
SELECT is(medical_referral_due(now(), 36.6, '{}'), false, 'not for a zero report');
SELECT throws_like($$INSERT INTO task (module, person_id) VALUES ('medical_referral', 940001)$$,
  '%task_referral_open%', 'a second open referral of a person is refused by the index');

-- Recording the outcome closes it; a new fever opens a new one.
UPDATE task SET outcome = 'seen by the clinic: influenza' WHERE person_id = 940001 AND module = 'medical_referral';
SELECT isnt((SELECT done_at FROM task WHERE person_id = 940001 AND module = 'medical_referral'), NULL,
  'recording the outcome closes the referral');
INSERT INTO health_check (person_id, symptoms) VALUES (940001, '{sore_throat}');
SELECT is((SELECT count(*) FROM task WHERE person_id = 940001 AND module = 'medical_referral' AND done_at IS NULL),
  1::bigint, 'a new symptom after the outcome opens a new referral');
-- The control moving to medical closes it.
UPDATE control SET status = 'medical' WHERE control_id = 940201;
SELECT is((SELECT outcome FROM task WHERE person_id = 940001 AND module = 'medical_referral' AND done_at IS NOT NULL
            ORDER BY task_id DESC LIMIT 1), 'medical', 'moving the control to medical closes the referral');
SELECT is((SELECT count(*) FROM task WHERE person_id = 940001 AND done_at IS NULL), 0::bigint, 'no referral stays open');
INSERT INTO health_check (person_id, temperature) VALUES (940001, 39.1);
SELECT is((SELECT count(*) FROM task WHERE person_id = 940001 AND done_at IS NULL), 0::bigint,
  'a person in medical care gets no new referral');
UPDATE control SET status = 'under_control' WHERE control_id = 940201;

-- 4. merge_persons moves checks and referrals, keeping one open referral.
INSERT INTO health_check (person_id, temperature) VALUES (940001, 38.0);
INSERT INTO health_check (person_id, temperature) VALUES (940004, 38.0), (940004, 36.5);
SELECT lives_ok($$SELECT merge_persons(940001, 940004)$$, 'merge two persons with open referrals');
SELECT is((SELECT count(*) FROM health_check WHERE person_id = 940004), 0::bigint, 'the dropped person keeps no check');
SELECT is((SELECT count(*) FROM task WHERE person_id = 940001 AND module = 'medical_referral' AND done_at IS NULL),
  1::bigint, 'one open referral after the merge');
SELECT is((SELECT (moved ->> 'health_check')::int FROM person_merge WHERE drop_id = 940004), 2,
  'the merge records the checks it moved');

-- 5. Missing checks today: 940005 at home never reported (day 9 of 7c+7h:
-- monitored since day 8, two days), 940003 staff since three days ago.
-- 940001 reported today; 940002 is centralized (not monitored).
SELECT results_eq(
  $$SELECT person_id, jurisdiction, district, days_missing FROM health_checks_missing(local_date(now()))
     WHERE person_id BETWEEN 940001 AND 940099 ORDER BY person_id$$,
  $$VALUES (940003::bigint, 'M1', '甲区', 4), (940005::bigint, 'M1', '甲区', 2)$$,
  'health_checks_missing: who is monitored and has not reported today, with the days in a row');
SELECT is((SELECT count(*) FROM health_checks_missing() WHERE person_id = 940001), 0::bigint,
  'a person who reported today is not missing (default: today)');
INSERT INTO health_check (person_id, checked_at, temperature, created_at)
VALUES (940005, local_day_start(:'today'::date - 1) + interval '9 hours', 36.6,
        local_day_start(:'today'::date - 1) + interval '9 hours');
SELECT is((SELECT days_missing FROM health_checks_missing() WHERE person_id = 940005), 1,
  'a check yesterday: one day missing');
SELECT results_eq(
  $$SELECT on_date - local_date(now()), monitored, reported, missing FROM monitoring_completeness(local_date(now()) - 1, local_date(now()))
     WHERE jurisdiction = 'M1' ORDER BY 1$$,
  $$VALUES (-1, 3, 1, 2), (0, 3, 1, 2)$$,
  'monitoring_completeness per district and day');

-- 6. The daily report of yesterday: every district, zero lines, unassigned.
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES
  (940002, 'nat', local_day_start(:'today'::date - 1) + interval '11 hours', 'positive');
INSERT INTO task (module, person_id, issued_at) VALUES ('control', 940002, local_day_start(:'today'::date - 2) + interval '9 hours');
SELECT results_eq(
  $$SELECT jurisdiction, district, new_controls, ended_completed, sent_to_medical, new_positive_nats, open_controls,
           open_centralized, open_home, open_monitoring, monitored, checks_missing, overdue_tasks
      FROM daily_report(local_date(now()) - 1) WHERE jurisdiction IN ('M1', 'M2', 'M3') ORDER BY 1$$,
  $$VALUES ('M1', '甲区', 0, 0, 0, 0, 2, 0, 2, 0, 3, 2, 0),
           ('M2', '乙区', 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1),
           ('M3', '丙区 (no records)', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)$$,
  'daily_report: figures per district, the zero line included');
SELECT is((SELECT count(*) FROM daily_report(local_date(now()) - 1) WHERE jurisdiction = 'unassigned'), 1::bigint,
  'daily_report has one unassigned line');
SELECT is((SELECT count(*) FROM daily_report(local_date(now()) - 1)),
          (SELECT count(*) + 1 FROM jurisdiction WHERE level = 'district'),
  'one line per district plus unassigned');
-- As of 24:00: a status changed today does not change yesterday's figures.
UPDATE control SET status = 'medical' WHERE control_id = 940202;
SELECT results_eq(
  $$SELECT open_controls, open_centralized, sent_to_medical FROM daily_report(local_date(now()) - 1) WHERE jurisdiction = 'M2'$$,
  $$VALUES (1, 1, 0)$$, 'yesterday''s report reads statuses at 24:00 from control_event');
SELECT results_eq(
  $$SELECT sent_to_medical FROM daily_report(local_date(now())) WHERE jurisdiction = 'M2'$$,
  $$VALUES (1)$$, 'today''s report counts the move to medical');
SELECT results_eq(
  $$SELECT * FROM daily_report(local_date(now()) - 1)$$,
  $$SELECT jurisdiction, district, new_controls, ended_completed, sent_to_medical, new_positive_nats, open_controls,
           open_centralized, open_home, open_monitoring, monitored, checks_missing, overdue_tasks
      FROM quarantine_analytics.daily_report(local_date(now()) - 1)$$,
  'the analysts'' daily_report gives the same numbers');

-- 7. Submissions.
SELECT throws_rule($$SELECT submit_daily_report('M1', local_date(now()))$$,
  '23514', 'daily_report_date', 'today''s report cannot be submitted yet');
SELECT throws_rule($$SELECT submit_daily_report('M1', local_date(now()) + 1)$$,
  '23514', 'daily_report_date', 'a future report is refused');
SELECT throws_rule($$SELECT submit_daily_report('M0', local_date(now()) - 1)$$,
  '22023', 'daily_report_district', 'a city is not a district');
SELECT is(submit_daily_report('M1', :'today'::date - 1), 1, 'the first submission is version 1');
SELECT is(submit_daily_report('M1', :'today'::date - 1), 2, 'submitting again adds version 2');
SELECT results_eq(
  $$SELECT version, district, open_home, monitored, checks_missing FROM daily_report_submission
     WHERE jurisdiction = 'M1' AND on_date = local_date(now()) - 1 ORDER BY version$$,
  $$VALUES (1, '甲区', 2, 3, 2), (2, '甲区', 2, 3, 2)$$,
  'the submitted rows are the report''s row');
SELECT results_eq(
  $$SELECT new_controls, open_controls, monitored, checks_missing, overdue_tasks FROM daily_report_submission
     WHERE jurisdiction = 'M1' AND on_date = local_date(now()) - 1 AND version = 2$$,
  $$SELECT new_controls, open_controls, monitored, checks_missing, overdue_tasks FROM daily_report(local_date(now()) - 1)
     WHERE jurisdiction = 'M1'$$,
  'a recomputation equals what was submitted');
SELECT throws_rule($$UPDATE daily_report_submission SET monitored = 0 WHERE jurisdiction = 'M1'$$,
  '23514', 'daily_report_submission_immutable', 'an UPDATE is refused, even to the owner');
SELECT throws_rule($$DELETE FROM daily_report_submission WHERE jurisdiction = 'M1'$$,
  '23514', 'daily_report_submission_immutable', 'a DELETE is refused, even to the owner');
SELECT throws_rule($$TRUNCATE daily_report_submission$$,
  '23514', 'daily_report_submission_immutable', 'a TRUNCATE is refused');
SELECT is(submit_daily_report('unassigned', :'today'::date - 1), 1, 'the unassigned line can be submitted');

-- 8. Missing reports once due (12:00 the next day).
SELECT results_eq(
  $$SELECT jurisdiction, due_at = local_day_start(local_date(now()) - 4) + interval '12 hours'
      FROM daily_reports_missing(local_date(now()) - 5) WHERE jurisdiction IN ('M1', 'M2', 'M3') ORDER BY 1$$,
  $$VALUES ('M1', true), ('M2', true), ('M3', true)$$,
  'daily_reports_missing lists the districts without a report, due at 12:00 the next day');
SELECT lives_ok($$SELECT submit_daily_report('M2', local_date(now()) - 5)$$, 'M2 submits late');
SELECT results_eq(
  $$SELECT jurisdiction FROM daily_reports_missing(local_date(now()) - 5) WHERE jurisdiction IN ('M1', 'M2', 'M3') ORDER BY 1$$,
  $$VALUES ('M1'), ('M3')$$, 'a submitted district is no longer listed');
SELECT is((SELECT count(*) FROM daily_reports_missing(local_date(now()))), 0::bigint,
  'nothing is missing before the deadline');

SELECT * FROM finish();
ROLLBACK;
