-- One round of bench/50_records.sql's three configurations, included twice
-- by it (\ir): the plain copies, our triggers disabled, every trigger. Each
-- COPY's time goes to pg_temp.t through pg_temp.timed, which keeps the faster
-- of the two rounds. Every configuration starts from the same empty tables:
-- the records and what their triggers wrote (the audit log, the colour
-- history), so that no COPY meets the keys an earlier one left in the logs'
-- indexes.

-- 1. Copies of the tables: no triggers, no foreign keys.
TRUNCATE bench.person_plain, bench.entry_plain, bench.control_plain;
CHECKPOINT;
SELECT pg_temp.timed('p_plain', 'bench.person_plain', :'pfile', :'pcols');
SELECT pg_temp.timed('e_plain', 'bench.entry_plain', :'efile', :'ecols');
SELECT pg_temp.timed('c_plain', 'bench.control_plain', :'cfile', :'ccols');
CHECKPOINT;

-- 2. Our triggers disabled, foreign keys kept.
ALTER TABLE quarantine.person DISABLE TRIGGER USER;
ALTER TABLE quarantine.entry DISABLE TRIGGER USER;
ALTER TABLE quarantine.control DISABLE TRIGGER USER;
SELECT pg_temp.timed('p_fk', 'quarantine.person', :'pfile', :'pcols');
SELECT pg_temp.timed('e_fk', 'quarantine.entry', :'efile', :'ecols');
SELECT pg_temp.timed('c_fk', 'quarantine.control', :'cfile', :'ccols');
TRUNCATE quarantine.control, quarantine.entry, quarantine.person, quarantine.audit_log, quarantine.code_assignment CASCADE;
ALTER TABLE quarantine.person ENABLE TRIGGER USER;
ALTER TABLE quarantine.entry ENABLE TRIGGER USER;
ALTER TABLE quarantine.control ENABLE TRIGGER USER;
CHECKPOINT;

-- 3. Through every trigger (plan, quarantine_start, release date, category and
--    phone status derived; every rule checked).
SELECT pg_temp.timed('p_all', 'quarantine.person', :'pfile', :'pcols');
SELECT pg_temp.timed('e_all', 'quarantine.entry', :'efile', :'ecols');
SELECT pg_temp.timed('c_all', 'quarantine.control', :'cfile', :'ccols');
TRUNCATE quarantine.control, quarantine.entry, quarantine.person, quarantine.audit_log, quarantine.code_assignment CASCADE;
CHECKPOINT;
