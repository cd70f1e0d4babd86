-- Rules an operator cannot bend (doc/security.md), as real login roles:
--   qr_north   operator of district 8401
--   qr_south   operator of district 8402
--   qr_admin   a member of quarantine_admin
-- Each refusal is shown with its SQLSTATE, rule (CONSTRAINT), table and
-- column by public.qr_error, which runs the statement as the caller.
\set VERBOSITY default
SET client_min_messages = warning;
CREATE ROLE qr_north LOGIN IN ROLE quarantine_operator;
CREATE ROLE qr_south LOGIN IN ROLE quarantine_operator;
CREATE ROLE qr_admin LOGIN IN ROLE quarantine_admin;
CREATE FUNCTION public.qr_error(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  st text; rule text; tbl text; col text; msg text; det text;
BEGIN
  EXECUTE sql;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, rule = CONSTRAINT_NAME, tbl = TABLE_NAME,
                          col = COLUMN_NAME, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
  RETURN concat_ws(' | ', st, nullif(rule, ''), nullif(tbl, ''), nullif(col, ''), msg, nullif(det, ''));
END $$;
-- The SQLSTATE and rule alone, for messages that carry today's date.
CREATE FUNCTION public.qr_state(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  e text := public.qr_error(sql);
BEGIN
  RETURN array_to_string((string_to_array(e, ' | '))[1:2], ' | ');
END $$;
GRANT EXECUTE ON FUNCTION public.qr_error(text), public.qr_state(text) TO qr_north, qr_south, qr_admin;
INSERT INTO quarantine.jurisdiction (code, name, level) VALUES
  ('8401', '84 north district', 'district'), ('8402', '84 south district', 'district');
INSERT INTO quarantine.operator_scope VALUES ('qr_north', '8401'), ('qr_south', '8402');
INSERT INTO quarantine.site (site_id, name, kind, jurisdiction) VALUES
  (8401, 'North hotel', 'hotel', '8401'), (8402, 'South hotel', 'hotel', '8402');
INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality, jurisdiction) VALUES
  (84001, 'passport', 'EQ8400001', 'NORTH ONE', 'CHN', '8401'),
  (84002, 'passport', 'EQ8400002', 'SOUTH TWO', 'CHN', '8402'),
  (84003, 'passport', 'EQ8400003', 'SOUTH THREE', 'CHN', '8402');
-- Day 9 of a 14c isolation (free from day 15, six days from now).
INSERT INTO quarantine.control (control_id, person_id, status, plan, quarantine_start, jurisdiction)
VALUES (84101, 84001, 'under_control', '14c', quarantine.local_date(now()) - 8, '8401');

-- 1. quarantine.timezone decides what "today" is for the rules: a session
-- cannot move it.  The early end is refused, and stays refused.
\c - qr_north
SET client_min_messages = warning;
SELECT public.qr_state($$UPDATE quarantine.control SET status = 'ended', end_reason = 'completed_elsewhere'
                          WHERE control_id = 84101$$) AS early_end;
SET quarantine.timezone = '<+167>-167';
SELECT public.qr_state($$UPDATE quarantine.control SET status = 'ended', end_reason = 'completed_elsewhere'
                          WHERE control_id = 84101$$) AS early_end_after_set;
SELECT public.qr_error($$SELECT set_config('quarantine.timezone', 'UTC', false)$$) AS set_config;
-- Set in a fresh session before the library is loaded, the value is dropped
-- when the library defines the setting.
\c - qr_north
SET client_min_messages = warning;
SET quarantine.timezone = '<+167>-167';
SELECT quarantine.local_date(now()) = (now() AT TIME ZONE 'Asia/Shanghai')::date AS zone_kept;
SHOW quarantine.timezone;
SELECT public.qr_state($$UPDATE quarantine.control SET status = 'ended', end_reason = 'completed_elsewhere'
                          WHERE control_id = 84101$$) AS early_end_after_early_set;
SELECT status FROM quarantine.control WHERE control_id = 84101;
-- An administrator may set it (as ALTER DATABASE ... SET does for a district).
\c - qr_admin
SET quarantine.timezone = 'Asia/Urumqi';
SHOW quarantine.timezone;

-- 2. A control for another district's person: refused, unless the site is
-- one of the operator's own (a hotel of this district takes a guest from
-- elsewhere).  The refusal names no fact of the other district.
\c - qr_north
SET client_min_messages = warning;
SELECT public.qr_error($$INSERT INTO quarantine.control (person_id, jurisdiction, plan, quarantine_start)
                          VALUES (84002, '8401', '14c', quarantine.local_date(now()))$$) AS other_persons_control;
SELECT public.qr_error($$INSERT INTO quarantine.control (person_id, plan, quarantine_start, site_id)
                          VALUES (84002, '14c', quarantine.local_date(now()), 8402)$$) AS at_their_site;
SELECT public.qr_error($$INSERT INTO quarantine.control (person_id, jurisdiction, plan, quarantine_start, site_id)
                          VALUES (84002, '8401', '14c', quarantine.local_date(now()), 8402)$$) AS at_their_site_as_ours;
SELECT public.qr_error($$INSERT INTO quarantine.control (control_id, person_id, plan, quarantine_start, site_id)
                          VALUES (84102, 84003, '14c', quarantine.local_date(now()), 8401)$$) AS guest_at_our_hotel;
SELECT person_id, jurisdiction, site_id FROM quarantine.control WHERE person_id IN (84002, 84003) ORDER BY person_id;
-- and the guest cannot be moved off the hotel to become an ordinary control
SELECT public.qr_error($$UPDATE quarantine.control SET site_id = NULL WHERE control_id = 84102$$) AS guest_off_site;
SELECT public.qr_error($$UPDATE quarantine.control SET site_id = 8402 WHERE control_id = 84102$$) AS guest_to_their_site;
-- The other district still opens its own control for its other person.
\c - qr_south
SET client_min_messages = warning;
SELECT public.qr_error($$INSERT INTO quarantine.control (person_id, plan, quarantine_start)
                          VALUES (84002, '14c', quarantine.local_date(now()))$$) AS own_control;

-- 3. On a node of a federation, keys come from the node's range (the bounds
-- federation_set_node gives every identity sequence; here person's alone,
-- restored after).  An operator's explicit person_id outside it would
-- collide with another node's person at the province.
\c - postgres
SET client_min_messages = warning;
SELECT last_value AS person_seq_last, is_called AS person_seq_called FROM quarantine.person_person_id_seq \gset
ALTER TABLE quarantine.person ALTER COLUMN person_id
  SET MINVALUE 5000000000000 SET MAXVALUE 5999999999999 SET START 5000000000001 RESTART 5000000000001;
\c - qr_north
SET client_min_messages = warning;
SELECT public.qr_error($$INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality, jurisdiction)
                          VALUES (6000000000001, 'passport', 'EQ8400011', 'NORTH ELEVEN', 'CHN', '8401')$$) AS other_nodes_key;
SELECT public.qr_error($$INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality, jurisdiction)
                          VALUES (84011, 'passport', 'EQ8400011', 'NORTH ELEVEN', 'CHN', '8401')$$) AS key_before_federation;
SELECT public.qr_error($$UPDATE quarantine.person SET person_id = 6000000000002 WHERE person_id = 84001$$) AS moved_key;
SELECT public.qr_error($$INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality, jurisdiction)
                          VALUES (5000000000500, 'passport', 'EQ8400011', 'NORTH ELEVEN', 'CHN', '8401')$$) AS own_key;
SELECT public.qr_error($$INSERT INTO quarantine.person (doc_kind, doc_no, name, nationality, jurisdiction)
                          VALUES ('passport', 'EQ8400012', 'NORTH TWELVE', 'CHN', '8401')$$) AS generated_key;
\c - postgres
SET client_min_messages = warning;
SELECT count(*) AS persons_in_node_range FROM quarantine.person WHERE person_id BETWEEN 5000000000000 AND 5999999999999;
DELETE FROM quarantine.duplicate_candidate WHERE person_id BETWEEN 5000000000000 AND 5999999999999 OR other_id BETWEEN 5000000000000 AND 5999999999999;
DELETE FROM quarantine.person WHERE person_id BETWEEN 5000000000000 AND 5999999999999;
ALTER TABLE quarantine.person ALTER COLUMN person_id SET NO MINVALUE SET NO MAXVALUE SET START 1;
SELECT setval('quarantine.person_person_id_seq', :person_seq_last, :'person_seq_called') > 0 AS restored;

DELETE FROM quarantine.control_event WHERE control_id IN (SELECT control_id FROM quarantine.control WHERE person_id BETWEEN 84001 AND 84099);
DELETE FROM quarantine.control WHERE person_id BETWEEN 84001 AND 84099;
DELETE FROM quarantine.code_assignment WHERE person_id BETWEEN 84001 AND 84099;
DELETE FROM quarantine.duplicate_candidate WHERE person_id BETWEEN 84001 AND 84099 OR other_id BETWEEN 84001 AND 84099;
DELETE FROM quarantine.person WHERE person_id BETWEEN 84001 AND 84099;
DELETE FROM quarantine.site WHERE site_id IN (8401, 8402);
DELETE FROM quarantine.operator_scope WHERE role_name IN ('qr_north', 'qr_south');
DROP FUNCTION public.qr_state(text), public.qr_error(text);
DROP ROLE qr_north, qr_south, qr_admin;
