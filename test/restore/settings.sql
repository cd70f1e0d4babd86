-- The current database's own settings (ALTER DATABASE … SET, which pg_dump
-- dumps only with --create), as the statements that make them again on a
-- new server (doc/operations.md, "Moving from PostgreSQL 15 to 17", step 4):
--   psql -X -At -d district -f test/restore/settings.sql > settings.sql
-- A list setting (search_path) is written element by element, as pg_dump
-- does; any other value as one literal.
\set ON_ERROR_STOP on
SELECT format('ALTER DATABASE %I SET %s = %s;', d.datname, split_part(c, '=', 1),
              CASE WHEN split_part(c, '=', 1) IN ('search_path', 'temp_tablespaces',
                                                  'session_preload_libraries', 'local_preload_libraries')
                   THEN (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(pg_catalog.btrim(pg_catalog.btrim(e), '"')), ', ')
                           FROM pg_catalog.unnest(pg_catalog.string_to_array(pg_catalog.substr(c, pg_catalog.strpos(c, '=') + 1), ',')) AS e)
                   ELSE pg_catalog.quote_literal(pg_catalog.substr(c, pg_catalog.strpos(c, '=') + 1)) END)
  FROM pg_catalog.pg_db_role_setting s
  JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase,
       pg_catalog.unnest(s.setconfig) AS c
 WHERE d.datname = pg_catalog.current_database() AND s.setrole = 0
 ORDER BY 1;
