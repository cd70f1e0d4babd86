-- Soft input errors (doc/platforms.md): from PostgreSQL 16 an input function
-- can report a malformed value without raising, to callers that ask for it:
-- pg_input_is_valid and pg_input_error_info (16), COPY ... ON_ERROR ignore
-- (17).  cnid and isolation_plan report theirs that way, with the same
-- message as the error a cast raises; on 15 these callers do not exist and
-- the tests are skipped.  The hard error is the same on every major.
BEGIN;
SELECT plan(8);

CREATE TEMP TABLE v AS SELECT current_setting('server_version_num')::int AS num;

SELECT throws_ok($$SELECT '110102199101010079'::cnid$$, '22P02',
                 'invalid input syntax for type cnid: "110102199101010079"',
                 'a cast of a bad cnid still raises 22P02');
SELECT throws_ok($$SELECT '7x'::isolation_plan$$, '22P02',
                 'invalid input syntax for type isolation_plan: "7x"',
                 'a cast of a bad plan still raises 22P02');

SELECT CASE WHEN num >= 160000 THEN
  results_eq($$SELECT pg_input_is_valid('110102199101010078', 'quarantine.cnid'),
                      pg_input_is_valid('110102199101010079', 'quarantine.cnid'),
                      pg_input_is_valid('7c+7h', 'quarantine.isolation_plan'),
                      pg_input_is_valid('7x', 'quarantine.isolation_plan')$$,
             $$VALUES (true, false, true, false)$$,
             'pg_input_is_valid: a good value true, a bad one false, without an error')
  ELSE skip('pg_input_is_valid is PostgreSQL 16 and later') END FROM v;
SELECT CASE WHEN num >= 160000 THEN
  results_eq($$SELECT message, sql_error_code FROM pg_input_error_info('110102199101010079', 'quarantine.cnid')$$,
             $$VALUES ('invalid input syntax for type cnid: "110102199101010079"'::text, '22P02'::text)$$,
             'pg_input_error_info: the message and SQLSTATE a cast raises (cnid)')
  ELSE skip('pg_input_error_info is PostgreSQL 16 and later') END FROM v;
SELECT CASE WHEN num >= 160000 THEN
  results_eq($$SELECT message, sql_error_code FROM pg_input_error_info('3c++4h', 'quarantine.isolation_plan')$$,
             $$VALUES ('invalid input syntax for type isolation_plan: "3c++4h"'::text, '22P02'::text)$$,
             'pg_input_error_info: the message and SQLSTATE a cast raises (isolation_plan)')
  ELSE skip('pg_input_error_info is PostgreSQL 16 and later') END FROM v;
SELECT CASE WHEN num >= 160000 THEN
  results_eq($$SELECT detail IS NOT NULL, hint IS NOT NULL FROM pg_input_error_info('7x', 'quarantine.isolation_plan')$$,
             $$VALUES (true, true)$$,
             'pg_input_error_info keeps the DETAIL and HINT')
  ELSE skip('pg_input_error_info is PostgreSQL 16 and later') END FROM v;

-- COPY ... ON_ERROR ignore (17) skips the rows whose cnid or plan is
-- malformed and loads the others.  The rows come from a server-side program
-- (the test runs as a superuser); the file has 2 good rows and 2 bad ones.
CREATE TEMP TABLE loaded (id cnid, plan isolation_plan);
CREATE FUNCTION pg_temp.copy_ignoring() RETURNS bigint LANGUAGE plpgsql AS $f$
BEGIN
  SET LOCAL client_min_messages = warning;  -- the NOTICE counting skipped rows
  EXECUTE $c$COPY loaded FROM PROGRAM 'printf "110102199101010078,7c+7h\n110102199101010079,7c\n11010219910101007X,7c+7h\n110102199101010078,7x\n"' WITH (FORMAT csv, ON_ERROR ignore)$c$;
  RETURN (SELECT count(*) FROM loaded);
END $f$;
SELECT CASE WHEN num >= 170000 THEN
  is(pg_temp.copy_ignoring(), 1::bigint, 'COPY ON_ERROR ignore: only the row with a good cnid and a good plan is loaded')
  ELSE skip('COPY ... ON_ERROR is PostgreSQL 17 and later') END FROM v;
SELECT CASE WHEN num >= 170000 THEN
  results_eq($$SELECT id::text, plan::text FROM loaded$$, $$VALUES ('110102199101010078', '7c+7h')$$,
             'COPY ON_ERROR ignore: the loaded row is the good one')
  ELSE skip('COPY ... ON_ERROR is PostgreSQL 17 and later') END FROM v;

SELECT * FROM finish();
ROLLBACK;
