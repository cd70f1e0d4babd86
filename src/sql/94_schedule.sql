-- Scheduled work without an application (doc/schedule.md): the changes that
-- time alone causes run inside PostgreSQL with pg_cron, when it is there.
-- Also part of the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).
--
-- pg_cron lives in one database of the cluster (cron.database_name, default
-- postgres) and schedules into the others with cron.schedule_in_database.
-- The extension does not require it: job_schedule() says what should run,
-- schedule_sql() writes the statements for the cron database, and
-- schedule_jobs() runs them itself when pg_cron is installed in this database.
--
-- pg_cron 1.4 reads schedules in UTC (no cron.timezone before 1.5), so local
-- midnight in quarantine.timezone is found by asking local_date itself where
-- the date changes, over a year ahead: a zone with summer time gets both UTC
-- hours (refresh_codes run twice is harmless: the second run adds nothing).
-- Overdue tasks need no job: overdue_tasks compares due_at with now() when it
-- is read, so nothing is stored that time could make stale.

CREATE FUNCTION job_schedule(OUT jobname text, OUT schedule text, OUT command text)
RETURNS SETOF record
LANGUAGE sql STABLE
BEGIN ATOMIC
  WITH midnight AS (
    -- every local midnight of the first day of the next 12 months, in UTC
    SELECT DISTINCT (extract(minute FROM g.t AT TIME ZONE 'UTC'))::int AS mi,
                    (extract(hour FROM g.t AT TIME ZONE 'UTC'))::int AS hr
      FROM generate_series(0, 11) AS m(n),
           LATERAL generate_series(
             date_trunc('month', now()) + m.n * interval '1 month' - interval '1 day',
             date_trunc('month', now()) + m.n * interval '1 month' + interval '1 day',
             interval '15 minutes') AS g(t)
     WHERE quarantine.local_date(g.t) <> quarantine.local_date(g.t - interval '15 minutes')
  ), cron_midnight AS (
    SELECT format('%s %s * * *', mi, string_agg(hr::text, ',' ORDER BY hr)) AS schedule,
           row_number() OVER (ORDER BY mi) AS k
      FROM midnight GROUP BY mi
  ), jobs(name, schedule, command, ord) AS (
    SELECT 'refresh-codes-midnight' || CASE WHEN k > 1 THEN '-' || k ELSE '' END, schedule,
           'SELECT quarantine.refresh_codes()', k
      FROM cron_midnight
    UNION ALL
    SELECT 'refresh-codes', '*/5 * * * *', 'SELECT quarantine.refresh_codes()', 100
    UNION ALL
    SELECT 'scan-trail-maintenance', '7 * * * *', 'SELECT quarantine.scan_trail_maintenance()', 200
     WHERE to_regprocedure('quarantine.scan_trail_maintenance()') IS NOT NULL
  )
  SELECT 'quarantine:' || current_database() || ':' || j.name, j.schedule, j.command
    FROM jobs j ORDER BY j.ord;
END;
COMMENT ON FUNCTION job_schedule() IS
  'The jobs that time alone needs, for pg_cron (schedules in UTC): refresh_codes at each local midnight of quarantine.timezone and every 5 minutes, scan_trail_maintenance hourly when it exists; job names carry the database';

CREATE FUNCTION schedule_sql() RETURNS SETOF text
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT format('SELECT cron.schedule_in_database(%L, %L, %L, %L);',
                s.jobname, s.schedule, s.command, current_database())
    FROM quarantine.job_schedule() s;
END;
COMMENT ON FUNCTION schedule_sql() IS
  'The statements that install job_schedule() with pg_cron, to run in the cron database (cron.database_name) as a role allowed to call cron.schedule_in_database; running them again updates the jobs';

CREATE FUNCTION schedule_jobs()
RETURNS TABLE (jobname text, schedule text, command text, jobid bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $body$
DECLARE
  job record;
BEGIN
  IF to_regprocedure('cron.schedule_in_database(text,text,text,text,text,boolean)') IS NULL THEN
    RAISE NOTICE 'pg_cron is not installed in database %', current_database()
      USING DETAIL = CASE WHEN current_setting('cron.database_name', true) IS NULL
                          THEN 'pg_cron is not loaded (shared_preload_libraries).'
                          ELSE format('pg_cron runs in database %s.', current_setting('cron.database_name')) END,
            HINT = 'Run the statements of quarantine.schedule_sql() in the cron database.';
    RETURN QUERY SELECT s.jobname, s.schedule, s.command, NULL::bigint FROM quarantine.job_schedule() s;
    RETURN;
  END IF;
  FOR job IN SELECT s.jobname AS n, s.schedule AS sch, s.command AS cmd FROM quarantine.job_schedule() s LOOP
    jobname := job.n;
    schedule := job.sch;
    command := job.cmd;
    EXECUTE 'SELECT cron.schedule_in_database($1, $2, $3, $4)'
      INTO jobid USING job.n, job.sch, job.cmd, current_database();
    RETURN NEXT;
  END LOOP;
END
$body$;
COMMENT ON FUNCTION schedule_jobs() IS
  'Installs job_schedule() with pg_cron when pg_cron is installed in this database (it is the cron database) and returns the jobs with their ids; otherwise returns them with a NULL jobid and a NOTICE pointing to schedule_sql()';

-- Scheduling is the administrator's; the jobs run as the role that schedules
-- them, which needs refresh_codes (quarantine_admin).
REVOKE EXECUTE ON FUNCTION job_schedule(), schedule_sql(), schedule_jobs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION job_schedule(), schedule_sql(), schedule_jobs() TO quarantine_admin;
