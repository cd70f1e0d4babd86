-- The group roles of doc/security.md (grants in 90_access.sql, row policies in
-- 86_scope.sql).  Also part of the 0.1.0 -> 0.2.0 upgrade.
--
-- Roles are cluster-wide: they are created when missing and
-- left in place by DROP EXTENSION (another database of the cluster may use
-- them, and a role that still owns or is granted something cannot be
-- dropped); an administrator drops them by hand when no database needs them.
DO $roles$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'quarantine_admin') THEN
    CREATE ROLE quarantine_admin NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'quarantine_operator') THEN
    CREATE ROLE quarantine_operator NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'quarantine_analyst') THEN
    CREATE ROLE quarantine_analyst NOLOGIN;
  END IF;
END
$roles$;
COMMENT ON ROLE quarantine_admin IS 'quarantine: policies, places, merges, code refreshes; every record';
COMMENT ON ROLE quarantine_operator IS 'quarantine: district staff who read and write the records';
COMMENT ON ROLE quarantine_analyst IS 'quarantine: read-only, masked, through schema quarantine_analytics';
