-- make demo, step 00: what the product is for, then the extension and a
-- search_path, as a client would have them.
--
-- Steps are demo/NN_name.sql (psql) or demo/NN_name.py (python3, psycopg2),
-- run in name order by tools/pg-harness; every section a step prints starts
-- with "== NN", NN its file's number (demo/README.md has the plan).
\echo
\echo 'quarantine is a PostgreSQL extension for a city''s inbound-travel quarantine: who arrived,'
\echo 'which hotel and plan they are in, which tests and tasks fall due, who goes home when, and'
\echo 'what colour their health code shows.  The rules live in the database: every client, a case'
\echo 'system, an ETL job or an analyst in psql, is held to them, and each refusal names its rule.'
\echo 'What follows is a district of Wenzhou on today''s date, 10,000 generated persons, step by step.'
\echo
\echo '== 00 Set-up: CREATE EXTENSION quarantine CASCADE (PostGIS and btree_gist come with it)'
SET client_min_messages = warning;
CREATE EXTENSION quarantine CASCADE;
ALTER DATABASE quarantine_demo SET search_path = quarantine, public;
ALTER DATABASE quarantine_demo SET datestyle = 'ISO, YMD';
ALTER DATABASE quarantine_demo SET timezone = 'Asia/Shanghai';
