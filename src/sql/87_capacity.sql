-- Hotel capacity (doc/ports.md, "Hotel capacity"; the Fujian guideline 四(四): arrivals
-- go to designated hotels).  The rule site_full lives in src/triggers/site_capacity.c;
-- site_occupancy and nearest_sites (87_places.sql) count beds with the same
-- control_holds_bed.  Also part of the 0.2.0 -> 0.3.0 upgrade (the list names
-- this file: everything here is new in 0.3.0).

CREATE FUNCTION control_holds_bed(status control_status, plan isolation_plan, start date, day date)
  RETURNS boolean
  AS 'MODULE_PATHNAME', 'control_holds_bed' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION control_holds_bed(control_status, isolation_plan, date, date) IS
  'Whether a control holds a bed of its site on a day: pending or under_control, and the day in its centralized phase (medical: never)';

-- Named to fire after control_before_write, which fills plan and
-- quarantine_start; the WHEN clause keeps it off every row that holds no bed.
CREATE FUNCTION control_site_full() RETURNS trigger
  AS 'MODULE_PATHNAME', 'control_site_full' LANGUAGE C;
COMMENT ON FUNCTION control_site_full() IS
  'Enforces site_full: no day of a site beyond its capacity; locks the site row while it counts';
CREATE TRIGGER control_site_full BEFORE INSERT OR UPDATE ON control
  FOR EACH ROW WHEN (NEW.site_id IS NOT NULL AND NEW.status IN ('pending', 'under_control'))
  EXECUTE FUNCTION control_site_full();
REVOKE EXECUTE ON FUNCTION control_site_full() FROM PUBLIC;

-- assign_site: the caller's rights (row security decides which controls it
-- may place).  Each candidate is tried by the UPDATE itself, so site_full
-- (with its lock) decides, never a second count here; a candidate that a
-- concurrent session filled meanwhile is refused and the next one tried.
CREATE FUNCTION assign_site(control_id bigint) RETURNS bigint
LANGUAGE plpgsql VOLATILE STRICT SET search_path = pg_catalog, quarantine
AS $fn$
DECLARE
  c         record;
  candidate bigint;
  rule      text;
BEGIN
  SELECT k.control_id, k.jurisdiction, p.home_location
    INTO c
    FROM quarantine.control k JOIN quarantine.person p ON p.person_id OPERATOR(pg_catalog.=) k.person_id
   WHERE k.control_id OPERATOR(pg_catalog.=) assign_site.control_id
     FOR NO KEY UPDATE OF k;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'control % not found', assign_site.control_id
      USING ERRCODE = 'no_data_found', HINT = 'Pass the id of a control you can see.';
  END IF;
  IF c.home_location IS NULL THEN
    RAISE EXCEPTION 'control % cannot be placed: its person has no home location', c.control_id
      USING ERRCODE = 'null_value_not_allowed', SCHEMA = 'quarantine', TABLE = 'person', COLUMN = 'home_location',
            DETAIL = 'The nearest hotel is found from the person''s home_location, which is NULL.',
            HINT = 'Geocode the person''s home address, or set control.site_id by hand.';
  END IF;
  FOR candidate IN
    SELECT n.site_id
      FROM quarantine.nearest_sites(c.home_location, 2147483647) n
      JOIN quarantine.site s ON s.site_id OPERATOR(pg_catalog.=) n.site_id
     WHERE c.jurisdiction IS NULL OR s.jurisdiction OPERATOR(pg_catalog.=) c.jurisdiction
     ORDER BY n.distance_m, n.site_id
  LOOP
    BEGIN
      UPDATE quarantine.control k SET site_id = candidate
       WHERE k.control_id OPERATOR(pg_catalog.=) c.control_id;
      RETURN candidate;
    EXCEPTION WHEN check_violation THEN
      GET STACKED DIAGNOSTICS rule = CONSTRAINT_NAME;
      IF rule IS DISTINCT FROM 'site_full' THEN
        RAISE;
      END IF;
    END;
  END LOOP;
  RAISE EXCEPTION 'no hotel of district % has a free bed for control %', coalesce(c.jurisdiction, '(any)'), c.control_id
    USING ERRCODE = 'check_violation', CONSTRAINT = 'site_full', SCHEMA = 'quarantine', TABLE = 'control',
          DETAIL = 'Every hotel of the district is full on some day of the control''s centralized phase.',
          HINT = 'Raise a hotel''s capacity, add a hotel, or place the control in another district''s hotel by hand.';
END
$fn$;
COMMENT ON FUNCTION assign_site(bigint) IS
  'Places a control in the nearest hotel of its jurisdiction (from the person''s home location, through nearest_sites) that has a free bed on every day of its centralized phase; returns the site_id';
-- Grants (as 90_access.sql decides for its kind): control_holds_bed is a
-- computation on values (PUBLIC); placing a control is a district's write,
-- under its row security.
REVOKE EXECUTE ON FUNCTION assign_site(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION assign_site(bigint) TO quarantine_admin, quarantine_operator;
