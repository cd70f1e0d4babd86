-- make demo, a district's day: who may go home today (the 7+7 check), and
-- who is released today and tomorrow.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

\echo
\echo '== 93 Who may go home today (7+7) and why the others may not: days 8 to 14, centralized'
SELECT name, day, home_eligible AS may_go_home, home_unmet AS why_not
  FROM today_controls
 WHERE phase = 'centralized' AND day >= 8
 ORDER BY home_eligible DESC, day, name;

\echo
\echo '== 93 Who is due for release tomorrow in 鹿城区? (one query on releases_due)'
SELECT name, site, day, color, color_reason
  FROM releases_due WHERE district LIKE '鹿城区%' AND due = 'tomorrow' ORDER BY name;

\echo
\echo '== 93 Releases by district and hotel: today, tomorrow, and open past their release date'
SELECT district, site, due, count(*) AS persons
  FROM releases_due GROUP BY district, site, due ORDER BY district, site, due;
