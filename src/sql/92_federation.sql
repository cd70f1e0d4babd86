-- One extension on many servers (doc/federation.md, the district notes: the province issues the
-- daily task lists and checks what the districts recorded; the Fujian guideline 一: one
-- provincial database).  Each city runs PostgreSQL with this extension; the
-- province runs one that sees them all, over PostgreSQL 15's own logical
-- replication.  doc/federation.md has the topology and every decision; this
-- file has the objects every node carries and the set-up functions.  The
-- publications and triggers a set-up creates are the node's, not the
-- extension's: pg_dump keeps them.
-- Also part of the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).

-- ---------------------------------------------------------------------------
-- What this node is.
-- ---------------------------------------------------------------------------
CREATE TABLE federation_node (
  node_no       integer PRIMARY KEY CONSTRAINT federation_node_no CHECK (node_no BETWEEN 1 AND 9000),
  role          text NOT NULL CONSTRAINT federation_node_role CHECK (role IN ('province', 'city')),
  jurisdiction  text NOT NULL REFERENCES jurisdiction,
  set_up_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX federation_node_one ON federation_node ((true));
COMMENT ON TABLE federation_node IS
  'This node of the federation (one row, written by federation_setup_province or federation_setup_city): its number, which keys it generates, its role and jurisdiction';
COMMENT ON COLUMN federation_node.node_no IS
  'Node number n: every key this node generates lies in [n * 10^12, (n + 1) * 10^12)';
COMMENT ON COLUMN federation_node.role IS 'province (subscribes to every city) or city (publishes its records)';
COMMENT ON COLUMN federation_node.jurisdiction IS 'The province or city this node serves';
COMMENT ON COLUMN federation_node.set_up_at IS 'Instant of the last set-up';
SELECT pg_catalog.pg_extension_config_dump('federation_node', '');

-- ---------------------------------------------------------------------------
-- Tasks travel province -> city by jurisdiction; outcomes city -> province.
-- ---------------------------------------------------------------------------
ALTER TABLE task ADD COLUMN jurisdiction text REFERENCES jurisdiction;
COMMENT ON COLUMN task.jurisdiction IS
  'The city or district the task is issued to; the province''s publication to a city carries the tasks of the city and its districts';
CREATE INDEX task_jurisdiction ON task (jurisdiction);

CREATE TABLE task_outcome (
  task_id      bigint PRIMARY KEY,
  done_at      timestamptz,
  outcome      text,
  reported_at  timestamptz NOT NULL DEFAULT now(),
  reported_by  text NOT NULL DEFAULT current_user
);
COMMENT ON TABLE task_outcome IS
  'A city''s answer to a task of the province (written by the extension when task.done_at or task.outcome change on a city; published back; closes the task on the province). A table of its own: PostgreSQL 15 would send the province''s own task rows back to it';
COMMENT ON COLUMN task_outcome.task_id IS 'The task (the province''s key; no foreign key, as the province may be behind)';
COMMENT ON COLUMN task_outcome.done_at IS 'task.done_at as the city wrote it';
COMMENT ON COLUMN task_outcome.outcome IS 'task.outcome as the city wrote it';
COMMENT ON COLUMN task_outcome.reported_at IS 'Instant the city recorded the outcome';
COMMENT ON COLUMN task_outcome.reported_by IS 'The role that wrote the outcome on the city';
SELECT pg_catalog.pg_extension_config_dump('task_outcome', '');

-- A province finds two cities' persons with one document (same_document).
ALTER TABLE duplicate_candidate DROP CONSTRAINT duplicate_candidate_reason,
  ADD CONSTRAINT duplicate_candidate_reason CHECK (reason IN ('birth_sex_name', 'phone_name', 'same_document'));
COMMENT ON COLUMN duplicate_candidate.reason IS
  'birth_sex_name: same birth date and sex, similar name; phone_name: same verified phone, similar name; same_document: two cities registered one document (found on the province, doc/federation.md)';

-- ---------------------------------------------------------------------------
-- The triggers a set-up creates (src/federation/federation.c).
-- ---------------------------------------------------------------------------
CREATE FUNCTION federation_replay() RETURNS trigger
  AS 'MODULE_PATHNAME', 'federation_replay' LANGUAGE C;
COMMENT ON FUNCTION federation_replay() IS
  'Province, in the apply worker: runs the statement trigger function named by its argument over the applied row as a one-row statement (the apply worker fires no statement triggers)';
CREATE FUNCTION federation_person_rescope() RETURNS trigger
  AS 'MODULE_PATHNAME', 'federation_person_rescope' LANGUAGE C;
COMMENT ON FUNCTION federation_person_rescope() IS
  'Province, in the apply worker: a second city''s person with a document already held is kept under identity_scope ''<scope>@<node>'' and recorded in duplicate_candidate (same_document), instead of stopping replication on person_identity';
CREATE FUNCTION federation_task_outcome_record() RETURNS trigger
  AS 'MODULE_PATHNAME', 'federation_task_outcome_record' LANGUAGE C;
COMMENT ON FUNCTION federation_task_outcome_record() IS
  'City, on local updates of task: copies done_at and outcome to task_outcome, which the city publishes to the province';
CREATE FUNCTION federation_task_outcome_apply() RETURNS trigger
  AS 'MODULE_PATHNAME', 'federation_task_outcome_apply' LANGUAGE C;
COMMENT ON FUNCTION federation_task_outcome_apply() IS
  'Province, in the apply worker: a city''s task_outcome row closes the province''s task';
CREATE FUNCTION federation_task_address() RETURNS trigger
  AS 'MODULE_PATHNAME', 'federation_task_address' LANGUAGE C;
COMMENT ON FUNCTION federation_task_address() IS
  'Province, on its own inserts: a task without a jurisdiction goes to its person''s (the row filter of the city''s task publication reads task.jurisdiction)';

-- ---------------------------------------------------------------------------
-- Set-up (superuser: publications, subscriptions and trigger firing are the
-- server's administration).  Re-runnable.
-- ---------------------------------------------------------------------------

-- A node's key range, stated once (src/federation/federation.c).
CREATE FUNCTION federation_node_keys(node integer, OUT first_key bigint, OUT last_key bigint)
  AS 'MODULE_PATHNAME', 'federation_node_keys' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION federation_node_keys(integer) IS
  'The keys node number node (1 to 9000) generates: [node * 10^12, (node + 1) * 10^12 - 1]';

-- The node's number, and every identity column of the extension's tables
-- restricted to the node's key range, so that keys of two nodes never meet
-- on the province.  A re-run keeps the keys already generated in the range.
CREATE FUNCTION federation_set_node(node integer, role text, jurisdiction text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, quarantine
AS $$
#variable_conflict use_column
DECLARE
  lo bigint := (quarantine.federation_node_keys(node)).first_key;
  hi bigint := (quarantine.federation_node_keys(node)).last_key;
  c record;
  top bigint;
BEGIN
  IF node IS NULL THEN
    RAISE EXCEPTION 'node number is missing'
      USING ERRCODE = '22023', HINT = 'Number the nodes 1 to 9000, each once.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM quarantine.jurisdiction j
                  WHERE j.code = federation_set_node.jurisdiction AND j.level = federation_set_node.role) THEN
    RAISE EXCEPTION 'no % jurisdiction %', role, jurisdiction
      USING ERRCODE = '23503', HINT = 'Insert the jurisdictions (the same on every node) first.';
  END IF;
  IF EXISTS (SELECT 1 FROM quarantine.federation_node f
              WHERE f.node_no <> node OR f.role <> federation_set_node.role) THEN
    RAISE EXCEPTION 'this node is already set up as another node'
      USING ERRCODE = '55000',
            DETAIL = (SELECT format('node %s, %s %s', f.node_no, f.role, f.jurisdiction) FROM quarantine.federation_node f),
            HINT = 'A node keeps its number and role: its keys and its subscribers depend on them.';
  END IF;
  FOR c IN
    SELECT cl.relname, a.attname
      FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class cl ON cl.oid = a.attrelid
     WHERE cl.relnamespace = 'quarantine'::regnamespace AND cl.relkind = 'r'
       AND a.attidentity <> '' AND NOT a.attisdropped
     ORDER BY 1
  LOOP
    EXECUTE format('SELECT max(%1$I) FROM quarantine.%2$I WHERE %1$I BETWEEN $1 AND $2', c.attname, c.relname)
      INTO top USING lo, hi;
    EXECUTE format('ALTER TABLE quarantine.%I ALTER COLUMN %I SET MINVALUE %s SET MAXVALUE %s SET START %s RESTART %s',
                   c.relname, c.attname, lo, hi, lo + 1, coalesce(top + 1, lo + 1));
  END LOOP;
  INSERT INTO quarantine.federation_node AS f (node_no, role, jurisdiction)
  VALUES (node, role, jurisdiction)
  ON CONFLICT (node_no) DO UPDATE SET jurisdiction = excluded.jurisdiction, set_up_at = now();
END;
$$;
COMMENT ON FUNCTION federation_set_node(integer, text, text) IS
  'Records this node and confines every identity column of the extension to the node''s key range [node * 10^12, (node + 1) * 10^12); used by the set-up functions';

-- A city's set-up: 92_federation_city.sql (re-run by upgrades: its
-- publications list the tables a city sends).

-- The province's set-up: 92_federation_province.sql (re-run by upgrades:
-- it creates the triggers that replay what the cities send).

-- On the province, for each city: the publication of the city's tasks.
-- Only INSERTs travel: a task is issued once, and the province's own
-- update from the city's outcome must not travel back.  The row filter
-- lists the city and its districts as they are now: run again after adding
-- a district.
CREATE FUNCTION federation_add_city(city text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, quarantine
AS $$
DECLARE
  pub text := 'quarantine_tasks_' || city;
  codes text[];
  tbl text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM quarantine.federation_node WHERE role = 'province') THEN
    RAISE EXCEPTION 'this node is not the province'
      USING ERRCODE = '55000', HINT = 'Run federation_setup_province first.';
  END IF;
  IF city !~ '^[A-Za-z0-9_]+$'
     OR NOT EXISTS (SELECT 1 FROM quarantine.jurisdiction j WHERE j.code = city AND j.level = 'city') THEN
    RAISE EXCEPTION 'no city jurisdiction %', city USING ERRCODE = '23503';
  END IF;
  WITH RECURSIVE s(code) AS (
    SELECT city
    UNION
    SELECT j.code FROM quarantine.jurisdiction j JOIN s ON j.parent = s.code
  )
  SELECT array_agg(code ORDER BY code) INTO codes FROM s;
  tbl := format('quarantine.task WHERE (jurisdiction = ANY (%L::text[]))', codes);
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = pub) THEN
    EXECUTE format('ALTER PUBLICATION %I SET TABLE %s', pub, tbl);
  ELSE
    EXECUTE format('CREATE PUBLICATION %I FOR TABLE %s WITH (publish = %L)', pub, tbl, 'insert');
  END IF;
  RETURN pub;
END;
$$;
COMMENT ON FUNCTION federation_add_city(text) IS
  'Province: creates (or refreshes) publication quarantine_tasks_<city>, the tasks issued to the city and its districts (INSERTs only); returns its name';

-- ---------------------------------------------------------------------------
-- Access.  Setting up a node is the superuser's (publications and
-- subscriptions are); the trigger functions are fired, never called.
-- ---------------------------------------------------------------------------
REVOKE EXECUTE ON FUNCTION
  federation_replay(), federation_person_rescope(), federation_task_outcome_record(),
  federation_task_outcome_apply(), federation_task_address(), federation_set_node(integer, text, text),
  federation_add_city(text)
  FROM PUBLIC;
-- federation_node_keys keeps PUBLIC's EXECUTE: a computation on a number.
GRANT SELECT ON federation_node TO quarantine_admin, quarantine_operator;
-- Written by the extension only (the city's trigger, as the owner).
GRANT SELECT ON task_outcome TO quarantine_admin;
