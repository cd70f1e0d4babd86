
-- quarantine.timezone decides what "today" is for the rules, so the library
-- makes it PGC_SUSET and quarantine_admin alone is granted SET on it, as on
-- the settings that weaken a rule (src/sql/90_access.sql).
GRANT SET ON PARAMETER quarantine.timezone TO quarantine_admin;
