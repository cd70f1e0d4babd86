-- Issue 5 bench: refresh_codes() over 1,000,000 persons with open controls,
-- against one sequential scan of control (SELECT count(*) FROM control).
--
-- Load: persons, entries and controls go through every record trigger
-- (duplicate detection off), with only our own feed triggers disabled, so
-- that the first refresh_codes() starts from an empty feed.
\set QUIET on
\set n 1000000
SET client_min_messages = warning;
SET quarantine.duplicate_detection = off;

-- Earlier fragments may leave feed rows of persons they truncated.
TRUNCATE quarantine.code_assignment;
ALTER TABLE quarantine.entry DISABLE TRIGGER entry_code_feed_insert;
ALTER TABLE quarantine.control DISABLE TRIGGER control_code_feed_insert;

CREATE TEMP TABLE load_ms AS
SELECT bench.time_ms($$
  INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality)
  SELECT 6000000 + i, 'passport', 'H' || lpad(i::text, 8, '0'), 'BENCH HEALTH ' || i, 'CHN'
    FROM generate_series(1, 1000000) i$$, 1) AS person_ms;
-- Arrivals spread over ten days from 2021-06-01 (plan 14c+7m from the policy).
ALTER TABLE load_ms ADD entry_ms numeric, ADD control_ms numeric;
UPDATE load_ms SET entry_ms = bench.time_ms($$
  INSERT INTO quarantine.entry (entry_id, person_id, entered_at, port_kind, temperature)
  SELECT 7000000 + i, 6000000 + i, timestamptz '2021-06-01 10:00+08' + (i % 10) * interval '1 day', 'air', 36.5
    FROM generate_series(1, 1000000) i$$, 1);
-- 90% under control, 5% pending, 5% medical.
UPDATE load_ms SET control_ms = bench.time_ms($$
  INSERT INTO quarantine.control (control_id, person_id, entry_id, status, control_start)
  SELECT 8000000 + i, 6000000 + i, 7000000 + i,
         CASE WHEN i % 20 = 0 THEN 'pending' WHEN i % 20 = 1 THEN 'medical' ELSE 'under_control' END::quarantine.control_status,
         CASE WHEN i % 20 = 0 THEN NULL ELSE timestamptz '2021-06-01 15:00+08' + (i % 10) * interval '1 day' END
    FROM generate_series(1, 1000000) i$$, 1);

ALTER TABLE quarantine.entry ENABLE TRIGGER entry_code_feed_insert;
ALTER TABLE quarantine.control ENABLE TRIGGER control_code_feed_insert;
VACUUM ANALYZE quarantine.person, quarantine.entry, quarantine.control;

SELECT bench.time_ms('SELECT count(*) FROM quarantine.control') AS scan_ms \gset

-- 1. From an empty feed on 2021-06-12: everyone turns red (centralized,
--    pending or medical): one row per person.
SELECT bench.time_ms($$SELECT quarantine.refresh_codes('2021-06-12 12:00+08')$$, 1) AS first_ms \gset
SELECT count(*) AS first_rows FROM quarantine.code_assignment \gset
-- 2. The same instant again: nothing changes (the steady-state cost).
SELECT bench.time_ms($$SELECT quarantine.refresh_codes('2021-06-12 12:00+08')$$, 1) AS again_ms \gset
SELECT count(*) - :first_rows AS again_rows FROM quarantine.code_assignment \gset
-- 3. On 2021-06-19 the arrivals of 06-01 to 06-05 have moved to monitoring.
SELECT bench.time_ms($$SELECT quarantine.refresh_codes('2021-06-19 12:00+08')$$, 1) AS week_ms \gset
SELECT count(*) - :first_rows - :again_rows AS week_rows FROM quarantine.code_assignment \gset

INSERT INTO bench.result
SELECT 'refresh_codes 1M open controls: ' || label, ms, :scan_ms, round(ms / :scan_ms, 2),
       round(ms / (:n / 100000.0), 1) || ' ms per 100k persons; ' || added || ' rows added'
  FROM (VALUES ('1 first run, empty feed, vs count(*) of control', :first_ms, :first_rows),
               ('2 same instant again, vs count(*) of control', :again_ms, :again_rows),
               ('3 a week later, phase boundaries, vs count(*) of control', :week_ms, :week_rows))
       AS r(label, ms, added);
INSERT INTO bench.result
SELECT 'load 1M person+entry+control through the record triggers (feed triggers off)',
       person_ms + entry_ms + control_ms, NULL, NULL,
       format('person %s ms, entry %s ms, control %s ms', person_ms, entry_ms, control_ms)
  FROM load_ms;

-- code_color one person at a time, for scale: 10,000 calls.
SELECT * FROM bench.compare('code_color: 10k persons one call each vs count(*) of control',
  $$SELECT count(*) FILTER (WHERE (quarantine.code_color(6000000 + i, '2021-06-12 12:00+08')).color = 'red')
      FROM generate_series(1, 10000) i$$,
  'SELECT count(*) FROM quarantine.control', 'code_color opens its scans per call', 1) \g /dev/null

TRUNCATE quarantine.code_assignment;
TRUNCATE quarantine.control, quarantine.entry, quarantine.person CASCADE;
\set QUIET off
SELECT label, subject_ms, baseline_ms, ratio, note FROM bench.result
 WHERE label LIKE 'refresh_codes%' OR label LIKE 'load 1M person+entry%' OR label LIKE 'code_color%'
 ORDER BY label;
