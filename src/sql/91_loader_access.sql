-- Access to the keep-the-good-rows loader (72_loader.sql; doc/etl.md, "Who
-- may load"), after 90_access.sql and in its conventions.  Also part of the
-- 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).
--
-- load_staged runs as the caller: the INSERTs into person, entry, control and
-- lab_test check the caller's grants and row security, and the audit log
-- records the caller.  Only its ledger (load_accept) and its rejects are
-- written with the owner's rights, as log tables.
--
-- The staging tables hold staged rows of every district (documents, phones):
-- the administrator's.  They have no row security, so an administrator may
-- COPY into them without BYPASSRLS.  An operator stages into a temporary
-- table of its own (CREATE TEMP TABLE s (LIKE quarantine.person_staging)),
-- which it may COPY into, and loads it with load_staged(target, batch, s).
REVOKE ALL ON person_staging, entry_staging, control_staging, lab_test_staging, load_accept
  FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE
  ON person_staging, entry_staging, control_staging, lab_test_staging
  TO quarantine_admin;
-- The ledger holds row numbers and hashes, no values; a load reads it as the
-- caller to skip rows loaded before.
GRANT SELECT ON load_accept TO quarantine_admin, quarantine_operator;

REVOKE EXECUTE ON FUNCTION
  load_staged(regclass, text), load_staged(regclass, text, regclass), load_staged_mark(int, int)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  load_staged(regclass, text), load_staged(regclass, text, regclass), load_staged_mark(int, int)
  TO quarantine_admin, quarantine_operator;
