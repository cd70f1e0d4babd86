-- The keep-the-good-rows loader (issue #12 part 2, doc/etl.md "SQL-only
-- path"): stage a file into <table>_staging, then load_staged(table, batch)
-- writes every good row and puts every bad row whole into import_reject with
-- the rule name the triggers raise for it.  The verdicts are the triggers'
-- own: the loader inserts set-based and, when a statement fails with a data
-- error, splits it until the failing row stands alone (src/load/staged_load.c).
-- Also part of the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).

-- ---------------------------------------------------------------------------
-- import_reject also holds the loader's rejects.
-- ---------------------------------------------------------------------------
ALTER TABLE import_reject ADD COLUMN IF NOT EXISTS target text;
ALTER TABLE import_reject ADD COLUMN IF NOT EXISTS sqlstate text;
ALTER TABLE import_reject ADD COLUMN IF NOT EXISTS hint text;
COMMENT ON TABLE import_reject IS
  'Rows the loaders refused: the staged row whole (row), the rule it breaks (the name the triggers use, or a manifest_* / staged_row_no rule), message, detail, hint; target is NULL for a manifest row';
COMMENT ON COLUMN import_reject.target IS
  'The table load_staged was loading (person, entry, control, lab_test); NULL for a manifest row (load_manifest)';
COMMENT ON COLUMN import_reject.sqlstate IS
  'SQLSTATE of the error the row raised (load_staged); NULL for a manifest row';
COMMENT ON COLUMN import_reject.hint IS 'The error''s HINT: how to fix the row (load_staged)';
CREATE INDEX IF NOT EXISTS import_reject_target ON import_reject (target, batch, row_no)
  WHERE target IS NOT NULL;

-- ---------------------------------------------------------------------------
-- Staging tables: plain COPY targets, every field text as typed
-- ---------------------------------------------------------------------------
-- One per loadable table: batch, row_no and every column a client writes,
-- as text (an empty field takes the column's default).  Left out: the
-- generated key and the columns the triggers replace whatever is written
-- (person.identity_scope, name_key, phone_key; control.release_date).  No
-- keys, so a COPY never fails on data: exact repeats collapse and a row
-- number staged twice with different values is refused (staged_row_no).
CREATE TABLE person_staging (
  batch          text,
  row_no         int,
  doc_kind       text,
  doc_no         text,
  name           text,
  sex            text,
  birth_date     text,
  nationality    text,
  phone          text,
  phone_status   text,
  home_address   text,
  home_location  text,
  jurisdiction   text,
  merged_into    text,
  created_at     text
);
CREATE TABLE entry_staging (
  batch            text,
  row_no           int,
  person_id        text,
  entered_at       text,
  port_kind        text,
  port             text,
  illegal          text,
  flight           text,
  seat             text,
  origin_country   text,
  travel_history   text,
  temperature      text,
  symptoms         text,
  port_nat_result  text,
  close_contact    text,
  category         text,
  exempt_reason    text,
  created_at       text
);
CREATE TABLE control_staging (
  batch                 text,
  row_no                int,
  person_id             text,
  entry_id              text,
  jurisdiction          text,
  status                text,
  plan                  text,
  quarantine_start      text,
  control_start         text,
  site_id               text,
  transferred_from      text,
  home_verified_at      text,
  commitment_signed_at  text,
  return_reason         text,
  return_note           text,
  end_reason            text,
  ended_at              text,
  responsible           text,
  note                  text,
  registered_at         text
);
CREATE TABLE lab_test_staging (
  batch        text,
  row_no       int,
  person_id    text,
  kind         text,
  sampled_at   text,
  result       text,
  lab          text,
  reported_at  text
);
CREATE INDEX person_staging_batch ON person_staging (batch);
CREATE INDEX entry_staging_batch ON entry_staging (batch);
CREATE INDEX control_staging_batch ON control_staging (batch);
CREATE INDEX lab_test_staging_batch ON lab_test_staging (batch);

DO $staging$
DECLARE
  t text;
  c record;
BEGIN
  FOREACH t IN ARRAY ARRAY['person', 'entry', 'control', 'lab_test'] LOOP
    EXECUTE pg_catalog.format(
      'COMMENT ON TABLE quarantine.%I IS %L', t || '_staging',
      'COPY target of load_staged(''' || t || ''', batch): every column of ' || t
      || ' a client writes, as text; an administrator''s table (operators stage into a temporary copy)');
    EXECUTE pg_catalog.format('COMMENT ON COLUMN quarantine.%I.batch IS %L', t || '_staging',
      'The batch a row belongs to: load_staged loads one batch');
    EXECUTE pg_catalog.format('COMMENT ON COLUMN quarantine.%I.row_no IS %L', t || '_staging',
      'The row''s number in its file; required and unique per batch (rule staged_row_no); the ledger load_accept keeps it');
    FOR c IN SELECT a.attname FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = pg_catalog.format('quarantine.%I', t || '_staging')::regclass
                AND a.attnum > 0 AND NOT a.attisdropped
                AND a.attname NOT IN ('batch', 'row_no') LOOP
      EXECUTE pg_catalog.format('COMMENT ON COLUMN quarantine.%I.%I IS %L', t || '_staging', c.attname,
        pg_catalog.format('%s.%s as text, as typed; empty: the column''s default', t, c.attname));
    END LOOP;
  END LOOP;
END
$staging$;

-- ---------------------------------------------------------------------------
-- load_accept: the ledger that makes a second load of a batch a no-op
-- ---------------------------------------------------------------------------
-- A staged row is skipped when the same row (same values, row_hash) was
-- loaded under its number before; another row under a loaded number is
-- refused (staged_row_no), so a reused batch name never drops a row silently.
-- Written only by load_staged, with the owner's rights.  No foreign keys:
-- the ledger must never stand in the way of the records it counts.
CREATE TABLE load_accept (
  target     text NOT NULL,
  batch      text NOT NULL,
  row_no     int NOT NULL,
  row_hash   uuid NOT NULL,
  loaded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (target, batch, row_no)
);
COMMENT ON TABLE load_accept IS
  'Staged rows load_staged wrote: a row listed here is not loaded again; written only by load_staged';
COMMENT ON COLUMN load_accept.target IS 'The table the row was loaded into (person, entry, control, lab_test)';
COMMENT ON COLUMN load_accept.batch IS 'The batch of the staged row';
COMMENT ON COLUMN load_accept.row_no IS 'The row_no of the staged row';
COMMENT ON COLUMN load_accept.row_hash IS 'md5 of the staged row as jsonb: the same number with other values is refused (staged_row_no)';
COMMENT ON COLUMN load_accept.loaded_at IS 'Instant of the load (transaction time)';

SELECT pg_catalog.pg_extension_config_dump('person_staging', '');
SELECT pg_catalog.pg_extension_config_dump('entry_staging', '');
SELECT pg_catalog.pg_extension_config_dump('control_staging', '');
SELECT pg_catalog.pg_extension_config_dump('lab_test_staging', '');
SELECT pg_catalog.pg_extension_config_dump('load_accept', '');

-- ---------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------
-- Both STRICT (a NULL batch loads nothing); jit off, as load_manifest: the
-- work is in the triggers.
CREATE FUNCTION load_staged(target regclass, batch text,
                            OUT staged int, OUT accepted int, OUT rejected int, OUT loaded int)
  AS 'MODULE_PATHNAME', 'load_staged'
  LANGUAGE C VOLATILE STRICT
  SET jit = off;
COMMENT ON FUNCTION load_staged(regclass, text) IS
  'Loads batch of <target>_staging into target (person, entry, control or lab_test): every good row written, every bad row whole into import_reject with the rule the triggers raise; staged = accepted + rejected; loaded counts the rows written by this call; a second load writes nothing new';

CREATE FUNCTION load_staged(target regclass, batch text, staging regclass,
                            OUT staged int, OUT accepted int, OUT rejected int, OUT loaded int)
  AS 'MODULE_PATHNAME', 'load_staged'
  LANGUAGE C VOLATILE STRICT
  SET jit = off;
COMMENT ON FUNCTION load_staged(regclass, text, regclass) IS
  'load_staged from another staging table with columns of target, and batch and row_no (e.g. an operator''s temporary copy of <target>_staging, which it may COPY into) or neither: then the whole table is the batch named, its rows numbered in physical order';

-- Internal to load_staged: remembers which staged row the INSERT is at, so
-- that a failed statement is split at the failing row.
CREATE FUNCTION load_staged_mark(n int, row_no int) RETURNS int
  AS 'MODULE_PATHNAME', 'load_staged_mark'
  LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION load_staged_mark(int, int) IS
  'Internal to load_staged: records the staged row the load is at and returns n';
