-- Issue 6 bench: bulk import (doc/import.md).
-- (a) 1,000,000 manifest rows: COPY into manifest_staging, then
--     load_manifest() through every check and trigger, as a ratio against
--     the raw COPY.
-- (b) 10,000 new persons imported into a person table of 1,000,000, with
--     fuzzy duplicate detection on vs off (target <= 3x).
-- load_manifest() is idempotent (a second run loads nothing), so every
-- figure here is one run, not the best of three.
\set QUIET on
SET client_min_messages = warning;
SET search_path = quarantine, public;

INSERT INTO jurisdiction (code, name, level) VALUES ('B0001', 'Bench district', 'district')
  ON CONFLICT DO NOTHING;
INSERT INTO site (name, kind, capacity, jurisdiction)
SELECT 'Bench Hotel', 'hotel', 100000, 'B0001' WHERE NOT EXISTS (SELECT FROM site WHERE name = 'Bench Hotel');

-- Server-side files in the data directory (COPY TO needs an absolute path).
SELECT current_setting('data_directory') || '/bench_manifest.csv' AS manifest_file,
       current_setting('data_directory') || '/bench_person_1m.csv' AS person_file \gset

-- Name parts shared by (a) and (b): a few thousand distinct names, so that
-- persons of one birth date and sex often resemble each other.
CREATE TEMP TABLE name_parts AS
SELECT ARRAY['CHEN','ZHOU','WANG','LIN','HU','XU','PAN','JI','YE','WU','ZHANG','HUANG','LI','YANG','ZHENG'] AS surnames,
       ARRAY['JIAN','LI','XIAO','WEI','JING','YAN','HUI','MIN','JUN','FANG','LEI','NA','QIANG','LING','HAO','YU','TAO','XIN','BO','YING'] AS given;

-- ---------------------------------------------------------------------------
-- (a) 1M rows: 3,300 charter flights of ~300 passengers between April 2020
--     and April 2021 (policy 14c), fillers for 80% of the phones, ten
--     malformed passport numbers.
-- ---------------------------------------------------------------------------
\set n 1000000
CREATE TEMP TABLE src AS
SELECT 'bench-1m' AS batch, i AS row_no,
       n.surnames[1 + (i * 7) % 15] || ' ' || n.given[1 + (i * 13) % 20] || n.given[1 + (i / 20) % 20] AS name,
       'passport' AS doc_kind,
       CASE WHEN i % 100000 = 0 THEN 'E12' ELSE 'E' || lpad(i::text, 8, '0') END AS doc_no,  -- 10 bad rows
       'CHN' AS nationality,
       CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END AS sex,
       (date '1945-01-01' + ((i::bigint * 7919) % 27000)::int)::text AS birth_date,
       CASE WHEN i % 5 = 0 THEN '13' || lpad(((i::bigint * 37) % 1000000000)::text, 9, '0') ELSE '11111111111' END AS phone,
       'CA' || (1000 + i / 300) AS flight,
       (1 + (i % 300) / 9) || substr('ABCDEFGHJ', 1 + i % 9, 1) AS seat,
       (timestamp '2020-04-20 13:00' + (i / 300) * interval '2 hours 30 minutes' + (i % 300) * interval '15 seconds')::text AS entered_at,
       'WNZ' AS port, 'Bench Hotel' AS site, 'B0001' AS jurisdiction
  FROM generate_series(1, :n) i, name_parts n;
COPY src TO :'manifest_file' (FORMAT csv);
DROP TABLE src;
CHECKPOINT;

-- Duplicate detection off, as its GUC advises for a bulk load that is
-- checked separately: within one million new persons it compares ~18
-- million pairs of names and triples the load (measured: 258 s instead of
-- 89 s; see README, "Bulk import").  (b) measures it at the scale of a flight.
SET quarantine.duplicate_detection = off;
CREATE TEMP TABLE t AS
SELECT bench.time_ms(format('COPY quarantine.manifest_staging FROM %L (FORMAT csv)', :'manifest_file'), 1) AS copy_ms;
CHECKPOINT;
ALTER TABLE t ADD load_ms numeric;
UPDATE t SET load_ms = bench.time_ms($$SELECT * FROM quarantine.load_manifest('bench-1m')$$, 1);
INSERT INTO bench.result
SELECT 'load_manifest 1M rows vs raw COPY into staging', load_ms, copy_ms, round(load_ms / copy_ms, 2),
       format('%s persons, %s entries, %s controls, %s tasks, %s rejects; duplicate detection off, one run',
              (SELECT count(*) FROM person), (SELECT count(*) FROM entry), (SELECT count(*) FROM control),
              (SELECT count(*) FROM task), (SELECT count(*) FROM import_reject))
  FROM t;

TRUNCATE manifest_staging, import_accept, import_reject;
TRUNCATE task, control_event, control, entry, duplicate_candidate, person_merge, person CASCADE;
CHECKPOINT;

-- ---------------------------------------------------------------------------
-- (b) 10,000 new persons into 1,000,000: fuzzy duplicate detection on vs off
-- ---------------------------------------------------------------------------
-- Seed the million quickly: COPY with duplicate detection off.
CREATE TEMP TABLE src AS
SELECT 'passport' AS doc_kind, 'G' || lpad(i::text, 8, '0') AS doc_no,
       n.surnames[1 + (i * 7) % 15] || ' ' || n.given[1 + (i * 13) % 20] || n.given[1 + (i / 20) % 20] AS name,
       CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END AS sex,
       date '1945-01-01' + ((i::bigint * 7919) % 27000)::int AS birth_date,
       'CHN' AS nationality
  FROM generate_series(1, :n) i, name_parts n;
COPY src TO :'person_file' (FORMAT csv);
DROP TABLE src;
SET quarantine.duplicate_detection = off;
CREATE TEMP TABLE seed AS
SELECT bench.time_ms(format('COPY quarantine.person (doc_kind, doc_no, name, sex, birth_date, nationality) FROM %L (FORMAT csv)',
                            :'person_file'), 1) AS ms;

-- Two batches of 10,000 new passengers drawn like the million (same name
-- parts, birth dates and sexes), so detection has neighbours to compare.
INSERT INTO manifest_staging
SELECT b.batch, i, n.surnames[1 + (i * 11) % 15] || ' ' || n.given[1 + (i * 3) % 20] || n.given[1 + (i / 7) % 20],
       'passport', b.prefix || lpad(i::text, 8, '0'), 'CHN', CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END,
       (date '1945-01-01' + ((i::bigint * 104729) % 27000)::int)::text, '11111111111',
       'MU' || (2000 + i / 300), (1 + (i % 300) / 9) || substr('ABCDEFGHJ', 1 + i % 9, 1),
       '2020-05-01 10:00', 'PVG', 'Bench Hotel', 'B0001'
  FROM (VALUES ('bench-off', 'K'), ('bench-on', 'L')) b(batch, prefix), generate_series(1, 10000) i, name_parts n;
ANALYZE person;
ANALYZE manifest_staging;
CHECKPOINT;

SET quarantine.duplicate_detection = off;
CREATE TEMP TABLE dd AS SELECT bench.time_ms($$SELECT * FROM quarantine.load_manifest('bench-off')$$, 1) AS off_ms;
SET quarantine.duplicate_detection = on;
ALTER TABLE dd ADD on_ms numeric;
UPDATE dd SET on_ms = bench.time_ms($$SELECT * FROM quarantine.load_manifest('bench-on')$$, 1);
INSERT INTO bench.result
SELECT 'load_manifest 10k into 1M persons: duplicate detection on vs off', on_ms, off_ms, round(on_ms / off_ms, 2),
       format('target <= 3x; %s candidates recorded; seeding 1M persons by COPY took %s ms',
              (SELECT count(*) FROM duplicate_candidate), (SELECT ms FROM seed))
  FROM dd;

TRUNCATE manifest_staging, import_accept, import_reject;
TRUNCATE task, control_event, control, entry, duplicate_candidate, person_merge, person CASCADE;
DELETE FROM site WHERE name = 'Bench Hotel';
DELETE FROM jurisdiction WHERE code = 'B0001';
-- Empty the server-side files (SQL cannot remove them).
COPY (SELECT WHERE false) TO :'manifest_file';
COPY (SELECT WHERE false) TO :'person_file';
\set QUIET off
SELECT label, subject_ms, baseline_ms, ratio, note FROM bench.result WHERE label LIKE 'load_manifest%' ORDER BY label;
