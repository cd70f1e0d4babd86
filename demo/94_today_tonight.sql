-- make demo, a district's day: whose colour changes tonight, and the beds.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

\echo
\echo '== 94 Whose colour changes at midnight (code_color now and at the next local midnight)'
SELECT name, district, from_color || ' ' || from_reason AS now,
       to_color || ' ' || to_reason AS after_midnight
  FROM color_changes_tonight ORDER BY to_color DESC, name;

\echo
\echo '== 94 Occupancy per hotel today (every district''s guests in a centralized phase)'
SELECT name, capacity, occupied, free FROM site_occupancy WHERE kind = 'hotel' ORDER BY site_id;
