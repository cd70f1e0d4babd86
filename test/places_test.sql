-- Sites (doc/places.md): occupancy and the nearest hotels with free beds.
BEGIN;
SELECT plan(11);
SET LOCAL quarantine.duplicate_detection = off;

INSERT INTO policy (category, plan, effective, nat_days, note) VALUES
  ('general', '14c+7m', daterange(local_date(now()) - 60, NULL), '{1,4,7,14,16,21}', 'test: today''s rule');
INSERT INTO site (site_id, name, kind, capacity, location) VALUES
  (987001, 'Near Hotel', 'hotel', 1, 'SRID=4326;POINT(120.6550 28.0150)'),
  (987002, 'Middle Hotel', 'hotel', 2, 'SRID=4326;POINT(120.6650 28.0150)'),
  (987003, 'Far Hotel', 'hotel', 50, 'SRID=4326;POINT(120.7550 28.0150)'),
  (987004, 'Near Hospital', 'hospital', 40, 'SRID=4326;POINT(120.6551 28.0150)'),
  (987005, 'No Location Hotel', 'hotel', 10, NULL);
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
SELECT 987100 + i, 'passport', 'EP98710' || i, 'GUEST ' || i, 'CHN' FROM generate_series(1, 3) i;
INSERT INTO entry (entry_id, person_id, entered_at, port)
SELECT 987200 + i, 987100 + i, now() - interval '2 days', 'PVG' FROM generate_series(1, 3) i;
-- two guests under control at Near Hotel (capacity 1: over-full) and one at Middle
INSERT INTO control (control_id, person_id, entry_id, site_id, status, control_start)
VALUES (987301, 987101, 987201, 987001, 'under_control', now() - interval '1 day'),
       (987302, 987102, 987202, 987002, 'under_control', now() - interval '1 day'),
       (987303, 987103, 987203, 987002, 'pending', NULL);

SELECT results_eq(
  $$SELECT site_id, occupied, free FROM site_occupancy WHERE site_id BETWEEN 987001 AND 987005 ORDER BY site_id$$,
  $$VALUES (987001::bigint, 1::bigint, 0::bigint), (987002, 2, 0), (987003, 0, 50), (987004, 0, 40), (987005, 0, 10)$$,
  'occupancy counts the open controls in a centralized phase today, pending ones included');
UPDATE control SET status = 'ended', end_reason = 'transferred_out', ended_at = now() WHERE control_id = 987303;
SELECT is((SELECT free FROM site_occupancy WHERE site_id = 987002), 1::bigint, 'an ended control frees its bed');

SELECT results_eq(
  $$SELECT site_id FROM nearest_sites('SRID=4326;POINT(120.6549 28.0150)', 2)$$,
  $$VALUES (987002::bigint), (987003::bigint)$$,
  'the nearest hotels with a free bed, nearest first: full and hospital sites are skipped');
SELECT ok((SELECT distance_m BETWEEN 900 AND 1100 FROM nearest_sites('SRID=4326;POINT(120.6550 28.0150)', 1)),
          'the distance is in metres (about 980 m for 0.01° of longitude at 28° N)');
SELECT is((SELECT count(*)::int FROM nearest_sites('SRID=4326;POINT(120.6549 28.0150)', 10)
            WHERE site_id BETWEEN 987001 AND 987005), 2,
          'a site without a location is never among the nearest');
SELECT is((SELECT count(*)::int FROM nearest_sites('SRID=4326;POINT(120.6549 28.0150)', 0)), 0, 'n = 0: none');
SELECT is((SELECT count(*)::int FROM nearest_sites(NULL, 3)), 0, 'NULL in, no rows out');

-- The plan walks the GiST index in distance order, not a sort over every site.
-- nearest_sites is STRICT, and a STRICT set-returning SQL function is never
-- inlined, so EXPLAIN of a call shows only a Function Scan: explain the
-- function's own stored body instead, its parameters replaced by the values.
CREATE FUNCTION pg_temp.body_plan(loc text, n int) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
  body text := pg_get_function_sqlbody('quarantine.nearest_sites(geography, int)'::regprocedure);
  q text;
BEGIN
  q := regexp_replace(body, '^\s*BEGIN ATOMIC\s*(.*?);?\s*END\s*$', '\1');
  IF q = body OR q !~ '\mnearest_sites\.location\M' OR q !~ '\mnearest_sites\.n\M' THEN
    RAISE EXCEPTION 'unexpected body of nearest_sites: %', body;
  END IF;
  q := replace(q, 'nearest_sites.location', quote_literal(loc) || '::geography');
  q := replace(q, 'nearest_sites.n', n::text);
  RETURN QUERY EXECUTE 'EXPLAIN ' || q;
END $f$;
-- (a handful of sites: keep the planner off the plans a big table would not get)
SET LOCAL enable_seqscan = off;
SET LOCAL enable_bitmapscan = off;
SELECT ok(bool_or(l LIKE '%Index Scan using site_location%') AND NOT bool_or(l LIKE '%Sort%'),
          'the nearest sites come from the site_location index in distance order (KNN), not a sort')
  FROM pg_temp.body_plan('SRID=4326;POINT(120.6549 28.0150)', 2) l;

-- A control without a jurisdiction takes its site's, else its person's.
INSERT INTO jurisdiction (code, name, level) VALUES ('987J1', 'site district', 'district'),
                                                    ('987J2', 'person district', 'district');
UPDATE site SET jurisdiction = '987J1' WHERE site_id = 987003;
UPDATE person SET jurisdiction = '987J2' WHERE person_id = 987103;
INSERT INTO control (control_id, person_id, entry_id, site_id) VALUES (987304, 987103, 987203, 987003);
SELECT is((SELECT jurisdiction FROM control WHERE control_id = 987304), '987J1', 'a control takes its site''s jurisdiction');
UPDATE control SET status = 'ended', end_reason = 'transferred_out', ended_at = now() WHERE control_id = 987304;
INSERT INTO control (control_id, person_id, entry_id) VALUES (987305, 987103, 987203);
SELECT is((SELECT jurisdiction FROM control WHERE control_id = 987305), '987J2', 'without a site, its person''s');
UPDATE control SET status = 'ended', end_reason = 'transferred_out', ended_at = now() WHERE control_id = 987305;
INSERT INTO control (control_id, person_id, entry_id, site_id, jurisdiction) VALUES (987306, 987103, 987203, 987003, '987J2');
SELECT is((SELECT jurisdiction FROM control WHERE control_id = 987306), '987J2', 'a jurisdiction given is kept');

SELECT * FROM finish();
ROLLBACK;
