-- register_arrival (doc/application.md, "Registering an arrival"): one call
-- as a real login operator under row security; another district's person
-- follows rule control_scope (doc/security.md).  Each refusal shows its
-- SQLSTATE, rule (CONSTRAINT), table and column (public.ra_error).
\set VERBOSITY default
SET client_min_messages = warning;
CREATE ROLE ra_north LOGIN IN ROLE quarantine_operator;
CREATE FUNCTION public.ra_error(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  st text; rule text; tbl text; col text; msg text;
BEGIN
  EXECUTE sql;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, rule = CONSTRAINT_NAME, tbl = TABLE_NAME,
                          col = COLUMN_NAME, msg = MESSAGE_TEXT;
  RETURN concat_ws(' | ', st, nullif(rule, ''), nullif(tbl, ''), nullif(col, ''), msg);
END $$;
GRANT EXECUTE ON FUNCTION public.ra_error(text) TO ra_north;
INSERT INTO quarantine.jurisdiction (code, name, level) VALUES
  ('8601', '86 north district', 'district'), ('8602', '86 south district', 'district');
INSERT INTO quarantine.operator_scope VALUES ('ra_north', '8601');
INSERT INTO quarantine.site (site_id, name, kind, jurisdiction) VALUES
  (8601, 'North hotel', 'hotel', '8601'), (8602, 'South hotel', 'hotel', '8602');
INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality, jurisdiction) VALUES
  (86002, 'passport', 'EQ8600002', 'SOUTH TWO', 'CHN', '8602'),
  (86003, 'passport', 'EQ8600003', 'SOUTH THREE', 'CHN', '8602');

\c - ra_north
SET client_min_messages = warning;
-- 1. A new person: person, entry and control in one call, one round trip.
SELECT person_created, entry_id IS NOT NULL AS has_entry, plan
  FROM quarantine.register_arrival('passport', 'eq86-00001', 'NORTH ONE', 'chn', '8601',
                                   now() - interval '1 hour', 'air', NULL, '14c');
SELECT p.doc_no, e.port_kind, c.status, c.plan, c.jurisdiction
  FROM quarantine.person p JOIN quarantine.entry e USING (person_id)
  JOIN quarantine.control c ON c.entry_id = e.entry_id
 WHERE p.doc_no = 'EQ8600001';
-- The same document again: found by person_for_doc, not created; the open
-- control refuses a second (and the whole call writes nothing).
SELECT array_to_string((string_to_array(public.ra_error($$SELECT quarantine.register_arrival('passport', 'EQ8600001',
         'NORTH ONE', 'CHN', '8601', now(), 'air', NULL, '14c')$$), ' | '))[1:3], ' | ') AS again;
SELECT count(*) AS entries FROM quarantine.entry e JOIN quarantine.person p USING (person_id)
 WHERE p.doc_no = 'EQ8600001';
-- The single statement it replaces fails for an operator: the entry's
-- trigger (and row security) cannot see the person the same statement
-- writes; the refusal names rule person_scope.
SELECT array_to_string((string_to_array(public.ra_error($$WITH p AS (INSERT INTO quarantine.person (doc_kind, doc_no, name, nationality, jurisdiction)
                                    VALUES ('passport', 'EQ8600004', 'NORTH FOUR', 'CHN', '8601') RETURNING person_id),
                              e AS (INSERT INTO quarantine.entry (person_id, entered_at) SELECT person_id, now() FROM p
                                    RETURNING person_id, entry_id)
                         INSERT INTO quarantine.control (person_id, entry_id, plan) SELECT person_id, entry_id, '14c' FROM e$$),
       ' | '))[1:4], ' | ') AS one_statement;

-- 2. Malformed values name their rule, as load_staged records them.
SELECT public.ra_error($$SELECT quarantine.register_arrival('resident_id', '360426199101010072', 'BAD CHECK',
                           NULL, '8601', now(), 'air', NULL, '14c')$$) AS bad_check_digit;
SELECT public.ra_error($$SELECT quarantine.register_arrival('passport', 'EQ8600005', 'BAD PLAN', 'CHN',
                           '8601', now(), 'air', NULL, '14x')$$) AS bad_plan;
SELECT public.ra_error($$SELECT quarantine.register_arrival('passport', 'EQ8600005', 'BAD PORT', 'CHN',
                           '8601', now(), 'ship', NULL, '14c')$$) AS bad_port;
SELECT count(*) AS written FROM quarantine.person WHERE doc_no IN ('EQ8600004', 'EQ8600005');

-- 3. Another district's person: refused without a site of our own, naming
-- only the document; at our hotel the control opens (no entry: the person's
-- district records it).
SELECT public.ra_error($$SELECT quarantine.register_arrival('passport', 'EQ8600002', 'SOUTH TWO', 'CHN')$$)
       AS other_district;
SELECT public.ra_error($$SELECT quarantine.register_arrival('passport', 'EQ8600002', 'SOUTH TWO', 'CHN',
                           NULL, now(), 'air', 8602, '14c')$$) AS at_their_site;
SELECT person_id, person_created, entry_id, plan
  FROM quarantine.register_arrival('passport', 'EQ8600003', 'SOUTH THREE', 'CHN',
                                   NULL, now(), 'air', 8601, '14c');
SELECT person_id, site_id, jurisdiction, entry_id FROM quarantine.control WHERE person_id = 86003;

\c - postgres
SET client_min_messages = warning;
-- PUBLIC has no EXECUTE: it probes an index no table privilege guards.
SELECT has_function_privilege('public', 'quarantine.register_arrival(quarantine.doc_kind, text, text, char, text, timestamptz, text, bigint, text)', 'EXECUTE') AS public_may;
DELETE FROM quarantine.control_event WHERE control_id IN
  (SELECT control_id FROM quarantine.control c JOIN quarantine.person p USING (person_id) WHERE p.doc_no LIKE 'EQ86%');
DELETE FROM quarantine.control WHERE person_id IN (SELECT person_id FROM quarantine.person WHERE doc_no LIKE 'EQ86%');
DELETE FROM quarantine.code_assignment WHERE person_id IN (SELECT person_id FROM quarantine.person WHERE doc_no LIKE 'EQ86%');
DELETE FROM quarantine.entry WHERE person_id IN (SELECT person_id FROM quarantine.person WHERE doc_no LIKE 'EQ86%');
DELETE FROM quarantine.duplicate_candidate WHERE person_id IN (SELECT person_id FROM quarantine.person WHERE doc_no LIKE 'EQ86%')
   OR other_id IN (SELECT person_id FROM quarantine.person WHERE doc_no LIKE 'EQ86%');
DELETE FROM quarantine.person WHERE doc_no LIKE 'EQ86%';
DELETE FROM quarantine.site WHERE site_id IN (8601, 8602);
DELETE FROM quarantine.operator_scope WHERE role_name = 'ra_north';
DELETE FROM quarantine.jurisdiction WHERE code IN ('8601', '8602');
DROP FUNCTION public.ra_error(text);
DROP ROLE ra_north;
