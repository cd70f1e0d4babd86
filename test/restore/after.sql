-- A restored database works (run_restore, tools/pg-harness): a bad write is
-- refused with its rule, new keys follow the restored ones, the feed and the
-- audit log continue, the maintenance runs, and the federation set-up is
-- re-run (doc/operations.md).  Any failure raises; the last line sums up.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET search_path = quarantine, public;
CREATE TEMP TABLE before AS
SELECT (SELECT max(person_id) FROM person) AS person_id,
       (SELECT max(assignment_id) FROM code_assignment) AS assignment_id,
       (SELECT max(audit_id) FROM audit_log) AS audit_id;

-- The rule still holds: a second person with a document already held.
DO $$
DECLARE
  state text;
  rule text;
BEGIN
  INSERT INTO quarantine.person (doc_kind, doc_no, name, nationality, jurisdiction)
  SELECT doc_kind, doc_no, 'SOMEONE ELSE', nationality, jurisdiction
    FROM quarantine.person WHERE doc_kind = 'passport' AND merged_into IS NULL
   ORDER BY person_id LIMIT 1;
  RAISE EXCEPTION 'a duplicate document was accepted after the restore';
EXCEPTION WHEN unique_violation THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, rule = CONSTRAINT_NAME;
  IF state <> '23505' OR rule <> 'person_identity' THEN
    RAISE EXCEPTION 'refused with % %, expected 23505 person_identity', state, rule;
  END IF;
END
$$;

-- The federation set-up, re-run: the node's key range is back on every
-- identity column (pg_dump keeps no sequence's bounds of an extension).
SELECT federation_setup_city(7, '330300');

-- New keys after the restored ones, in the node's range; the feed and the
-- audit log continue after their restored rows.
INSERT INTO person (doc_kind, doc_no, name, nationality, jurisdiction)
VALUES ('passport', 'E93000001', 'AFTER RESTORE', 'CHN', '330302');
INSERT INTO lab_test (person_id, kind, sampled_at, result, reported_at)
SELECT person_id, 'nat', now() - interval '2 hours', 'positive', now() - interval '1 hour'
  FROM person WHERE doc_no = 'E93000001';
DO $$
DECLARE
  b record;
  id bigint;
BEGIN
  SELECT * INTO b FROM pg_temp.before;
  SELECT person_id INTO id FROM quarantine.person WHERE doc_no = 'E93000001';
  IF id <= b.person_id OR id NOT BETWEEN 7000000000000 AND 7999999999999 THEN
    RAISE EXCEPTION 'new person_id % after the restored %, outside node 7', id, b.person_id;
  END IF;
  IF NOT EXISTS (SELECT FROM quarantine.code_assignment c
                  WHERE c.person_id = id AND c.assignment_id > b.assignment_id) THEN
    RAISE EXCEPTION 'the feed did not continue after the restore';
  END IF;
  IF NOT EXISTS (SELECT FROM quarantine.audit_log a
                  WHERE a.audit_id > b.audit_id AND a.table_name = 'lab_test') THEN
    RAISE EXCEPTION 'the audit log did not continue after the restore';
  END IF;
END
$$;

-- The maintenance.
SELECT scan_trail_maintenance();
SELECT refresh_codes() >= 0 AS refreshed;
\pset tuples_only on
SELECT 'after the restore: person_identity refused, keys, feed and audit continue, maintenance ran';
