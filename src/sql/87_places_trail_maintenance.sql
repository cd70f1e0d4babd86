-- The scan trail's day partitions, made and dropped by the extension itself
-- (doc/places.md, "Maintenance").  Re-runnable: also part of the 0.2.0 ->
-- 0.3.0 upgrade, which replaces the pg_partman-based maintenance of 0.2.0.
--
-- The one maintenance entry point (scheduled with pg_cron, schedule_jobs()):
--   1. when there is anything to do, locks checkin (ACCESS EXCLUSIVE, at
--      most 30 s of waiting): a scan inserted meanwhile waits and is then
--      routed with the partitions this run made, never refused by the default
--      partition's constraint; with nothing to do, it returns unlocked;
--   2. deletes the scans of the default partition whose local day is past
--      the retention (they would never get a partition);
--   3. moves the other scans of the default partition into day partitions:
--      each day's scans into a new table, whose primary key and index are
--      then built once, in bulk, before it is attached;
--   4. premakes today and the 7 days ahead (a new table with its primary
--      key and index, attached);
--   5. drops the day partitions whose last instant is more than the
--      retention ago.
-- Days are local days of quarantine.timezone; a partition is named
-- checkin_pYYYY_MM_DD after its day (the names 0.2.0 gave them through
-- pg_partman, so an upgraded database keeps its partitions).  checkin has no
-- index of its own (87_places_trail.sql): each partition's primary key and
-- index are built here, on the table, before ATTACH PARTITION, named
-- <partition>_pkey and <partition>_place_id_scanned_at_idx.
--
-- SECURITY DEFINER (partitions are created and dropped as the table's
-- owner), with a pinned search_path: every function and operator resolves in
-- pg_catalog or quarantine, never in a schema or pg_temp of the caller, and
-- every name is schema-qualified anyway.  TimeZone and DateStyle are pinned
-- too: the bounds are written into the DDL as text, in UTC and ISO, and read
-- back from pg_get_expr the same way.  No third-party code runs.
-- The day partitions of checkin with their bounds (the default partition,
-- and any bound other than FROM (an instant) TO (an instant), left out).
-- The bounds are read back from pg_get_expr, so the caller pins TimeZone and
-- DateStyle (scan_trail_maintenance does).  Internal: no grant.
CREATE OR REPLACE FUNCTION scan_trail_partitions(OUT nsp name, OUT partition name,
                                                 OUT lo timestamptz, OUT hi timestamptz)
RETURNS SETOF record
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT n.nspname, c.relname, b[1]::timestamptz, b[2]::timestamptz
    FROM pg_catalog.pg_inherits i
    JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) i.inhrelid
    JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
   CROSS JOIN LATERAL pg_catalog.regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid),
                                              '^FOR VALUES FROM \(''([^'']+)''\) TO \(''([^'']+)''\)$') b
   WHERE i.inhparent OPERATOR(pg_catalog.=) 'quarantine.checkin'::pg_catalog.regclass;
END;
COMMENT ON FUNCTION scan_trail_partitions() IS
  'The day partitions of checkin with their bounds [lo, hi), read from the catalog (for scan_trail_maintenance)';

CREATE OR REPLACE FUNCTION scan_trail_maintenance() RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, quarantine, pg_temp
SET TimeZone = 'UTC'
SET DateStyle = 'ISO, YMD'
SET IntervalStyle = 'postgres'
SET client_min_messages = warning
SET lock_timeout = '30s'
AS $body$
DECLARE
  -- (scan_retention() first: a C function, it loads the library that
  -- defines quarantine.timezone)
  horizon timestamptz := pg_catalog.now() OPERATOR(pg_catalog.-) quarantine.scan_retention();
  zone    text := pg_catalog.current_setting('quarantine.timezone');
  today   date := quarantine.local_date(pg_catalog.now());
  day     record;
  p       record;
  day_lo      timestamptz;
  day_hi      timestamptz;
  part    text;
  filled  text[] := '{}';
  lows    timestamptz[] := '{}';
  highs   timestamptz[] := '{}';
  i       integer;
BEGIN
  -- One maintenance at a time (the pg_cron job and an administrator).
  PERFORM pg_catalog.pg_advisory_xact_lock(1259, 'quarantine.checkin'::pg_catalog.regclass::pg_catalog.oid::pg_catalog.int4);
  -- Nothing to do (the usual hourly run): no lock on the trail at all.
  IF NOT EXISTS (SELECT FROM ONLY quarantine.checkin_default)
     AND NOT EXISTS (SELECT FROM quarantine.scan_trail_partitions() b WHERE b.hi OPERATOR(pg_catalog.<=) horizon)
     AND NOT EXISTS (
       SELECT FROM pg_catalog.generate_series(0, 7) g(i)
        WHERE NOT EXISTS (
          SELECT FROM quarantine.scan_trail_partitions() b
           WHERE b.lo OPERATOR(pg_catalog.<) pg_catalog.timezone(zone, (today OPERATOR(pg_catalog.+) g.i OPERATOR(pg_catalog.+) 1)::timestamp)
             AND b.hi OPERATOR(pg_catalog.>) pg_catalog.timezone(zone, (today OPERATOR(pg_catalog.+) g.i)::timestamp)))
  THEN
    RETURN;
  END IF;
  -- Work to do: the trail to ourselves until commit.  A scan inserted
  -- meanwhile waits, and is then routed with the partitions made here; a
  -- writer or reader already in the trail makes this wait (lock_timeout
  -- bounds the wait, so the feed never queues behind a stalled run: the
  -- next run does the work).
  LOCK TABLE quarantine.checkin IN ACCESS EXCLUSIVE MODE;

  -- Scans of the default partition whose whole local day is past the
  -- retention: never moved.
  DELETE FROM ONLY quarantine.checkin_default d
   WHERE pg_catalog.timezone(zone, (quarantine.local_date(d.scanned_at) OPERATOR(pg_catalog.+) 1)::timestamp)
         OPERATOR(pg_catalog.<=) horizon;

  -- The rest, one local day at a time, into new tables (not yet partitions:
  -- the default partition still holds the rows being moved).
  FOR day IN
    SELECT quarantine.local_date(d.scanned_at) AS d, pg_catalog.min(d.scanned_at) AS first
      FROM ONLY quarantine.checkin_default d
     GROUP BY 1 ORDER BY 1
  LOOP
    day_lo := pg_catalog.timezone(zone, day.d::timestamp);
    day_hi := pg_catalog.timezone(zone, (day.d OPERATOR(pg_catalog.+) 1)::timestamp);
    -- within the gap between the partitions around its first scan (they
    -- differ from local days only after quarantine.timezone has changed)
    SELECT pg_catalog.max(b.hi) FILTER (WHERE b.hi OPERATOR(pg_catalog.<=) day.first) AS before_hi,
           pg_catalog.min(b.lo) FILTER (WHERE b.lo OPERATOR(pg_catalog.>) day.first) AS after_lo
      INTO p FROM quarantine.scan_trail_partitions() b;
    day_lo := GREATEST(day_lo, p.before_hi);
    day_hi := LEAST(day_hi, p.after_lo);
    part := 'checkin_p' OPERATOR(pg_catalog.||) pg_catalog.to_char(day.d, 'YYYY_MM_DD');
    IF pg_catalog.to_regclass(pg_catalog.quote_ident('quarantine') OPERATOR(pg_catalog.||) '.'
                              OPERATOR(pg_catalog.||) pg_catalog.quote_ident(part)) IS NOT NULL THEN
      part := part OPERATOR(pg_catalog.||) '_' OPERATOR(pg_catalog.||) pg_catalog.to_char(day_lo, 'HH24MISS');
    END IF;
    EXECUTE pg_catalog.format('CREATE TABLE quarantine.%I (LIKE quarantine.checkin INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
    EXECUTE pg_catalog.format(
      'WITH m AS (DELETE FROM ONLY quarantine.checkin_default d
                   WHERE d.scanned_at OPERATOR(pg_catalog.>=) %2$L::timestamptz
                     AND d.scanned_at OPERATOR(pg_catalog.<) %3$L::timestamptz
                  RETURNING d.person_id, d.place_id, d.scanned_at)
       INSERT INTO quarantine.%1$I (person_id, place_id, scanned_at) SELECT m.person_id, m.place_id, m.scanned_at FROM m',
      part, day_lo, day_hi);
    -- the bound as a valid CHECK lets ATTACH skip its scan of the new table
    EXECUTE pg_catalog.format(
      'ALTER TABLE quarantine.%1$I ADD CONSTRAINT %2$I CHECK (scanned_at OPERATOR(pg_catalog.>=) %3$L::timestamptz
                                                             AND scanned_at OPERATOR(pg_catalog.<) %4$L::timestamptz)',
      part, part OPERATOR(pg_catalog.||) '_bound', day_lo, day_hi);
    EXECUTE pg_catalog.format('ALTER TABLE quarantine.%I ADD CONSTRAINT %I PRIMARY KEY (person_id, scanned_at, place_id)',
                              part, part OPERATOR(pg_catalog.||) '_pkey');
    EXECUTE pg_catalog.format('CREATE INDEX %I ON quarantine.%I (place_id, scanned_at)',
                              part OPERATOR(pg_catalog.||) '_place_id_scanned_at_idx', part);
    filled := filled OPERATOR(pg_catalog.||) part;
    lows := lows OPERATOR(pg_catalog.||) day_lo;
    highs := highs OPERATOR(pg_catalog.||) day_hi;
  END LOOP;
  -- Attached once the default partition no longer holds their rows (checkin
  -- has no index: ATTACH builds none).
  FOR i IN 1 .. pg_catalog.cardinality(filled) LOOP
    EXECUTE pg_catalog.format('ALTER TABLE quarantine.checkin ATTACH PARTITION quarantine.%I FOR VALUES FROM (%L) TO (%L)',
                              filled[i], lows[i], highs[i]);
    EXECUTE pg_catalog.format('ALTER TABLE quarantine.%I DROP CONSTRAINT %I',
                              filled[i], filled[i] OPERATOR(pg_catalog.||) '_bound');
  END LOOP;

  -- Premake today and the 7 days ahead: each day not covered, even in part,
  -- by a partition.
  FOR i IN 0 .. 7 LOOP
    day_lo := pg_catalog.timezone(zone, (today OPERATOR(pg_catalog.+) i)::timestamp);
    day_hi := pg_catalog.timezone(zone, (today OPERATOR(pg_catalog.+) i OPERATOR(pg_catalog.+) 1)::timestamp);
    part := 'checkin_p' OPERATOR(pg_catalog.||) pg_catalog.to_char(today OPERATOR(pg_catalog.+) i, 'YYYY_MM_DD');
    CONTINUE WHEN EXISTS (SELECT FROM quarantine.scan_trail_partitions() b
                           WHERE b.lo OPERATOR(pg_catalog.<) day_hi AND b.hi OPERATOR(pg_catalog.>) day_lo)
               OR pg_catalog.to_regclass(pg_catalog.quote_ident('quarantine') OPERATOR(pg_catalog.||) '.'
                                         OPERATOR(pg_catalog.||) pg_catalog.quote_ident(part)) IS NOT NULL;
    EXECUTE pg_catalog.format('CREATE TABLE quarantine.%I (LIKE quarantine.checkin INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
    EXECUTE pg_catalog.format('ALTER TABLE quarantine.%I ADD CONSTRAINT %I PRIMARY KEY (person_id, scanned_at, place_id)',
                              part, part OPERATOR(pg_catalog.||) '_pkey');
    EXECUTE pg_catalog.format('CREATE INDEX %I ON quarantine.%I (place_id, scanned_at)',
                              part OPERATOR(pg_catalog.||) '_place_id_scanned_at_idx', part);
    EXECUTE pg_catalog.format('ALTER TABLE quarantine.checkin ATTACH PARTITION quarantine.%I FOR VALUES FROM (%L) TO (%L)',
                              part, day_lo, day_hi);
  END LOOP;

  -- Retention: the day partitions whose last instant is more than the
  -- retention ago.
  FOR p IN SELECT b.nsp, b.partition FROM quarantine.scan_trail_partitions() b
            WHERE b.hi OPERATOR(pg_catalog.<=) horizon ORDER BY b.lo
  LOOP
    EXECUTE pg_catalog.format('DROP TABLE %I.%I', p.nsp, p.partition);
  END LOOP;
END
$body$;
COMMENT ON FUNCTION scan_trail_maintenance() IS
  'Maintains the scan trail''s day partitions: premakes today and the 7 days ahead, moves scans of days without one out of checkin_default, drops the days older than quarantine.scan_retention_days (default 28); run it daily (pg_cron)';
REVOKE EXECUTE ON FUNCTION scan_trail_maintenance(), scan_trail_partitions() FROM PUBLIC;
-- Maintenance (partitions, retention) is the administrator's (and the
-- pg_cron job's).
GRANT EXECUTE ON FUNCTION scan_trail_maintenance() TO quarantine_admin;
