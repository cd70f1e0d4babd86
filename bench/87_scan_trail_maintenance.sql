-- The scan trail's maintenance (doc/places.md, "Maintenance"): one run each,
-- no timing asserts.
--   * a historical load: COPY of :m scans over the last 14 local days into a
--     trail with no day partition (every scan lands in checkin_default);
--   * the maintenance that follows: it moves those :m scans into 14 day
--     partitions and premakes the week ahead;
--   * a second maintenance with nothing to move (the hourly run);
--   * the same COPY again, into the day partitions.
-- :m is 1,000,000 for the figures of doc/places.md (psql -v m=... to change).
\set QUIET on
\if :{?m}
\else
\set m 1000000
\endif
SET client_min_messages = warning;
SET quarantine.timezone = 'Asia/Shanghai';

-- Start from an empty trail without day partitions (a file before may have
-- left some).
TRUNCATE quarantine.checkin;
SELECT format('DROP TABLE %s', i.inhrelid::regclass) AS drop_partition
  FROM pg_inherits i
 WHERE i.inhparent = 'quarantine.checkin'::regclass AND i.inhrelid <> 'quarantine.checkin_default'::regclass
\gexec

SELECT current_setting('data_directory') || '/bench_trail.csv' AS tfile \gset
SELECT (local_date(now()) - 13)::timestamp AT TIME ZONE 'Asia/Shanghai' AS t_from \gset
COPY (SELECT 1 + (i * 48271) % 100000 AS person_id,
             900001 + (i * 16807) % 10000 AS place_id,
             :'t_from'::timestamptz + (i * 14 / (:m + 1)) * interval '1 day' + interval '8 hours'
               + ((i * 69621) % 25200) * interval '1 second' + (i % 1000) * interval '1 millisecond' AS scanned_at
        FROM generate_series(1::bigint, :m) i) TO :'tfile' (FORMAT csv);
CHECKPOINT;

CREATE TEMP TABLE tm (step text, ms numeric);
INSERT INTO tm SELECT 'copy_to_default', bench.time_ms(format('COPY quarantine.checkin (person_id, place_id, scanned_at) FROM %L (FORMAT csv)', :'tfile'), 1);
INSERT INTO tm SELECT 'maintenance_moving', bench.time_ms('SELECT quarantine.scan_trail_maintenance()', 1);
SELECT (SELECT count(*) FROM ONLY quarantine.checkin_default) AS left_in_default,
       (SELECT count(*) FROM pg_inherits WHERE inhparent = 'quarantine.checkin'::regclass) - 1 AS day_partitions,
       (SELECT count(*) FROM quarantine.checkin) AS scans \gset
\echo '== after the maintenance:' :scans 'scans in' :day_partitions 'day partitions,' :left_in_default 'left in the default partition'
INSERT INTO tm SELECT 'maintenance_idle', bench.time_ms('SELECT quarantine.scan_trail_maintenance()', 1);
TRUNCATE quarantine.checkin;
CHECKPOINT;
INSERT INTO tm SELECT 'copy_to_days', bench.time_ms(format('COPY quarantine.checkin (person_id, place_id, scanned_at) FROM %L (FORMAT csv)', :'tfile'), 1);

INSERT INTO bench.result
SELECT 'places: maintenance moving ' || :m || ' scans of 14 days out of the default partition', mv.ms, cp.ms,
       round(mv.ms / cp.ms, 2), 'one run; vs the COPY of the same scans into their day partitions'
  FROM tm mv, tm cp WHERE mv.step = 'maintenance_moving' AND cp.step = 'copy_to_days';
INSERT INTO bench.result
SELECT 'places: COPY ' || :m || ' scans into the default partition (no day partition)', d.ms, cp.ms,
       round(d.ms / cp.ms, 2), 'one run; vs the COPY of the same scans into their day partitions'
  FROM tm d, tm cp WHERE d.step = 'copy_to_default' AND cp.step = 'copy_to_days';
\set QUIET off
\echo '== scan trail maintenance, one run each (ms)'
SELECT step, ms FROM tm ORDER BY ms DESC;
\set QUIET on
TRUNCATE quarantine.checkin;
\set QUIET off
