-- Every table and sequence of the extension is dumped by pg_dump: tables an
-- extension creates are left out of dumps unless registered.
BEGIN;
SELECT plan(2);

SELECT is_empty(
  $$SELECT c.relname::text
      FROM pg_depend d JOIN pg_class c ON c.oid = d.objid AND d.classid = 'pg_class'::regclass
      JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'quarantine'
     WHERE d.deptype = 'e' AND c.relkind IN ('r', 'p')
       AND c.oid <> ALL (e.extconfig)$$,
  'every table of the extension is registered with pg_extension_config_dump');
SELECT is_empty(
  $$SELECT s.relname::text
      FROM pg_class s JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')
      JOIN pg_class t ON t.oid = d.refobjid
      JOIN pg_extension e ON e.oid = ANY (SELECT refobjid FROM pg_depend x
                                           WHERE x.objid = t.oid AND x.deptype = 'e')
     WHERE s.relkind = 'S' AND e.extname = 'quarantine' AND s.oid <> ALL (e.extconfig)$$,
  'every identity sequence of the extension is registered too');

SELECT * FROM finish();
ROLLBACK;
