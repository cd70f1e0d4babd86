-- quarantine 0.1.0 -> 0.2.0, concatenated from src/sql/upgrade/*.sql by make.
--
-- Every change to an installed database since the frozen 0.1.0 script is
-- written here as well as in the src/sql/ fragment that a fresh install runs;
-- `make test` installs 0.1.0 with data, runs ALTER EXTENSION ... UPDATE and
-- compares the result object by object with a fresh 0.2.0 install
-- (test/upgrade/), so the two cannot drift apart.
\echo Use "ALTER EXTENSION quarantine UPDATE TO '0.2.0'" to load this file. \quit
