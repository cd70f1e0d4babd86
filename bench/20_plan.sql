-- isolation_plan date functions against the plain date arithmetic they
-- replace, over 10M start dates.  Both sides scan the same table, so the
-- ratio is the cost of unpacking the plan and checking the date.
\set QUIET on
SET search_path = quarantine, public;
CREATE UNLOGGED TABLE bench.plan_days AS
  SELECT '2020-03-16'::date + (i % 1000) AS d FROM generate_series(1, 10000000) AS i;
VACUUM ANALYZE bench.plan_days;
\set QUIET off

SELECT * FROM bench.compare('plan: release_date(14c+7m, d) x 10M',
  $$SELECT count(release_date('14c+7m', d)) FROM bench.plan_days$$,
  $$SELECT count(d + 21) FROM bench.plan_days$$,
  'C function vs date + integer');

SELECT * FROM bench.compare('plan: phase_on(14c+7m, start, d) x 10M',
  $$SELECT count(phase_on('14c+7m', '2021-01-01', d)) FROM bench.plan_days$$,
  $$SELECT count(CASE WHEN d < date '2021-01-01' THEN 'not_started'::phase
                      WHEN d < date '2021-01-15' THEN 'centralized'::phase
                      WHEN d < date '2021-01-22' THEN 'monitoring'::phase
                      ELSE 'released'::phase END) FROM bench.plan_days$$,
  'C function vs a hand-written CASE for one plan');

DROP TABLE bench.plan_days;
