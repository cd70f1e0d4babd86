-- A refusal never tells an operator another district's facts (doc/security.md),
-- as real login roles of two districts:
--   rs_a, rs_b  operators of districts 339811 and 339812
-- Each refusal that describes a row of the other district is shown to the
-- district that holds the row (its facts are named) and to the one that
-- does not (the message keeps only what that caller wrote).
\set VERBOSITY default
SET client_min_messages = warning;
CREATE ROLE rs_a LOGIN IN ROLE quarantine_operator;
CREATE ROLE rs_b LOGIN IN ROLE quarantine_operator;
INSERT INTO quarantine.jurisdiction (code, name, level)
VALUES ('339811', 'Refusal district A', 'district'), ('339812', 'Refusal district B', 'district');
INSERT INTO quarantine.operator_scope VALUES ('rs_a', '339811'), ('rs_b', '339812');
-- The refusal's fields as the caller reads them.
CREATE FUNCTION public.rs_error(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  s text; c text; m text; d text; h text;
BEGIN
  EXECUTE sql;
  RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS s = RETURNED_SQLSTATE, c = CONSTRAINT_NAME, m = MESSAGE_TEXT,
                          d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
  RETURN pg_catalog.concat_ws(E'\n  ', s || ' ' || c, m, d, h);
END
$$;
GRANT EXECUTE ON FUNCTION public.rs_error(text) TO rs_a, rs_b;
-- Persons of A and of B, each with an entry on one captured day.
INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality, jurisdiction) VALUES
  (339811001, 'passport', 'RS8110001', 'TAKEN IN BY B', 'CHN', '339811'),
  (339811002, 'passport', 'RS8110002', 'TAKEN IN BY A', 'CHN', '339811'),
  (339811003, 'passport', 'RS8110003', 'MERGED INTO B', 'CHN', '339811'),
  (339812001, 'passport', 'RS8120001', 'MERGED INTO B TOO', 'CHN', '339812'),
  (339812002, 'passport', 'RS8120002', 'KEPT OF B', 'CHN', '339812');
INSERT INTO quarantine.entry (entry_id, person_id, entered_at, port_kind) VALUES
  (339811101, 339811001, '2021-04-13 08:00+08', 'air'),
  (339811102, 339811002, '2021-04-13 08:00+08', 'air');
-- Both were taken in on 27 April: 339811001 by a control of B, 339811002 by
-- one of A.
INSERT INTO quarantine.control (control_id, person_id, entry_id, status, control_start,
                                transferred_from, quarantine_start, jurisdiction) VALUES
  (339812201, 339811001, 339811101, 'under_control', '2021-04-27 16:00+08',
   'Shanghai, Pudong hotel', '2021-04-13', '339812'),
  (339811201, 339811002, 339811102, 'under_control', '2021-04-27 16:00+08',
   'Shanghai, Pudong hotel', '2021-04-13', '339811');

-- 1. verification_transfer_date: A records a return on the 28th.  Where A
-- took control, A is told its control and the day; where B did, A is told
-- neither.
\c - rs_a
SELECT public.rs_error($$INSERT INTO quarantine.verification (verification_id, person_id, entry_id, return_date)
                          VALUES (339811301, 339811002, 339811102, '2021-04-28')$$) AS own_control;
SELECT public.rs_error($$INSERT INTO quarantine.verification (verification_id, person_id, entry_id, return_date)
                          VALUES (339811302, 339811001, 339811101, '2021-04-28')$$) AS control_of_b;

-- 2. control_no_repeat: a completed control of an entry whose control is
-- open.  Where the open control is A's, A's HINT names it; where it is B's,
-- it names none.
SELECT public.rs_error($$INSERT INTO quarantine.control (person_id, entry_id, status, end_reason, quarantine_start,
                                                         ended_at, jurisdiction)
                          VALUES (339811002, 339811102, 'ended', 'completed_elsewhere', '2021-04-13',
                                  '2021-04-27 12:00+08', '339811')$$) AS own_control;
SELECT public.rs_error($$INSERT INTO quarantine.control (person_id, entry_id, status, end_reason, quarantine_start,
                                                         ended_at, jurisdiction)
                          VALUES (339811001, 339811101, 'ended', 'completed_elsewhere', '2021-04-13',
                                  '2021-04-27 12:00+08', '339811')$$) AS control_of_b;

-- 3. person_merged: a person of A and a person of B were merged into a
-- person of B.  B, writing for its own merged person, is told which person
-- holds the records; A is not.
\c - postgres
SET client_min_messages = warning;
SELECT quarantine.merge_persons(339812002, 339811003);
SELECT quarantine.merge_persons(339812002, 339812001);
\c - rs_b
SELECT public.rs_error($$INSERT INTO quarantine.entry (person_id, entered_at, port_kind)
                          VALUES (339812001, '2021-04-14 08:00+08', 'air')$$) AS b_is_told;
\c - rs_a
SELECT public.rs_error($$INSERT INTO quarantine.entry (person_id, entered_at, port_kind)
                          VALUES (339811003, '2021-04-14 08:00+08', 'air')$$) AS a_is_not_told;

\c - postgres
SET client_min_messages = warning;
DELETE FROM quarantine.control WHERE control_id IN (339812201, 339811201);
DELETE FROM quarantine.entry WHERE entry_id IN (339811101, 339811102);
DROP FUNCTION public.rs_error(text);
DROP OWNED BY rs_a, rs_b;
DROP ROLE rs_a, rs_b;
