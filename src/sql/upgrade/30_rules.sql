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
  'Refuses implausible sample and report times (rules lab_test_sampled_at, lab_test_reported_at), as the manifest does';
CREATE TRIGGER lab_test_before_write BEFORE INSERT OR UPDATE ON lab_test
  FOR EACH ROW EXECUTE FUNCTION lab_test_before_write();
-- as every trigger function of the extension (90_access.sql)
REVOKE EXECUTE ON FUNCTION lab_test_before_write() FROM PUBLIC;

-- The built-in CHECK constraints are rules too (issue #11 item 9): named as
-- the rules the README lists, so a client switches on one name per rule.
ALTER TABLE jurisdiction RENAME CONSTRAINT jurisdiction_level_check TO jurisdiction_level;
ALTER TABLE site RENAME CONSTRAINT site_kind_check TO site_kind;
ALTER TABLE site RENAME CONSTRAINT site_capacity_check TO site_capacity;
ALTER TABLE person RENAME CONSTRAINT person_name_check TO person_name;
ALTER TABLE person RENAME CONSTRAINT person_sex_check TO person_sex;
ALTER TABLE person RENAME CONSTRAINT person_phone_status_check TO person_phone_status;
ALTER TABLE person RENAME CONSTRAINT person_check TO person_merged_into;
ALTER TABLE entry RENAME CONSTRAINT entry_entered_at_check TO entry_entered_at;
ALTER TABLE entry RENAME CONSTRAINT entry_port_kind_check TO entry_port_kind;
ALTER TABLE entry RENAME CONSTRAINT entry_temperature_check TO entry_temperature;
ALTER TABLE lab_test RENAME CONSTRAINT lab_test_sampled_at_check TO lab_test_sampled_at;
ALTER TABLE lab_test RENAME CONSTRAINT lab_test_check TO lab_test_reported_at;
ALTER TABLE control_event RENAME CONSTRAINT control_event_kind_check TO control_event_kind;
ALTER TABLE verification RENAME CONSTRAINT verification_status_check TO verification_status;
ALTER TABLE verification RENAME CONSTRAINT verification_health_status_check TO verification_health_status;
ALTER TABLE verification RENAME CONSTRAINT verification_isolated_days_before_return_check TO verification_isolated_days;
ALTER TABLE task RENAME CONSTRAINT task_module_check TO task_module;
ALTER TABLE duplicate_candidate RENAME CONSTRAINT duplicate_candidate_reason_check TO duplicate_candidate_reason;
ALTER TABLE duplicate_candidate RENAME CONSTRAINT duplicate_candidate_resolution_check TO duplicate_candidate_resolution;
ALTER TABLE duplicate_candidate RENAME CONSTRAINT duplicate_candidate_check TO duplicate_candidate_pair;
