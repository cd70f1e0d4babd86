-- Outbreak points and areas (doc/ports.md): area_exposures over home
-- locations and the scan trail, and the plan that does the work.
BEGIN;
SELECT plan(5);
SET LOCAL quarantine.duplicate_detection = off;

INSERT INTO outbreak_area (area_id, kind, boundary, declared_at, lifted_at, reason) VALUES
  (986001, 'area', 'SRID=4326;MULTIPOLYGON(((120.645 28.005,120.655 28.005,120.655 28.015,120.645 28.015,120.645 28.005)))',
   '2021-06-20 12:00+08', '2021-07-01 00:00+08', 'test: a cluster in a neighbourhood');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, home_location) VALUES
  (986101, 'passport', 'EO9861001', 'LIVES INSIDE', 'CHN', 'SRID=4326;POINT(120.650 28.010)'),
  (986102, 'passport', 'EO9861002', 'LIVES OUTSIDE', 'CHN', 'SRID=4326;POINT(120.700 28.010)'),
  (986103, 'passport', 'EO9861003', 'VISITOR', 'CHN', NULL);
INSERT INTO place (place_id, name, location) VALUES
  (986201, 'market inside', 'SRID=4326;POINT(120.651 28.011)'),
  (986202, 'cafe outside', 'SRID=4326;POINT(120.690 28.011)');
INSERT INTO checkin (person_id, place_id, scanned_at) VALUES
  (986103, 986201, '2021-06-10 09:00+08'),   -- 10 days before the declaration: within 14
  (986102, 986201, '2021-06-01 09:00+08'),   -- 19 days before: not
  (986102, 986201, '2021-07-02 09:00+08'),   -- after it was lifted: not
  (986103, 986202, '2021-06-21 09:00+08'),   -- a place outside: not
  (986102, 986201, '2021-06-25 18:30+08');   -- while in force

SELECT results_eq(
  $$SELECT person_id, via, place_id, at FROM area_exposures(986001) ORDER BY via, person_id, at$$,
  $$VALUES (986101::bigint, 'home'::text, NULL::bigint, NULL::timestamptz),
           (986102, 'scan', 986201::bigint, '2021-06-25 18:30+08'::timestamptz),
           (986103, 'scan', 986201, '2021-06-10 09:00+08')$$,
  'residents inside, and scans at places inside from observation_days before the declaration until it is lifted');
UPDATE outbreak_area SET lifted_at = NULL WHERE area_id = 986001;
SELECT is((SELECT count(*)::int FROM area_exposures(986001) WHERE via = 'scan'), 3,
          'while in force (not lifted): the scans up to now');
SELECT tap.throws_rule(
  $$UPDATE outbreak_area SET lifted_at = declared_at - interval '1 day' WHERE area_id = 986001$$,
  '23514', 'outbreak_area_lifted_at', 'lifted before it was declared: refused');

-- The plan: the GiST indexes find the residents and the places inside, the
-- scans come by the (place_id, scanned_at) index of the partitions.  Read
-- from EXPLAIN's JSON (node types and index names), not from its text.
-- The function pins its search_path, which keeps the planner from inlining
-- it; inside this transaction (rolled back) the setting is reset so that
-- EXPLAIN shows the plan of its query.
ALTER FUNCTION area_exposures(bigint) RESET search_path;
SET LOCAL enable_seqscan = off;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS jsonb LANGUAGE plpgsql AS
  $f$DECLARE j json; BEGIN EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO j; RETURN j::jsonb; END$f$;
SELECT ok((SELECT bool_and(EXISTS (SELECT 1 FROM jsonb_path_query(pg_temp.plan_of('SELECT * FROM area_exposures(986001)'),
                                                              'strict $.**."Index Name"') i
                                   WHERE i #>> '{}' = n))
             FROM unnest(ARRAY['person_home_location', 'place_location']) n),
          'the residents and the places inside come from their GiST indexes');
SELECT ok(NOT EXISTS (SELECT 1 FROM jsonb_path_query(pg_temp.plan_of('SELECT * FROM area_exposures(986001)'),
                                                      'strict $.** ? (@."Node Type" == "Seq Scan")') s
                       WHERE s->>'Relation Name' LIKE 'checkin%')
          AND EXISTS (SELECT 1 FROM jsonb_path_query(pg_temp.plan_of('SELECT * FROM area_exposures(986001)'),
                                                      'strict $.** ? (@."Relation Name" like_regex "^checkin")') s
                       WHERE s->>'Node Type' IN ('Index Scan', 'Index Only Scan', 'Bitmap Heap Scan')),
          'the scan trail is read by index on its partitions, never scanned whole');

SELECT * FROM finish();
ROLLBACK;
