-- person_merged (doc/security.md, issue 11): a person merged into another takes no
-- new records, on every table merge_persons moves.  The person row must be
-- locked FOR KEY SHARE before merged_into is read, so that a concurrent merge
-- either commits first and the row is refused, or waits and moves it:
--  * an UPDATE of person_id: a row trigger locks the person, then reads it;
--  * an INSERT (a COPY of a million rows): one statement trigger reads each
--    person once, after the foreign key on person_id has locked it (issue 12;
--    src/records/record_locks.c).
-- Also part of the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).
CREATE FUNCTION record_person_not_merged() RETURNS trigger
  AS 'MODULE_PATHNAME', 'record_person_not_merged' LANGUAGE C;
COMMENT ON FUNCTION record_person_not_merged() IS
  'Refuses a record for a person with merged_into set (rule person_merged): per row on UPDATE OF person_id, locking the person row against a concurrent merge_persons; per statement on INSERT, after the foreign key has locked it';
-- A trigger function: firing needs no EXECUTE (as for the others, 90_access.sql).
REVOKE EXECUTE ON FUNCTION record_person_not_merged() FROM PUBLIC;

DO $merged$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['entry', 'control', 'lab_test', 'verification', 'task', 'staff'] LOOP
    EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE UPDATE OF person_id ON quarantine.%I '
                              'FOR EACH ROW EXECUTE FUNCTION quarantine.record_person_not_merged()',
                              t || '_person_merged', t);
    EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT ON quarantine.%I '
                              'REFERENCING NEW TABLE AS new_rows '
                              'FOR EACH STATEMENT EXECUTE FUNCTION quarantine.record_person_not_merged()',
                              t || '_person_merged_insert', t);
  END LOOP;
END
$merged$;
