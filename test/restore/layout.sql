-- The scan trail's indexes (doc/places.md, "Backup and restore"): checkin
-- has none; every partition, checkin_default and the day partitions, has
-- its own primary key <partition>_pkey (person_id, scanned_at, place_id)
-- and index <partition>_place_id_scanned_at_idx (place_id, scanned_at),
-- attached to nothing.  Run after a restore (run_restore) and an upgrade
-- (upgrade_from, tools/pg-harness); raises on the first difference.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET search_path = pg_catalog;
DO $$
DECLARE
  bad text;
BEGIN
  SELECT pg_catalog.string_agg(x.what, '; ') INTO bad FROM (
    SELECT 'checkin has index ' || i.indexrelid::pg_catalog.regclass::text AS what
      FROM pg_catalog.pg_index i WHERE i.indrelid = 'quarantine.checkin'::pg_catalog.regclass
    UNION ALL
    SELECT c.relname || ' has ' || coalesce(ix.got, 'no index')
      FROM pg_catalog.pg_inherits h
      JOIN pg_catalog.pg_class c ON c.oid = h.inhrelid
      LEFT JOIN LATERAL (
        SELECT pg_catalog.string_agg(pg_catalog.format('%s %s%s%s', ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid),
                                                       CASE WHEN i.indisprimary THEN ' primary' ELSE '' END,
                                                       CASE WHEN ic.relispartition THEN ' attached' ELSE '' END),
                                     ', ' ORDER BY ic.relname) AS got
          FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
         WHERE i.indrelid = c.oid) ix ON true
     WHERE h.inhparent = 'quarantine.checkin'::pg_catalog.regclass
       AND ix.got IS DISTINCT FROM pg_catalog.format(
             '%1$s_pkey CREATE UNIQUE INDEX %1$s_pkey ON quarantine.%1$s USING btree (person_id, scanned_at, place_id) primary, '
             '%1$s_place_id_scanned_at_idx CREATE INDEX %1$s_place_id_scanned_at_idx ON quarantine.%1$s USING btree (place_id, scanned_at)',
             c.relname)) x;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'scan trail indexes: %', bad;
  END IF;
END
$$;
