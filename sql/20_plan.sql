-- isolation_plan: text form, dates of each phase, malformed input.
SET search_path = quarantine, public;
SET datestyle = 'ISO, YMD';

-- Canonical output: case and blanks ignored, leading zeros dropped.
SELECT input, input::isolation_plan AS plan
  FROM (VALUES ('14c'), ('7C+7H'), (' 14 c + 7 m '), ('14w+7c+7m'), ('5c+3h'),
               ('07c'), ('99c+99h+99m+99w'), ('7c+7c')) AS t (input);

-- Equality is of the plan as written: 7c+7c is not 14c (although every date
-- function gives the same answer for both).
SELECT '7c+7h'::isolation_plan = ' 7C + 7H ' AS same_case,
       '7c+7h'::isolation_plan = '7h+7c' AS order_matters,
       '7c+7c'::isolation_plan = '14c' AS adjacent_kept,
       '14c'::isolation_plan <> '14h' AS kind_matters;

-- Every shipped plan and a few others, all started on 2020-04-01 (day 1).
CREATE TEMP TABLE plans (plan isolation_plan, why text);
INSERT INTO plans VALUES
  ('14c', 'shipped 2020-03-16; the national plan'),
  ('7c+7h', '7+7 home transfer; the Fujian guideline'),
  ('14c+7m', 'shipped 2021-05-14'),
  ('7c+3m', 'shipped 2022-06-28'),
  ('5c+3h', 'shipped 2022-11-11'),
  ('14w+7c+7m', 'high-risk staff; the port-city notice'),
  ('7c+7h+7c', 'a kind twice'),
  ('3m', 'no isolation segment');

SELECT plan, total_days(plan) AS days, isolation_end(plan, '2020-04-01'),
       release_date(plan, '2020-04-01'), why
  FROM plans;

SELECT plan,
       phase_range(plan, '2020-04-01', 'not_started') AS not_started,
       phase_range(plan, '2020-04-01', 'work') AS work,
       phase_range(plan, '2020-04-01', 'centralized') AS centralized,
       phase_range(plan, '2020-04-01', 'home') AS home,
       phase_range(plan, '2020-04-01', 'monitoring') AS monitoring,
       phase_range(plan, '2020-04-01', 'released') AS released
  FROM plans;

-- Phase by day number (day 0 is the day before the start).
SELECT plan,
       phase_on(plan, '2020-04-01', '2020-03-31') AS d0,
       phase_on(plan, '2020-04-01', '2020-04-01') AS d1,
       phase_on(plan, '2020-04-01', '2020-04-05') AS d5,
       phase_on(plan, '2020-04-01', '2020-04-06') AS d6,
       phase_on(plan, '2020-04-01', '2020-04-07') AS d7,
       phase_on(plan, '2020-04-01', '2020-04-08') AS d8,
       phase_on(plan, '2020-04-01', '2020-04-14') AS d14,
       phase_on(plan, '2020-04-01', '2020-04-15') AS d15,
       phase_on(plan, '2020-04-01', '2020-04-21') AS d21,
       phase_on(plan, '2020-04-01', '2020-04-22') AS d22,
       phase_on(plan, '2020-04-01', '2020-04-28') AS d28,
       phase_on(plan, '2020-04-01', '2020-04-29') AS d29
  FROM plans;

-- Day numbers: the start date is day 1.
SELECT day_number('2020-04-01', '2020-03-31') AS d0,
       day_number('2020-04-01', '2020-04-01') AS d1,
       day_number('2020-04-01', '2020-04-14') AS d14,
       day_number('2020-04-01', '2020-04-15') AS d15;

-- Infinite dates: the day asked about may be infinite, a start may not.
SELECT phase_on('14c', '2020-04-01', '-infinity') AS minus_inf,
       phase_on('14c', '2020-04-01', 'infinity') AS plus_inf;
SELECT phase_on('14c', 'infinity', '2020-04-01');
SELECT release_date('14c', '-infinity');
SELECT isolation_end('14c', 'infinity');
SELECT phase_range('14c', 'infinity', 'centralized');
SELECT day_number('2020-04-01', 'infinity');
SELECT release_date('99c+99h+99m+99w', '5874897-12-01');

-- Casts and to_isolation_plan.
SELECT '7C+7H'::text::isolation_plan AS from_text, '7c+7h'::isolation_plan::text AS to_text,
       to_isolation_plan(' 14W + 7C + 7M ') AS to_isolation_plan;

-- Malformed input, one probe per line.
\set VERBOSITY default
SELECT ''::isolation_plan;
SELECT '   '::isolation_plan;
SELECT '1c+2c+3c+4c+5c'::isolation_plan;
SELECT '0c'::isolation_plan;
SELECT '100c'::isolation_plan;
SELECT '99999999999999999999c'::isolation_plan;
SELECT '14x'::isolation_plan;
SELECT '14天'::isolation_plan;
SELECT 'c14'::isolation_plan;
SELECT '14'::isolation_plan;
SELECT '14+7c'::isolation_plan;
SELECT '1 4c'::isolation_plan;
SELECT '+14c'::isolation_plan;
SELECT '14c+'::isolation_plan;
SELECT '7c++7h'::isolation_plan;
SELECT '7c7h'::isolation_plan;
SELECT '7cc'::isolation_plan;
SELECT '-7c'::isolation_plan;
SELECT '７c'::isolation_plan;
SELECT to_isolation_plan('14 days');
