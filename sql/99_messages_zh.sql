-- Messages in the operator's language: with lc_messages zh_CN.UTF-8 a rule
-- refuses in Simplified Chinese (po/zh_CN.po), and the rule name, the
-- SQLSTATE and the values stay what they are in every language.  A value
-- PostgreSQL itself refuses is in its own catalog's words.
SET client_min_messages = notice;
INSERT INTO quarantine.jurisdiction (code, name, level) VALUES ('9701', '97 test district', 'district');
INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality, jurisdiction)
VALUES (97001, 'passport', 'EZ9700001', '陈伟', 'CHN', '9701');
INSERT INTO quarantine.control (control_id, person_id, status, plan, quarantine_start)
VALUES (97001, 97001, 'under_control', '14c', '2021-06-01');
-- Reads the error's fields as a client does (SQLSTATE, CONSTRAINT, message,
-- DETAIL, HINT), so that the output shows exactly what a case system gets.
CREATE FUNCTION pg_temp.refusal(statement text) RETURNS TABLE (field text, value text)
LANGUAGE plpgsql AS $$
DECLARE
  st text; rule text; msg text; det text; hnt text;
BEGIN
  EXECUTE statement;
  RETURN QUERY SELECT 'accepted', statement;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, rule = CONSTRAINT_NAME, msg = MESSAGE_TEXT,
                          det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
  RETURN QUERY VALUES ('sqlstate', st), ('rule', rule), ('message', msg), ('detail', det), ('hint', hnt);
END $$;
SET lc_messages = 'zh_CN.UTF-8';
SELECT * FROM pg_temp.refusal($$INSERT INTO quarantine.control (person_id, status, plan, quarantine_start)
                               VALUES (97001, 'pending', '14c', '2021-06-02')$$);
-- a malformed value (class 22): a resident ID with a wrong check character
SELECT * FROM pg_temp.refusal($$SELECT quarantine.to_cnid('11010519491231002Y')$$);
-- the same refusal in English
RESET lc_messages;
SELECT * FROM pg_temp.refusal($$INSERT INTO quarantine.control (person_id, status, plan, quarantine_start)
                               VALUES (97001, 'pending', '14c', '2021-06-02')$$);
DELETE FROM quarantine.control WHERE control_id = 97001;
DELETE FROM quarantine.person WHERE person_id = 97001;
DELETE FROM quarantine.jurisdiction WHERE code = '9701';
