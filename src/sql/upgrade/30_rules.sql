-- The rule core (issue #12 part 1, issue #11 rule sources): one source per
-- rule.  Each change here is also in the src/sql/ fragment a fresh install
-- runs.

-- One list of open statuses (ControlStatusIsOpen in C) for the partial
-- indexes and every query.
CREATE FUNCTION control_status_open(status control_status) RETURNS boolean
  AS 'MODULE_PATHNAME', 'control_status_open'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION control_status_open(control_status) IS
  'Whether a control in this status is open (pending, under_control or medical): control_single_open allows one per person';
DROP INDEX control_single_open;
CREATE UNIQUE INDEX control_single_open ON control (person_id)
  WHERE quarantine.control_status_open(status);
DROP INDEX control_open_status;
CREATE INDEX control_open_status ON control (status)
  WHERE quarantine.control_status_open(status);

-- lab_test: implausible instants are refused as the manifest refuses them.
CREATE FUNCTION lab_test_before_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'lab_test_before_write' LANGUAGE C;
COMMENT ON FUNCTION lab_test_before_write() IS
  'Refuses implausible sample and report times (rule lab_test_dates), as the manifest does';
CREATE TRIGGER lab_test_before_write BEFORE INSERT OR UPDATE ON lab_test
  FOR EACH ROW EXECUTE FUNCTION lab_test_before_write();
-- as every trigger function of the extension (90_access.sql)
REVOKE EXECUTE ON FUNCTION lab_test_before_write() FROM PUBLIC;

-- person_for_doc normalizes the nationality as the person trigger does.
CREATE FUNCTION identity_scope(kind doc_kind, nationality text)
  RETURNS text AS 'MODULE_PATHNAME', 'person_identity_scope'
  LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION identity_scope(doc_kind, text) IS
  'person.identity_scope of a document: its nationality normalized as the person trigger does (passports), else empty';
