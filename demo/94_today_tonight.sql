-- make demo, a district's day: whose colour changes tonight, and the beds.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

\echo
\echo '== 94 Whose colour changes at midnight, city-wide (code_color now and at the next local midnight)'
SELECT from_color || ' ' || from_reason AS now, to_color || ' ' || to_reason AS after_midnight,
       count(*) AS persons
  FROM color_changes_tonight GROUP BY 1, 2 ORDER BY persons DESC, 1, 2;

\echo
\echo '== 94 ... and by name in 鹿城区 (the first twelve)'
SELECT name, from_color || ' ' || from_reason AS now,
       to_color || ' ' || to_reason AS after_midnight
  FROM color_changes_tonight WHERE district = '鹿城区' ORDER BY to_color DESC, name LIMIT 12;

\echo
\echo '== 94 Occupancy of 鹿城区''s hotels today (every district''s guests in a centralized phase)'
SELECT name, capacity, occupied, free
  FROM site_occupancy WHERE kind = 'hotel' AND jurisdiction = '330302' ORDER BY site_id;
