-- quarantine — install script, concatenated from src/sql/*.sql by make.
\echo Use "CREATE EXTENSION quarantine" to load this file. \quit

COMMENT ON SCHEMA quarantine IS
  'Inbound-traveller quarantine case management (extension quarantine)';
