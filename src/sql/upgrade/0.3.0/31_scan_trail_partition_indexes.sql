-- Each partition of the scan trail carries its own primary key and index,
-- checkin none (doc/places.md, "Backup and restore"; 87_places_trail.sql).
-- In 0.2.0 they were checkin's (checkin_pkey, checkin_place), and each
-- partition's were attached to them: dropping checkin's would drop the
-- partitions' too, and PostgreSQL has no ALTER INDEX ... DETACH.  So every
-- partition, checkin_default included, is detached (DETACH PARTITION keeps
-- its indexes and primary key, no longer attached to checkin's), checkin's
-- are dropped, and the partitions are attached again with the bounds they
-- had.  Rows and indexes stay as they are, under the names a fresh install
-- and its maintenance give (<partition>_pkey and
-- <partition>_place_id_scanned_at_idx, the names ATTACH gave them); no
-- index is rebuilt, and each attach reads its partition once to check the
-- bound.  The day partitions first, the default partition last: its check
-- then reads it alone.
DO $upgrade$
DECLARE
  p     record;
  parts text[] := '{}';
  bounds text[] := '{}';
  i     integer;
  zone  text := pg_catalog.current_setting('TimeZone');
  style text := pg_catalog.current_setting('DateStyle');
BEGIN
  IF pg_catalog.to_regclass('quarantine.checkin_pkey') IS NULL
     AND pg_catalog.to_regclass('quarantine.checkin_place') IS NULL THEN
    RETURN;
  END IF;
  -- the bounds are read as text and written back (UTC, ISO)
  PERFORM pg_catalog.set_config('TimeZone', 'UTC', true), pg_catalog.set_config('DateStyle', 'ISO, YMD', true);
  FOR p IN
    SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) AS part,
           pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound
      FROM pg_catalog.pg_inherits h
      JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) h.inhrelid
      JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
     WHERE h.inhparent OPERATOR(pg_catalog.=) 'quarantine.checkin'::pg_catalog.regclass
     ORDER BY pg_catalog.pg_get_expr(c.relpartbound, c.oid) OPERATOR(pg_catalog.=) 'DEFAULT', c.relname
  LOOP
    EXECUTE pg_catalog.format('ALTER TABLE quarantine.checkin DETACH PARTITION %s', p.part);
    parts := parts OPERATOR(pg_catalog.||) p.part;
    bounds := bounds OPERATOR(pg_catalog.||) p.bound;
  END LOOP;
  ALTER TABLE quarantine.checkin DROP CONSTRAINT IF EXISTS checkin_pkey;
  DROP INDEX IF EXISTS quarantine.checkin_place;
  FOR i IN 1 .. pg_catalog.cardinality(parts) LOOP
    EXECUTE pg_catalog.format('ALTER TABLE quarantine.checkin ATTACH PARTITION %s %s', parts[i], bounds[i]);
  END LOOP;
  PERFORM pg_catalog.set_config('TimeZone', zone, true), pg_catalog.set_config('DateStyle', style, true);
END
$upgrade$;
