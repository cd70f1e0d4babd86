-- Security (doc/security.md), as real login roles: each \c below logs in anew.
--   qt_attacker  a role with nothing but a schema of its own
--   qt_operator  a member of quarantine_operator
--   qt_admin     a member of quarantine_admin
\set VERBOSITY default
SET client_min_messages = warning;
CREATE ROLE qt_attacker LOGIN;
CREATE ROLE qt_operator LOGIN IN ROLE quarantine_operator;
CREATE ROLE qt_admin LOGIN IN ROLE quarantine_admin;
CREATE SCHEMA evil AUTHORIZATION qt_attacker;
GRANT USAGE ON SCHEMA quarantine TO qt_attacker;
INSERT INTO quarantine.jurisdiction (code, name, level) VALUES ('330302', '鹿城区 Lucheng', 'district');
INSERT INTO quarantine.operator_scope VALUES ('qt_operator', '330302');

-- 1. A trigger function of the extension on a lookalike table.  EXECUTE is
-- not PUBLIC's, so the trigger cannot even be created:
\c - qt_attacker
CREATE TEMP TABLE tt (module int8, issued_at int8, due_at int8);
CREATE TRIGGER t BEFORE INSERT ON tt FOR EACH ROW EXECUTE FUNCTION quarantine.task_before_write();
-- and where a careless DBA granted EXECUTE, the function refuses to run on
-- any table but its own (it used to read int8 columns as text and crash the
-- server).
\c - postgres
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA quarantine TO qt_attacker;
\c - qt_attacker
CREATE TEMP TABLE tt (module int8, issued_at int8, due_at int8);
CREATE TRIGGER t BEFORE INSERT ON tt FOR EACH ROW EXECUTE FUNCTION quarantine.task_before_write();
INSERT INTO tt VALUES (1, 2, 3);
CREATE TEMP TABLE person (person_id int8, doc_kind int8, doc_no int8, name int8);
CREATE TRIGGER t BEFORE INSERT ON person FOR EACH ROW EXECUTE FUNCTION quarantine.person_before_write();
INSERT INTO person VALUES (1, 2, 3, 4);
CREATE TEMP TABLE lookalike (entry_id int8, person_id int8, entered_at int8, control_id int8, status int8,
                             verification_id int8, return_date int8);
CREATE TRIGGER e BEFORE INSERT ON lookalike FOR EACH ROW EXECUTE FUNCTION quarantine.entry_before_write();
INSERT INTO lookalike (entry_id) VALUES (1);
DROP TRIGGER e ON lookalike;
CREATE TRIGGER c BEFORE INSERT ON lookalike FOR EACH ROW EXECUTE FUNCTION quarantine.control_before_write();
INSERT INTO lookalike (entry_id) VALUES (1);
DROP TRIGGER c ON lookalike;
CREATE TRIGGER v BEFORE INSERT ON lookalike FOR EACH ROW EXECUTE FUNCTION quarantine.verification_before_write();
INSERT INTO lookalike (entry_id) VALUES (1);
DROP TRIGGER v ON lookalike;
CREATE TRIGGER s AFTER INSERT ON lookalike REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION quarantine.code_feed_after_write();
INSERT INTO lookalike (entry_id) VALUES (1);
DROP TRIGGER s ON lookalike;
CREATE TRIGGER s AFTER INSERT ON lookalike REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION quarantine.person_after_write();
INSERT INTO lookalike (entry_id) VALUES (1);
SELECT 'the server is still up' AS after_the_lookalikes;
\c - postgres
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA quarantine FROM qt_attacker;

-- 2. search_path hijacking (the CVE-2018-1058 pattern): the attacker plants
-- functions and operators that the extension's own queries would pick over
-- pg_catalog's if they followed the caller's search_path; a superuser then
-- works with the attacker's schema first on its path.  Nothing planted runs.
\c - qt_attacker
CREATE FUNCTION evil.hijacked() RETURNS boolean LANGUAGE plpgsql AS
  $$BEGIN RAISE EXCEPTION 'hijacked: planted code ran as %', current_user; END$$;
CREATE FUNCTION evil.lower(daterange) RETURNS date LANGUAGE sql AS $$SELECT NULL::date WHERE evil.hijacked()$$;
CREATE FUNCTION evil.eq(quarantine.control_status, quarantine.control_status) RETURNS boolean
  LANGUAGE sql AS $$SELECT evil.hijacked()$$;
CREATE OPERATOR evil.= (LEFTARG = quarantine.control_status, RIGHTARG = quarantine.control_status,
                        FUNCTION = evil.eq);
CREATE FUNCTION evil.eq(quarantine.doc_kind, quarantine.doc_kind) RETURNS boolean
  LANGUAGE sql AS $$SELECT evil.hijacked()$$;
CREATE OPERATOR evil.= (LEFTARG = quarantine.doc_kind, RIGHTARG = quarantine.doc_kind, FUNCTION = evil.eq);
CREATE FUNCTION evil.format(text, text, integer) RETURNS text LANGUAGE sql AS $$SELECT NULL::text WHERE evil.hijacked()$$;
CREATE FUNCTION evil.to_jsonb(quarantine.manifest_staging) RETURNS jsonb
  LANGUAGE sql AS $$SELECT NULL::jsonb WHERE evil.hijacked()$$;
\c - postgres
SET search_path = evil, quarantine, public;
SET client_min_messages = warning;
-- the policy cache loads (lower(daterange)) in a new session
SELECT plan_for('general', '2021-07-10');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
VALUES (81001, 'passport', 'EA8100001', 'HUANG LEI', 'CHN');
INSERT INTO entry (entry_id, person_id, entered_at, port) VALUES (81101, 81001, '2021-07-10 06:20+08', 'PVG');
INSERT INTO control (control_id, person_id, entry_id) VALUES (81201, 81001, 81101);
-- control_after_update, nat_due: control_status =
UPDATE control SET status = 'under_control', control_start = '2021-07-10 14:00+08' WHERE control_id = 81201;
SELECT nat_due(81201, '2021-07-13');
-- person_for_doc: doc_kind =
SELECT person_for_doc('passport', 'EA8100001', 'CHN');
-- load_manifest: doc_kind =, format, to_jsonb
INSERT INTO manifest_staging (batch, row_no, name, doc_kind, doc_no, nationality, sex, birth_date,
                              phone, flight, seat, entered_at, port, site, jurisdiction) VALUES
  ('HIJACK', 1, 'ROSSI MARIO', 'passport', 'YA8100001', 'ITA', 'M', '1980-01-02', '11111111111',
   'CA939', '12A', '2020-04-26 13:20', 'WNZ', NULL, '330302'),
  ('HIJACK', 2, 'BAD ROW', 'passport', '', 'ITA', 'M', '1980-01-02', NULL,
   'CA939', '12B', '2020-04-26 13:20', 'WNZ', NULL, '330302');
SELECT * FROM load_manifest('HIJACK');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
VALUES (81002, 'passport', 'EA8100002', 'HUANG LEI', 'CHN');
SELECT merge_persons(81001, 81002);
SELECT keep_id, drop_id, moved, by_role FROM person_merge WHERE drop_id = 81002;
SELECT count(*) AS feed_rows FROM code_assignment WHERE person_id = 81001;
RESET search_path;
DROP SCHEMA evil CASCADE;

-- 3. The log tables are written by the extension only.  An operator's
-- records write their history, signed by the operator ...
\c - qt_operator
SET search_path = quarantine, public;
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, jurisdiction)
VALUES (82001, 'passport', 'EA8200001', 'LI NA', 'CHN', '330302');
INSERT INTO entry (entry_id, person_id, entered_at, port) VALUES (82101, 82001, '2021-07-10 06:20+08', 'PVG');
INSERT INTO control (control_id, person_id, entry_id) VALUES (82201, 82001, 82101);
UPDATE control SET status = 'under_control', control_start = '2021-07-10 14:00+08' WHERE control_id = 82201;
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES (82001, 'nat', '2021-07-11 08:00+08', 'positive');
SELECT from_status, to_status, by_role FROM control_event WHERE control_id = 82201;
SELECT color, reason FROM code_assignment WHERE person_id = 82001 ORDER BY assignment_id DESC LIMIT 1;
-- ... and the operator can neither forge, rewrite nor erase it.
INSERT INTO code_assignment (person_id, color, reason) VALUES (82001, 'green', 'clear');
INSERT INTO control_event (control_id, from_status, to_status, by_role) VALUES (82201, 'pending', 'ended', 'qt_admin');
INSERT INTO duplicate_candidate (person_id, other_id, score, reason) VALUES (82001, 81001, 1, 'phone_name');
INSERT INTO person_merge (keep_id, drop_id, moved) VALUES (82001, 81001, '{}');
UPDATE code_assignment SET color = 'green' WHERE person_id = 82001;
UPDATE control_event SET by_role = 'qt_admin' WHERE control_id = 82201;
DELETE FROM code_assignment WHERE person_id = 82001;
DELETE FROM control_event WHERE control_id = 82201;
TRUNCATE code_assignment;
TRUNCATE control_event;
SELECT count(*) FROM audit_log;
UPDATE audit_log SET by_role = 'qt_admin';
DELETE FROM audit_log;
TRUNCATE audit_log;
ALTER TABLE person DISABLE TRIGGER audit_insert;
ALTER TABLE code_assignment DISABLE TRIGGER ALL;
ALTER TABLE control DISABLE TRIGGER control_after_update;
-- The audited operations are not an operator's to merge or refresh.
SELECT merge_persons(82001, 81001);
SELECT refresh_codes();
-- Settings a rule reads are not an operator's (the time zone decides what
-- "today" is for the rules); the note of control_event is.
SET quarantine.fever_threshold = 40;
SET quarantine.duplicate_detection = off;
SET quarantine.release_test_days = 30;
SET quarantine.timezone = 'UTC';
SET quarantine.event_note = 'called the hotel';

-- 4. An administrator may change the weakening settings.
\c - qt_admin
SET quarantine.fever_threshold = 37.5;
SET quarantine.duplicate_detection = off;
SHOW quarantine.fever_threshold;
-- The operator's writes are in the audit log, signed by the operator; the
-- administrator reads it and can change nothing there either.
SELECT table_name, op, row_key, by_role FROM quarantine.audit_log
 WHERE row_key IN ('82001', '82101', '82201') ORDER BY audit_id;
UPDATE quarantine.audit_log SET by_role = 'nobody';
DELETE FROM quarantine.audit_log;
TRUNCATE quarantine.audit_log;
ALTER TABLE quarantine.person DISABLE TRIGGER audit_insert;

-- 5. A role with nothing reaches nothing.
\c - qt_attacker
SELECT count(*) FROM quarantine.person;
SELECT quarantine.code_color(82001);
INSERT INTO quarantine.code_assignment (person_id, color, reason) VALUES (82001, 'green', 'clear');

\c - postgres
SET client_min_messages = warning;
DROP OWNED BY qt_attacker, qt_operator, qt_admin;
DROP ROLE qt_attacker, qt_operator, qt_admin;
