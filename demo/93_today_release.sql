-- make demo, a district's day: who may go home today (the 7+7 check), and
-- who is released today and tomorrow.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

\echo
\echo '== 93 Who may go home today (7+7) in 鹿城区: days 8 to 14, centralized; the reasons why not'
SELECT home_eligible AS may_go_home, home_unmet AS why_not, count(*) AS persons
  FROM today_controls
 WHERE district = '鹿城区' AND phase = 'centralized' AND day >= 8
 GROUP BY home_eligible, home_unmet ORDER BY home_eligible DESC, persons DESC LIMIT 8;

\echo
-- The Tour's query, word for word (doc/tour.md; here on two lines).  How many it lists depends
-- on the weekday: the charter flights of two weeks ago flew on Tuesdays,
-- Thursdays and Saturdays.
\echo
\echo '== 93 Who is due for release tomorrow in 鹿城区? The Tour''s one query (doc/tour.md):'
\echo '   SELECT name, site, color, color_reason FROM releases_due'
\echo '    WHERE district = ''鹿城区'' AND due = ''tomorrow'';'
SELECT name, site, color, color_reason FROM releases_due
 WHERE district = '鹿城区' AND due = 'tomorrow';

\echo
\echo '== 93 Releases per district: today, tomorrow, and open past their release date (overdue:'
\echo '   hospital stays and controls nobody has ended yet)'
SELECT district, count(*) FILTER (WHERE due = 'today') AS today,
       count(*) FILTER (WHERE due = 'tomorrow') AS tomorrow,
       count(*) FILTER (WHERE due = 'overdue') AS overdue
  FROM releases_due GROUP BY district ORDER BY district;
