-- make demo: a day of a district's work (doc/records.md) on a small realistic sample,
-- next to the 10,000 generated persons of 05_district.sql: the sample's ids
-- start at 20001 (persons, entries, controls) and its sites are 901 and 902,
-- and the listings below show the sample only.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- The shipped policies end on 2023-01-08.  So that the sample runs on today's
-- date (the views compare with now()), the district adds a provincial row, as
-- an administrator would: the 2021 regime, 14 days centralized + 7 monitoring.
INSERT INTO policy (category, plan, effective, nat_days, note) VALUES
  ('general', '14c+7m', daterange(local_date(now()) - 60, NULL), '{1,4,7,14,16,21}',
   'demo: provincial rule so the sample runs on the current date');

-- 鹿城区 is there already (the generator's places); the same row otherwise.
INSERT INTO jurisdiction (code, name, level) VALUES ('330302', '鹿城区', 'district')
ON CONFLICT (code) DO NOTHING;
-- Site 901 takes the whole charter flight of 70_import.sql (300 passengers):
-- a load beyond its beds would be refused (rule site_full, doc/ports.md).
INSERT INTO site (site_id, name, kind, capacity, jurisdiction, location) VALUES
  (901, 'Lucheng Hotel (isolation site 1)', 'hotel', 400, '330302', 'SRID=4326;POINT(120.655 28.015)'),
  (902, 'Wenzhou Central Hospital', 'hospital', 40, '330302', 'SRID=4326;POINT(120.672 28.004)');

-- A morning's arrivals: one transferred in from Shanghai, one charter passenger
-- with a filler phone, one with fever at the port, one diplomat.
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, phone, jurisdiction) VALUES
  (20001, 'resident_id', '330302198506120029', '陈明', 'CHN', '13857712345', '330302'),
  (20002, 'passport',    'E70012345',          'ZHOU LIN', 'CHN', '11111111111', '330302'),
  (20003, 'passport',    'EJ5566778',          'PAN YU', 'CHN', '+86 139 0577 8899', '330302'),
  (20004, 'passport',    'D1234567',           'MARTIN Claire', 'FRA', '+33 6 12 34 56 78', '330302'),
  (20005, 'resident_id', '330302900307125',    '周林峰', 'CHN', NULL, '330302'),
  (20006, 'resident_id', '330324199003071352', '周 林锋', 'CHN', '13500001111', '330302');
INSERT INTO entry (entry_id, person_id, entered_at, port_kind, port, flight, seat, temperature, symptoms, exempt_reason) VALUES
  (20001, 20001, now() - interval '8 days', 'air', 'PVG', 'MU552', '31A', 36.5, NULL, NULL),
  (20002, 20002, now() - interval '3 hours', 'air', 'WNZ', 'CA9015', '22C', 36.6, NULL, NULL),
  (20003, 20003, now() - interval '5 hours', 'air', 'WNZ', 'CA9015', '24D', 37.8, '{dry_cough}', NULL),
  (20004, 20004, now() - interval '6 hours', 'air', 'PVG', 'AF198', '2A', 36.4, NULL, 'diplomat');
INSERT INTO control (control_id, person_id, entry_id, status, control_start, transferred_from, site_id, responsible) VALUES
  (20001, 20001, 20001, 'under_control', now() - interval '1 day', 'Shanghai Pudong isolation hotel', 901, 'team 2'),
  (20002, 20002, 20002, 'pending', NULL, NULL, 901, 'team 1'),
  (20003, 20003, 20003, 'pending', NULL, NULL, 902, 'team 1');
INSERT INTO task (module, person_id, issued_at, done_at) VALUES
  ('control', 20002, now() - interval '2 hours', NULL),
  ('phone_check', 20002, now() - interval '2 hours', NULL),
  ('control', 20003, now() - interval '1 day 2 hours', NULL),
  ('control', 20001, now() - interval '9 days', now() - interval '8 days 20 hours'),
  ('verification', 20001, now() - interval '2 days', NULL);
INSERT INTO verification (person_id, entry_id, return_date, isolated_days_before_return, note)
VALUES (20001, 20001, local_date(now() - interval '1 day'), 7, 'transferred after 7 days in Shanghai');

\echo
\echo '== 50 Persons as stored: documents normalized, 15-digit IDs upgraded, phone status derived'
SELECT person_id, doc_kind, doc_no, name, sex, birth_date, phone_status FROM person WHERE person_id > 20000 ORDER BY person_id;

\echo
\echo '== 50 Possible duplicates for review (never merged silently)'
SELECT d.person_id, p.name, d.other_id, o.name AS other_name, round(d.score::numeric, 2) AS score, d.reason
  FROM duplicate_candidate d JOIN person p ON p.person_id = d.person_id JOIN person o ON o.person_id = d.other_id
 WHERE d.person_id > 20000 OR d.other_id > 20000;

\echo
\echo '== 50 Arrivals: category from port screening, plan from the policy of the day'
SELECT e.entry_id AS entry, p.name, e.temperature AS temp, e.symptoms, e.category, c.status, c.plan,
       c.release_date
  FROM entry e JOIN person p USING (person_id) LEFT JOIN control c USING (entry_id)
 WHERE e.entry_id > 20000 ORDER BY e.entry_id;

\echo
\echo '== 50 Tasks overdue right now'
SELECT task_id, module, person_id, due_at, date_trunc('minute', overdue_by) AS overdue_by FROM overdue_tasks
 WHERE person_id > 20000 ORDER BY due_at;

\echo
\echo '== 50 Verification issues'
SELECT * FROM verification_issues WHERE person_id > 20000 ORDER BY verification_id, issue;

\echo
\echo '== 50 Late registrations (a control is registered on the day it starts)'
SELECT control_id, person_id, days_late FROM late_registrations WHERE control_id > 20000;

\echo
\echo '== 50 A bad write is refused, with the rule name for the case system:'
\set ON_ERROR_STOP 0
\set VERBOSITY verbose
UPDATE control SET status = 'returned' WHERE control_id = 20002;
UPDATE control SET status = 'pending' WHERE control_id = 20001;
\set VERBOSITY default
\set ON_ERROR_STOP 1

\echo
\echo '== 50 The medical round trip keeps control_start; history is in control_event'
UPDATE control SET status = 'under_control' WHERE control_id = 20003;
UPDATE control SET status = 'medical', site_id = 902 WHERE control_id = 20003;
UPDATE control SET status = 'under_control', site_id = 901 WHERE control_id = 20003;
SELECT control_id, kind, from_status, to_status, by_role FROM control_event
 WHERE control_id > 20000 ORDER BY event_id;
