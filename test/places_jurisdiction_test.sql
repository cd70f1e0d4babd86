-- Jurisdictions from a location (doc/places.md): the smallest unit covering a
-- person's home or a site, a point on a shared border, a point outside every
-- boundary, and the control's fill from its site, else its person.  Also the
-- seat rows of the flight-contact rule on the short forms a manifest holds.
BEGIN;
SELECT plan(20);
SET LOCAL quarantine.duplicate_detection = off;

-- A city with two districts side by side, sharing the meridian 120.70 E, and
-- a street inside the west district.
INSERT INTO jurisdiction (code, name, parent, level, boundary) VALUES
  ('97J', 'test city', NULL, 'city',
   'SRID=4326;MULTIPOLYGON(((120.50 27.80,121.00 27.80,121.00 28.20,120.50 28.20,120.50 27.80)))'),
  ('97JW', 'west district', '97J', 'district',
   'SRID=4326;MULTIPOLYGON(((120.60 27.90,120.70 27.90,120.70 28.10,120.60 28.10,120.60 27.90)))'),
  ('97JE', 'east district', '97J', 'district',
   'SRID=4326;MULTIPOLYGON(((120.70 27.90,120.85 27.90,120.85 28.10,120.70 28.10,120.70 27.90)))'),
  ('97JWS', 'west street', '97JW', 'street',
   'SRID=4326;MULTIPOLYGON(((120.62 27.95,120.64 27.95,120.64 27.97,120.62 27.97,120.62 27.95)))');

SELECT results_eq(
  $$SELECT code FROM jurisdictions_at('SRID=4326;POINT(120.63 27.96)') WHERE code LIKE '97J%'$$,
  $$VALUES ('97JWS'), ('97JW'), ('97J')$$,
  'jurisdictions_at: every unit covering the point, smallest first');
SELECT is((SELECT code FROM jurisdictions_at('SRID=4326;POINT(120.70 28.00)') LIMIT 1), '97JW',
          'a point on the border of two districts goes to the smaller one');
SELECT is((SELECT count(*)::int FROM jurisdictions_at('SRID=4326;POINT(120.70 28.00)') WHERE code IN ('97JW', '97JE')), 2,
          'the border point is covered by both districts');
SELECT is_empty($$SELECT * FROM jurisdictions_at('SRID=4326;POINT(100.0 10.0)') WHERE code LIKE '97J%'$$,
                'a point outside every boundary: no unit');
SELECT is_empty($$SELECT * FROM jurisdictions_at(NULL)$$, 'NULL: no unit');

-- Persons: the smallest unit from home_location, when no jurisdiction is given.
INSERT INTO person (person_id, doc_kind, doc_no, name, home_location, jurisdiction, nationality) VALUES
  (97001, 'passport', 'EJ9700001', 'IN STREET', 'SRID=4326;POINT(120.63 27.96)', NULL, 'CHN'),
  (97002, 'passport', 'EJ9700002', 'IN EAST', 'SRID=4326;POINT(120.80 28.00)', NULL, 'CHN'),
  (97003, 'passport', 'EJ9700003', 'ON BORDER', 'SRID=4326;POINT(120.70 28.00)', NULL, 'CHN'),
  (97004, 'passport', 'EJ9700004', 'FAR AWAY', 'SRID=4326;POINT(100.0 10.0)', NULL, 'CHN'),
  (97005, 'passport', 'EJ9700005', 'GIVEN', 'SRID=4326;POINT(120.80 28.00)', '97JW', 'CHN'),
  (97006, 'passport', 'EJ9700006', 'NO HOME', NULL, NULL, 'CHN');
SELECT results_eq(
  $$SELECT person_id, jurisdiction FROM person WHERE person_id BETWEEN 97001 AND 97006 ORDER BY person_id$$,
  $$VALUES (97001::bigint, '97JWS'::text), (97002, '97JE'), (97003, '97JW'), (97004, NULL), (97005, '97JW'), (97006, NULL)$$,
  'a person takes the smallest unit covering home_location; border: the smaller; outside: none; given: kept');
UPDATE person SET home_location = 'SRID=4326;POINT(120.80 28.00)' WHERE person_id = 97006;
SELECT is((SELECT jurisdiction FROM person WHERE person_id = 97006), '97JE', 'an update that gives a home fills it too');
UPDATE person SET home_location = 'SRID=4326;POINT(120.63 27.96)' WHERE person_id = 97002;
SELECT is((SELECT jurisdiction FROM person WHERE person_id = 97002), '97JE',
          'moving house keeps the jurisdiction a person has (only a missing one is filled)');
UPDATE person SET jurisdiction = NULL WHERE person_id = 97002;
SELECT is((SELECT jurisdiction FROM person WHERE person_id = 97002), '97JWS',
          'clearing the jurisdiction fills it again from the location');
-- COPY goes through the same trigger.
COPY person (person_id, doc_kind, doc_no, name, nationality, home_location) FROM STDIN;
97007	passport	EJ9700007	COPIED	CHN	SRID=4326;POINT(120.80 28.00)
\.
SELECT is((SELECT jurisdiction FROM person WHERE person_id = 97007), '97JE', 'COPY fills it as INSERT does');

-- Sites: their own trigger.
INSERT INTO site (site_id, name, kind, capacity, location, jurisdiction) VALUES
  (97101, 'Street Hotel', 'hotel', 10, 'SRID=4326;POINT(120.63 27.96)', NULL),
  (97102, 'Border Hotel', 'hotel', 10, 'SRID=4326;POINT(120.70 28.00)', NULL),
  (97103, 'Nowhere Hotel', 'hotel', 10, 'SRID=4326;POINT(100.0 10.0)', NULL),
  (97104, 'Given Hotel', 'hotel', 10, 'SRID=4326;POINT(120.80 28.00)', '97JW'),
  (97105, 'Unplaced Hotel', 'hotel', 10, NULL, NULL);
SELECT results_eq(
  $$SELECT site_id, jurisdiction FROM site WHERE site_id BETWEEN 97101 AND 97105 ORDER BY site_id$$,
  $$VALUES (97101::bigint, '97JWS'::text), (97102, '97JW'), (97103, NULL), (97104, '97JW'), (97105, NULL)$$,
  'a site takes the smallest unit covering its location, as a person does');
UPDATE site SET location = 'SRID=4326;POINT(120.80 28.00)' WHERE site_id = 97105;
SELECT is((SELECT jurisdiction FROM site WHERE site_id = 97105), '97JE', 'a site placed later is filled on update');

-- Controls: the site's (filled from its location), else the person's (filled
-- from home_location).
INSERT INTO policy (category, plan, effective, nat_days, note) VALUES
  ('general', '14c+7m', daterange(local_date(now()) - 60, NULL), '{1,4,7,14,16,21}', 'test: today''s rule');
INSERT INTO entry (entry_id, person_id, entered_at, port) VALUES
  (97201, 97001, now() - interval '1 day', 'PVG'), (97202, 97002, now() - interval '1 day', 'PVG');
INSERT INTO control (control_id, person_id, entry_id, site_id) VALUES (97301, 97001, 97201, 97102);
SELECT is((SELECT jurisdiction FROM control WHERE control_id = 97301), '97JW',
          'a control takes the jurisdiction its site got from its location');
INSERT INTO control (control_id, person_id, entry_id) VALUES (97302, 97002, 97202);
SELECT is((SELECT jurisdiction FROM control WHERE control_id = 97302), '97JWS',
          'without a site, the jurisdiction its person got from home_location');

CREATE FUNCTION pg_temp.explain_lines(q text) RETURNS SETOF text LANGUAGE plpgsql AS
  $f$BEGIN RETURN QUERY EXECUTE 'EXPLAIN ' || q; END$f$;
-- The lookup is an index scan of jurisdiction_boundary, not a scan of every unit.
SET LOCAL enable_seqscan = off;
-- (jurisdictions_at pins its search_path, so it is not inlined: the index
-- scans of this transaction tell what its own plan read.)
CREATE TEMP TABLE boundary_scans AS
  SELECT pg_stat_get_xact_numscans('quarantine.jurisdiction_boundary'::regclass) AS scans;
CREATE TEMP TABLE found_code AS
  SELECT code FROM jurisdictions_at('SRID=4326;POINT(120.63 27.96)') LIMIT 1;
SELECT ok((SELECT pg_stat_get_xact_numscans('quarantine.jurisdiction_boundary'::regclass) > b.scans
             FROM boundary_scans b),
          'jurisdictions_at probes the GiST index jurisdiction_boundary');
RESET enable_seqscan;

-- Seat rows (the flight-contact rule): a seat is a row number and a letter.
SELECT is(seat_row('112K'), 112, 'seat 112K: row 112');
SELECT is(seat_row('003A'), 3, 'leading zeros: row 3');
SELECT throws_ok($$SELECT seat_row('3')$$, '22P02', NULL, 'seat 3: a row without a letter is malformed');
SELECT throws_ok($$SELECT seat_row('12')$$, '22P02', NULL, 'seat 12: malformed');
SELECT throws_ok($$SELECT seat_row('A')$$, '22P02', NULL, 'seat A: a letter without a row is malformed');

SELECT * FROM finish();
ROLLBACK;
