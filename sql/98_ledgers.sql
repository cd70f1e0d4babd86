-- The import ledgers and rejects (doc/security.md, "Loaders"), as real login
-- roles of two districts: a reject is read by the district of its row, and
-- only when its message was written for a view no wider than the reader's;
-- the ledgers and the rejects are written by the extension alone.
--   lg_a, lg_b  operators of districts 339801 and 339802
--   lg_admin    an administrator
\set VERBOSITY default
SET client_min_messages = warning;
CREATE ROLE lg_a LOGIN IN ROLE quarantine_operator;
CREATE ROLE lg_b LOGIN IN ROLE quarantine_operator;
CREATE ROLE lg_admin LOGIN IN ROLE quarantine_admin;
INSERT INTO quarantine.jurisdiction (code, name, level)
VALUES ('339801', 'Ledger district A', 'district'), ('339802', 'Ledger district B', 'district');
INSERT INTO quarantine.operator_scope VALUES ('lg_a', '339801'), ('lg_b', '339802');

-- District B's person.
\c - lg_b
INSERT INTO quarantine.person (doc_kind, doc_no, name, nationality, jurisdiction)
VALUES ('passport', 'LB8000001', 'PERSON OF B', 'CHN', '339802');

-- 1. An administrator's load refuses a row of district A that repeats B's
-- document: the administrator's message names B's person ...
\c - lg_admin
SET search_path = quarantine, public;
INSERT INTO person_staging (batch, row_no, doc_kind, doc_no, name, nationality, jurisdiction) VALUES
  ('LG-ADMIN', 1, 'passport', 'LB8000001', 'COPY IN A', 'CHN', '339801'),
  ('LG-ADMIN', 2, 'passport', 'LA8000002', 'PERSON OF A', 'CHN', '339801');
SELECT * FROM load_staged('person', 'LG-ADMIN');
SELECT row_no, rule, jurisdiction, caller_scope, detail ~ 'person_id [0-9]+' AS names_the_person
  FROM import_reject WHERE batch = 'LG-ADMIN';
-- ... so district A's operator does not read that reject (nor B's).
\c - lg_a
SELECT count(*) AS admin_rejects_seen_by_a FROM quarantine.import_reject WHERE batch = 'LG-ADMIN';
\c - lg_b
SELECT count(*) AS admin_rejects_seen_by_b FROM quarantine.import_reject WHERE batch = 'LG-ADMIN';

-- 2. District A loads the same row itself: its message says the document
-- is taken, not by whom; A reads its reject, B does not.
\c - lg_a
CREATE TEMP TABLE stg (batch text, row_no int, doc_kind text, doc_no text, name text,
                       nationality text, jurisdiction text);
INSERT INTO stg VALUES ('LG-A', 1, 'passport', 'LB8000001', 'COPY IN A', 'CHN', '339801'),
                       ('LG-A', 2, 'passport', 'LA8000003', 'ANOTHER OF A', 'CHN', '339801');
SELECT * FROM quarantine.load_staged('quarantine.person', 'LG-A', 'stg');
SELECT row_no, rule, jurisdiction, caller_scope, detail FROM quarantine.import_reject WHERE batch = 'LG-A';
-- the ledger of A's own loads
SELECT target, batch, row_no, loaded_by FROM quarantine.load_accept ORDER BY batch, row_no;
\c - lg_b
SELECT count(*) AS a_rejects_seen_by_b FROM quarantine.import_reject WHERE batch = 'LG-A';
SELECT count(*) AS a_ledger_seen_by_b FROM quarantine.load_accept;

-- 3. Manifest rejects follow the same rule.
\c - lg_a
INSERT INTO quarantine.manifest_staging (batch, row_no, name, doc_kind, doc_no, nationality, sex,
                                         birth_date, phone, flight, seat, entered_at, port, site,
                                         jurisdiction) VALUES
  ('LG-M', 1, 'BAD ROW', 'passport', '', 'ITA', 'M', '1980-01-02', NULL,
   'CA939', '12B', '2020-04-26 13:20', 'WNZ', NULL, '339801');
SELECT * FROM quarantine.load_manifest('LG-M');
SELECT row_no, rule, jurisdiction, caller_scope FROM quarantine.import_reject WHERE batch = 'LG-M';
\c - lg_b
SELECT count(*) AS manifest_rejects_seen_by_b FROM quarantine.import_reject WHERE batch = 'LG-M';

-- 4. No operator writes a ledger or a reject: a forged import_accept row
-- would make load_manifest skip another district's row, a forged
-- load_accept row load_staged.
\c - lg_a
INSERT INTO quarantine.import_accept (batch, row_no, person_id, entry_id, control_id, reused)
VALUES ('LG-B', 1, 1, 1, 1, false);
INSERT INTO quarantine.import_reject (batch, row_no, rule, message, row)
VALUES ('LG-B', 1, 'forged', 'forged', '{}');
INSERT INTO quarantine.load_accept (target, batch, row_no, row_hash)
VALUES ('person', 'LG-B', 1, '00000000-0000-0000-0000-000000000000');
UPDATE quarantine.import_reject SET detail = NULL;
DELETE FROM quarantine.import_reject;
UPDATE quarantine.load_accept SET row_no = 9;
DELETE FROM quarantine.load_accept;
DELETE FROM quarantine.import_accept;
-- nor does an administrator: the loaders write them
\c - lg_admin
INSERT INTO quarantine.import_accept (batch, row_no, person_id, entry_id, control_id, reused)
VALUES ('LG-B', 1, 1, 1, 1, false);
DELETE FROM quarantine.import_reject;

-- 5. What a refusal tells across districts: A's control naming B's entry
-- is refused without saying whose entry it is (it used to name B's person).
\c - lg_b
INSERT INTO quarantine.entry (person_id, entered_at, port)
SELECT person_id, '2021-07-10 06:20+08', 'PVG' FROM quarantine.person WHERE doc_no = 'LB8000001'
RETURNING entry_id AS b_entry \gset
-- (the refusal's fields, with numbers shown as N: keys depend on the run)
\c - postgres
CREATE FUNCTION public.lg_refusal(person_doc text, jurisdiction text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  s text; c text; m text; d text; h text;
BEGIN
  INSERT INTO quarantine.control (person_id, entry_id, jurisdiction)
  SELECT p.person_id, pg_catalog.current_setting('lg.entry')::bigint, lg_refusal.jurisdiction
    FROM quarantine.person p WHERE p.doc_no = person_doc;
  RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS s = RETURNED_SQLSTATE, c = CONSTRAINT_NAME, m = MESSAGE_TEXT,
                          d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
  RETURN pg_catalog.concat_ws(' | ', s, c,
           pg_catalog.regexp_replace(pg_catalog.concat_ws(' | ', m, d, h), '[0-9]+', 'N', 'g'));
END
$$;
\c - lg_a
SELECT pg_catalog.set_config('lg.entry', :'b_entry', false) IS NOT NULL AS set;
SELECT public.lg_refusal('LA8000003', '339801') AS a_is_told;
-- B itself is told whose entry it is
\c - lg_b
INSERT INTO quarantine.person (doc_kind, doc_no, name, nationality, jurisdiction)
VALUES ('passport', 'LB8000009', 'SECOND OF B', 'CHN', '339802');
SELECT pg_catalog.set_config('lg.entry', :'b_entry', false) IS NOT NULL AS set;
SELECT public.lg_refusal('LB8000009', '339802') AS b_is_told;

\c - postgres
SET client_min_messages = warning;
DELETE FROM quarantine.import_reject WHERE batch IN ('LG-ADMIN', 'LG-A', 'LG-M');
DELETE FROM quarantine.load_accept WHERE batch IN ('LG-ADMIN', 'LG-A');
DELETE FROM quarantine.person_staging WHERE batch = 'LG-ADMIN';
DELETE FROM quarantine.manifest_staging WHERE batch = 'LG-M';
DROP FUNCTION public.lg_refusal(text, text);
DROP OWNED BY lg_a, lg_b, lg_admin;
DROP ROLE lg_a, lg_b, lg_admin;
