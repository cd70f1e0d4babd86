-- Access (doc/security.md, the national plan: "在保证数据安全和保护个人隐私的基础上").
--
-- Every function and table of the extension has an explicit decision here;
-- sql/90_acl.sql lists them all, so a new object without one fails the suite.
--
-- The group roles are created in 02_roles.sql, before the row policies
-- that name them.

-- The schema: no PUBLIC access; the working roles may use it.  Analysts read
-- only the masked views of quarantine_analytics.
GRANT USAGE ON SCHEMA quarantine TO quarantine_admin, quarantine_operator;

-- Functions.  Pure computations on values (types, plans, rules, names) keep
-- PUBLIC's EXECUTE: they read no table.  Revoked from PUBLIC:
--  * trigger functions: firing needs no EXECUTE, and CREATE TRIGGER with one
--    on a client's own table is refused here before the function's own check;
--  * C functions that read tables through index scans, which no table
--    privilege guards: person_for_doc, code_color, nat_proof_valid;
--  * the audited operations.
REVOKE EXECUTE ON FUNCTION
  policy_after_change(), person_before_write(), person_after_write(),
  entry_before_write(), control_before_write(), control_after_update(),
  verification_before_write(), task_before_write(), code_feed_after_write(),
  audit_after_write()
  FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION
  person_for_doc(doc_kind, text, char), code_color(bigint, timestamptz),
  nat_proof_valid(bigint, timestamptz, integer)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  person_for_doc(doc_kind, text, char), code_color(bigint, timestamptz),
  nat_proof_valid(bigint, timestamptz, integer)
  TO quarantine_admin, quarantine_operator;
REVOKE EXECUTE ON FUNCTION
  merge_persons(bigint, bigint), correct_control_start(bigint, timestamptz, text),
  revert_to_centralized(bigint, text), refresh_codes(timestamptz), load_manifest(text)
  FROM PUBLIC;
-- A district corrects its own records and loads its own manifests; merging
-- persons and refreshing every code are the administrator's.
GRANT EXECUTE ON FUNCTION
  correct_control_start(bigint, timestamptz, text), revert_to_centralized(bigint, text),
  load_manifest(text)
  TO quarantine_admin, quarantine_operator;
GRANT EXECUTE ON FUNCTION merge_persons(bigint, bigint), refresh_codes(timestamptz)
  TO quarantine_admin;

-- Tables.  The log tables (control_event, code_assignment,
-- duplicate_candidate, person_merge, audit_log) are written only by the
-- extension's own code, with the owner's rights (src/records/query_context.c).  The
-- audit log holds whole rows of every district: the administrator's alone.
GRANT SELECT ON
  policy, jurisdiction, site, person, entry, control, lab_test, verification, task, staff,
  control_event, code_assignment, duplicate_candidate, person_merge,
  manifest_staging, import_reject, import_accept,
  overdue_tasks, late_registrations, verification_issues, staff_tests_due,
  health_code_current, import_summary, site_occupancy
  TO quarantine_admin, quarantine_operator;
GRANT SELECT ON audit_log TO quarantine_admin;
-- Scopes (86_scope.sql): the administrator assigns them; everybody who works
-- may see them.
GRANT SELECT ON operator_scope TO quarantine_admin, quarantine_operator;
GRANT INSERT, UPDATE, DELETE ON operator_scope TO quarantine_admin;
GRANT INSERT, UPDATE ON person, entry, control, lab_test, verification, task, staff
  TO quarantine_admin, quarantine_operator;
GRANT DELETE ON person, entry, control, lab_test, verification, task, staff
  TO quarantine_admin;
GRANT INSERT, UPDATE, DELETE ON policy, jurisdiction, site TO quarantine_admin;
-- Reviewing a duplicate candidate is an administrator's decision.
GRANT UPDATE (resolution) ON duplicate_candidate TO quarantine_admin;
-- The manifest path: staging is a scratch table; load_manifest writes its
-- ledgers (import_accept, import_reject) with the owner's rights: no client
-- writes them (93_owner_rights.sql).
GRANT INSERT, UPDATE, DELETE ON manifest_staging TO quarantine_admin, quarantine_operator;

-- Views read with the caller's rights, so table grants (and row security)
-- apply to them as to the tables.
ALTER VIEW overdue_tasks SET (security_invoker = true);
ALTER VIEW late_registrations SET (security_invoker = true);
ALTER VIEW verification_issues SET (security_invoker = true);
ALTER VIEW staff_tests_due SET (security_invoker = true);
ALTER VIEW health_code_current SET (security_invoker = true);
ALTER VIEW import_summary SET (security_invoker = true);

-- Settings a rule reads are PGC_SUSET (src/quarantine.c): only a
-- superuser, or a role granted SET on them, changes them.  The note of
-- control_event (event_note) stays user-settable.  Parameter grants are
-- cluster-wide, like the roles.
GRANT SET ON PARAMETER quarantine.fever_threshold, quarantine.release_test_days,
  quarantine.observation_days, quarantine.flight_contact_rows,
  quarantine.duplicate_detection
  TO quarantine_admin;
-- The zone decides what "today" is for the rules (doc/security.md).
GRANT SET ON PARAMETER quarantine.timezone TO quarantine_admin;

-- Analysts read the masked views of quarantine_analytics (88_analytics.sql)
-- and nothing of schema quarantine; administrators may read them too.
GRANT USAGE ON SCHEMA quarantine_analytics TO quarantine_analyst, quarantine_admin;
GRANT SELECT ON ALL TABLES IN SCHEMA quarantine_analytics TO quarantine_analyst, quarantine_admin;
