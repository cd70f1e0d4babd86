-- Daily health monitoring (doc/monitoring.md): a city with 50,000 persons
-- monitored at home.  1. A COPY of 100,000 health checks through the
-- triggers (the three rules, person_merged, the audit, the referral
-- statement: 1% fevers) against the same COPY into a plain table of the
-- same columns.  2. health_checks_missing and daily_report over the city,
-- in ms with their plans.
\set QUIET on
SET client_min_messages = warning;
SET quarantine.duplicate_detection = off;
TRUNCATE quarantine.code_assignment;

INSERT INTO quarantine.jurisdiction (code, name, parent, level)
SELECT 'B' || k, 'Bench district ' || k, NULL, 'district' FROM generate_series(1, 12) k
ON CONFLICT (code) DO NOTHING;
-- 50,000 persons at home today: day 9 of 7c+7h, spread over 12 districts.
INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality, jurisdiction)
SELECT 9000000 + i, 'passport', 'M' || lpad(i::text, 8, '0'), 'BENCH MONITOR ' || i, 'CHN', 'B' || (1 + i % 12)
  FROM generate_series(1, 50000) i;
INSERT INTO quarantine.control (control_id, person_id, jurisdiction, status, plan, quarantine_start, control_start,
                                registered_at)
SELECT 9100000 + i, 9000000 + i, 'B' || (1 + i % 12), 'under_control', '7c+7h', quarantine.local_date(now()) - 8,
       quarantine.local_day_start(quarantine.local_date(now()) - 8) + interval '10 hours',
       quarantine.local_day_start(quarantine.local_date(now()) - 8) + interval '10 hours'
  FROM generate_series(1, 50000) i;
VACUUM ANALYZE quarantine.person, quarantine.control;

-- 100,000 checks: two a day for 50,000 persons over yesterday and today
-- (today's before now), 1% with a fever.  One server-side file, read by both.
COPY (SELECT 9000000 + 1 + (i % 50000), t.at, CASE WHEN i % 100 = 7 THEN 38.2 ELSE 36.5 END, '{}'::text[],
             t.at + interval '5 minutes'
        FROM generate_series(0, 99999) i,
             LATERAL (SELECT least(now() - interval '10 minutes',
                                   quarantine.local_day_start(quarantine.local_date(now()) - (i / 50000) % 2)
                                     + interval '8 hours' + (i % 600) * interval '1 minute') AS at) t)
  TO '/tmp/quarantine_bench_checks.copy';
CREATE TABLE bench.plain_check (LIKE quarantine.health_check INCLUDING DEFAULTS INCLUDING INDEXES);
ALTER TABLE bench.plain_check ALTER COLUMN check_id DROP IDENTITY IF EXISTS;
ALTER TABLE bench.plain_check ALTER COLUMN check_id SET DEFAULT nextval(pg_get_serial_sequence('quarantine.health_check', 'check_id'));

SELECT * FROM bench.compare('health_check: COPY 100k checks through the triggers vs a plain COPY',
  $$COPY quarantine.health_check (person_id, checked_at, temperature, symptoms, created_at) FROM '/tmp/quarantine_bench_checks.copy'$$,
  $$COPY bench.plain_check (person_id, checked_at, temperature, symptoms, created_at) FROM '/tmp/quarantine_bench_checks.copy'$$,
  'rules, person_merged, audit and referrals (1% fevers) per statement', 1) \g /dev/null
SELECT count(*) AS referrals FROM quarantine.task WHERE module = 'medical_referral' \gset
VACUUM ANALYZE quarantine.health_check, quarantine.task;

-- Missing checks today and yesterday's report over the 50,000.
INSERT INTO bench.result
SELECT 'health_checks_missing(today) over 50k monitored', bench.time_ms('SELECT count(*) FROM quarantine.health_checks_missing()'),
       NULL, NULL, (SELECT count(*) || ' missing' FROM quarantine.health_checks_missing());
INSERT INTO bench.result
SELECT 'daily_report(yesterday) over 50k monitored', bench.time_ms('SELECT count(*) FROM quarantine.daily_report(quarantine.local_date(now()) - 1)'),
       NULL, NULL, (SELECT sum(monitored) || ' monitored, ' || sum(checks_missing) || ' missing' FROM quarantine.daily_report(quarantine.local_date(now()) - 1));
\set QUIET off
SELECT label, subject_ms, baseline_ms, ratio, note FROM bench.result
 WHERE label LIKE 'health_check%' OR label LIKE 'daily_report%' ORDER BY label;
\echo referrals issued: :referrals
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM quarantine.health_checks_missing();
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM quarantine.daily_report(quarantine.local_date(now()) - 1);
\set QUIET on
DROP TABLE bench.plain_check;
TRUNCATE quarantine.health_check, quarantine.task, quarantine.code_assignment;
TRUNCATE quarantine.control, quarantine.person CASCADE;
DELETE FROM quarantine.jurisdiction WHERE code LIKE 'B%' AND name LIKE 'Bench district%';
