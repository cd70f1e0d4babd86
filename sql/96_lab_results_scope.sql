-- person_lab_results, the one reader of lab tests, under row-level security
-- (the records of 85_scope: persons 85001 of district 330302 and 85003 of
-- 330106, each with a control and a NAT).  It answers only when the caller
-- sees every test of the person, so home_transfer_eligibility keeps working
-- for a district's own controls and shows no other district's tests.
SET client_min_messages = warning;
SET search_path = quarantine, public;
CREATE ROLE qt_rules_op LOGIN IN ROLE quarantine_operator;
INSERT INTO operator_scope VALUES ('qt_rules_op', '330302');
\c - qt_rules_op
SET search_path = quarantine, public;
SET datestyle = 'ISO, YMD';
SELECT person_lab_results(85001) AS own_person;
SELECT (home_transfer_eligibility(85201, '2021-07-12')).unmet AS own_control;
CREATE FUNCTION pg_temp.error_of(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE sql;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT pg_temp.error_of($$SELECT person_lab_results(85003)$$) AS other_district;
SELECT home_transfer_eligibility(85203, '2021-07-12') AS other_district_control;
\c - postgres
SET client_min_messages = warning;
DELETE FROM quarantine.operator_scope WHERE role_name = 'qt_rules_op';
DROP OWNED BY qt_rules_op;
DROP ROLE qt_rules_op;
