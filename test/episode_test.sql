-- Whole episodes as a district works them (the district notes): arrival to release,
-- a charter-flight passenger with a filler phone, a medical round trip.
BEGIN;
SELECT plan(12);

-- 1. Arrival to release under 14c+7m (2021).
INSERT INTO person (person_id, doc_kind, doc_no, name, sex, birth_date, nationality, phone)
VALUES (930001, 'passport', 'EA0000001', 'HUANG LEI', 'M', '1985-03-02', 'CHN', '13812345678');
INSERT INTO entry (entry_id, person_id, entered_at, port_kind, port, flight, seat, temperature)
VALUES (930101, 930001, '2021-07-10 06:20+08', 'air', 'PVG', 'MU588', '23C', 36.4);
SELECT is((SELECT category::text FROM entry WHERE entry_id = 930101), 'general',
          'a healthy arrival is classified general');
INSERT INTO control (control_id, person_id, entry_id, site_id, responsible)
VALUES (930201, 930001, 930101, NULL, 'district team 3');
UPDATE control SET status = 'under_control', control_start = '2021-07-10 14:00+08' WHERE control_id = 930201;
SELECT results_eq(
  $$SELECT plan::text, quarantine_start, release_date, phase_on(plan, quarantine_start, date '2021-07-23')::text,
           phase_on(plan, quarantine_start, date '2021-07-24')::text
      FROM control WHERE control_id = 930201$$,
  $$VALUES ('14c+7m', date '2021-07-10', date '2021-07-31', 'centralized', 'monitoring')$$,
  'plan 14c+7m from the entry day: centralized to day 14, monitoring from day 15, free on 07-31');
INSERT INTO lab_test (person_id, kind, sampled_at, result, reported_at) VALUES
  (930001, 'nat', '2021-07-10 08:00+08', 'negative', '2021-07-10 20:00+08'),
  (930001, 'nat', '2021-07-23 08:00+08', 'negative', '2021-07-23 20:00+08');
SELECT lives_ok($$UPDATE control SET status = 'ended', end_reason = 'completed', ended_at = '2021-07-31 09:00+08'
                  WHERE control_id = 930201$$,
                'released as completed after the negative release NAT on day 14');
SELECT results_eq(
  $$SELECT from_status::text, to_status::text FROM control_event WHERE control_id = 930201 ORDER BY event_id$$,
  $$VALUES ('pending', 'under_control'), ('under_control', 'ended')$$,
  'the episode''s history is in control_event');

-- 2. Charter flight passenger with a filler phone (the district notes 包机人员).
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, phone)
VALUES (930002, 'passport', 'EB0000002', 'MA JUN', 'CHN', '10000000000');
INSERT INTO entry (entry_id, person_id, entered_at, port_kind, flight, seat)
VALUES (930102, 930002, '2021-07-10 13:50+08', 'air', 'CA9001', '40K');
INSERT INTO control (control_id, person_id, entry_id) VALUES (930202, 930002, 930102);
INSERT INTO task (module, person_id, issued_at) VALUES ('phone_check', 930002, '2021-07-10 14:00+08');
SELECT results_eq(
  $$SELECT p.phone_status, t.due_at FROM person p JOIN task t USING (person_id) WHERE p.person_id = 930002$$,
  $$VALUES ('placeholder', timestamptz '2021-07-11 12:00+08')$$,
  'a filler phone is a placeholder, with a phone check due the next day 12:00');
UPDATE person SET phone = '13900002222' WHERE person_id = 930002;
SELECT is((SELECT phone_status FROM person WHERE person_id = 930002), 'unverified',
          'the real number replaces the filler and waits for verification');

-- 3. Medical round trip keeps control_start (the district notes).
UPDATE control SET status = 'under_control', control_start = '2021-07-10 17:30+08' WHERE control_id = 930202;
UPDATE control SET status = 'medical' WHERE control_id = 930202;
UPDATE control SET status = 'under_control' WHERE control_id = 930202;
SELECT is((SELECT control_start FROM control WHERE control_id = 930202), timestamptz '2021-07-10 17:30+08',
          'after medical -> under_control the control_start is unchanged');
SELECT is((SELECT count(*)::int FROM control_event WHERE control_id = 930202 AND kind = 'status'), 3,
          'three status changes recorded');

-- 4. Transfer-in (the district notes: moved from Shanghai on 27 April).
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
VALUES (930003, 'passport', 'EC0000003', 'XU TING', 'CHN');
INSERT INTO entry (entry_id, person_id, entered_at, port_kind, port)
VALUES (930103, 930003, '2021-04-20 07:00+08', 'air', 'PVG');
INSERT INTO control (control_id, person_id, entry_id, status, control_start, transferred_from)
VALUES (930203, 930003, 930103, 'under_control', '2021-04-27 18:00+08', 'Shanghai isolation hotel');
SELECT is((SELECT quarantine_start FROM control WHERE control_id = 930203), date '2021-04-20',
          'day 1 of a transferred person is the entry day, not the transfer day');
SELECT throws_rule($$INSERT INTO verification (person_id, entry_id, return_date) VALUES (930003, 930103, '2021-04-28')$$,
                   '23514', 'verification_transfer_date', 'a return date other than 04-27 is rejected');
SELECT lives_ok($$INSERT INTO verification (person_id, entry_id, return_date, isolated_days_before_return, note)
                  VALUES (930003, 930103, '2021-04-27', 7, 'transferred from Shanghai after 7 days')$$,
                'the return date 04-27 agrees with the transfer');
SELECT is((SELECT release_date FROM control WHERE control_id = 930203), date '2021-05-04',
          'release date counts from the entry day: 14c (the 2021-04 policy) from 04-20');

SELECT * FROM finish();
ROLLBACK;
