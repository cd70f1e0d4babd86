-- code_color: every colour and reason of doc/health.md, each both ways, the day
-- boundaries of the plans, and the order of the rules.  All dates are 2021
-- and every call passes `at`, so nothing depends on today.
BEGIN;
SELECT plan(67);

SET LOCAL TimeZone = 'UTC';   -- the local dates must come from quarantine.timezone

-- Each case: person, instant (Beijing time), expected colour and reason.
CREATE TEMP TABLE expect (person bigint, at timestamptz, color text, reason text, what text);
CREATE FUNCTION pg_temp.check_cases() RETURNS SETOF text LANGUAGE sql AS $$
  SELECT is((code_color(e.person, e.at)).color::text || ' ' || (code_color(e.person, e.at)).reason,
            e.color || ' ' || e.reason, e.what)
    FROM expect e ORDER BY e.at, e.person, e.what
$$;

INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
SELECT 960000 + i, 'passport', 'EH' || lpad(i::text, 7, '0'), 'HEALTH TEST ' || i, 'CHN'
  FROM generate_series(1, 16) i;

-- 960001: 14c+7m (the 2021 policy) from 2021-06-01, under control.
-- 960002: 7c+7h+7m from 2021-06-01 (home transfer written as the plan).
INSERT INTO entry (entry_id, person_id, entered_at, temperature) VALUES
  (960101, 960001, '2021-06-01 10:00+08', 36.5),
  (960102, 960002, '2021-06-01 10:00+08', 36.5);
INSERT INTO control (control_id, person_id, entry_id, plan, status, control_start) VALUES
  (960201, 960001, 960101, NULL, 'under_control', '2021-06-01 15:00+08'),
  (960202, 960002, 960102, '7c+7h+7m', 'under_control', '2021-06-01 15:00+08');

INSERT INTO expect VALUES
  -- centralized to the last day, monitoring from the first day after it
  (960001, '2021-06-01 15:00+08', 'red', 'centralized', '14c+7m day 1: centralized is red'),
  (960001, '2021-06-14 23:59:59+08', 'red', 'centralized', '14c+7m last second of the last centralized day (local): red'),
  (960001, '2021-06-15 00:00+08', 'yellow', 'monitoring', '14c+7m first monitoring day from local midnight: yellow'),
  (960001, '2021-06-21 12:00+08', 'yellow', 'monitoring', '14c+7m last monitoring day: yellow'),
  (960001, '2021-06-22 12:00+08', 'yellow', 'release_test_missing', 'first free day, control still open, no release NAT: yellow'),
  -- home isolation is orange (the Longyan notice)
  (960002, '2021-06-07 12:00+08', 'red', 'centralized', '7c+7h+7m last day of centralized: red'),
  (960002, '2021-06-08 00:00+08', 'orange', 'home_isolation', '7c+7h+7m first day home: orange'),
  (960002, '2021-06-14 23:59+08', 'orange', 'home_isolation', '7c+7h+7m last day home: orange'),
  (960002, '2021-06-15 00:00+08', 'yellow', 'monitoring', '7c+7h+7m first day of monitoring: yellow');
SELECT * FROM pg_temp.check_cases();
TRUNCATE expect;

SELECT is((code_color(960001, '2021-06-14 15:59:59+00')).reason, 'centralized',
          'session TimeZone UTC: 15:59:59 UTC is still 06-14 in Asia/Shanghai');
SELECT is((code_color(960001, '2021-06-14 16:00:00+00')).reason, 'monitoring',
          '16:00 UTC is 06-15 00:00 in Asia/Shanghai');

-- release_test_missing both ways: a NAT before the window does not count, one
-- within release_test_days (2) before the isolation end (06-15) does.
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES
  (960001, 'nat', '2021-06-12 09:00+08', 'negative'),
  (960002, 'nat', '2021-06-14 09:00+08', 'negative');
SELECT is((code_color(960001, '2021-06-22 12:00+08')).reason, 'release_test_missing',
          'a negative NAT on 06-12 is before the release window [06-13, 06-15]');
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES
  (960001, 'nat', '2021-06-13 09:00+08', 'negative');
SELECT is(code_color(960001, '2021-06-22 12:00+08')::text, '(green,clear)',
          'with a negative NAT on 06-13 the open control past its plan is green');
SELECT is(code_color(960001, '2021-06-13 08:00+08')::text, '(red,centralized)',
          'a NAT sampled after at is not counted (nor any fact later than at)');

-- The latest completed control governs when no control is open.
UPDATE control SET status = 'ended', end_reason = 'completed', ended_at = '2021-06-15 10:00+08'
 WHERE control_id = 960202;
INSERT INTO expect VALUES
  (960002, '2021-06-16 12:00+08', 'yellow', 'monitoring', 'completed 7c+7h+7m: its monitoring days are still yellow'),
  (960002, '2021-06-21 23:59+08', 'yellow', 'monitoring', 'completed control: last monitoring day yellow'),
  (960002, '2021-06-22 00:00+08', 'green', 'clear', 'completed control: first free day green'),
  (960002, '2021-06-10 12:00+08', 'orange', 'home_isolation', 'phases of a completed control hold for earlier instants too');
SELECT * FROM pg_temp.check_cases();
TRUNCATE expect;

-- pending, medical (a round trip), returned.
INSERT INTO entry (entry_id, person_id, entered_at, temperature) VALUES
  (960103, 960003, '2021-06-01 10:00+08', 36.5),
  (960104, 960004, '2021-06-01 10:00+08', 36.5),
  (960105, 960005, '2021-06-01 10:00+08', 36.5);
INSERT INTO control (control_id, person_id, entry_id) VALUES (960203, 960003, 960103);
SELECT is(code_color(960003, '2021-06-03 12:00+08')::text, '(red,pending)', 'a pending control is red');
SELECT is(code_color(960003, '2021-06-30 12:00+08')::text, '(red,pending)',
          'pending is red whatever the plan says (past its days too)');
UPDATE control SET status = 'under_control', control_start = '2021-06-01 18:00+08' WHERE control_id = 960203;
SELECT is(code_color(960003, '2021-06-03 12:00+08')::text, '(red,centralized)', 'under control: the phase decides');
UPDATE control SET status = 'medical' WHERE control_id = 960203;
SELECT is(code_color(960003, '2021-06-16 12:00+08')::text, '(red,medical)',
          'medical is red, even in the monitoring days');
UPDATE control SET status = 'under_control' WHERE control_id = 960203;
SELECT is(code_color(960003, '2021-06-16 12:00+08')::text, '(yellow,monitoring)',
          'back from medical the phase decides again (day 1 unchanged)');

INSERT INTO control (control_id, person_id, entry_id, status, return_reason, return_note) VALUES
  (960204, 960004, 960104, 'returned', 'unreachable', 'phone off for three days'),
  (960205, 960005, 960105, 'returned', 'out_of_province', 'isolated in Shanghai');
SELECT is(code_color(960004, '2021-07-01 12:00+08')::text, '(yellow,unreachable)',
          'the latest control returned as unreachable: yellow');
SELECT is(code_color(960005, '2021-07-01 12:00+08')::text, '(green,clear)',
          'returned as out_of_province is not unreachable: green');
SELECT is(code_color(960005, '2021-06-05 12:00+08')::text, '(green,clear)',
          'an entry with a (returned) control is not in entry observation');
INSERT INTO entry (entry_id, person_id, entered_at, temperature) VALUES
  (960106, 960004, '2021-07-02 10:00+08', 36.5);
INSERT INTO control (control_id, person_id, entry_id, status, end_reason, ended_at) VALUES
  (960206, 960004, 960106, 'ended', 'exempted', '2021-07-02 12:00+08');
SELECT is(code_color(960004, '2021-07-20 12:00+08')::text, '(green,clear)',
          'a later control ends the unreachable yellow');

-- positive_test: NAT, IgM and antigen count, IgG does not; a completed
-- control ended after the sample clears it, other endings do not.
INSERT INTO entry (entry_id, person_id, entered_at, temperature) VALUES
  (960107, 960006, '2021-06-01 10:00+08', 36.5);
INSERT INTO control (control_id, person_id, entry_id, status, control_start) VALUES
  (960207, 960006, 960107, 'under_control', '2021-06-01 15:00+08');
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES
  (960006, 'igm', '2021-06-03 09:00+08', 'positive'),     -- before the completed end: cleared
  (960006, 'nat', '2021-06-14 09:00+08', 'negative'),
  (960007, 'igg', '2021-06-03 09:00+08', 'positive'),     -- IgG: past infection or vaccine
  (960008, 'antigen', '2021-06-03 09:00+08', 'positive'),
  (960009, 'nat', '2021-06-03 09:00+08', 'positive');
UPDATE control SET status = 'ended', end_reason = 'completed', ended_at = '2021-06-15 10:00+08'
 WHERE control_id = 960207;
SELECT is(code_color(960006, '2021-06-25 12:00+08')::text, '(green,clear)',
          'a positive IgM sampled before a completed control ended is cleared');
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES
  (960006, 'nat', '2021-06-24 09:00+08', 'positive');
SELECT is(code_color(960006, '2021-06-24 08:59+08')::text, '(green,clear)',
          'before the positive sample: green');
SELECT is(code_color(960006, '2021-06-24 09:00+08')::text, '(red,positive_test)',
          'a positive NAT after the completed control: red');
SELECT is(code_color(960006, '2021-06-18 12:00+08')::text, '(yellow,monitoring)',
          'the monitoring days before the new positive stay yellow');
SELECT is(code_color(960007, '2021-06-05 12:00+08')::text, '(green,clear)', 'a positive IgG does not make a code red');
SELECT is(code_color(960008, '2021-06-05 12:00+08')::text, '(red,positive_test)', 'a positive antigen test is red');
SELECT is(code_color(960009, '2021-12-05 12:00+08')::text, '(red,positive_test)',
          'a positive NAT with no control since stays red until a completed control clears it');
INSERT INTO entry (entry_id, person_id, entered_at, temperature) VALUES
  (960109, 960009, '2021-06-02 10:00+08', 36.5);
INSERT INTO control (control_id, person_id, entry_id, status, end_reason, ended_at) VALUES
  (960209, 960009, 960109, 'ended', 'confirmed_case', '2021-06-04 10:00+08');
SELECT is(code_color(960009, '2021-06-05 12:00+08')::text, '(red,positive_test)',
          'a control ended as confirmed_case hands the person over, it does not clear the positive');

-- The order of the rules: red before orange before yellow.
INSERT INTO entry (entry_id, person_id, entered_at, temperature) VALUES
  (960110, 960010, '2021-06-01 10:00+08', 36.5);
INSERT INTO control (control_id, person_id, entry_id, plan, status, control_start) VALUES
  (960210, 960010, 960110, '7c+7h', 'under_control', '2021-06-01 15:00+08');
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES
  (960010, 'nat', '2021-06-09 09:00+08', 'positive');
SELECT is(code_color(960010, '2021-06-08 12:00+08')::text, '(orange,home_isolation)',
          'home isolation before the positive: orange');
SELECT is(code_color(960010, '2021-06-09 12:00+08')::text, '(red,positive_test)',
          'a positive test during home isolation: red wins over orange');
UPDATE control SET status = 'medical' WHERE control_id = 960210;
SELECT is(code_color(960010, '2021-06-09 12:00+08')::text, '(red,medical)',
          'medical comes before positive_test');

-- case: confirmed or suspected at the port, within the observation days.
INSERT INTO entry (entry_id, person_id, entered_at, temperature, port_nat_result, category, exempt_reason) VALUES
  (960111, 960011, '2021-06-01 10:00+08', 36.5, 'positive', NULL, NULL),
  (960112, 960012, '2021-06-01 10:00+08', 36.5, NULL, 'suspected', NULL),
  (960113, 960013, '2021-06-01 10:00+08', 38.2, NULL, NULL, NULL),
  (960114, 960014, '2021-06-01 10:00+08', 36.5, NULL, NULL, NULL),
  (960115, 960015, '2021-06-01 10:00+08', 36.5, NULL, NULL, 'diplomat');
SELECT is((SELECT array_agg(category::text ORDER BY entry_id) FROM entry WHERE entry_id BETWEEN 960111 AND 960115),
          ARRAY['confirmed', 'suspected', 'symptomatic', 'general', 'exempt'],
          'the arrival categories of the case and observation persons');
INSERT INTO expect VALUES
  (960011, '2021-06-01 10:00+08', 'red', 'case', 'confirmed at the port on the entry instant: red'),
  (960011, '2021-06-14 23:59+08', 'red', 'case', 'confirmed at the port, day 14: red'),
  (960011, '2021-06-15 00:00+08', 'green', 'clear', 'confirmed at the port, day 15 with no other record: green'),
  (960011, '2021-06-01 09:59+08', 'green', 'clear', 'before the entry: green'),
  (960012, '2021-06-05 12:00+08', 'red', 'case', 'suspected: red'),
  (960013, '2021-06-05 12:00+08', 'yellow', 'entry_observation', 'symptomatic without a control: entry observation, not case'),
  -- the national plan 二(四)2: 14 days of observation after entry
  (960014, '2021-06-01 10:00+08', 'yellow', 'entry_observation', 'general arrival without a control, day 1: yellow'),
  (960014, '2021-06-14 23:59+08', 'yellow', 'entry_observation', 'general arrival without a control, day 14: yellow'),
  (960014, '2021-06-15 00:00+08', 'green', 'clear', 'general arrival without a control, day 15: green'),
  (960015, '2021-06-05 12:00+08', 'green', 'clear', 'an exempt arrival (diplomat) is not in entry observation');
SELECT * FROM pg_temp.check_cases();
TRUNCATE expect;
SET LOCAL quarantine.observation_days = 7;
SELECT is(code_color(960014, '2021-06-08 12:00+08')::text, '(green,clear)',
          'the observation days follow quarantine.observation_days');
RESET quarantine.observation_days;
INSERT INTO control (control_id, person_id, entry_id) VALUES (960214, 960014, 960114);
SELECT is(code_color(960014, '2021-06-05 12:00+08')::text, '(red,pending)',
          'once a control takes the entry, the control decides');

-- Staff (the port-city notice): the closed-loop rotation 14w+7c+7m and the test schedule.
INSERT INTO staff (person_id, role, employer, closed_loop_start) VALUES
  (960016, 'port_frontline', 'Wenzhou airport', '2021-06-01');
INSERT INTO staff (person_id, role, employer) VALUES
  (960007, 'family', NULL);
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES
  (960016, 'nat', '2021-06-27 09:00+08', 'negative'),
  (960016, 'nat', '2021-06-29 09:00+08', 'negative'),
  (960007, 'nat', '2021-06-01 09:00+08', 'negative');
INSERT INTO expect VALUES
  (960016, '2021-06-01 08:00+08', 'yellow', 'closed_loop_work', 'closed-loop work day 1: yellow'),
  (960016, '2021-06-14 23:59+08', 'yellow', 'closed_loop_work', 'closed-loop work day 14: yellow'),
  (960016, '2021-06-15 00:00+08', 'red', 'centralized', 'after the work, 7 days centralized: red'),
  (960016, '2021-06-22 00:00+08', 'yellow', 'monitoring', 'then 7 days home monitoring: yellow'),
  (960016, '2021-06-29 12:00+08', 'green', 'clear', 'rotation over, tested 06-27 and 06-29: green'),
  (960016, '2021-07-01 23:59+08', 'green', 'clear', 'every other day: due 07-01, not overdue that day'),
  (960016, '2021-07-02 00:00+08', 'yellow', 'staff_test_overdue', 'every other day: overdue from 07-02'),
  (960007, '2021-05-31 12:00+08', 'yellow', 'staff_test_overdue', 'a staff family member with no NAT yet is due now: yellow'),
  (960007, '2021-06-08 12:00+08', 'green', 'clear', 'family, tested 06-01: due 06-08, green that day'),
  (960007, '2021-06-09 12:00+08', 'yellow', 'staff_test_overdue', 'family, tested 06-01: overdue on 06-09');
SELECT * FROM pg_temp.check_cases();
TRUNCATE expect;

-- Errors and volatility.
SELECT throws_ok($$SELECT code_color(969999, '2021-06-01')$$, 'P0002', 'person 969999 does not exist',
                 'an unknown person is an error');
SELECT throws_ok($$SELECT code_color(960001, 'infinity')$$, '22008', NULL, 'an infinite instant is an error');
SELECT is(code_color(NULL, '2021-06-01'), NULL, 'NULL in, NULL out');
CREATE ROLE health_code_no_select;
GRANT USAGE ON SCHEMA quarantine TO health_code_no_select;
-- EXECUTE is granted to the working roles only (doc/security.md); even with it the
-- table privileges hold.
GRANT EXECUTE ON FUNCTION code_color(bigint, timestamptz) TO health_code_no_select;
SET LOCAL ROLE health_code_no_select;
SELECT throws_ok($$SELECT quarantine.code_color(960001, '2021-06-01')$$, '42501', 'permission denied for table person',
                 'code_color needs SELECT on the tables it reads, as a query would');
RESET ROLE;
SELECT is((SELECT provolatile FROM pg_proc WHERE oid = 'code_color(bigint, timestamptz)'::regprocedure), 's',
          'code_color is STABLE');
SELECT ok((SELECT max(c) FROM unnest(ARRAY['yellow', 'red', 'green']::health_code[]) c) = 'red'
          AND 'orange'::health_code > 'yellow', 'health_code orders green < yellow < orange < red');

SELECT * FROM finish();
ROLLBACK;
