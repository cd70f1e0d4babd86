-- The contents of a database of the extension, to compare a restore with
-- the database it was dumped from (tools/pg-harness, run_restore): one line
-- per table of schema quarantine, found from the catalog (a new table is
-- covered without an edit here), with its row count and an md5 of its rows
-- in a fixed order; then every sequence of the schema with its last value.
-- A partitioned table is read through its parent, whatever partitions hold
-- the rows (a data-only restore puts them back in the default partition).
\set ON_ERROR_STOP on
\pset format unaligned
\pset tuples_only on
SET search_path = pg_catalog;
SELECT format('SELECT %L || ''|'' || count(*) || ''|'' || '
              'coalesce(md5(string_agg(t::text, E''\n'' ORDER BY t::text)), ''-'') FROM %s t',
              c.relname, c.oid::regclass)
  FROM pg_class c
 WHERE c.relnamespace = 'quarantine'::regnamespace AND c.relkind IN ('r', 'p')
   AND NOT c.relispartition
 ORDER BY c.relname \gexec
SELECT format('SELECT %L || ''|'' || last_value || ''|'' || is_called FROM %s',
              c.relname, c.oid::regclass)
  FROM pg_class c
 WHERE c.relnamespace = 'quarantine'::regnamespace AND c.relkind = 'S'
 ORDER BY c.relname \gexec
