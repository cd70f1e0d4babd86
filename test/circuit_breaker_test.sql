-- The flight circuit breaker (doc/ports.md): the shipped thresholds and
-- flight_circuit_breaks over entries and lab tests.
BEGIN;
SELECT plan(12);
SET LOCAL quarantine.duplicate_detection = off;

SELECT results_eq(
  $$SELECT effective::text, min_positives, min_share, suspend_days, count_days, shipped
      FROM circuit_breaker_policy ORDER BY effective, min_positives, min_share$$,
  $$VALUES ('[2020-06-08,2020-12-16)', 5, NULL::numeric, 7, 2, true), ('[2020-06-08,2020-12-16)', 10, NULL, 28, 2, true),
           ('[2020-12-16,2022-08-07)', 5, NULL, 14, 2, true), ('[2020-12-16,2022-08-07)', 10, NULL, 28, 2, true),
           ('[2022-08-07,2022-11-11)', 5, 0.04, 7, 2, true), ('[2022-08-07,2022-11-11)', 5, 0.08, 14, 2, true)$$,
  'the three shipped periods, marked shipped');
SELECT is((SELECT x.cond FROM pg_extension e, LATERAL unnest(e.extconfig, e.extcondition) AS x(cfg, cond)
            WHERE e.extname = 'quarantine' AND x.cfg = 'quarantine.circuit_breaker_policy'::regclass),
          'WHERE NOT shipped', 'pg_dump keeps the rows admins add, not the shipped ones');
SELECT tap.throws_rule(
  $$INSERT INTO circuit_breaker_policy (effective, min_positives, suspend_days) VALUES ('[2021-01-01,2021-02-01)', 5, 21)$$,
  '23P01', 'circuit_breaker_policy_no_overlap', 'the same threshold twice on one day is refused');
SELECT tap.throws_rule(
  $$INSERT INTO circuit_breaker_policy (effective, min_positives, min_share, suspend_days) VALUES ('[2023-01-01,2023-02-01)', 5, 4, 7)$$,
  '23514', 'circuit_breaker_policy_min_share', 'a share is a fraction (0.04), not a percentage');

-- passengers: person 989000 + n; flights on local arrival dates
CREATE TEMP TABLE pax (flight text, entered_at timestamptz, n int, positive_day int);
INSERT INTO pax
-- CA101, 2021-03-10: 6 passengers, 5 positive on arrival or the day after: 5 -> 14 days
SELECT 'CA101', timestamptz '2021-03-10 23:30+08', i, CASE WHEN i <= 5 THEN i % 2 END FROM generate_series(1, 6) i
UNION ALL
-- CA102, 2021-03-10: 12 passengers, 10 positive: 10 -> 28 days wins over 5 -> 14
SELECT 'CA102', '2021-03-10 10:00+08', i, CASE WHEN i <= 10 THEN 0 END FROM generate_series(1, 12) i
UNION ALL
-- CA103, 2021-03-10: 4 positive in the window, a fifth on day 3 (outside count_days 2)
SELECT 'CA103', '2021-03-10 10:00+08', i, CASE WHEN i <= 4 THEN 1 WHEN i = 5 THEN 2 END FROM generate_series(1, 8) i
UNION ALL
-- CA104, 2022-09-01: 100 passengers, 5 positive (5 %): 4 % -> 7 days
SELECT 'CA104', '2022-09-01 10:00+08', i, CASE WHEN i <= 5 THEN 0 END FROM generate_series(1, 100) i
UNION ALL
-- CA105, 2022-09-01: 50 passengers, 5 positive (10 %): 8 % -> 14 days
SELECT 'CA105', '2022-09-01 10:00+08', i, CASE WHEN i <= 5 THEN 0 END FROM generate_series(1, 50) i
UNION ALL
-- CA106, 2022-09-01: 200 passengers, 5 positive (2.5 %): none
SELECT 'CA106', '2022-09-01 10:00+08', i, CASE WHEN i <= 5 THEN 0 END FROM generate_series(1, 200) i
UNION ALL
-- CA107, 2020-06-07: before the first notice took effect: none
SELECT 'CA107', '2020-06-07 10:00+08', i, 0 FROM generate_series(1, 10) i;
ALTER TABLE pax ADD person_id bigint;
UPDATE pax SET person_id = 989000 + r FROM (SELECT ctid AS c, row_number() OVER () AS r FROM pax) x WHERE x.c = pax.ctid;
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
SELECT person_id, 'passport', 'EF' || person_id, 'PAX ' || person_id, 'CHN' FROM pax;
INSERT INTO entry (person_id, entered_at, flight, port_nat_result)
SELECT person_id, entered_at, flight, 'negative' FROM pax;
INSERT INTO lab_test (person_id, kind, sampled_at, result, reported_at)
SELECT person_id, 'nat', (local_date(entered_at) + positive_day)::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '23 hours',
       'positive', (local_date(entered_at) + positive_day)::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '23 hours 30 minutes'
  FROM pax WHERE positive_day IS NOT NULL;

SELECT results_eq(
  $$SELECT flight, arrival_date, passengers, positives, suspend_days, suspend_from, suspend_until
      FROM flight_circuit_breaks('2020-01-01', '2023-01-01') ORDER BY flight$$,
  $$VALUES ('CA101', date '2021-03-10', 6::bigint, 5::bigint, 14, date '2021-03-11', date '2021-03-25'),
           ('CA102', date '2021-03-10', 12::bigint, 10::bigint, 28, date '2021-03-11', date '2021-04-08'),
           ('CA104', date '2022-09-01', 100::bigint, 5::bigint, 7, date '2022-09-02', date '2022-09-09'),
           ('CA105', date '2022-09-01', 50::bigint, 5::bigint, 14, date '2022-09-02', date '2022-09-16')$$,
  'the flights that reached a threshold: the highest wins, the suspension half-open from the next day');
SELECT is((SELECT p.note FROM flight_circuit_breaks('2021-03-10', '2021-03-11') b
             JOIN circuit_breaker_policy p ON p.rule_id = b.policy WHERE b.flight = 'CA102'),
          'CAAC notice of 2020-12-16: 10 positive passengers suspend the route for 4 weeks',
          'policy names the threshold row that decided');
SELECT is((SELECT count(*)::int FROM flight_circuit_breaks('2021-03-11', '2021-03-12')), 0,
          'until is exclusive and since inclusive: arrival dates [since, until), local (23:30+08 is the 10th)');
SELECT is((SELECT count(*)::int FROM flight_circuit_breaks('2021-03-10', '2021-03-11')), 2,
          'a flight arriving 23:30 local is one of that local day');
UPDATE lab_test SET sampled_at = sampled_at + interval '1 day', reported_at = reported_at + interval '1 day'
 WHERE person_id IN (SELECT person_id FROM pax WHERE flight = 'CA103' AND positive_day = 2);
UPDATE circuit_breaker_policy SET count_days = 3 WHERE effective @> date '2021-03-10' AND min_positives = 5;
UPDATE lab_test SET sampled_at = sampled_at - interval '1 day', reported_at = reported_at - interval '1 day'
 WHERE person_id IN (SELECT person_id FROM pax WHERE flight = 'CA103' AND positive_day = 2);
SELECT is((SELECT positives FROM flight_circuit_breaks('2021-03-10', '2021-03-11') WHERE flight = 'CA103'), 5::bigint,
          'count_days 3 counts a positive sampled on day 3 (a local row may widen the window)');
SELECT is((SELECT count(*)::int FROM flight_circuit_breaks('2020-06-01', '2020-06-08')), 0,
          'before 2020-06-08 no threshold applies');
-- rights
SELECT ok(NOT has_function_privilege('public', 'quarantine.flight_circuit_breaks(date, date)', 'EXECUTE')
          AND has_function_privilege('quarantine_operator', 'quarantine.flight_circuit_breaks(date, date)', 'EXECUTE'),
          'operators may ask, PUBLIC may not');
SELECT ok(has_table_privilege('quarantine_admin', 'quarantine.circuit_breaker_policy', 'INSERT')
          AND NOT has_table_privilege('quarantine_operator', 'quarantine.circuit_breaker_policy', 'INSERT'),
          'administrators add thresholds, operators read them');

SELECT * FROM finish();
ROLLBACK;
