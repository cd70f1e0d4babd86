-- person_merged (SPEC §12, issue 11): a person merged into another takes no
-- new records.  One trigger on every table merge_persons moves; it locks the
-- person row FOR KEY SHARE before reading merged_into, so that a concurrent
-- merge either commits first and the row is refused, or waits and moves it.
-- Also part of the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).
CREATE FUNCTION record_person_not_merged() RETURNS trigger
  AS 'MODULE_PATHNAME', 'record_person_not_merged' LANGUAGE C;
COMMENT ON FUNCTION record_person_not_merged() IS
  'Refuses a record for a person with merged_into set (rule person_merged); locks the person row against a concurrent merge_persons';
-- A trigger function: firing needs no EXECUTE (as for the others, 90_access.sql).
REVOKE EXECUTE ON FUNCTION record_person_not_merged() FROM PUBLIC;

CREATE TRIGGER entry_person_merged BEFORE INSERT OR UPDATE OF person_id ON entry
  FOR EACH ROW EXECUTE FUNCTION record_person_not_merged();
CREATE TRIGGER control_person_merged BEFORE INSERT OR UPDATE OF person_id ON control
  FOR EACH ROW EXECUTE FUNCTION record_person_not_merged();
CREATE TRIGGER lab_test_person_merged BEFORE INSERT OR UPDATE OF person_id ON lab_test
  FOR EACH ROW EXECUTE FUNCTION record_person_not_merged();
CREATE TRIGGER verification_person_merged BEFORE INSERT OR UPDATE OF person_id ON verification
  FOR EACH ROW EXECUTE FUNCTION record_person_not_merged();
CREATE TRIGGER task_person_merged BEFORE INSERT OR UPDATE OF person_id ON task
  FOR EACH ROW EXECUTE FUNCTION record_person_not_merged();
CREATE TRIGGER staff_person_merged BEFORE INSERT OR UPDATE OF person_id ON staff
  FOR EACH ROW EXECUTE FUNCTION record_person_not_merged();
