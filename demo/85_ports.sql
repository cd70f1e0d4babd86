-- make demo: port-city measures (doc/ports.md).  Hotel capacity: the
-- fullest hotels today, a new arrival placed by assign_site, and a guest
-- refused by site_full; the flight circuit breaker on a flight of 2021.
-- Samples take ids 29500+ and site 903.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET quarantine.duplicate_detection = off;

\echo
\echo '== 85 The fullest hotels of 鹿城区 today (beds held: pending and under_control, centralized days)'
SELECT site_id, name, capacity, occupied, free FROM site_occupancy
 WHERE jurisdiction = '330302' AND kind = 'hotel' ORDER BY free, site_id LIMIT 5;

INSERT INTO site (site_id, name, kind, capacity, jurisdiction, location) VALUES
  (903, 'Wuma Guesthouse (one bed)', 'hotel', 1, '330302', 'SRID=4326;POINT(120.6545 28.0105)');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, jurisdiction, home_location) VALUES
  (29501, 'passport', 'EW9000001', 'ZHAO LEI', 'CHN', '330302', 'SRID=4326;POINT(120.6540 28.0100)'),
  (29502, 'passport', 'EW9000002', 'QIAN NA', 'CHN', '330302', 'SRID=4326;POINT(120.6541 28.0100)');
INSERT INTO control (control_id, person_id, status, jurisdiction, quarantine_start) VALUES
  (29501, 29501, 'pending', '330302', local_date(now())),
  (29502, 29502, 'pending', '330302', local_date(now()));

\echo
\echo '== 85 assign_site: the nearest hotel of the district with a free bed on every centralized day'
SELECT assign_site(29501) AS site_id;
SELECT assign_site(29502) AS site_id;
SELECT c.control_id, c.site_id, s.name AS hotel FROM control c JOIN site s USING (site_id)
 WHERE c.control_id IN (29501, 29502) ORDER BY 1;

\echo
\echo '== 85 site_full: the one-bed guesthouse is taken; moving the second guest there by hand is refused'
\set ON_ERROR_STOP 0
\set VERBOSITY verbose
UPDATE control SET site_id = 903 WHERE control_id = 29502;
\set VERBOSITY default
\set ON_ERROR_STOP 1

\echo
\echo '== 85 Flight circuit breaker: CA936 of 2021-03-10 brought 5 positives of 8 passengers'
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
SELECT 29600 + i, 'passport', 'EW96' || lpad(i::text, 5, '0'), 'PASSENGER ' || i, 'CHN' FROM generate_series(1, 8) i;
INSERT INTO entry (person_id, entered_at, flight, port)
SELECT 29600 + i, '2021-03-10 15:20+08', 'CA936', 'WNZ' FROM generate_series(1, 8) i;
INSERT INTO lab_test (person_id, kind, sampled_at, result, reported_at)
SELECT 29600 + i, 'nat', '2021-03-10 16:00+08'::timestamptz + (i % 2) * interval '1 day', 'positive',
       '2021-03-10 22:00+08'::timestamptz + (i % 2) * interval '1 day'
  FROM generate_series(1, 5) i;
SELECT b.flight, b.arrival_date, b.passengers, b.positives, b.suspend_from, b.suspend_until, p.note
  FROM flight_circuit_breaks('2021-03-01', '2021-04-01') b JOIN circuit_breaker_policy p ON p.rule_id = b.policy;
