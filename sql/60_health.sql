-- Health-code colours (doc/health.md) and high-risk staff (doc/health.md).
SET search_path = quarantine, public;
SET datestyle = 'ISO, YMD';
SET TimeZone = 'Asia/Shanghai';
BEGIN;

-- Test schedules per role (the port-city notice 二).
SELECT role, samples, next_test_due(role, samples) AS next_due,
       test_overdue(role, samples, '2021-06-09') AS overdue_on_0609
  FROM (VALUES ('port_frontline', '{2021-06-05,2021-06-07}'::date[]),
               ('quarantine_site', '{2021-06-07}'),
               ('designated_hospital', '{2021-06-06}'),
               ('cold_chain', '{}'),
               ('other_staff', '{2021-06-01,2021-06-03,2021-06-07}'),
               ('other_staff', '{2021-06-04}'),
               ('family', '{2021-06-01}'),
               ('family', '{2021-06-02}')) t(role, samples);

-- Four persons from 2021-06-01: an arrival on 14c+7m (the 2021 policy) who
-- gives a release NAT on day 14; one moved home after 7 days (7c+7h+7m) who
-- gives none; a port worker on the 14w+7c+7m rotation tested every other
-- day from day 27; a general arrival nobody took charge of.
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality) VALUES
  (601, 'passport', 'E60000001', 'GAO YUAN', 'CHN'),
  (602, 'passport', 'E60000002', 'LUO MIN', 'CHN'),
  (603, 'resident_id', '330302199001011235', '吴强', 'CHN'),
  (604, 'passport', 'E60000004', 'SHEN LI', 'CHN');
INSERT INTO entry (entry_id, person_id, entered_at, temperature) VALUES
  (601, 601, '2021-06-01 10:00', 36.5),
  (602, 602, '2021-06-01 10:00', 36.5),
  (604, 604, '2021-06-01 10:00', 36.5);
INSERT INTO control (control_id, person_id, entry_id, plan, status, control_start) VALUES
  (601, 601, 601, NULL, 'under_control', '2021-06-01 15:00'),
  (602, 602, 602, '7c+7h+7m', 'under_control', '2021-06-01 15:00');
INSERT INTO staff (person_id, role, employer, closed_loop_start) VALUES
  (603, 'port_frontline', 'Wenzhou airport', '2021-06-01');
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES
  (601, 'nat', '2021-06-14 09:00', 'negative'),
  (603, 'nat', '2021-06-27 09:00', 'negative'),
  (603, 'nat', '2021-06-29 09:00', 'negative');

-- The colour at noon of each day where something changes.
SELECT d AS day, day_number('2021-06-01', d) AS day_no, c.person_id,
       (code_color(c.person_id, d + time '12:00')).*
  FROM unnest(ARRAY[date '2021-05-31', '2021-06-01', '2021-06-07', '2021-06-08', '2021-06-14',
                    '2021-06-15', '2021-06-21', '2021-06-22', '2021-06-28', '2021-06-29',
                    '2021-07-01', '2021-07-02']) d
 CROSS JOIN (VALUES (601), (602), (603), (604)) c(person_id)
 ORDER BY c.person_id, d;

-- The colour follows the local date in quarantine.timezone, whatever the
-- session's TimeZone.
SET LOCAL TimeZone = 'UTC';
SELECT at, (code_color(601, at)).*
  FROM (VALUES (timestamptz '2021-06-14 15:59:59+00'), ('2021-06-14 16:00:00+00')) t(at);
SET LOCAL TimeZone = 'Asia/Shanghai';

-- Errors.
SELECT code_color(699, '2021-06-01');
ROLLBACK;
SELECT next_test_due('driver', '{}');
SELECT nat_proof_valid(601, '2021-06-01', -1);
