-- Row-level security by jurisdiction (doc/security.md, the district notes: each district works
-- its own lists; the province sees all).
--
-- An operator reads and writes only the rows of its jurisdictions and their
-- children (a city operator sees its districts).  A person's rows are in
-- scope when the person is: person.jurisdiction is the anchor, every table
-- holding a person's data follows it by person_id, control also by its own
-- jurisdiction.  A write outside the scope fails with 42501 and writes
-- nothing; an UPDATE or DELETE of rows outside it finds no rows, as
-- PostgreSQL's row security does.  Administrators see every row.
--
-- The rules do not weaken under row security: the row triggers probe indexes
-- directly and the statement triggers and foreign keys run as the owner, so a
-- check sees every row whatever the caller's scope.
--
-- Policy expressions stay index-friendly: the caller's jurisdictions are an
-- uncorrelated sub-select (one InitPlan per query, not a function call per
-- row), compared with = ANY on indexed columns; the person-following tables
-- probe person's primary key.
--
-- PostgreSQL refuses COPY FROM into a table with row security for a role
-- subject to it, even one whose policy passes every row: operators write
-- with INSERT; bulk ETL logs in as a BYPASSRLS member of quarantine_admin.
-- Also part of the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).

CREATE TABLE operator_scope (
  role_name     name NOT NULL,
  jurisdiction  text NOT NULL REFERENCES jurisdiction,
  PRIMARY KEY (role_name, jurisdiction)
);
COMMENT ON TABLE operator_scope IS
  'Which jurisdictions (with their children) the members of a role work on; maintained by quarantine_admin';
COMMENT ON COLUMN operator_scope.role_name IS
  'A login role or a group role: every member of it gets the scope';
SELECT pg_catalog.pg_extension_config_dump('operator_scope', '');

CREATE FUNCTION scope_jurisdictions() RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  WITH RECURSIVE s(code) AS (
    SELECT o.jurisdiction
      FROM quarantine.operator_scope o
      JOIN pg_catalog.pg_roles r ON r.rolname = o.role_name
     WHERE pg_catalog.pg_has_role(CURRENT_USER, r.oid, 'MEMBER')
    UNION
    SELECT j.code FROM quarantine.jurisdiction j JOIN s ON j.parent = s.code
  )
  SELECT coalesce(pg_catalog.array_agg(s.code ORDER BY s.code), '{}') FROM s;
END;
COMMENT ON FUNCTION scope_jurisdictions() IS
  'The jurisdictions the current role works on (operator_scope of every role it is a member of) and all their children';

CREATE INDEX person_jurisdiction ON person (jurisdiction);
CREATE INDEX control_jurisdiction ON control (jurisdiction);

-- The anchors.
ALTER TABLE person ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON person TO quarantine_operator
  USING (jurisdiction = ANY ((SELECT quarantine.scope_jurisdictions())::text[]));
ALTER TABLE control ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON control TO quarantine_operator
  USING (jurisdiction = ANY ((SELECT quarantine.scope_jurisdictions())::text[])
         OR (jurisdiction IS NULL
             AND EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = control.person_id)));

-- Tables that follow the person (the sub-select on person is itself under
-- person's policy).
ALTER TABLE entry ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON entry TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = entry.person_id));
ALTER TABLE lab_test ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON lab_test TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = lab_test.person_id));
ALTER TABLE verification ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON verification TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = verification.person_id));
ALTER TABLE task ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON task TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = task.person_id));
ALTER TABLE staff ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON staff TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = staff.person_id));
ALTER TABLE code_assignment ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON code_assignment TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = code_assignment.person_id));
ALTER TABLE import_accept ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON import_accept TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = import_accept.person_id));
-- A control's history follows the control.
ALTER TABLE control_event ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON control_event TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.control c WHERE c.control_id = control_event.control_id));
-- A candidate pair or a merge concerns the district of either person; the
-- other person's row stays under its own policy (an operator sees its id,
-- not its record).
ALTER TABLE duplicate_candidate ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON duplicate_candidate TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p
                  WHERE p.person_id IN (duplicate_candidate.person_id, duplicate_candidate.other_id)));
ALTER TABLE person_merge ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON person_merge TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p
                  WHERE p.person_id IN (person_merge.keep_id, person_merge.drop_id)));
-- A refused row belongs to the jurisdiction it names, or to the person it
-- names (load_staged's entry, control and lab_test rows).
ALTER TABLE import_reject ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON import_reject TO quarantine_operator
  USING ((import_reject.row ->> 'jurisdiction') = ANY ((SELECT quarantine.scope_jurisdictions())::text[])
         OR EXISTS (SELECT 1 FROM quarantine.person p
                     WHERE p.person_id = CASE WHEN (import_reject.row ->> 'person_id') ~ '^[0-9]{1,18}$'
                                              THEN (import_reject.row ->> 'person_id')::bigint END));

-- Staged manifest rows hold documents and phones: an operator stages, sees
-- and loads only the rows of its jurisdictions (the jurisdiction column, as
-- typed; a row without one is an administrator's).  A district stages with
-- INSERT; an administrator's ETL role (BYPASSRLS) may COPY (doc/etl.md).
ALTER TABLE manifest_staging ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON manifest_staging TO quarantine_operator
  USING (manifest_staging.jurisdiction = ANY ((SELECT quarantine.scope_jurisdictions())::text[]));

-- Administrators see and write every row.
DO $admin$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['person', 'control', 'entry', 'lab_test', 'verification', 'task', 'staff',
                           'code_assignment', 'import_accept', 'control_event', 'duplicate_candidate',
                           'person_merge', 'import_reject', 'manifest_staging'] LOOP
    EXECUTE pg_catalog.format('CREATE POLICY admin_all ON quarantine.%I TO quarantine_admin '
                              'USING (true) WITH CHECK (true)', t);
  END LOOP;
END
$admin$;
