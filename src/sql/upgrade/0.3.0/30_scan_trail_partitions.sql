-- The scan trail leaves pg_partman (doc/places.md, "Moving a 0.2.0
-- database"): the day partitions 0.2.0 made through it stay attached to
-- checkin with their scans, under the names the new maintenance gives
-- (checkin_pYYYY_MM_DD); the registration of checkin in pg_partman's
-- configuration is removed when pg_partman is installed (0.3.0 does not
-- require it, so this neither needs nor installs it), with the template
-- table pg_partman may have made for it.  87_places_trail_maintenance.sql,
-- listed next, replaces the maintenance itself.
DO $upgrade$
DECLARE
  nsp      name;
  template text;
BEGIN
  SELECT n.nspname INTO nsp
    FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace
   WHERE e.extname OPERATOR(pg_catalog.=) 'pg_partman';
  IF nsp IS NULL THEN
    RETURN;
  END IF;
  -- part_config.template_table exists in pg_partman 4.x and 5.x
  EXECUTE pg_catalog.format('SELECT c.template_table FROM %I.part_config c WHERE c.parent_table OPERATOR(pg_catalog.=) %L',
                            nsp, 'quarantine.checkin') INTO template;
  IF pg_catalog.to_regclass(pg_catalog.format('%I.part_config_sub', nsp)) IS NOT NULL THEN
    EXECUTE pg_catalog.format('DELETE FROM %I.part_config_sub s WHERE s.sub_parent OPERATOR(pg_catalog.=) %L',
                              nsp, 'quarantine.checkin');
  END IF;
  EXECUTE pg_catalog.format('DELETE FROM %I.part_config c WHERE c.parent_table OPERATOR(pg_catalog.=) %L',
                            nsp, 'quarantine.checkin');
  IF template IS NOT NULL AND pg_catalog.to_regclass(template) IS NOT NULL THEN
    EXECUTE pg_catalog.format('DROP TABLE %s', pg_catalog.to_regclass(template));
  END IF;
END
$upgrade$;
