-- Scheduled work (src/sql/94_schedule.sql, doc/schedule.md): the jobs, their
-- UTC schedules for quarantine.timezone, and both paths: pg_cron absent from
-- this database (statements returned) and present (jobs installed).  The
-- test cluster preloads pg_cron with cron.database_name = postgres.  Jobs are
-- installed inside transactions that roll back, so that no job ever runs
-- during the suite.
SET client_min_messages = notice;
-- Asia/Shanghai (the default): local midnight is 16:00 UTC.
SELECT jobname, schedule, command FROM quarantine.job_schedule()
 WHERE jobname NOT LIKE '%scan-trail%';
-- A zone with summer time gets both UTC hours; a zone off the hour its minute.
SET quarantine.timezone = 'Europe/Berlin';
SELECT schedule FROM quarantine.job_schedule() WHERE jobname LIKE '%midnight%';
SET quarantine.timezone = 'Asia/Kathmandu';
SELECT schedule FROM quarantine.job_schedule() WHERE jobname LIKE '%midnight%';
SET quarantine.timezone = 'America/St_Johns';
SELECT schedule FROM quarantine.job_schedule() WHERE jobname LIKE '%midnight%';
RESET quarantine.timezone;
-- Partition maintenance is scheduled when quarantine.scan_trail_maintenance() exists.
BEGIN;
SELECT to_regprocedure('quarantine.scan_trail_maintenance()') IS NULL AS absent \gset
\if :absent
CREATE FUNCTION quarantine.scan_trail_maintenance() RETURNS void LANGUAGE sql AS '';
\endif
SELECT jobname, schedule, command FROM quarantine.job_schedule() WHERE jobname LIKE '%scan-trail%';
ROLLBACK;
-- pg_cron is not installed in this database: the jobs come back without ids,
-- with a NOTICE naming the cron database, and schedule_sql() writes the statements.
SELECT * FROM quarantine.schedule_jobs() WHERE jobname NOT LIKE '%scan-trail%';
SELECT s FROM quarantine.schedule_sql() s WHERE s NOT LIKE '%scan-trail%';
-- Only the administrator schedules.
SELECT p.oid::regprocedure AS function,
       has_function_privilege('quarantine_operator', p.oid, 'EXECUTE') AS operator,
       has_function_privilege('quarantine_admin', p.oid, 'EXECUTE') AS admin
  FROM pg_proc p
 WHERE p.oid IN ('quarantine.job_schedule()'::regprocedure, 'quarantine.schedule_sql()'::regprocedure,
                 'quarantine.schedule_jobs()'::regprocedure)
 ORDER BY 1;
SELECT string_agg(s, E'\n') AS statements FROM quarantine.schedule_sql() s
 WHERE s NOT LIKE '%scan-trail%' \gset
-- In the cron database the statements install the jobs into this database.
\c postgres
SET client_min_messages = warning;
BEGIN;
CREATE EXTENSION pg_cron;
:statements
SELECT jobname, schedule, command, database FROM cron.job
 WHERE jobname NOT LIKE '%scan-trail%' ORDER BY jobid;
-- Run twice, they update the jobs rather than add others.
:statements
SELECT count(*) AS jobs FROM cron.job WHERE jobname NOT LIKE '%scan-trail%';
SELECT command FROM cron.job WHERE jobname LIKE '%:refresh-codes' \gset
ROLLBACK;
-- With the extension in the cron database itself, schedule_jobs() installs the jobs.
BEGIN;
CREATE EXTENSION pg_cron;
CREATE EXTENSION quarantine CASCADE;
SELECT jobname, schedule, jobid IS NOT NULL AS scheduled FROM quarantine.schedule_jobs()
 WHERE jobname NOT LIKE '%scan-trail%';
SELECT j.jobname, j.database, j.schedule
  FROM cron.job j JOIN quarantine.job_schedule() s USING (jobname, schedule, command)
 WHERE j.jobname NOT LIKE '%scan-trail%' ORDER BY j.jobid;
ROLLBACK;
-- The scheduled command runs in the database it was scheduled into.
\c contrib_regression
SELECT true AS ran FROM (:command) AS refresh;
