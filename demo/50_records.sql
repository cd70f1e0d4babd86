-- make demo: a day of a district's work (seed 003) on a small realistic sample.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- The shipped policies end on 2023-01-08.  So that the sample runs on today's
-- date (the views compare with now()), the district adds a provincial row, as
-- an administrator would: the 2021 regime, 14 days centralized + 7 monitoring.
INSERT INTO policy (category, plan, effective, nat_days, note) VALUES
  ('general', '14c+7m', daterange(local_date(now()) - 60, NULL), '{1,4,7,14,16,21}',
   'demo: provincial rule so the sample runs on the current date');

INSERT INTO jurisdiction (code, name, level) VALUES ('330302', '鹿城区 Lucheng', 'district');
INSERT INTO site (site_id, name, kind, capacity, jurisdiction, location) VALUES
  (1, 'Lucheng Hotel (isolation site 1)', 'hotel', 120, '330302', 'SRID=4326;POINT(120.655 28.015)'),
  (2, 'Wenzhou Central Hospital', 'hospital', 40, '330302', 'SRID=4326;POINT(120.672 28.004)');

-- A morning's arrivals: one transferred in from Shanghai, one charter passenger
-- with a filler phone, one with fever at the port, one diplomat.
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, phone, jurisdiction) VALUES
  (1, 'resident_id', '330302198506120029', '陈明', 'CHN', '13857712345', '330302'),
  (2, 'passport',    'E70012345',          'ZHOU LIN', 'CHN', '11111111111', '330302'),
  (3, 'passport',    'EJ5566778',          'PAN YU', 'CHN', '+86 139 0577 8899', '330302'),
  (4, 'passport',    'D1234567',           'MARTIN Claire', 'FRA', '+33 6 12 34 56 78', '330302'),
  (5, 'resident_id', '330302900307125',    '周林峰', 'CHN', NULL, '330302'),
  (6, 'resident_id', '330324199003071352', '周 林锋', 'CHN', '13500001111', '330302');
INSERT INTO entry (entry_id, person_id, entered_at, port_kind, port, flight, seat, temperature, symptoms, exempt_reason) VALUES
  (1, 1, now() - interval '8 days', 'air', 'PVG', 'MU552', '31A', 36.5, NULL, NULL),
  (2, 2, now() - interval '3 hours', 'air', 'WNZ', 'CA9015', '22C', 36.6, NULL, NULL),
  (3, 3, now() - interval '5 hours', 'air', 'WNZ', 'CA9015', '24D', 37.8, '{dry_cough}', NULL),
  (4, 4, now() - interval '6 hours', 'air', 'PVG', 'AF198', '2A', 36.4, NULL, 'diplomat');
INSERT INTO control (control_id, person_id, entry_id, status, control_start, transferred_from, site_id, responsible) VALUES
  (1, 1, 1, 'under_control', now() - interval '1 day', 'Shanghai Pudong isolation hotel', 1, 'team 2'),
  (2, 2, 2, 'pending', NULL, NULL, 1, 'team 1'),
  (3, 3, 3, 'pending', NULL, NULL, 2, 'team 1');
INSERT INTO task (module, person_id, issued_at, done_at) VALUES
  ('control', 2, now() - interval '2 hours', NULL),
  ('phone_check', 2, now() - interval '2 hours', NULL),
  ('control', 3, now() - interval '1 day 2 hours', NULL),
  ('control', 1, now() - interval '9 days', now() - interval '8 days 20 hours'),
  ('verification', 1, now() - interval '2 days', NULL);
INSERT INTO verification (person_id, entry_id, return_date, isolated_days_before_return, note)
VALUES (1, 1, local_date(now() - interval '1 day'), 7, 'transferred after 7 days in Shanghai');

\echo
\echo '== Persons as stored: documents normalized, 15-digit IDs upgraded, phone status derived'
SELECT person_id, doc_kind, doc_no, name, sex, birth_date, phone_status FROM person ORDER BY person_id;

\echo
\echo '== Possible duplicates for review (never merged silently)'
SELECT d.person_id, p.name, d.other_id, o.name AS other_name, round(d.score::numeric, 2) AS score, d.reason
  FROM duplicate_candidate d JOIN person p ON p.person_id = d.person_id JOIN person o ON o.person_id = d.other_id;

\echo
\echo '== Arrivals: category from port screening, plan from the policy of the day'
SELECT e.entry_id, p.name, e.temperature, e.symptoms, e.category, c.status, c.plan,
       c.quarantine_start, c.release_date
  FROM entry e JOIN person p USING (person_id) LEFT JOIN control c USING (entry_id) ORDER BY e.entry_id;

\echo
\echo '== Tasks overdue right now'
SELECT task_id, module, person_id, due_at, date_trunc('minute', overdue_by) AS overdue_by FROM overdue_tasks ORDER BY due_at;

\echo
\echo '== Verification issues'
SELECT * FROM verification_issues ORDER BY verification_id, issue;

\echo
\echo '== Late registrations (seed 003: register on the day control starts)'
SELECT control_id, person_id, days_late FROM late_registrations;

\echo
\echo '== A bad write is refused, with the rule name for the case system:'
\set ON_ERROR_STOP 0
\set VERBOSITY verbose
UPDATE control SET status = 'returned' WHERE control_id = 2;
UPDATE control SET status = 'pending' WHERE control_id = 1;
\set VERBOSITY default
\set ON_ERROR_STOP 1

\echo
\echo '== The medical round trip keeps control_start; history is in control_event'
UPDATE control SET status = 'under_control' WHERE control_id = 3;
UPDATE control SET status = 'medical', site_id = 2 WHERE control_id = 3;
UPDATE control SET status = 'under_control', site_id = 1 WHERE control_id = 3;
SELECT control_id, kind, from_status, to_status, by_role FROM control_event ORDER BY event_id;
