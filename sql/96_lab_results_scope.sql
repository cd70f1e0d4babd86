-- person_lab_results, the one reader of lab tests, under row-level security.
-- It answers only when the caller sees every test of the person, so
-- home_transfer_eligibility keeps working for a district's own controls and
-- shows no other district's tests.  Its own records: person 96001 of district
-- 960101 and 96003 of 960201 (another city), each with a control and a NAT.
SET client_min_messages = warning;
SET search_path = quarantine, public;
INSERT INTO jurisdiction (code, name, parent, level) VALUES
  ('96', '96 province', NULL, 'province'),
  ('9601', '96 city one', '96', 'city'),
  ('960101', '96 district one', '9601', 'district'),
  ('9602', '96 city two', '96', 'city'),
  ('960201', '96 district two', '9602', 'district');
INSERT INTO person (person_id, doc_kind, doc_no, name, sex, birth_date, nationality, phone, jurisdiction) VALUES
  (96001, 'passport', 'EA9600001', 'QIAN SHAN', 'M', '1985-03-02', 'CHN', '13812349601', '960101'),
  (96003, 'passport', 'EA9600003', 'SUN HEPING', 'M', '1979-11-11', 'CHN', '13812349603', '960201');
INSERT INTO entry (entry_id, person_id, entered_at, port)
SELECT person_id + 100, person_id, '2021-07-10 06:20+08', 'PVG' FROM person WHERE person_id IN (96001, 96003);
INSERT INTO control (control_id, person_id, entry_id, jurisdiction)
SELECT person_id + 200, person_id, person_id + 100, jurisdiction FROM person WHERE person_id IN (96001, 96003);
INSERT INTO lab_test (person_id, kind, sampled_at, result)
SELECT person_id, 'nat', '2021-07-10 08:00+08', 'negative' FROM person WHERE person_id IN (96001, 96003);
UPDATE control SET status = 'under_control', control_start = '2021-07-10 14:00+08'
 WHERE control_id IN (96201, 96203);
CREATE ROLE qt_rules_op LOGIN IN ROLE quarantine_operator;
INSERT INTO operator_scope VALUES ('qt_rules_op', '960101');
\c - qt_rules_op
SET search_path = quarantine, public;
SET datestyle = 'ISO, YMD';
SELECT person_lab_results(96001) AS own_person;
SELECT (home_transfer_eligibility(96201, '2021-07-12')).unmet AS own_control;
CREATE FUNCTION pg_temp.error_of(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE sql;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT pg_temp.error_of($$SELECT person_lab_results(96003)$$) AS other_district;
SELECT home_transfer_eligibility(96203, '2021-07-12') AS other_district_control;
\c - postgres
SET client_min_messages = warning;
DELETE FROM quarantine.operator_scope WHERE role_name = 'qt_rules_op';
DROP OWNED BY qt_rules_op;
DROP ROLE qt_rules_op;
