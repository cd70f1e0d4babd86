-- A city node's set-up (doc/federation.md).  Apart from
-- 92_federation.sql so that an upgrade re-runs it: its publication lists the
-- tables a city sends to the province (the daily report's submissions since
-- 0.3.0, doc/monitoring.md).

-- A city: its number and key range, its publications, and the trigger that
-- reports task outcomes.  The subscription to the province's tasks is made
-- after federation_add_city on the province (doc/federation.md).
CREATE OR REPLACE FUNCTION federation_setup_city(node integer, city text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, quarantine
AS $$
DECLARE
  -- What the provincial health commission is entitled to: everything a rule
  -- or the colour needs (with the isolation sites and the high-risk staff,
  -- whose tests the colour follows), without the person's phone number and
  -- home address (the district's door-to-door work; the province matches
  -- phones by phone_key).  A column added to person later does not leave the
  -- city until it is listed here.
  to_province text := 'quarantine.person (person_id, doc_kind, doc_no, name, sex, birth_date, nationality, '
    'phone_status, jurisdiction, merged_into, identity_scope, name_key, phone_key, created_at), '
    'quarantine.entry, quarantine.control, quarantine.lab_test, quarantine.verification, '
    'quarantine.control_event, quarantine.task_outcome, quarantine.site, quarantine.staff, '
    'quarantine.daily_report_submission';
  -- A statistics node: counts by area, date, category and status; no
  -- document, name, phone, address, free text or responsible person.
  to_statistics text := 'quarantine.person (person_id, sex, birth_date, nationality, jurisdiction, merged_into, created_at), '
    'quarantine.entry (entry_id, person_id, entered_at, port_kind, port, illegal, origin_country, temperature, '
    'port_nat_result, close_contact, category, exempt_reason, created_at), '
    'quarantine.control (control_id, person_id, entry_id, jurisdiction, status, plan, quarantine_start, control_start, '
    'site_id, end_reason, ended_at, release_date, registered_at), '
    'quarantine.lab_test (test_id, person_id, kind, sampled_at, result, reported_at)';
BEGIN
  PERFORM quarantine.federation_set_node(node, 'city', city);
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = 'quarantine_to_province') THEN
    EXECUTE 'ALTER PUBLICATION quarantine_to_province SET TABLE ' || to_province;
  ELSE
    EXECUTE 'CREATE PUBLICATION quarantine_to_province FOR TABLE ' || to_province;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = 'quarantine_to_statistics') THEN
    EXECUTE 'ALTER PUBLICATION quarantine_to_statistics SET TABLE ' || to_statistics;
  ELSE
    EXECUTE 'CREATE PUBLICATION quarantine_to_statistics FOR TABLE ' || to_statistics;
  END IF;
  -- Local writes only (ENABLE ORIGIN, the default): the province's tasks
  -- arrive through the apply worker and fire nothing here.
  CREATE OR REPLACE TRIGGER federation_task_outcome AFTER UPDATE OF done_at, outcome ON quarantine.task
    FOR EACH ROW EXECUTE FUNCTION quarantine.federation_task_outcome_record();
END;
$$;
COMMENT ON FUNCTION federation_setup_city(integer, text) IS
  'Sets this node up as city node serving jurisdiction city: key range, publications quarantine_to_province (the health commission''s columns) and quarantine_to_statistics (no identifiers), task outcomes reported back';

REVOKE EXECUTE ON FUNCTION federation_setup_city(integer, text) FROM PUBLIC;
