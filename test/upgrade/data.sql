-- Records written through the 0.1.0 API before the upgrade: every table of
-- 0.1.0 gets rows, through its triggers (control_event, the colour feed and
-- the duplicate search write theirs), so the upgrade is tested on a database
-- in use.  Fixed dates in 2021, so the result does not depend on today.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
INSERT INTO jurisdiction (code, name, level) VALUES ('330302', '鹿城区 Lucheng', 'district');
INSERT INTO site (site_id, name, kind, capacity, jurisdiction, location) VALUES
  (1, 'Lucheng Hotel (isolation site 1)', 'hotel', 120, '330302', 'SRID=4326;POINT(120.655 28.015)');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, phone, jurisdiction) VALUES
  (901, 'resident_id', '330302198506120029', '陈明', 'CHN', '13857712345', '330302'),
  (902, 'passport',    'E70012345',          'ZHOU LIN', 'CHN', '11111111111', '330302'),
  (903, 'resident_id', '330302900307125',    '周林峰', 'CHN', NULL, '330302'),
  (904, 'resident_id', '330324199003071352', '周 林锋', 'CHN', '13500001111', '330302');
INSERT INTO entry (entry_id, person_id, entered_at, port_kind, port, flight, seat, temperature) VALUES
  (901, 901, '2021-07-10 06:20+08', 'air', 'PVG', 'MU588', '23C', 36.4),
  (902, 902, '2021-07-10 13:50+08', 'air', 'WNZ', 'CA9001', '24D', 36.6);
INSERT INTO control (control_id, person_id, entry_id, site_id, responsible) VALUES
  (901, 901, 901, 1, 'team 2'), (902, 902, 902, 1, 'team 1');
UPDATE control SET status = 'under_control', control_start = '2021-07-10 14:00+08' WHERE control_id = 901;
INSERT INTO lab_test (person_id, kind, sampled_at, result, reported_at) VALUES
  (901, 'nat', '2021-07-10 08:00+08', 'negative', '2021-07-10 20:00+08'),
  (901, 'nat', '2021-07-23 08:00+08', 'negative', '2021-07-23 20:00+08');
UPDATE control SET status = 'ended', end_reason = 'completed', ended_at = '2021-07-31 09:00+08'
 WHERE control_id = 901;
INSERT INTO task (module, person_id, issued_at) VALUES ('phone_check', 902, '2021-07-10 14:00+08');
INSERT INTO verification (person_id, entry_id, return_date, isolated_days_before_return)
VALUES (902, 902, NULL, 14);
INSERT INTO staff (person_id, role, employer) VALUES (901, 'cold_chain', 'Wenzhou cold store');
SELECT merge_persons(903, 904);
INSERT INTO manifest_staging (batch, row_no, name, doc_kind, doc_no, nationality, sex, birth_date,
                              phone, flight, seat, entered_at, port, site, jurisdiction) VALUES
  ('CA939-0426', 1, 'ROSSI MARIO', 'passport', 'YA1234567', 'ITA', 'M', '1980-01-02', '11111111111',
   'CA939', '12A', '2020-04-26 13:20', 'WNZ', 'Lucheng Hotel (isolation site 1)', '330302'),
  ('CA939-0426', 2, 'BAD ROW', 'passport', '', 'ITA', 'M', '1980-01-02', NULL,
   'CA939', '12B', '2020-04-26 13:20', 'WNZ', 'Lucheng Hotel (isolation site 1)', '330302');
SELECT * FROM load_manifest('CA939-0426');
SELECT refresh_codes('2021-07-20 12:00+08');
-- The scan trail (0.2.0 on): scans of yesterday and the day before, moved
-- into day partitions by 0.2.0's maintenance (pg_partman), which the update
-- must keep, rows and names; relative to now() so that retention keeps them
-- (counts.sql compares within one run).  0.1.0 has no trail.  0.2.0's
-- maintenance writes pg_partman 4's part_config: with pg_partman 5 (Debian
-- 13) a 0.2.0 database could not keep a trail, so none is written there
-- (doc/platforms.md).
SELECT to_regclass('quarantine.checkin') IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM pg_extension
                    WHERE extname = 'pg_partman' AND split_part(extversion, '.', 1)::int >= 5) AS has_trail \gset
\if :has_trail
INSERT INTO place (place_id, name, location) VALUES (1, 'Wuma Street No. 10', 'SRID=4326;POINT(120.6506 28.0060)');
SELECT now() AS t0 \gset
INSERT INTO checkin (person_id, place_id, scanned_at) VALUES
  (901, 1, :'t0'::timestamptz - interval '1 day'), (902, 1, :'t0'::timestamptz - interval '1 day 1 hour'),
  (901, 1, :'t0'::timestamptz - interval '2 days');
SELECT scan_trail_maintenance();
\endif
