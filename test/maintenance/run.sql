-- Every maintenance command on every table of the extension, with data
-- (tools/generate.sql), under the search_path PostgreSQL 17 gives them:
-- VACUUM, ANALYZE, CLUSTER, REINDEX, CREATE INDEX and REFRESH MATERIALIZED
-- VIEW run with search_path = pg_catalog, pg_temp there (doc/platforms.md),
-- so every function an index expression, a partial-index predicate, a CHECK,
-- a generated column or a policy calls must work under it.  The session sets
-- the same path so that PostgreSQL 15 runs the same test.  Run by
-- tools/pg-harness (run_maintenance); any error stops it.
\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;
SET search_path = pg_catalog, pg_temp;

-- The extension's tables and matviews, and the partitions of its partitioned
-- tables (the scan trail's days are made later, not by the extension script).
CREATE TEMP TABLE maint_rel AS
WITH RECURSIVE member AS (
  SELECT c.oid, c.relkind
    FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class c ON c.oid = d.objid
   WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
     AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
     AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'quarantine')
     AND d.deptype = 'e' AND c.relkind IN ('r', 'p', 'm')
  UNION
  SELECT c.oid, c.relkind FROM member m
    JOIN pg_catalog.pg_inherits i ON i.inhparent = m.oid
    JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
)
SELECT oid::pg_catalog.regclass AS rel, relkind FROM member;

SELECT pg_catalog.format('VACUUM (ANALYZE) %s', rel) FROM maint_rel WHERE relkind = 'r' ORDER BY 1 \gexec
SELECT pg_catalog.format('VACUUM (FULL) %s', rel) FROM maint_rel WHERE relkind = 'r' ORDER BY 1 \gexec
SELECT pg_catalog.format('ANALYZE %s', rel) FROM maint_rel WHERE relkind IN ('r', 'p') ORDER BY 1 \gexec
-- CLUSTER each plain table on its primary key (or its first clusterable index).
SELECT pg_catalog.format('CLUSTER %s USING %I', r.rel,
         (SELECT ic.relname FROM pg_catalog.pg_index x
            JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
            JOIN pg_catalog.pg_am am ON am.oid = ic.relam
           WHERE x.indrelid = r.rel AND x.indisvalid AND x.indpred IS NULL
             AND am.amname IN ('btree', 'gist')
           ORDER BY x.indisprimary DESC, am.amname, ic.relname LIMIT 1))
  FROM maint_rel r
 WHERE r.relkind = 'r'
   AND EXISTS (SELECT 1 FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
                 JOIN pg_catalog.pg_am am ON am.oid = ic.relam
                WHERE x.indrelid = r.rel AND x.indisvalid AND x.indpred IS NULL AND am.amname IN ('btree', 'gist'))
 ORDER BY 1 \gexec
SELECT pg_catalog.format('REINDEX TABLE %s', rel) FROM maint_rel WHERE relkind IN ('r', 'p', 'm') ORDER BY 1 \gexec
-- CREATE INDEX: every index of those tables built again, under another name
-- (as a plain index: uniqueness and exclusion are not what is tested), then dropped.
CREATE TEMP TABLE maint_index AS
SELECT pg_catalog.row_number() OVER (ORDER BY x.indexrelid) AS n, x.indexrelid::pg_catalog.regclass AS idx,
       pg_catalog.regexp_replace(pg_catalog.pg_get_indexdef(x.indexrelid),
         '^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?', 'CREATE INDEX maint_copy_' || x.indexrelid || ' ON ') AS def,
       n.nspname
  FROM pg_catalog.pg_index x JOIN maint_rel r ON x.indrelid = r.rel
  JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
 WHERE r.relkind IN ('r', 'p', 'm')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = x.indexrelid);
SELECT def FROM maint_index ORDER BY n \gexec
SELECT pg_catalog.format('DROP INDEX %I.%I', nspname, 'maint_copy_' || idx::pg_catalog.oid) FROM maint_index ORDER BY n \gexec
SELECT pg_catalog.format('REFRESH MATERIALIZED VIEW %s', rel) FROM maint_rel WHERE relkind = 'm' ORDER BY 1 \gexec

-- One line for the harness: what was maintained.
\pset tuples_only on
\pset format unaligned
SELECT pg_catalog.format('%s tables (%s with rows, %s rows), %s indexes rebuilt, %s matviews; search_path %s; empty: %s',
         (SELECT pg_catalog.count(*) FROM maint_rel WHERE relkind IN ('r', 'p')),
         (SELECT pg_catalog.count(*) FROM maint_rel WHERE relkind = 'r' AND EXISTS
            (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = rel AND c.reltuples > 0)),
         (SELECT pg_catalog.sum(c.reltuples)::pg_catalog.int8 FROM maint_rel m JOIN pg_catalog.pg_class c ON c.oid = m.rel WHERE m.relkind = 'r'),
         (SELECT pg_catalog.count(*) FROM maint_index),
         (SELECT pg_catalog.count(*) FROM maint_rel WHERE relkind = 'm'),
         pg_catalog.current_setting('search_path'),
         (SELECT pg_catalog.string_agg(m.rel::text, ' ' ORDER BY m.rel::text) FROM maint_rel m
            JOIN pg_catalog.pg_class c ON c.oid = m.rel WHERE m.relkind = 'r' AND c.reltuples <= 0));
