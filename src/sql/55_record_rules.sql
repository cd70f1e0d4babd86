-- Triggers, operations and views over the record tables (doc/records.md).
-- Every rule is in C (src/trg_*.c, src/triggers/control_ops.c); this file only wires
-- it up.  Statement-level triggers use transition tables so that the
-- set-based parts (duplicate search, control_event) run once per statement,
-- not once per row of a COPY.

-- person -------------------------------------------------------------------
CREATE FUNCTION person_before_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'person_before_write' LANGUAGE C;
COMMENT ON FUNCTION person_before_write() IS
  'Normalizes doc_no, fills sex/birth_date from a resident ID, phone_status, and enforces person_identity';
CREATE TRIGGER person_before_write BEFORE INSERT OR UPDATE ON person
  FOR EACH ROW EXECUTE FUNCTION person_before_write();

CREATE FUNCTION person_after_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'person_after_write' LANGUAGE C;
COMMENT ON FUNCTION person_after_write() IS
  'Records possible duplicate persons in duplicate_candidate, set-based, once per statement';
CREATE TRIGGER person_after_insert AFTER INSERT ON person
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION person_after_write();
CREATE TRIGGER person_after_update AFTER UPDATE ON person
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION person_after_write();

-- entry --------------------------------------------------------------------
CREATE FUNCTION entry_before_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'entry_before_write' LANGUAGE C;
COMMENT ON FUNCTION entry_before_write() IS
  'Fills entry.category with classify_arrival() when NULL; exempt_reason forces exempt';
CREATE TRIGGER entry_before_write BEFORE INSERT OR UPDATE ON entry
  FOR EACH ROW EXECUTE FUNCTION entry_before_write();

-- lab_test -----------------------------------------------------------------
CREATE FUNCTION lab_test_before_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'lab_test_before_write' LANGUAGE C;
COMMENT ON FUNCTION lab_test_before_write() IS
  'Refuses implausible sample and report times (rules lab_test_sampled_at, lab_test_reported_at), as the manifest does';
CREATE TRIGGER lab_test_before_write BEFORE INSERT OR UPDATE ON lab_test
  FOR EACH ROW EXECUTE FUNCTION lab_test_before_write();
-- as every trigger function of the extension (90_access.sql)
REVOKE EXECUTE ON FUNCTION lab_test_before_write() FROM PUBLIC;

-- control ------------------------------------------------------------------
CREATE FUNCTION control_before_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'control_before_write' LANGUAGE C;
COMMENT ON FUNCTION control_before_write() IS
  'Maintains quarantine_start, plan, control_start, ended_at, release_date and enforces the control_* rules';
CREATE TRIGGER control_before_write BEFORE INSERT OR UPDATE ON control
  FOR EACH ROW EXECUTE FUNCTION control_before_write();

CREATE FUNCTION control_after_update() RETURNS trigger
  AS 'MODULE_PATHNAME', 'control_after_update' LANGUAGE C;
COMMENT ON FUNCTION control_after_update() IS
  'Writes control_event rows for status, plan and control_start changes, set-based';
CREATE TRIGGER control_after_update AFTER UPDATE ON control
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION control_after_update();

-- verification -------------------------------------------------------------
CREATE FUNCTION verification_before_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'verification_before_write' LANGUAGE C;
COMMENT ON FUNCTION verification_before_write() IS
  'Enforces the verification_* rules';
CREATE TRIGGER verification_before_write BEFORE INSERT OR UPDATE ON verification
  FOR EACH ROW EXECUTE FUNCTION verification_before_write();

-- task ---------------------------------------------------------------------
CREATE FUNCTION task_before_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'task_before_write' LANGUAGE C;
COMMENT ON FUNCTION task_before_write() IS 'Maintains task.due_at = task_deadline(module, issued_at)';
CREATE TRIGGER task_before_write BEFORE INSERT OR UPDATE ON task
  FOR EACH ROW EXECUTE FUNCTION task_before_write();

-- operations ---------------------------------------------------------------
CREATE FUNCTION correct_control_start(control_id bigint, ts timestamptz, reason text)
  RETURNS void AS 'MODULE_PATHNAME', 'control_correct_start'
  LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION correct_control_start(bigint, timestamptz, text) IS
  'The audited way to correct control_start (rule control_start_fixed); the reason goes to control_event';

CREATE FUNCTION revert_to_centralized(control_id bigint, reason text)
  RETURNS isolation_plan AS 'MODULE_PATHNAME', 'control_revert_to_centralized'
  LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION revert_to_centralized(bigint, text) IS
  'The Fujian guideline (八): home isolation that fails verification goes back to centralized for the rest of the plan';

CREATE FUNCTION merge_persons(keep bigint, drop bigint)
  RETURNS void AS 'MODULE_PATHNAME', 'person_merge_persons'
  LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION merge_persons(bigint, bigint) IS
  'Moves every record of person drop to keep, marks drop merged_into keep, records the merge (doc/records.md)';

-- views --------------------------------------------------------------------
-- overdue_tasks: src/sql/57_overdue_tasks.sql (also part of the upgrade).

CREATE VIEW late_registrations AS
  SELECT c.control_id, c.person_id, c.jurisdiction, c.control_start, c.registered_at,
         local_date(c.registered_at) - local_date(c.control_start) AS days_late
    FROM control c
   WHERE c.control_start IS NOT NULL
     AND local_date(c.registered_at) > local_date(c.control_start);
COMMENT ON VIEW late_registrations IS 'Controls registered on a later local day than their control_start (the district notes: register the same day)';

CREATE VIEW verification_issues AS
  SELECT v.verification_id, v.person_id, 'return_date_passed' AS issue,
         format('open since the return date %s', v.return_date) AS detail
    FROM verification v
   WHERE v.status = 'open' AND v.return_date < local_date(now())
  UNION ALL
  SELECT v.verification_id, v.person_id, 'health_status_mismatch',
         format('health status %s but a positive %s sampled %s', coalesce(v.health_status, 'unknown'), t.kind, t.sampled_at)
    FROM verification v
    JOIN LATERAL (SELECT lt.kind, lt.sampled_at FROM lab_test lt
                   WHERE lt.person_id = v.person_id AND lt.result = 'positive'
                     AND lt.kind IN ('nat', 'igm', 'antigen')
                   ORDER BY lt.sampled_at DESC LIMIT 1) t ON true
   WHERE v.status = 'open' AND coalesce(v.health_status, 'healthy') NOT IN ('confirmed', 'asymptomatic')
  UNION ALL
  SELECT v.verification_id, v.person_id, 'follow_up_overdue',
         format('last follow-up %s', coalesce(v.followed_up_at::text, 'never'))
    FROM verification v
   WHERE v.status = 'open'
     AND coalesce(v.followed_up_at, v.created_at) < now() - interval '1 day';
COMMENT ON VIEW verification_issues IS 'Open verification records needing attention: return date passed, health status contradicting a positive test, no follow-up for a day';

-- flight close contacts (doc/arrival.md, test/data/close_contact_transport_rules.tsv)
CREATE TYPE flight_contact AS (person_id bigint, entry_id bigint, seat text, reason text);
COMMENT ON TYPE flight_contact IS 'A passenger who is a close contact of an index case on the same flight';
