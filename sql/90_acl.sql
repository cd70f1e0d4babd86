-- Every function, table, view and sequence of the extension with who may use
-- it (doc/security.md), in the style of PostgreSQL's own privilege regression tests:
-- a new object without an explicit grant decision (src/sql/90_access.sql)
-- changes this output and fails the suite.  The owner is shown as "owner".
-- PostgreSQL 17 adds MAINTAIN (m) to every table's and view's privileges,
-- which the owner holds by default; the owner's default entry is shown as 15
-- writes it (arwdDxt), so that the listing is the same on both.  A grant of
-- MAINTAIN to anyone else still shows as m (the decision: nobody; see
-- doc/platforms.md).
WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'quarantine'),
member AS (
  SELECT d.classid, d.objid FROM pg_depend d, ext
   WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
)
SELECT kind, name,
       regexp_replace(regexp_replace(acl, '(?<=[{,/])' || current_user || '(?=[=,}/])', 'owner', 'g'),
                      '(?<=[{,])owner=arwdDxtm/owner(?=[,}])', 'owner=arwdDxt/owner') AS acl
  FROM (
    SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'S' THEN 'sequence'
                          WHEN 'p' THEN 'table' WHEN 'm' THEN 'matview' ELSE c.relkind::text END AS kind,
           c.oid::regclass::text AS name, coalesce(c.relacl::text, 'owner only') AS acl
      FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
     WHERE c.relkind IN ('r', 'v', 'S', 'p', 'm')
    UNION ALL
    -- A function's explicit default ACL (left by a GRANT ... ON ALL FUNCTIONS
    -- and its REVOKE in an earlier test) is the default, shown as such, so the
    -- listing does not depend on which tests ran before it.
    SELECT 'function', p.oid::regprocedure::text,
           CASE WHEN p.proacl IS NULL OR p.proacl = acldefault('f', p.proowner) THEN 'PUBLIC (default)'
                ELSE p.proacl::text END
      FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
    UNION ALL
    SELECT 'schema', n.nspname, coalesce(n.nspacl::text, 'owner only')
      FROM member m JOIN pg_namespace n ON m.classid = 'pg_namespace'::regclass AND n.oid = m.objid
    UNION ALL
    SELECT 'schema', n.nspname, coalesce(n.nspacl::text, 'owner only')
      FROM pg_namespace n WHERE n.nspname = 'quarantine'
  ) o
 ORDER BY kind, name;
-- Column privileges, which the listing above does not show.
SELECT a.attrelid::regclass AS "table", a.attname AS "column",
       regexp_replace(a.attacl::text, '(?<=[{,/])' || current_user || '(?=[=,}/])', 'owner', 'g') AS acl
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'quarantine'::regnamespace AND a.attacl IS NOT NULL
 ORDER BY 1, 2;
-- Settings: which weaken a rule (superuser or quarantine_admin only).
LOAD 'quarantine';
SELECT name, context FROM pg_settings WHERE name LIKE 'quarantine.%' ORDER BY name;
SELECT parname, regexp_replace(paracl::text, '(?<=[{,/])' || current_user || '(?=[=,}/])', 'owner', 'g') AS acl
  FROM pg_parameter_acl WHERE parname LIKE 'quarantine.%' ORDER BY parname;
-- The group roles.
SELECT rolname, rolcanlogin, rolinherit FROM pg_roles WHERE rolname LIKE 'quarantine\_%' ORDER BY rolname;
