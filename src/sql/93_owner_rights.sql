-- Owner-rights code and the import ledgers (doc/security.md, "The
-- owner-rights rule").  Runs again over 0.2.0 as it is (listed in
-- src/sql/upgrade/0.2.0--0.3.0.list, after the delta that moves the data).

-- ---------------------------------------------------------------------------
-- The entry points that run with the extension owner's rights
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION owner_rights_entry_points() RETURNS SETOF text
  AS 'MODULE_PATHNAME', 'owner_rights_entry_points'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION owner_rights_entry_points() IS
  'Every entry point that runs code with the extension owner''s rights: the owner switches of the C code, the audit log writer and the SECURITY DEFINER functions; the hostile-caller test exercises each';
-- A list of names, for the security review: the administrator's.
REVOKE EXECUTE ON FUNCTION owner_rights_entry_points() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION owner_rights_entry_points() TO quarantine_admin;

-- ---------------------------------------------------------------------------
-- import_reject: a reject belongs to the district of its row
-- ---------------------------------------------------------------------------
-- The loaders write it with the owner's rights, so its row security decides
-- who reads a reject: the district of the refused row (its jurisdiction, or
-- that of the person it names), and only when its message and detail were
-- written for a view no wider than the reader's (caller_scope): a reject of
-- an administrator's load may name any district's records, and stays the
-- administrator's.
ALTER TABLE import_reject ADD COLUMN IF NOT EXISTS jurisdiction text;
ALTER TABLE import_reject ADD COLUMN IF NOT EXISTS caller_scope text[];
COMMENT ON COLUMN import_reject.jurisdiction IS
  'The district the refused row belongs to: its own jurisdiction, else that of the person it names (row security: only that district''s operators read the reject); NULL: administrators only';
COMMENT ON COLUMN import_reject.caller_scope IS
  'The jurisdictions the role that ran the load worked on, whose view the message and detail were written for; NULL: a role that sees every district (an administrator), whose rejects operators do not read';
CREATE INDEX IF NOT EXISTS import_reject_jurisdiction ON import_reject (jurisdiction);
-- A row is refused once per batch, whatever the isolation level: a second
-- load of the batch (even one whose snapshot missed the first) adds nothing.
CREATE UNIQUE INDEX IF NOT EXISTS import_reject_staged_once
  ON import_reject (target, batch, row_no, rule, md5(row::text)) NULLS NOT DISTINCT
  WHERE target IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS import_reject_manifest_once
  ON import_reject (batch, row_no, md5(row::text)) NULLS NOT DISTINCT
  WHERE target IS NULL;
DROP POLICY IF EXISTS operator_scope ON import_reject;
CREATE POLICY operator_scope ON import_reject TO quarantine_operator
  USING (import_reject.jurisdiction = ANY ((SELECT quarantine.scope_jurisdictions())::text[])
         AND import_reject.caller_scope <@ (SELECT quarantine.scope_jurisdictions())::text[]);

-- ---------------------------------------------------------------------------
-- load_accept: who loaded a row, and who may read it
-- ---------------------------------------------------------------------------
ALTER TABLE load_accept ADD COLUMN IF NOT EXISTS loaded_by text;
COMMENT ON COLUMN load_accept.loaded_by IS
  'The role that called load_staged (NULL for rows loaded before 0.3.0): an operator reads the ledger of its own loads';
ALTER TABLE load_accept ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS operator_scope ON load_accept;
CREATE POLICY operator_scope ON load_accept TO quarantine_operator
  USING (load_accept.loaded_by = CURRENT_USER);
DROP POLICY IF EXISTS admin_all ON load_accept;
CREATE POLICY admin_all ON load_accept TO quarantine_admin USING (true) WITH CHECK (true);

-- ---------------------------------------------------------------------------
-- The ledgers and the rejects are written by the extension alone
-- ---------------------------------------------------------------------------
-- load_manifest and load_staged write import_accept, import_reject and
-- load_accept with the owner's rights; no client writes them (a forged
-- ledger row would make a load skip another district's row).
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON import_reject, import_accept, load_accept
  FROM quarantine_admin, quarantine_operator;
