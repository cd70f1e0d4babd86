-- The "today" views under row-level security, as real login roles: a
-- district operator sees its own district's rows only, a city operator its
-- districts', an analyst only the masked variants (src/sql/91_today.sql).
--   qt_east   operator of district 910101 东区
--   qt_west   operator of district 910102 西区
--   qt_city   operator of city 9101 测试市 (both districts)
--   qt_analyst  a member of quarantine_analyst
\set VERBOSITY terse
SET client_min_messages = warning;
SET search_path = quarantine, public;
SET quarantine.duplicate_detection = off;
-- Today's date, captured once: every day-relative row below is built from it,
-- so a run crossing local midnight cannot build half the data on one day and
-- half on the next.
SELECT local_date(now()) AS today \gset
INSERT INTO jurisdiction (code, name, parent, level) VALUES
  ('9101', '测试市', NULL, 'city'),
  ('910101', '东区', '9101', 'district'),
  ('910102', '西区', '9101', 'district');
INSERT INTO site (site_id, name, kind, capacity, jurisdiction) VALUES
  (91001, 'East Hotel', 'hotel', 10, '910101'),
  (91002, 'West Hotel', 'hotel', 10, '910102');
-- The district's rule of the day, for the NAT days (removed at the end).
INSERT INTO policy (category, plan, effective, nat_days, note) VALUES
  ('general', '14c', daterange(:'today'::date - 60, NULL), '{1,4,7,14}', '91_today: today''s rule');
-- One person a district, on day 14 of 14 today: a NAT due, released
-- tomorrow, red tonight and yellow after midnight; and a task overdue.
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, phone, jurisdiction) VALUES
  (91001, 'passport', 'EQ9100001', 'EAST ONE', 'CHN', '13812349101', '910101'),
  (91002, 'passport', 'EQ9100002', 'WEST TWO', 'CHN', '13812349102', '910102');
INSERT INTO control (control_id, person_id, status, site_id, plan, quarantine_start)
SELECT person_id, person_id, 'under_control', person_id, '14c', :'today'::date - 13
  FROM person WHERE person_id IN (91001, 91002);
INSERT INTO task (module, person_id, issued_at)
SELECT 'control', person_id, now() - interval '2 days' FROM person WHERE person_id IN (91001, 91002);
CREATE ROLE qt_east LOGIN IN ROLE quarantine_operator;
CREATE ROLE qt_west LOGIN IN ROLE quarantine_operator;
CREATE ROLE qt_city LOGIN IN ROLE quarantine_operator;
CREATE ROLE qt_analyst LOGIN IN ROLE quarantine_analyst;
INSERT INTO operator_scope VALUES ('qt_east', '910101'), ('qt_west', '910102'), ('qt_city', '9101');
-- What a role sees in each view, one query kept in a psql variable.
\set seen 'SELECT v, array_agg(p ORDER BY p) AS persons FROM (SELECT ''today_controls'' AS v, person_id AS p FROM quarantine.today_controls UNION ALL SELECT ''releases_due'', person_id FROM quarantine.releases_due UNION ALL SELECT ''tests_due_today'', person_id FROM quarantine.tests_due_today UNION ALL SELECT ''color_changes_tonight'', person_id FROM quarantine.color_changes_tonight UNION ALL SELECT ''overdue_tasks'', person_id FROM quarantine.overdue_tasks) s WHERE p BETWEEN 91001 AND 91099 GROUP BY v ORDER BY v'
-- The administrator sees both.
:seen;

\c - qt_east
:seen;
SELECT name, district, site, day, phase, color, color_reason FROM quarantine.today_controls;
SELECT due, days, name, district, site FROM quarantine.releases_due;
SELECT name, district, from_color, from_reason, to_color, to_reason FROM quarantine.color_changes_tonight;
SELECT name, district FROM quarantine.overdue_tasks;
-- the masked views and their functions are the analysts'
SELECT count(*) FROM quarantine_analytics.today_controls;
SELECT count(*) FROM quarantine.analytics_today_controls();
\c - qt_west
:seen;
\c - qt_city
:seen;

-- An analyst: none of the views of schema quarantine, the masked variants
-- of every district (88_analytics.sql searches them for full documents and
-- phones).
\c - qt_analyst
SELECT count(*) FROM quarantine.today_controls;
SELECT count(*) FROM quarantine.analytics_today_controls();
SELECT name_masked, district, site, day, phase, color, color_reason, next_nat_due IS NOT NULL AS nat_known
  FROM quarantine_analytics.today_controls WHERE person_id BETWEEN 91001 AND 91099 ORDER BY person_id;
SELECT name_masked, district, site, day, sampled
  FROM quarantine_analytics.tests_due_today WHERE person_id BETWEEN 91001 AND 91099 ORDER BY person_id;
SELECT name_masked, district, from_reason, to_reason
  FROM quarantine_analytics.color_changes_tonight WHERE person_id BETWEEN 91001 AND 91099 ORDER BY person_id;
SELECT name_masked, jurisdiction, late IS NOT NULL AS has_late
  FROM quarantine_analytics.overdue_tasks WHERE person_id BETWEEN 91001 AND 91099 ORDER BY person_id;

\c - postgres
SET search_path = quarantine, public;
DROP OWNED BY qt_east, qt_west, qt_city, qt_analyst;
DROP ROLE qt_east, qt_west, qt_city, qt_analyst;
DELETE FROM policy WHERE note = '91_today: today''s rule';
