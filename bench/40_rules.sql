-- Rules of arrival screening and the 7+7 check (src/rules/arrival.c, src/rules/transfer.c).
\echo '== 40_rules: home_transfer_check and classify_arrival over 1M rows'
\set QUIET on
SET search_path = quarantine, public;

-- 1M synthetic episodes, each with 3 tests (NAT day 3, NAT day 5-7, IgM day 5),
-- a mix of categories, results and check dates so that every branch runs.
DROP TABLE IF EXISTS bench.rules_episode;
CREATE TABLE bench.rules_episode AS
SELECT i, s AS start,
       (CASE WHEN i % 10 = 0 THEN 'close_contact' ELSE 'general' END)::arrival_category AS category,
       ARRAY[ROW('nat', s + 2, CASE WHEN i % 50 = 0 THEN 'positive' ELSE 'negative' END)::lab_result,
             ROW('nat', s + 4 + i % 3, 'negative')::lab_result,
             ROW('igm', s + 4, CASE WHEN i % 7 = 0 THEN 'pending' ELSE 'negative' END)::lab_result]
         AS tests,
       i % 13 <> 0 AS home_verified, i % 17 <> 0 AS commitment_signed,
       s + 4 + i % 6 AS on_date,
       round(36.0 + (i % 25) / 10.0, 1) AS temperature,
       CASE WHEN i % 9 = 0 THEN ARRAY['dry_cough', 'fatigue'] ELSE '{}' END AS symptoms
  FROM (SELECT i, date '2020-03-01' + i % 400 AS s FROM generate_series(1, 1000000) i) g;
VACUUM ANALYZE bench.rules_episode;

-- Baselines: trivial SQL functions over the same rows (inlined by the planner).
CREATE OR REPLACE FUNCTION bench.rules_trivial_transfer(start date, on_date date)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT on_date >= start + 7 $$;
CREATE OR REPLACE FUNCTION bench.rules_trivial_classify(temperature numeric, symptoms text[])
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT temperature > 37.3 OR cardinality(symptoms) > 0 $$;
\set QUIET off

SELECT * FROM bench.compare('40 home_transfer_check, 1M episodes x 3 tests',
  $$SELECT count(*) FILTER (WHERE (home_transfer_check(start, category, tests, home_verified,
                                                       commitment_signed, on_date)).eligible)
      FROM bench.rules_episode$$,
  $$SELECT count(*) FILTER (WHERE bench.rules_trivial_transfer(start, on_date))
      FROM bench.rules_episode$$,
  'vs an inlined SQL function on_date >= start + 7 over the same rows');

SELECT * FROM bench.compare('40 classify_arrival, 1M arrivals',
  $$SELECT count(*) FILTER (WHERE classify_arrival(temperature, symptoms) = 'symptomatic')
      FROM bench.rules_episode$$,
  $$SELECT count(*) FILTER (WHERE bench.rules_trivial_classify(temperature, symptoms))
      FROM bench.rules_episode$$,
  'vs an inlined SQL function temperature > 37.3 OR cardinality(symptoms) > 0');

-- The subject and baseline agree on what they can both see: who is past day 8.
SELECT count(*) FILTER (WHERE (home_transfer_check(start, category, tests, home_verified,
                                                   commitment_signed, on_date)).eligible) AS eligible,
       count(*) FILTER (WHERE on_date >= start + 7) AS past_day_8,
       count(*) FILTER (WHERE classify_arrival(temperature, symptoms) = 'symptomatic') AS symptomatic
  FROM bench.rules_episode;
DROP TABLE bench.rules_episode;
