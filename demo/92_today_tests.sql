-- make demo, a district's day: who is due for a NAT today, at which hotel
-- (the policy's nat_days: 14c+7m samples on days 1, 4, 7, 14, 16 and 21;
-- the generated controls are 14c, days 1, 7 and 14).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

\echo
\echo '== 92 NAT samples due today in 鹿城区 per hotel (at home: in the monitoring days)'
SELECT coalesce(site, 'at home') AS place, count(*) AS due,
       count(*) FILTER (WHERE sampled) AS sampled, count(*) FILTER (WHERE NOT sampled) AS to_do
  FROM tests_due_today WHERE district = '鹿城区' GROUP BY place ORDER BY place;

\echo
\echo '== 92 The sampling team''s list: who is still to be sampled today (the first twelve)'
SELECT coalesce(site, 'at home') AS place, day, name, person_id
  FROM tests_due_today WHERE district = '鹿城区' AND NOT sampled
 ORDER BY place, day, name LIMIT 12;
