-- Restore mode (src/records/restore_mode.c, doc/operations.md): in a session with
-- the settings pg_dump writes at the start of every archive, a role that
-- could disable the triggers has its rows stored as they came: no rule, no
-- derived value, no feed, no audit row.  Any other session meets the rules.
-- (A login that owns nothing, with these settings, is refused by
-- person_identity: tools/pg-harness, run_restore.)
BEGIN;
SELECT plan(9);

-- Every trigger on a table of the extension calls a function that knows the
-- mode, or writes nothing (policy_after_change empties a cache); foreign
-- keys (internal triggers) are PostgreSQL's, enforced as ever.
SELECT is_empty(
  $$SELECT c.relname || '.' || t.tgname || ' -> ' || t.tgfoid::regproc::text
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE c.relnamespace = 'quarantine'::regnamespace AND NOT t.tgisinternal
       AND t.tgfoid::regproc::text NOT IN (
         'person_before_write', 'person_after_write', 'entry_before_write', 'lab_test_before_write',
         'control_before_write', 'control_after_update', 'verification_before_write',
         'task_before_write', 'site_before_write', 'record_person_not_merged',
         'code_feed_after_write', 'audit_after_write', 'policy_after_change',
         'federation_replay', 'federation_replay_flush', 'federation_person_rescope', 'federation_task_outcome_record',
         'federation_task_outcome_apply', 'federation_task_address',
         'health_check_before_write', 'health_check_after_insert', 'medical_referral_close',
         -- refuses UPDATE, DELETE and TRUNCATE; a restore only inserts
         'daily_report_submission_immutable', 'control_site_full',
         'lot_movement_release', 'env_sample_lock_lot')$$,
  'every trigger of the extension''s tables calls a function that honours restore mode');

INSERT INTO jurisdiction (code, name, level) VALUES ('339901', 'Restore district', 'district');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, jurisdiction) VALUES
  (986001, 'passport', 'EA9860001', 'LIN FENG', 'CHN', '339901'),
  (986002, 'passport', 'EA9860002', 'GAO YUN', 'CHN', '339901');
INSERT INTO entry (entry_id, person_id, entered_at, port_kind, port)
VALUES (986001, 986001, '2021-07-10 06:20+08', 'air', 'WNZ');
CREATE TEMP TABLE logged AS
SELECT (SELECT count(*) FROM audit_log) AS audit, (SELECT count(*) FROM code_assignment) AS feed;

-- The settings of a pg_dump archive, as a superuser.
SET LOCAL check_function_bodies = off;
SET LOCAL row_security = off;
DO $$ BEGIN PERFORM pg_catalog.set_config('search_path', '', true); END $$;
INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality, jurisdiction, name_key)
VALUES (986003, 'passport', 'EA9860003', 'LIN FENG', 'CHN', '339901', 'as dumped');
-- a control whose entry is another person's: refused by control_entry_person otherwise
INSERT INTO quarantine.control (control_id, person_id, entry_id, jurisdiction, status, plan, registered_at)
VALUES (986002, 986002, 986001, '339901', 'pending', '14c', '2021-07-10 12:00+08');
INSERT INTO quarantine.task (task_id, module, person_id, issued_at, due_at)
VALUES (986001, 'control', 986001, '2021-07-10 08:00+08', '2021-07-30 08:00+08');
RESET search_path;
RESET row_security;
RESET check_function_bodies;

SELECT is((SELECT name_key FROM person WHERE person_id = 986003), 'as dumped',
          'restore mode: a maintained column keeps the dumped value');
SELECT is((SELECT entry_id FROM control WHERE control_id = 986002), 986001::bigint,
          'restore mode: a row is stored as it came, no rule applied');
SELECT is((SELECT due_at FROM task WHERE task_id = 986001), '2021-07-30 08:00+08'::timestamptz,
          'restore mode: no value is derived again');
SELECT is((SELECT (SELECT count(*) FROM audit_log) - audit FROM logged), 0::bigint,
          'restore mode: no audit row');
SELECT is((SELECT (SELECT count(*) FROM code_assignment) - feed FROM logged), 0::bigint,
          'restore mode: no feed row');

-- Outside it the rules apply: in a normal session, with the settings of
-- CREATE EXTENSION's script (the extension's schema on the path), and for a
-- role that owns nothing with all three settings of a restore.
CREATE FUNCTION pg_temp.control_refusal() RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
  state text;
  rule text;
BEGIN
  INSERT INTO quarantine.control (person_id, entry_id, jurisdiction) VALUES (986002, 986001, '339901');
  RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, rule = CONSTRAINT_NAME;
  RETURN state || ' ' || rule;
END
$f$;
CREATE TEMP TABLE probe (session text, result text);
INSERT INTO probe SELECT 'normal', pg_temp.control_refusal();

SET LOCAL check_function_bodies = off;
SET LOCAL row_security = off;
SET LOCAL search_path = quarantine;
INSERT INTO pg_temp.probe SELECT 'install script', pg_temp.control_refusal();

CREATE ROLE restore_mode_probe BYPASSRLS IN ROLE quarantine_admin;
GRANT INSERT ON probe TO restore_mode_probe;
SET LOCAL ROLE restore_mode_probe;
DO $$ BEGIN PERFORM pg_catalog.set_config('search_path', '', true); END $$;
INSERT INTO pg_temp.probe SELECT 'owns nothing', pg_temp.control_refusal();
RESET ROLE;
RESET search_path;
RESET row_security;
RESET check_function_bodies;

SELECT is((SELECT result FROM probe WHERE session = 'normal'), '23514 control_entry_person',
          'a normal session meets the rule');
SELECT is((SELECT result FROM probe WHERE session = 'install script'), '23514 control_entry_person',
          'with a schema on the search_path (CREATE EXTENSION''s script) the rules apply');
SELECT is((SELECT result FROM probe WHERE session = 'owns nothing'), '23514 control_entry_person',
          'a role that owns nothing, with the settings of a restore, meets the rules');

SELECT * FROM finish();
ROLLBACK;
