-- Every object of extension quarantine described by name and definition, one
-- line each, without OIDs: run in an upgraded and in a fresh database, the two
-- outputs must be identical (tools/pg-harness, upgrade check).  pg_dump cannot
-- serve: it leaves extension members out of a dump.
\pset format unaligned
\pset tuples_only on
WITH ext AS (
  SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'quarantine'
), member AS (
  SELECT d.classid, d.objid
    FROM pg_catalog.pg_depend d, ext
   WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
     AND d.refobjid = ext.oid AND d.deptype = 'e'
), line AS (
  -- every member by name
  SELECT pg_catalog.pg_describe_object(m.classid, m.objid, 0) AS what, '' AS def
    FROM member m
  UNION ALL
  -- functions: the whole definition, ownership aside, and who may run them
  SELECT 'function ' || p.oid::pg_catalog.regprocedure::text,
         CASE WHEN p.prokind IN ('f', 'p') THEN pg_catalog.pg_get_functiondef(p.oid) ELSE p.prokind::text END
         || ' acl=' || coalesce(p.proacl::text, 'default')
    FROM member m JOIN pg_catalog.pg_proc p ON m.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.oid = m.objid
  UNION ALL
  -- relations: kind, options, row security, grants
  SELECT 'relation ' || c.oid::pg_catalog.regclass::text,
         c.relkind::text || ' rls=' || c.relrowsecurity || '/' || c.relforcerowsecurity
         || ' options=' || coalesce(c.reloptions::text, '') || ' acl=' || coalesce(c.relacl::text, 'default')
         || ' partitioned=' || c.relispartition
    FROM member m JOIN pg_catalog.pg_class c ON m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND c.oid = m.objid
  UNION ALL
  -- columns in order, with type, nullability, default, identity, comment
  SELECT 'column ' || c.oid::pg_catalog.regclass::text || ' #' || pg_catalog.lpad(
           (SELECT pg_catalog.count(*) FROM pg_catalog.pg_attribute a2
             WHERE a2.attrelid = c.oid AND a2.attnum > 0 AND NOT a2.attisdropped AND a2.attnum <= a.attnum)::text, 3, '0'),
         a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || coalesce(' default ' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '')
         || CASE a.attidentity WHEN '' THEN '' ELSE ' identity ' || a.attidentity::text END
         || CASE a.attgenerated WHEN '' THEN '' ELSE ' generated ' || a.attgenerated::text END
         || coalesce(' acl=' || a.attacl::text, '')
         || coalesce(' -- ' || pg_catalog.col_description(c.oid, a.attnum), '')
    FROM member m
    JOIN pg_catalog.pg_class c ON m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND c.oid = m.objid
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
  UNION ALL
  -- views and materialized views: the query
  SELECT 'view ' || c.oid::pg_catalog.regclass::text, pg_catalog.pg_get_viewdef(c.oid)
    FROM member m JOIN pg_catalog.pg_class c ON m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND c.oid = m.objid
   WHERE c.relkind IN ('v', 'm')
  UNION ALL
  -- indexes of member tables (not members themselves)
  SELECT 'index ' || i.indexrelid::pg_catalog.regclass::text, pg_catalog.pg_get_indexdef(i.indexrelid)
    FROM member m JOIN pg_catalog.pg_index i ON m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND i.indrelid = m.objid
  UNION ALL
  -- constraints of member tables and domains
  SELECT 'constraint ' || coalesce(co.conrelid::pg_catalog.regclass::text, co.contypid::pg_catalog.regtype::text) || ' ' || co.conname,
         pg_catalog.pg_get_constraintdef(co.oid)
    FROM pg_catalog.pg_constraint co
   WHERE co.conrelid IN (SELECT objid FROM member WHERE classid = 'pg_catalog.pg_class'::pg_catalog.regclass)
      OR co.contypid IN (SELECT objid FROM member WHERE classid = 'pg_catalog.pg_type'::pg_catalog.regclass)
  UNION ALL
  -- triggers, with when they fire (ENABLE REPLICA / ALWAYS)
  SELECT 'trigger ' || t.tgrelid::pg_catalog.regclass::text || ' ' || t.tgname,
         pg_catalog.pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled::text
    FROM pg_catalog.pg_trigger t
   WHERE NOT t.tgisinternal
     AND t.tgrelid IN (SELECT objid FROM member WHERE classid = 'pg_catalog.pg_class'::pg_catalog.regclass)
  UNION ALL
  -- row-level security policies
  SELECT 'policy ' || p.schemaname || '.' || p.tablename || ' ' || p.policyname,
         p.permissive || ' ' || p.roles::text || ' ' || p.cmd || ' using ' || coalesce(p.qual, '') || ' check ' || coalesce(p.with_check, '')
    FROM pg_catalog.pg_policies p
   WHERE (p.schemaname || '.' || p.tablename)::pg_catalog.regclass::pg_catalog.oid
         IN (SELECT objid FROM member WHERE classid = 'pg_catalog.pg_class'::pg_catalog.regclass)
  UNION ALL
  -- enum labels in order
  SELECT 'enum ' || e.enumtypid::pg_catalog.regtype::text,
         pg_catalog.string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
    FROM member m JOIN pg_catalog.pg_enum e ON m.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND e.enumtypid = m.objid
   GROUP BY e.enumtypid
  UNION ALL
  -- composite types' attributes
  SELECT 'type ' || t.oid::pg_catalog.regtype::text,
         pg_catalog.string_agg(a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
    FROM member m
    JOIN pg_catalog.pg_type t ON m.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND t.oid = m.objid AND t.typtype = 'c'
    JOIN pg_catalog.pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
   GROUP BY t.oid
  UNION ALL
  -- schemas' grants
  SELECT 'schema ' || n.nspname, coalesce(n.nspacl::text, 'default')
    FROM member m JOIN pg_catalog.pg_namespace n ON m.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND n.oid = m.objid
  UNION ALL
  -- comments on every member
  SELECT 'comment ' || pg_catalog.pg_describe_object(m.classid, m.objid, 0),
         pg_catalog.obj_description(m.objid, (SELECT relname FROM pg_catalog.pg_class WHERE oid = m.classid))
    FROM member m
   WHERE pg_catalog.obj_description(m.objid, (SELECT relname FROM pg_catalog.pg_class WHERE oid = m.classid)) IS NOT NULL
  UNION ALL
  -- the extensions it requires
  SELECT 'requires ' || r.extname, ''
    FROM pg_catalog.pg_depend d, ext, pg_catalog.pg_extension r
   WHERE d.classid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.objid = ext.oid
     AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.refobjid = r.oid
  UNION ALL
  -- what pg_dump keeps the data of
  SELECT 'config_dump ' || cfg::pg_catalog.regclass::text, coalesce(cond, '')
    FROM pg_catalog.pg_extension x,
         LATERAL unnest(x.extconfig, x.extcondition) AS u(cfg, cond)
   WHERE x.extname = 'quarantine'
  UNION ALL
  -- the rows shipped with the extension, notes included
  SELECT 'shipped policy ' || p.category::text || ' ' || p.effective::text,
         p.plan::text || ' ' || p.nat_days::text || ' ' || coalesce(p.note, '')
    FROM quarantine.policy p
   WHERE p.shipped
)
SELECT what || CASE WHEN def = '' THEN '' ELSE ' = ' || pg_catalog.replace(def, E'\n', ' ') END
  FROM line
 ORDER BY 1;
