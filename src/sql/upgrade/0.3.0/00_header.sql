-- quarantine 0.2.0 -> 0.3.0, concatenated by make from the files that
-- src/sql/upgrade/0.2.0--0.3.0.list names, in its order.
--
-- Every change to an installed database since the frozen 0.2.0 script is
-- written here as well as in the src/sql/ fragment that a fresh install runs;
-- `make test` installs 0.1.0 and 0.2.0 with data, runs ALTER EXTENSION ...
-- UPDATE and compares each result object by object with a fresh 0.3.0
-- install (test/upgrade/), so the two cannot drift apart.
\echo Use "ALTER EXTENSION quarantine UPDATE TO '0.3.0'" to load this file. \quit
