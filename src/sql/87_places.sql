-- Sites: occupancy and the nearest sites with free beds (doc/places.md; the Fujian guideline
-- 四(四): point-to-point transfer to designated hotels).  Also part of the
-- 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).

-- The open controls of a site, which occupancy counts.
CREATE INDEX control_site_open ON control (site_id) WHERE site_id IS NOT NULL AND quarantine.control_status_open(status);
CREATE INDEX site_location ON site USING gist (location);

-- Occupancy counts every district's guests, whatever the reader's scope: a
-- hotel is full for everybody.  The view shows counts only, no person, so it
-- reads with its owner's rights (not security_invoker).
CREATE VIEW site_occupancy AS
  SELECT s.site_id, s.name, s.kind, s.jurisdiction, s.capacity,
         count(c.control_id) AS occupied,
         s.capacity - count(c.control_id) AS free
    FROM site s
    LEFT JOIN control c
      ON c.site_id = s.site_id AND quarantine.control_status_open(c.status)
     AND quarantine.control_holds_bed(c.status, c.plan, c.quarantine_start, local_date(now()))
   GROUP BY s.site_id;
COMMENT ON VIEW site_occupancy IS
  'Isolation sites with the beds held on the local today (occupied: pending and under_control controls in their centralized phase, as the rule site_full counts) and free beds (capacity - occupied; NULL when the capacity is unlimited)';

CREATE TYPE nearby_site AS (site_id bigint, name text, kind text, distance_m double precision,
                            capacity int, free bigint);
COMMENT ON TYPE nearby_site IS 'A site near a location, with its free beds today';

-- The KNN operator on the GiST index walks the sites nearest first; the ones
-- with no free bed are skipped as they come, so a full hotel never costs a
-- sort over every site.  The search_path is pinned for PostGIS's own lookup
-- of the spheroid (see jurisdictions_at, 87_places_trail.sql).
CREATE FUNCTION nearest_sites(location geography, n int) RETURNS SETOF nearby_site
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT k.site_id, k.name, k.kind, k.distance_m, k.capacity, k.free
    FROM (SELECT s.site_id, s.name, s.kind, s.capacity,
                 s.location <-> nearest_sites.location AS distance_m,
                 s.capacity - (SELECT count(*) FROM quarantine.control c
                                WHERE c.site_id = s.site_id
                                  AND quarantine.control_status_open(c.status)
                                  AND quarantine.control_holds_bed(c.status, c.plan, c.quarantine_start,
                                                                   quarantine.local_date(now()))) AS free
            FROM quarantine.site s
           WHERE s.location IS NOT NULL AND s.kind = 'hotel'
           ORDER BY s.location <-> nearest_sites.location) k
   WHERE k.free > 0 OR k.capacity IS NULL
   LIMIT nearest_sites.n;
END;
COMMENT ON FUNCTION nearest_sites(geography, int) IS
  'The n isolation hotels nearest to a location that have a free bed today (or no capacity limit), nearest first (distance in metres on the spheroid''s sphere)';
