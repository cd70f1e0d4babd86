-- The province's set-up (doc/federation.md, "Which triggers fire on the
-- province").  Apart from 92_federation.sql so that an upgrade re-runs it:
-- the triggers it creates changed in 0.3.0 (the replay batched per applied
-- transaction), and src/sql/upgrade/0.3.0/92_federation_replay.sql runs it
-- again on a province.

CREATE OR REPLACE FUNCTION federation_replay_flush() RETURNS trigger
  AS 'MODULE_PATHNAME', 'federation_replay_flush' LANGUAGE C;
COMMENT ON FUNCTION federation_replay_flush() IS
  'Province, in the apply worker: a deferred constraint trigger; when an applied transaction commits, runs each statement trigger function that federation_replay queued rows for, once over all of them';

-- The province: its number, and which triggers fire on what the cities send.
CREATE OR REPLACE FUNCTION federation_setup_province(node integer, province text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, quarantine
AS $$
DECLARE
  t record;
BEGIN
  PERFORM quarantine.federation_set_node(node, 'province', province);
  -- Re-derived on the province from what it sees of every city (the apply
  -- worker fires no statement trigger): the duplicate search and the colour
  -- feed.  Each applied row joins its transaction's batch
  -- (federation_replay, AFTER ROW); when the transaction commits, the
  -- deferred federation_<table>_xact runs each batch's statement function
  -- once.  Its name sorts after the replay triggers' so that, made
  -- IMMEDIATE, it still fires after them.  Trusted as the city wrote it: the
  -- rule checks (BEFORE ROW triggers) and control_event.  doc/federation.md.
  FOR t IN
    SELECT * FROM (VALUES
      ('person', 'INSERT', 'person_after_write'), ('person', 'UPDATE', 'person_after_write'),
      ('control', 'INSERT', 'code_feed_after_write'), ('control', 'UPDATE', 'code_feed_after_write'),
      ('control', 'DELETE', 'code_feed_after_write'),
      ('lab_test', 'INSERT', 'code_feed_after_write'), ('lab_test', 'UPDATE', 'code_feed_after_write'),
      ('lab_test', 'DELETE', 'code_feed_after_write'),
      ('entry', 'INSERT', 'code_feed_after_write'), ('entry', 'UPDATE', 'code_feed_after_write'),
      ('entry', 'DELETE', 'code_feed_after_write'),
      ('staff', 'INSERT', 'code_feed_after_write'), ('staff', 'UPDATE', 'code_feed_after_write'),
      ('staff', 'DELETE', 'code_feed_after_write')) v(tbl, ev, fn)
  LOOP
    EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER %s ON quarantine.%I FOR EACH ROW '
                   'EXECUTE FUNCTION quarantine.federation_replay(%L)',
                   'federation_' || t.tbl || '_' || lower(t.ev), t.ev, t.tbl, t.fn);
    EXECUTE format('ALTER TABLE quarantine.%I ENABLE REPLICA TRIGGER %I',
                   t.tbl, 'federation_' || t.tbl || '_' || lower(t.ev));
  END LOOP;
  -- CREATE OR REPLACE does not take constraint triggers: drop and create.
  FOR t IN
    SELECT * FROM (VALUES ('person', 'INSERT OR UPDATE'), ('control', 'INSERT OR UPDATE OR DELETE'),
      ('lab_test', 'INSERT OR UPDATE OR DELETE'), ('entry', 'INSERT OR UPDATE OR DELETE'),
      ('staff', 'INSERT OR UPDATE OR DELETE')) v(tbl, ev)
  LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON quarantine.%I', 'federation_' || t.tbl || '_xact', t.tbl);
    EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER %s ON quarantine.%I '
                   'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW '
                   'EXECUTE FUNCTION quarantine.federation_replay_flush()',
                   'federation_' || t.tbl || '_xact', t.ev, t.tbl);
    EXECUTE format('ALTER TABLE quarantine.%I ENABLE REPLICA TRIGGER %I',
                   t.tbl, 'federation_' || t.tbl || '_xact');
  END LOOP;
  CREATE OR REPLACE TRIGGER federation_person_rescope BEFORE INSERT OR UPDATE ON quarantine.person
    FOR EACH ROW EXECUTE FUNCTION quarantine.federation_person_rescope();
  ALTER TABLE quarantine.person ENABLE REPLICA TRIGGER federation_person_rescope;
  -- The province's own writes (ENABLE ORIGIN): where a task goes.
  CREATE OR REPLACE TRIGGER federation_task_address BEFORE INSERT ON quarantine.task
    FOR EACH ROW EXECUTE FUNCTION quarantine.federation_task_address();
  CREATE OR REPLACE TRIGGER federation_task_outcome AFTER INSERT OR UPDATE ON quarantine.task_outcome
    FOR EACH ROW EXECUTE FUNCTION quarantine.federation_task_outcome_apply();
  ALTER TABLE quarantine.task_outcome ENABLE REPLICA TRIGGER federation_task_outcome;
END;
$$;
COMMENT ON FUNCTION federation_setup_province(integer, text) IS
  'Sets this node up as the province: key range, and the triggers that fire on what the cities send (duplicate search and colour feed replayed once per applied transaction, person_identity across cities, task outcomes)';

REVOKE EXECUTE ON FUNCTION federation_replay_flush(), federation_setup_province(integer, text) FROM PUBLIC;
