-- quarantine_analytics (doc/security.md) as a real analyst: the masked views read,
-- the base tables and functions out of reach, and no full document number or
-- phone anywhere in what an analyst can read.
\set VERBOSITY default
SET client_min_messages = warning;
SELECT quarantine.mask_doc('resident_id', '330302198506120029') AS resident_id,
       quarantine.mask_doc('passport', 'E70012345') AS passport,
       quarantine.mask_doc('passport', 'AB1') AS too_short,
       quarantine.mask_name('陈明') AS chinese, quarantine.mask_name('MARTIN Claire') AS latin,
       quarantine.mask_phone('+86 139 0577 8899') AS phone, quarantine.mask_phone('13857712345') AS mobile,
       quarantine.mask_phone('12345') AS short;
-- Masks work on characters, not bytes or words: a name spelled with spaces
-- between its characters, full-width digits, a non-ASCII document number.
SELECT quarantine.mask_name('陈 伟') AS spaced, quarantine.mask_name('陈　伟　明') AS ideographic_spaces,
       quarantine.mask_name('A B C') AS initials, quarantine.mask_name('LI NA') AS two_words;
SELECT quarantine.mask_phone('１３９１２３４５６７８') AS full_width, quarantine.mask_phone('+86 139-1234-5678') AS dashed,
       quarantine.mask_phone('١٣٩١٢٣٤٥٦٧٨') AS arabic_indic;
SELECT quarantine.mask_doc('other', '陈伟明') AS other_doc, quarantine.mask_doc('other', '陈伟明陈伟明') AS longer,
       pg_catalog.length(quarantine.mask_doc('other', '陈伟明陈伟明')) AS characters;
CREATE ROLE qt_analyst LOGIN IN ROLE quarantine_analyst;
-- A person under control today (day 14 of 14: a NAT due, released tomorrow,
-- a colour change tonight) with an overdue task, so that the views of the
-- local today (src/sql/91_today.sql) have rows to search too.
INSERT INTO quarantine.jurisdiction (code, name, level) VALUES ('8801', '88 test district', 'district');
INSERT INTO quarantine.policy (category, plan, effective, nat_days, note) VALUES
  ('general', '14c', daterange(quarantine.local_date(now()) - 60, NULL), '{1,4,7,14}', '88_analytics: today''s rule');
INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality, phone, jurisdiction)
VALUES (88101, 'passport', 'EQ8810001', 'SUN LIHUA', 'CHN', '13812348801', '8801');
INSERT INTO quarantine.control (control_id, person_id, status, plan, quarantine_start)
VALUES (88101, 88101, 'under_control', '14c', quarantine.local_date(now()) - 13);
INSERT INTO quarantine.task (module, person_id, issued_at) VALUES ('control', 88101, now() - interval '2 days');
-- For the analyst's questions: an entry by land, high-risk staff with no NAT
-- (overdue), a second person who resembles the first (a duplicate
-- candidate), and a case (a positive NAT) who scanned at a venue an hour
-- before the first person did.
INSERT INTO quarantine.entry (person_id, entered_at, port_kind)
VALUES (88101, now() - interval '14 days', 'land');
INSERT INTO quarantine.staff (person_id, role) VALUES (88101, 'cold_chain');
INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality, jurisdiction)
VALUES (88102, 'passport', 'EQ8810002', 'SUN LI HUA', 'CHN', '8801');
INSERT INTO quarantine.duplicate_candidate (person_id, other_id, score, reason)
VALUES (88102, 88101, 0.9, 'birth_sex_name');
INSERT INTO quarantine.place (place_id, name, location) VALUES (88101, '88 venue', 'POINT(120.6 28.0)');
INSERT INTO quarantine.checkin (person_id, place_id, scanned_at) VALUES
  (88102, 88101, now() - interval '3 days'),
  (88101, 88101, now() - interval '3 days' + interval '30 minutes');
INSERT INTO quarantine.lab_test (person_id, kind, sampled_at, result)
VALUES (88102, 'nat', now() - interval '1 day', 'positive');
-- Names and phones that the masks once let through whole.
INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality, phone, jurisdiction) VALUES
  (88104, 'passport', 'EQ8810004', '陈 伟', 'CHN', '１３９１２３４５６７８', '8801'),
  (88105, 'other', 'OT8810005', '林　静', 'CHN', '+86 139 1234 8805', '8801');
-- What must never show: every document number and phone on record, and
-- every name longer than one character.
CREATE TABLE public.qt_secret AS
  SELECT doc_no AS secret FROM quarantine.person
  UNION SELECT phone FROM quarantine.person WHERE phone IS NOT NULL
  UNION SELECT phone_key FROM quarantine.person WHERE phone_key IS NOT NULL
  UNION SELECT name FROM quarantine.person WHERE char_length(name) > 1
  UNION SELECT normalize(phone, NFKC) FROM quarantine.person WHERE phone IS NOT NULL
  UNION SELECT regexp_replace(normalize(phone, NFKC), '[^0-9]', '', 'g') FROM quarantine.person
         WHERE phone IS NOT NULL
  UNION SELECT regexp_replace(name, '\s', '', 'g') FROM quarantine.person
         WHERE char_length(regexp_replace(name, '\s', '', 'g')) > 1;
GRANT SELECT ON public.qt_secret TO qt_analyst;
SELECT count(*) > 5 AS enough_secrets FROM public.qt_secret;
\c - qt_analyst
SET client_min_messages = warning;
-- The settings, first thing in a new session (the library not loaded yet,
-- where current_setting('quarantine.release_test_days') fails).
SELECT name, setting, context FROM quarantine_analytics.settings
 WHERE name IN ('quarantine.release_test_days', 'quarantine.timezone') ORDER BY name;
SELECT person_id, doc_kind, doc_masked, name_masked, birth_year, phone_masked
  FROM quarantine_analytics.persons WHERE person_id IN (85001, 85003, 82001) ORDER BY person_id;
SELECT person_id, doc_kind, doc_masked, name_masked, phone_masked
  FROM quarantine_analytics.persons WHERE person_id IN (88104, 88105) ORDER BY person_id;
SELECT jurisdiction, status, sum(controls) AS controls FROM quarantine_analytics.controls_by_day
 WHERE jurisdiction IN ('330302', '330303', '330106') GROUP BY 1, 2 ORDER BY 1, 2;
SELECT color, sum(persons) AS persons FROM quarantine_analytics.color_distribution
 WHERE jurisdiction IN ('330302', '330303', '330106') GROUP BY 1 ORDER BY 1;
-- Every row of every view, as text, against every secret.
CREATE TEMP TABLE leak (view_name text, secret text);
DO $search$
DECLARE
  v record;
BEGIN
  FOR v IN SELECT viewname FROM pg_views WHERE schemaname = 'quarantine_analytics' LOOP
    EXECUTE format('INSERT INTO leak SELECT %L, s.secret FROM quarantine_analytics.%I r, public.qt_secret s
                     WHERE strpos(r::text, s.secret) > 0', v.viewname, v.viewname);
  END LOOP;
  -- The monitoring functions (a date in, masked rows out), over a week.
  INSERT INTO leak SELECT 'health_checks_missing(' || d || ')', s.secret
    FROM generate_series(0, 6) d, quarantine_analytics.health_checks_missing((now() AT TIME ZONE 'Asia/Shanghai')::date - d) r,
         public.qt_secret s
   WHERE strpos(r::text, s.secret) > 0;
END
$search$;
SELECT count(DISTINCT viewname) AS views_searched FROM pg_views WHERE schemaname = 'quarantine_analytics';
-- the views of today had rows to search
SELECT (SELECT count(*) FROM quarantine_analytics.today_controls WHERE person_id = 88101) AS today_controls,
       (SELECT count(*) FROM quarantine_analytics.tests_due_today WHERE person_id = 88101) AS tests_due_today,
       (SELECT count(*) FROM quarantine_analytics.color_changes_tonight WHERE person_id = 88101) AS color_changes_tonight,
       (SELECT count(*) FROM quarantine_analytics.releases_due WHERE person_id = 88101) AS releases_due,
       (SELECT count(*) FROM quarantine_analytics.overdue_tasks WHERE person_id = 88101) AS overdue_tasks;
-- The analyst's questions, answered masked and with district names.
SELECT due, days, district, name_masked, status FROM quarantine_analytics.releases_due
 WHERE person_id = 88101;
SELECT port_kind, district, arrivals FROM quarantine_analytics.arrivals_by_day
 WHERE jurisdiction = '8801';
SELECT person_id, name_masked, role, district, last_sample, next_due
  FROM quarantine_analytics.staff_tests_overdue WHERE person_id = 88101;
SELECT person_id, name_masked, other_id, other_name_masked, other_district, reason
  FROM quarantine_analytics.duplicate_candidates_waiting WHERE person_id = 88102;
SELECT case_id, case_district, contact_id, contact_name_masked, contact_district, place_id
  FROM quarantine_analytics.case_contacts WHERE case_id = 88102;
SELECT * FROM leak;
-- Nothing of schema quarantine: no table, no function (a full document
-- number or phone is only ever returned from there).
SELECT count(*) FROM quarantine.person;
SELECT quarantine.person_for_doc('passport', 'EA8500001', 'CHN');
SELECT quarantine.mask_doc('passport', 'EA8500001');
-- The functions an analyst may call: only the monitoring ones of
-- quarantine_analytics, which take dates and return masked rows
-- (doc/monitoring.md).
SELECT n.nspname || '.' || p.proname AS functions_an_analyst_may_call
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname IN ('quarantine', 'quarantine_analytics')
   AND has_function_privilege(p.oid, 'EXECUTE') AND has_schema_privilege(n.oid, 'USAGE')
 ORDER BY 1;
-- and the views are read-only.
DELETE FROM quarantine_analytics.persons;
\c - postgres
DROP TABLE public.qt_secret;
DELETE FROM quarantine.policy WHERE note = '88_analytics: today''s rule';
DELETE FROM quarantine.checkin WHERE place_id = 88101;
DROP OWNED BY qt_analyst;
DROP ROLE qt_analyst;
