-- Every table and sequence of the extension is dumped by pg_dump: tables an
-- extension creates are left out of dumps unless registered.
BEGIN;
SELECT plan(4);

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


-- Rows the extension ships (written by the transaction of CREATE EXTENSION,
-- which also wrote the registrations into pg_extension) are left out by the
-- table's dump filter: a data-only restore into a fresh install, which has
-- them already, must not write them twice (doc/operations.md).
CREATE FUNCTION pg_temp.shipped_rows(tbl regclass, cond text, kept boolean) RETURNS bigint
LANGUAGE plpgsql AS $f$
DECLARE
  n bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM ONLY %s t WHERE t.xmin = $1 AND %s', tbl,
                 CASE WHEN NOT kept THEN 'true'
                      WHEN cond = '' THEN 'true'
                      ELSE '(' || regexp_replace(cond, '^\s*WHERE\s+', '', 'i') || ')' END)
    INTO n USING (SELECT e.xmin FROM pg_extension e WHERE e.extname = 'quarantine');
  RETURN n;
END
$f$;
SELECT cmp_ok(pg_temp.shipped_rows('quarantine.policy', '', false), '>', 0::bigint,
              'the install ships rows (the policy timeline), so the next test is not vacuous');
SELECT is_empty(
  $$SELECT c.relname::text
      FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS u(cfg, cond)
      JOIN pg_class c ON c.oid = u.cfg
     WHERE e.extname = 'quarantine' AND c.relkind = 'r'
       AND pg_temp.shipped_rows(u.cfg, u.cond, true) > 0$$,
  'every table that ships rows has a dump filter that leaves them out');

SELECT * FROM finish();
ROLLBACK;
