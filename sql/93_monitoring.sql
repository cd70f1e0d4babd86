-- Daily health monitoring and the daily report (doc/monitoring.md) as real login
-- roles:
--   qm_a        operator of district MA
--   qm_b        operator of district MB
--   qm_admin    a member of quarantine_admin
--   qm_analyst  a member of quarantine_analyst
-- Dates are relative to the local today; none is printed.
\set VERBOSITY default
SET client_min_messages = warning;
SET search_path = quarantine, public;
INSERT INTO jurisdiction (code, name, parent, level) VALUES
  ('MC', '监测市', NULL, 'city'), ('MA', '甲区', 'MC', 'district'), ('MB', '乙区', 'MC', 'district');
CREATE ROLE qm_a LOGIN IN ROLE quarantine_operator;
CREATE ROLE qm_b LOGIN IN ROLE quarantine_operator;
CREATE ROLE qm_admin LOGIN IN ROLE quarantine_admin;
CREATE ROLE qm_analyst LOGIN IN ROLE quarantine_analyst;
INSERT INTO operator_scope VALUES ('qm_a', 'MA'), ('qm_b', 'MB');
-- One person a district, at home on day 9 of 7c+7h.
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, jurisdiction) VALUES
  (93001, 'passport', 'EQ9300001', 'CHEN MING', 'CHN', 'MA'),
  (93002, 'passport', 'EQ9300002', 'WU FANG', 'CHN', 'MB');
INSERT INTO entry (entry_id, person_id, entered_at)
SELECT person_id + 100, person_id, local_day_start(local_date(now()) - 8) + interval '8 hours'
  FROM person WHERE person_id IN (93001, 93002);
INSERT INTO control (control_id, person_id, entry_id, jurisdiction, plan, status, control_start, registered_at)
SELECT person_id + 200, person_id, person_id + 100, jurisdiction, '7c+7h', 'under_control',
       local_day_start(local_date(now()) - 8) + interval '10 hours', local_day_start(local_date(now()) - 8) + interval '10 hours'
  FROM person WHERE person_id IN (93001, 93002);
-- The SQLSTATE and rule name of an error, for the refusals below.
CREATE FUNCTION public.qm_error(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE s text; r text; m text;
BEGIN
  EXECUTE sql;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS s = RETURNED_SQLSTATE, r = CONSTRAINT_NAME, m = MESSAGE_TEXT;
  RETURN s || ' ' || coalesce(nullif(r, ''), '-') || ': ' || m;
END $$;

-- 1. An operator records checks of its own persons; a fever issues a
-- referral in its district; another district's person is refused.
\c - qm_a
SET search_path = quarantine, public;
SELECT person_id, name, jurisdiction, district, days_missing FROM health_checks_missing() WHERE person_id IN (93001, 93002);
INSERT INTO health_check (person_id, temperature) VALUES (93001, 38.3);
SELECT module, person_id, jurisdiction, done_at IS NULL AS open FROM task WHERE person_id IN (93001, 93002);
SELECT public.qm_error($$INSERT INTO quarantine.health_check (person_id, temperature) VALUES (93002, 36.5)$$);
SELECT public.qm_error($$INSERT INTO quarantine.health_check (person_id, temperature) VALUES (93001, 98.6)$$);
SELECT count(*) AS missing_after_the_report FROM health_checks_missing() WHERE person_id = 93001;
-- The outcome closes the referral.
UPDATE task SET outcome = 'clinic: common cold' WHERE person_id = 93001 AND module = 'medical_referral';
SELECT module, done_at IS NOT NULL AS closed, outcome FROM task WHERE person_id = 93001;

-- 2. Submissions: its own district only; another district, a code that
-- does not exist and a city are refused alike, telling nothing.
SELECT submit_daily_report('MA', local_date(now()) - 1) AS version;
SELECT public.qm_error($$SELECT quarantine.submit_daily_report('MB', quarantine.local_date(now()) - 1)$$);
SELECT public.qm_error($$SELECT quarantine.submit_daily_report('ZZ', quarantine.local_date(now()) - 1)$$);
SELECT public.qm_error($$SELECT quarantine.submit_daily_report('MC', quarantine.local_date(now()) - 1)$$);
SELECT split_part(public.qm_error($$SELECT quarantine.submit_daily_report('MA', quarantine.local_date(now()) + 1)$$), ':', 1)
  AS tomorrow;
SELECT jurisdiction, version, by_role, monitored, checks_missing FROM daily_report_submission
 WHERE jurisdiction IN ('MA', 'MB') ORDER BY 1, 2;
SELECT public.qm_error($$UPDATE quarantine.daily_report_submission SET monitored = 0$$);
SELECT public.qm_error($$DELETE FROM quarantine.daily_report_submission$$);
SELECT public.qm_error($$INSERT INTO quarantine.daily_report_submission SELECT * FROM quarantine.daily_report_submission$$);
\c - qm_b
SET search_path = quarantine, public;
SELECT count(*) AS submissions_of_ma_seen_by_mb FROM daily_report_submission WHERE jurisdiction = 'MA';
SELECT count(*) AS checks_of_ma_seen_by_mb FROM health_check WHERE person_id = 93001;
SELECT submit_daily_report('MB', local_date(now()) - 1) AS version;

-- 3. An administrator submits for any district; nobody changes a submission.
\c - qm_admin
SET search_path = quarantine, public;
SELECT submit_daily_report('MA', local_date(now()) - 1) AS version;
SELECT jurisdiction, version, by_role FROM daily_report_submission WHERE jurisdiction IN ('MA', 'MB') ORDER BY 1, 2;
SELECT public.qm_error($$UPDATE quarantine.daily_report_submission SET monitored = 0 WHERE jurisdiction = 'MA'$$);
\c - postgres
SET search_path = quarantine, public;
SELECT public.qm_error($$UPDATE quarantine.daily_report_submission SET monitored = 0 WHERE jurisdiction = 'MA'$$);
SELECT public.qm_error($$DELETE FROM quarantine.daily_report_submission WHERE jurisdiction = 'MA'$$);

-- 4. Analysts: the same figures and the missing checks, masked; no table.
\c - qm_analyst
SELECT jurisdiction, district, open_controls, open_home, monitored, checks_missing
  FROM quarantine_analytics.daily_report((now() AT TIME ZONE 'Asia/Shanghai')::date - 1)
 WHERE jurisdiction IN ('MA', 'MB');
SELECT person_id, name_masked, jurisdiction, district, days_missing
  FROM quarantine_analytics.health_checks_missing() WHERE person_id IN (93001, 93002);
SELECT jurisdiction, version FROM quarantine_analytics.daily_report_submissions
 WHERE jurisdiction IN ('MA', 'MB') ORDER BY 1, 2;
SELECT public.qm_error($$SELECT count(*) FROM quarantine.health_check$$);
SELECT public.qm_error($$SELECT quarantine.submit_daily_report('MA', quarantine.local_date(now()) - 1)$$);

-- Clean up (submissions only go with the triggers off, as a superuser).
\c - postgres
SET client_min_messages = warning;
SET session_replication_role = replica;
DELETE FROM quarantine.daily_report_submission WHERE jurisdiction IN ('MA', 'MB');
RESET session_replication_role;
DELETE FROM quarantine.task WHERE person_id IN (93001, 93002);
DELETE FROM quarantine.health_check WHERE person_id IN (93001, 93002);
DELETE FROM quarantine.control WHERE person_id IN (93001, 93002);
DELETE FROM quarantine.entry WHERE person_id IN (93001, 93002);
DELETE FROM quarantine.code_assignment WHERE person_id IN (93001, 93002);
DELETE FROM quarantine.person WHERE person_id IN (93001, 93002);
DELETE FROM quarantine.operator_scope WHERE role_name IN ('qm_a', 'qm_b');
DELETE FROM quarantine.jurisdiction WHERE code IN ('MA', 'MB', 'MC');
DROP FUNCTION public.qm_error(text);
DROP OWNED BY qm_a, qm_b, qm_admin, qm_analyst;
DROP ROLE qm_a, qm_b, qm_admin, qm_analyst;
