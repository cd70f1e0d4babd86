-- Functions that run where the caller's search_path is not the user's
-- (doc/platforms.md): PostgreSQL 17 runs VACUUM, ANALYZE, CLUSTER, REINDEX,
-- CREATE INDEX and REFRESH MATERIALIZED VIEW with search_path = pg_catalog,
-- pg_temp.  Every function of the extension that an index expression, a
-- partial index's predicate, a CHECK, a column default or generated column,
-- or a policy calls must find its objects whatever the path: it is C (or
-- internal), pins its search_path, or has an SQL-standard body (resolved when
-- it was created).  The maintenance check (test/maintenance/run.sql) runs the
-- commands themselves.
BEGIN;
SELECT plan(2);

CREATE TEMP VIEW called_from_tables AS
WITH uses AS (
  SELECT d.refobjid AS fn, 'index ' || d.objid::regclass::text AS used_by
    FROM pg_depend d JOIN pg_index x ON x.indexrelid = d.objid
   WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_proc'::regclass
  UNION ALL
  SELECT d.refobjid, 'constraint ' || c.conname
    FROM pg_depend d JOIN pg_constraint c ON c.oid = d.objid
   WHERE d.classid = 'pg_constraint'::regclass AND d.refclassid = 'pg_proc'::regclass
  UNION ALL
  SELECT d.refobjid, 'default ' || a.adrelid::regclass::text
    FROM pg_depend d JOIN pg_attrdef a ON a.oid = d.objid
   WHERE d.classid = 'pg_attrdef'::regclass AND d.refclassid = 'pg_proc'::regclass
  UNION ALL
  SELECT d.refobjid, 'policy ' || p.polname
    FROM pg_depend d JOIN pg_policy p ON p.oid = d.objid
   WHERE d.classid = 'pg_policy'::regclass AND d.refclassid = 'pg_proc'::regclass
)
SELECT DISTINCT p.oid::regprocedure::text AS fn, l.lanname, u.used_by,
       l.lanname IN ('c', 'internal') OR p.prosqlbody IS NOT NULL
         OR EXISTS (SELECT 1 FROM unnest(p.proconfig) s WHERE s LIKE 'search_path=%') AS path_safe
  FROM uses u JOIN pg_proc p ON p.oid = u.fn JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace = 'quarantine'::regnamespace;

SELECT ok((SELECT count(*) FROM called_from_tables) > 0,
          'the extension''s tables call functions of its own (the check below is not vacuous)');
SELECT is_empty($$SELECT fn || ' (' || lanname || ', ' || used_by || ')' FROM called_from_tables WHERE NOT path_safe$$,
                'every function a table''s index, CHECK, default or policy calls works under any search_path');

SELECT * FROM finish();
ROLLBACK;
