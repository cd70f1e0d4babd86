-- Hotel capacity (doc/ports.md): occupancy and the nearest hotels count
-- beds as the rule site_full does (control_holds_bed, from 87_capacity.sql,
-- which the list names before this file): a medical control holds no bed,
-- and a hotel with no capacity limit is never full.  Copies of the
-- definitions in 87_places.sql and 88_analytics.sql.
CREATE OR REPLACE VIEW site_occupancy AS
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

CREATE OR REPLACE FUNCTION nearest_sites(location geography, n int) RETURNS SETOF nearby_site
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
COMMENT ON VIEW quarantine_analytics.occupancy IS
  'Isolation sites with the beds held on the local today (pending and under_control controls in their centralized phase) and free beds (quarantine.site_occupancy)';
