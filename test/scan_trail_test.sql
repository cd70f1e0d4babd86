-- The scan trail (doc/places.md; the Longyan notice): day partitions made by
-- scan_trail_maintenance(), scans of any date, retention
-- by whole days, and contact_candidates at the edges of its window and
-- radius, across a partition boundary, pruned to the days of its period.
BEGIN;
SELECT plan(33);
SET LOCAL quarantine.timezone = 'Asia/Shanghai';

-- Day D is two local days ago; t0 is 23:50 local on D, ten minutes before
-- the boundary of the partitions of D and D+1.
CREATE TEMP TABLE k AS
SELECT d, (d::timestamp AT TIME ZONE 'Asia/Shanghai') AS d_start,
       ((d + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') AS d_end,
       (d::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '23 hours 50 minutes' AS t0
  FROM (SELECT local_date(now()) - 2 AS d) x;
CREATE FUNCTION pg_temp.part(day date) RETURNS text LANGUAGE sql
  AS $$SELECT 'checkin_p' || to_char(day, 'YYYY_MM_DD')$$;
CREATE FUNCTION pg_temp.partitions() RETURNS SETOF text LANGUAGE sql
  AS $$SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'quarantine.checkin'::regclass ORDER BY 1$$;
CREATE FUNCTION pg_temp.explain_lines(q text) RETURNS SETOF text LANGUAGE plpgsql AS
  $f$BEGIN RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q; END$f$;

INSERT INTO place (place_id, name, location) VALUES
  (98001, 'Cafe', 'SRID=4326;POINT(120.650 28.000)'),
  (98002, 'Bakery next door', 'SRID=4326;POINT(120.651 28.000)'),
  (98003, 'Station', 'SRID=4326;POINT(120.700 28.000)');

-- Before any maintenance every scan lands in the default partition.
INSERT INTO checkin (person_id, place_id, scanned_at)
SELECT p, pl, at FROM k, LATERAL (VALUES
  (98100, 98001, t0),                                   -- the case
  (98100, 98001, t0 - interval '5 minutes'),            -- the case again (his own neighbour)
  (98101, 98001, t0 + interval '1 hour'),               -- exactly at the window's edge
  (98102, 98001, t0 + interval '1 hour 1 millisecond'), -- just beyond it
  (98103, 98001, t0 - interval '1 hour'),               -- the other edge
  (98104, 98002, t0),                                   -- next door, at the same time
  (98105, 98003, t0),                                   -- 5 km away
  (98106, 98001, t0 + interval '20 minutes'),           -- after midnight: the next partition
  (98199, 98003, d_start - interval '12 hours'),        -- fillers: the days around D
  (98199, 98003, d_end + interval '12 hours')) v(p, pl, at);
INSERT INTO checkin VALUES (98107, 98001, '2020-03-01 10:00+08');          -- older than retention
INSERT INTO checkin VALUES (98108, 98001, now() + interval '60 days');      -- far in the future
INSERT INTO checkin SELECT 98109, 98003, d_start - interval '18 days' FROM k; -- 20 days ago
SELECT is((SELECT count(*)::int FROM ONLY checkin_default), 13, 'scans of any date insert before any partition exists');
SELECT tap.throws_rule($$INSERT INTO checkin VALUES (98110, 98001, 'infinity')$$, '23514', 'checkin_scanned_at',
                       'an infinite instant is refused: it would have no day');
SELECT tap.throws_rule($$INSERT INTO checkin VALUES (98110, 98001, '1899-12-31 12:00+00')$$, '23514', 'checkin_scanned_at',
                       'an instant before 1900 is refused, as in every record');

SELECT lives_ok($$SELECT scan_trail_maintenance()$$, 'scan_trail_maintenance() runs');
SELECT is((SELECT count(*)::int FROM ONLY checkin_default), 0, 'maintenance empties the default partition');
SELECT ok((SELECT pg_temp.part(d) FROM k) IN (SELECT pg_temp.partitions()), 'the day of the case has its partition');
SELECT ok(pg_temp.part(local_date(now())) IN (SELECT pg_temp.partitions())
          AND pg_temp.part(local_date(now()) + 6) IN (SELECT pg_temp.partitions()),
          'today and the week ahead are premade');
SELECT is((SELECT tableoid::regclass::text FROM checkin WHERE person_id = 98106),
          (SELECT pg_temp.part(d + 1) FROM k), 'a scan after local midnight is in the next day''s partition');
SELECT is((SELECT count(*)::int FROM checkin WHERE person_id = 98107), 0,
          'a scan older than the retention is dropped');
SELECT is((SELECT tableoid::regclass::text FROM checkin WHERE person_id = 98108),
          pg_temp.part(local_date(now() + interval '60 days')), 'a future scan gets its own day');
SELECT is((SELECT count(*)::int FROM checkin WHERE person_id = 98109), 1, '20 days old: kept under the default 28 days');
SELECT is((SELECT count(*)::int FROM checkin), 12, 'no other scan was lost moving them');
SELECT is((SELECT string_agg(pg_get_expr(c.relpartbound, c.oid), ' ')
             FROM pg_class c WHERE c.oid = (SELECT pg_temp.part(d) FROM k)::regclass),
          (SELECT format('FOR VALUES FROM (%L) TO (%L)', d_start, d_end) FROM k),
          'a day partition covers one local day of quarantine.timezone');

-- The indexes (doc/places.md, "Backup and restore"): checkin has none;
-- each partition has its own primary key and index, built by the
-- maintenance before it attached the partition, attached to nothing.
SELECT is_empty($$SELECT 1 FROM pg_index WHERE indrelid = 'quarantine.checkin'::regclass$$,
                'checkin itself has no index and no primary key');
SELECT is_empty(
  $$SELECT c.relname FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
     WHERE h.inhparent = 'quarantine.checkin'::regclass
       AND (SELECT array_agg(format('%s %s %s %s', ic.relname, x.indisprimary, ic.relispartition,
                                    replace(pg_get_indexdef(x.indexrelid), ' ON quarantine.', ' ON ')) ORDER BY ic.relname)
              FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid)
           IS DISTINCT FROM ARRAY[format('%s_pkey t f CREATE UNIQUE INDEX %s_pkey ON %s USING btree (person_id, scanned_at, place_id)',
                                         c.relname, c.relname, c.relname),
                                  format('%s_place_id_scanned_at_idx f f CREATE INDEX %s_place_id_scanned_at_idx ON %s USING btree (place_id, scanned_at)',
                                         c.relname, c.relname, c.relname)]$$,
  'every partition, made or premade by the maintenance or the default, has its own primary key and (place_id, scanned_at) index');
-- Unique in each partition is unique in the trail: scanned_at is in the key.
SELECT tap.throws_rule($$INSERT INTO checkin SELECT 98100, 98001, t0 FROM k$$, '23505',
                       (SELECT pg_temp.part(d) FROM k) || '_pkey',
                       'a scan loaded twice is refused by its day partition''s primary key');
SELECT tap.throws_rule($$INSERT INTO checkin VALUES (98111, 98001, '2020-03-01 10:00+08'), (98111, 98001, '2020-03-01 10:00+08')$$,
                       '23505', 'checkin_default_pkey', 'and in the default partition by its own');
-- No unique index on checkin: ON CONFLICT cannot name one (nothing in the
-- extension uses it); without a target, each partition's arbitrates.
SELECT throws_ok($$INSERT INTO checkin SELECT 98100, 98001, t0 FROM k ON CONFLICT (person_id, scanned_at, place_id) DO NOTHING$$,
                 '42P10', NULL, 'ON CONFLICT with a target finds no unique index on checkin');
SELECT lives_ok($$INSERT INTO checkin SELECT 98100, 98001, t0 FROM k ON CONFLICT DO NOTHING$$,
                'ON CONFLICT DO NOTHING without a target skips a scan already in its partition');
SELECT is((SELECT count(*)::int FROM checkin, k WHERE person_id = 98100 AND scanned_at = t0), 1,
          '(and the scan is there once)');

-- Contacts.
SELECT results_eq(
  $$SELECT c.person_id, c.place_id, c.at - k.t0, c.distance_m FROM k, contact_candidates(98100, k.d_start, k.d_end) c$$,
  $$VALUES (98101::bigint, 98001::bigint, interval '1 hour', 0::float8), (98103, 98001, interval '-1 hour', 0),
           (98106, 98001, interval '20 minutes', 0)$$,
  'same place within an hour, both edges included, across midnight; not the case himself');
SELECT results_eq(
  $$SELECT c.person_id, c.distance_m = ST_Distance(a.location, b.location)
      FROM k, place a, place b,
           contact_candidates(98100, k.d_start, k.d_end, '1 hour', ST_Distance(a.location, b.location)) c
     WHERE a.place_id = 98001 AND b.place_id = 98002 AND c.place_id = 98002$$,
  $$VALUES (98104::bigint, true)$$,
  'a place exactly at the radius is in, with its distance');
SELECT is_empty(
  $$SELECT 1 FROM k, place a, place b,
           contact_candidates(98100, k.d_start, k.d_end, '1 hour', ST_Distance(a.location, b.location) - 0.001) c
     WHERE a.place_id = 98001 AND b.place_id = 98002 AND c.place_id = 98002$$,
  'a millimetre short of it is out');
SELECT ok((SELECT ST_Distance(a.location, b.location) BETWEEN 95 AND 100 FROM place a, place b
            WHERE a.place_id = 98001 AND b.place_id = 98002), '(the two venues are 98 m apart)');
SELECT is((SELECT count(*)::int FROM k, contact_candidates(98100, k.d_start, k.d_end, '1 hour', 10000)
            WHERE person_id = 98105), 1, 'within 10 km the station counts too');
SELECT is((SELECT count(*)::int FROM k, contact_candidates(98100, k.d_start, k.d_end, '1 hour 1 millisecond')
            WHERE person_id = 98102), 1, 'a window a millisecond wider takes the scan beyond the edge');
SELECT is_empty($$SELECT * FROM k, contact_candidates(98100, k.d_end, k.d_end + interval '1 day') c$$,
                'no scan of the case in the period: no candidates');
SELECT is_empty($$SELECT * FROM k, contact_candidates(98106, k.d_start, k.d_end) c$$,
                'a person without scans in the period has none');

-- The plan reads only the partitions of the period (and of the window
-- around it).  contact_candidates pins its search_path, so it is not
-- inlined: its plan prunes at executor start, and the scans this
-- transaction counts per partition tell which it read.
CREATE TEMP VIEW checkin_scans AS
  SELECT c.relname::text COLLATE "default" AS part,
         pg_stat_get_xact_numscans(c.oid) + pg_stat_get_xact_tuples_fetched(c.oid) AS scans
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
   WHERE i.inhparent = 'quarantine.checkin'::regclass;
CREATE TEMP VIEW checkin_index_scans AS
  SELECT ic.relname::text COLLATE "default" AS idx, pg_stat_get_xact_numscans(ic.oid) AS scans
    FROM pg_inherits i JOIN pg_index x ON x.indrelid = i.inhrelid JOIN pg_class ic ON ic.oid = x.indexrelid
   WHERE i.inhparent = 'quarantine.checkin'::regclass;
CREATE TEMP TABLE scans_before AS SELECT * FROM checkin_scans;
CREATE TEMP TABLE found AS SELECT c.* FROM k, quarantine.contact_candidates(98100, k.d_start, k.d_end) c;
-- Which of those it may skip depends on the major: PostgreSQL 17 prunes the
-- inner side per outer row and need not open the day before when no scan of
-- the case is within the window of midnight (doc/platforms.md).
SELECT results_eq(
  $$SELECT count(*) FILTER (WHERE a.part NOT IN (SELECT pg_temp.part(d + i) FROM k, generate_series(-1, 1) i)),
           bool_or(a.part = (SELECT pg_temp.part(d) FROM k))
      FROM checkin_scans a JOIN scans_before b USING (part) WHERE a.scans > b.scans$$,
  $$VALUES (0::bigint, true)$$,
  'contact_candidates reads the day of the period, and no day but those its window reaches');
-- The indexes serve both sides of the search: a few scans per partition
-- make a sequential scan cheaper here, so the planner is told to avoid one,
-- as it does at 100M scans (doc/places.md, "The plan").
SET LOCAL enable_seqscan = off;
CREATE TEMP TABLE index_scans_before AS SELECT * FROM checkin_index_scans;
SELECT results_eq($$SELECT * FROM found ORDER BY 1, 2, 3$$,
                  $$SELECT c.* FROM k, quarantine.contact_candidates(98100, k.d_start, k.d_end) c ORDER BY 1, 2, 3$$,
                  '(the same candidates through the indexes)');
RESET enable_seqscan;
SELECT results_eq(
  $$SELECT count(*) FILTER (WHERE a.idx NOT IN (SELECT pg_temp.part(d) || '_pkey' FROM k
                                                UNION ALL SELECT pg_temp.part(d + i) || '_place_id_scanned_at_idx'
                                                  FROM k, generate_series(-1, 1) i)),
           bool_or(a.idx = (SELECT pg_temp.part(d) || '_pkey' FROM k)),
           bool_or(a.idx = (SELECT pg_temp.part(d) || '_place_id_scanned_at_idx' FROM k))
      FROM checkin_index_scans a JOIN index_scans_before b USING (idx) WHERE a.scans > b.scans$$,
  $$VALUES (0::bigint, true, true)$$,
  'through the partitions'' own indexes: the case''s scans by the primary key of its day, the contacts by (place_id, scanned_at) of the days the window reaches');

-- Retention drops whole days.
SET LOCAL quarantine.scan_retention_days = 10;
SELECT scan_trail_maintenance();
SELECT is((SELECT count(*)::int FROM checkin WHERE person_id = 98109), 0, 'retention 10 days: the scan of 20 days ago is gone');
SELECT ok((SELECT pg_temp.part(d - 18) FROM k) NOT IN (SELECT pg_temp.partitions())
          AND (SELECT pg_temp.part(d) FROM k) IN (SELECT pg_temp.partitions()),
          'its day partition was dropped, the recent ones kept');

SELECT * FROM finish();
ROLLBACK;
