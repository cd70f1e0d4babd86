
-- The SQL functions that call PostGIS pin their search_path: PostGIS looks
-- the spheroid up in spatial_ref_sys with a query of its own, parsed with
-- the search_path in force (doc/security.md).  The fresh install declares
-- the same SET clause (87_places.sql, 87_places_trail.sql).
ALTER FUNCTION quarantine.jurisdictions_at(geography) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION quarantine.nearest_sites(geography, integer) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION quarantine.contact_candidates(bigint, timestamptz, timestamptz, interval, double precision)
  SET search_path = pg_catalog, pg_temp;
