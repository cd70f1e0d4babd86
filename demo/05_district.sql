-- make demo, step 5: the district's data.  tools/generate.sql loads 10,000
-- persons of 温州市's twelve districts (seed 1, as of now; doc/generate.md):
-- six weeks of arrivals, hotels, lab tests, tasks, staff, scans.  It needs a
-- database without persons, so it runs before the samples of the later
-- steps, which take ids above 20000 (50_records.sql) so as not to collide.
-- With the same seed the same rows come back, their dates relative to today.
\echo
\echo '== 05 The district''s data: psql -v persons=10000 -v seed=1 -f tools/generate.sql'
\set persons 10000
\set seed 1
\ir ../tools/generate.sql
\unset QUIET

\echo
\echo '== 05 Open controls per district (the five busiest of the city''s twelve districts; the walk follows 鹿城区)'
SELECT district, count(*) AS open_controls, count(DISTINCT site_id) AS hotels,
       min(day) AS newest_day, max(day) AS oldest_day
  FROM today_controls GROUP BY district ORDER BY open_controls DESC LIMIT 5;
