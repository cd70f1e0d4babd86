-- task_deadline (doc/tasks-phones-names.md; the district notes): control by 17:00, verification and
-- phone_check by 12:00 the next day, in quarantine.timezone whatever the
-- session's TimeZone.
BEGIN;
SELECT plan(11);

-- Issue times around 12:00, 17:00 and midnight, written in Shanghai time.
CREATE TEMP TABLE deadline_vectors (module text, issued_at timestamptz, due timestamptz);
INSERT INTO deadline_vectors VALUES
  ('control',      '2020-04-27 00:00:00+08',        '2020-04-27 17:00+08'),
  ('control',      '2020-04-27 11:59:59+08',        '2020-04-27 17:00+08'),
  ('control',      '2020-04-27 14:00:00+08',        '2020-04-27 17:00+08'),  -- charter import ~14:00
  ('control',      '2020-04-27 16:59:00+08',        '2020-04-27 17:00+08'),
  ('control',      '2020-04-27 16:59:59.999999+08', '2020-04-27 17:00+08'),
  ('control',      '2020-04-27 17:00:00+08',        '2020-04-28 17:00+08'),  -- strictly after
  ('control',      '2020-04-27 17:00:00.000001+08', '2020-04-28 17:00+08'),
  ('control',      '2020-04-27 23:59:59+08',        '2020-04-28 17:00+08'),
  ('control',      '2020-04-30 18:00:00+08',        '2020-05-01 17:00+08'),  -- month end
  ('control',      '2020-12-31 20:00:00+08',        '2021-01-01 17:00+08'),  -- year end
  ('control',      '2020-02-28 17:30:00+08',        '2020-02-29 17:00+08'),  -- leap day
  ('verification', '2020-04-27 00:00:00+08',        '2020-04-28 12:00+08'),
  ('verification', '2020-04-27 11:59:59+08',        '2020-04-28 12:00+08'),
  ('verification', '2020-04-27 12:00:00+08',        '2020-04-28 12:00+08'),
  ('verification', '2020-04-27 17:00:00+08',        '2020-04-28 12:00+08'),
  ('verification', '2020-04-27 23:59:59.999999+08', '2020-04-28 12:00+08'),
  ('verification', '2020-04-28 00:00:00+08',        '2020-04-29 12:00+08'),
  ('phone_check',  '2020-04-27 14:00:00+08',        '2020-04-28 12:00+08'),
  ('phone_check',  '2020-04-27 23:59:59+08',        '2020-04-28 12:00+08'),
  ('phone_check',  '2020-04-28 00:00:01+08',        '2020-04-29 12:00+08'),
  ('phone_check',  '2020-12-31 12:00:00+08',        '2021-01-01 12:00+08');

SET TimeZone = 'Asia/Shanghai';
SELECT results_eq(
  $$SELECT module, issued_at, task_deadline(module, issued_at) FROM deadline_vectors ORDER BY 1, 2$$,
  $$SELECT module, issued_at, due FROM deadline_vectors ORDER BY 1, 2$$,
  'deadlines around 12:00, 17:00 and midnight local (session in Asia/Shanghai)');

-- The session's zone must not matter: in UTC, local midnight is 16:00 the day
-- before, so a UTC-date computation would be off by a day for these.
SET TimeZone = 'UTC';
SELECT results_eq(
  $$SELECT module, issued_at, task_deadline(module, issued_at) FROM deadline_vectors ORDER BY 1, 2$$,
  $$SELECT module, issued_at, due FROM deadline_vectors ORDER BY 1, 2$$,
  'the same deadlines with the session in UTC');
SET TimeZone = 'America/Los_Angeles';
SELECT results_eq(
  $$SELECT module, issued_at, task_deadline(module, issued_at) FROM deadline_vectors ORDER BY 1, 2$$,
  $$SELECT module, issued_at, due FROM deadline_vectors ORDER BY 1, 2$$,
  'the same deadlines with the session in America/Los_Angeles');

SET TimeZone = 'UTC';
SELECT results_eq(
  $$SELECT task_deadline(m, t) FROM (VALUES
      ('control',      timestamptz '2020-04-27 15:59:59+00'),  -- 23:59:59 local
      ('control',      timestamptz '2020-04-27 16:00:00+00'),  -- 00:00 local, next day
      ('verification', timestamptz '2020-04-27 15:59:59+00'),
      ('verification', timestamptz '2020-04-27 16:00:00+00')) v(m, t)$$,
  $$VALUES (timestamptz '2020-04-28 09:00+00'), ('2020-04-28 09:00+00'),
           ('2020-04-28 04:00+00'), ('2020-04-29 04:00+00')$$,
  'UTC instants either side of local midnight fall on different local days');

-- Another quarantine.timezone, across the spring-forward of 2020-03-29 in
-- Rome (02:00 CET -> 03:00 CEST) and the fall-back in New York.
SET quarantine.timezone = 'Europe/Rome';
SELECT results_eq(
  $$SELECT task_deadline(m, t) FROM (VALUES
      ('control',      timestamptz '2020-03-28 15:59:59+00'),  -- 16:59:59 CET
      ('control',      timestamptz '2020-03-28 16:00:00+00'),  -- 17:00 CET -> next day, CEST
      ('verification', timestamptz '2020-03-28 12:00:00+00'),  -- 13:00 CET
      ('phone_check',  timestamptz '2020-03-28 23:30:00+00')) v(m, t)$$,   -- 00:30 CET on the 29th
  $$VALUES (timestamptz '2020-03-28 16:00+00'), ('2020-03-29 15:00+00'),
           ('2020-03-29 10:00+00'), ('2020-03-30 10:00+00')$$,
  'deadlines follow quarantine.timezone (Europe/Rome) across a DST change');
SET quarantine.timezone = 'America/New_York';
SELECT results_eq(
  $$SELECT task_deadline(m, t) FROM (VALUES
      ('control',      timestamptz '2020-10-31 22:00:00+00'),  -- 18:00 EDT
      ('verification', timestamptz '2020-10-31 14:00:00+00')) v(m, t)$$,
  $$VALUES (timestamptz '2020-11-01 22:00+00'), ('2020-11-01 17:00+00')$$,
  'deadlines follow quarantine.timezone (America/New_York) across the fall-back');
RESET quarantine.timezone;

-- The C function must report an unknown module with its value and the choices.
SELECT results_eq(
  $$SELECT e.state, e.message, e.detail, e.hint
      FROM (VALUES ('Control'), ('core'), (''), ('phone check')) m(m),
           LATERAL tap.error_of(format('SELECT task_deadline(%L, now())', m)) e$$,
  $$VALUES
    ('22023', 'unknown task module', 'Module "Control" has no deadline rule.', 'Use one of control, verification, phone_check, medical_referral, daily_report.'),
    ('22023', 'unknown task module', 'Module "core" has no deadline rule.', 'Use one of control, verification, phone_check, medical_referral, daily_report.'),
    ('22023', 'unknown task module', 'Module "" has no deadline rule.', 'Use one of control, verification, phone_check, medical_referral, daily_report.'),
    ('22023', 'unknown task module', 'Module "phone check" has no deadline rule.', 'Use one of control, verification, phone_check, medical_referral, daily_report.')$$,
  'an unknown module is 22023 with the module in DETAIL and the valid ones in HINT');

SELECT throws_ok($$SELECT task_deadline('control', 'infinity')$$, '22008', NULL,
  'an infinite issue time has no local date');

SELECT results_eq(
  $$SELECT task_deadline(NULL, now()) IS NULL, task_deadline('control', NULL) IS NULL$$,
  $$VALUES (true, true)$$, 'NULL in, NULL out');

-- Every function of this area: true volatility, STRICT, PARALLEL SAFE, a comment.
SELECT results_eq(
  $$SELECT p.oid::regprocedure::text, p.provolatile, p.proisstrict, p.proparallel,
           obj_description(p.oid, 'pg_proc') IS NOT NULL
      FROM pg_proc p
     WHERE p.pronamespace = 'quarantine'::regnamespace
       AND p.proname IN ('task_deadline', 'phone_kind', 'name_key', 'name_similarity', 'names_similar')
     ORDER BY 1$$,
  $$VALUES
    ('name_key(text)',                                 'i'::"char", true, 's'::"char", true),
    ('name_similarity(text,text)',                     'i', true, 's', true),
    ('names_similar(text,text)',                       'i', true, 's', true),
    ('phone_kind(text)',                               'i', true, 's', true),
    ('task_deadline(text,timestamp with time zone)',   's', true, 's', true)$$,
  'task_deadline is STABLE (it reads quarantine.timezone); the others IMMUTABLE; all STRICT, PARALLEL SAFE, commented');

-- Properties over every 7 minutes of four days: a control task is due at the
-- next 17:00 local within 24 hours; the others at 12:00 local between 12 and
-- 36 hours later, on the next local day.
SET TimeZone = 'UTC';
SELECT is(
  (SELECT count(*) FROM generate_series(timestamptz '2020-04-26 00:00+08', '2020-04-30 00:00+08', '7 minutes') t,
          LATERAL (SELECT task_deadline('control', t) AS c, task_deadline('verification', t) AS v,
                          task_deadline('phone_check', t) AS p) d
    WHERE NOT (d.c > t AND d.c <= t + interval '24 hours'
               AND (d.c AT TIME ZONE 'Asia/Shanghai')::time = '17:00'
               AND d.v >= t + interval '12 hours' AND d.v <= t + interval '36 hours'
               AND (d.v AT TIME ZONE 'Asia/Shanghai')::time = '12:00'
               AND (d.v AT TIME ZONE 'Asia/Shanghai')::date = (t AT TIME ZONE 'Asia/Shanghai')::date + 1
               AND d.p = d.v)),
  0::bigint, 'every issue time over four days gets a deadline of the right shape');

SELECT * FROM finish();
ROLLBACK;
