-- Issue 4 bench: COPY n (default 1,000,000; environment BENCH_ROWS) persons,
-- entries and controls through every trigger vs the same COPY into copies of the tables (same indexes, checks
-- and defaults; no triggers, no foreign keys), and vs the real tables with
-- only our triggers disabled (foreign keys kept), all in this one run.
\set QUIET on
-- Rows per table: BENCH_ROWS=200000 BENCH=50_records make bench (default 1M).
\getenv n BENCH_ROWS
\if :{?n}
\else
\set n 1000000
\endif
-- The row count as labels show it: 1M, 200k.
SELECT CASE WHEN :n % 1000000 = 0 THEN (:n / 1000000) || 'M'
            WHEN :n % 1000 = 0 THEN (:n / 1000) || 'k' ELSE :n::text END AS nl \gset
SET client_min_messages = warning;
SET quarantine.duplicate_detection = off;

-- Source rows, written once to server-side files in the data directory.
SELECT current_setting('data_directory') AS datadir \gset
\set pfile :datadir '/bench_person.csv'
\set efile :datadir '/bench_entry.csv'
\set cfile :datadir '/bench_control.csv'
-- persons like a district's (bench/00_lib.sql: real birth-date and sex
-- blocks, common names, 1% true duplicates), so that detection finds pairs
CREATE TEMP TABLE src_person AS SELECT * FROM bench.population(:n, 2000000, 'B', 50);
COPY src_person TO :'pfile' (FORMAT csv);
CREATE TEMP TABLE src_entry AS
SELECT 3000000 + i AS entry_id, 2000000 + i AS person_id,
       timestamptz '2021-06-01 08:00+08' + (i % 200) * interval '1 day' AS entered_at,
       'air' AS port_kind, 'CA' || (100 + i % 900) AS flight, (1 + i % 40) || 'C' AS seat,
       36.0 + (i % 12) / 10.0 AS temperature
  FROM generate_series(1, :n) i;
COPY src_entry TO :'efile' (FORMAT csv);
CREATE TEMP TABLE src_control AS
SELECT 4000000 + i AS control_id, 2000000 + i AS person_id, 3000000 + i AS entry_id,
       'pending' AS status
  FROM generate_series(1, :n) i;
COPY src_control TO :'cfile' (FORMAT csv);
DROP TABLE src_person, src_entry, src_control;

CREATE TABLE bench.person_plain (LIKE quarantine.person INCLUDING ALL);
CREATE TABLE bench.entry_plain (LIKE quarantine.entry INCLUDING ALL);
CREATE TABLE bench.control_plain (LIKE quarantine.control INCLUDING ALL);
CHECKPOINT;

CREATE OR REPLACE FUNCTION bench.copy_ms(target text, file text, cols text)
RETURNS numeric LANGUAGE plpgsql AS $$
BEGIN
  RETURN bench.time_ms(format('COPY %s (%s) FROM %L (FORMAT csv)', target, cols, file), 1);
END $$;

\set pcols 'person_id, doc_kind, doc_no, name, sex, birth_date, nationality, phone'
\set ecols 'entry_id, person_id, entered_at, port_kind, flight, seat, temperature'
\set ccols 'control_id, person_id, entry_id, status'

-- A warm-up load, discarded, so that the first measured COPY is not a cold one.
SELECT bench.copy_ms('bench.person_plain', :'pfile', :'pcols') IS NULL AS warm \gset
TRUNCATE bench.person_plain;
CHECKPOINT;

-- Each COPY's wall time (t) and the backend's CPU time during it (c): the
-- ratios are of wall times, and the note gives the same ratio of CPU times,
-- which the other work on a shared machine moves much less.
CREATE TEMP TABLE t (p_plain numeric, e_plain numeric, c_plain numeric,
  p_fk numeric, e_fk numeric, c_fk numeric, p_all numeric, e_all numeric, c_all numeric);
INSERT INTO t DEFAULT VALUES;
CREATE TEMP TABLE c (LIKE t);
INSERT INTO c DEFAULT VALUES;
-- Each configuration runs twice (rounds 1 and 2, with the bounds between
-- them); a COPY's figure is its faster run, with that run's CPU time.
CREATE OR REPLACE FUNCTION pg_temp.timed(col text, target text, file text, cols text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ms numeric := bench.copy_ms(target, file, cols);
  cpu numeric := nullif(current_setting('bench.cpu_ms'), '')::numeric;
  best numeric;
BEGIN
  EXECUTE format('SELECT %I FROM pg_temp.t', col) INTO best;
  IF best IS NULL OR ms < best THEN
    EXECUTE format('UPDATE pg_temp.t SET %I = $1', col) USING ms;
    EXECUTE format('UPDATE pg_temp.c SET %I = $1', col) USING cpu;
  END IF;
END $$;
-- Round 1.
\ir lib/records_round.sql

-- A note: the same ratio of CPU times, and the row's own note.
CREATE OR REPLACE FUNCTION pg_temp.cpu_note(subject numeric, baseline numeric, note text DEFAULT NULL)
RETURNS text LANGUAGE sql AS $$
  SELECT concat_ws('; ', 'CPU ' || round(subject / nullif(baseline, 0), 2) || 'x', note)
$$;

-- 4. Bounds, not configurations (doc/benchmarks.md, "What is left is a
--    guarantee"): the same three COPYs through every trigger, first with
--    PostgreSQL's FK checks of entry and control switched off (what any
--    replacement of those checks could at best reach), then with the audit
--    log's rows off as well (what the rules, derived columns and the colour
--    feed cost alone). Each removes a guarantee; the tables are emptied and the
--    triggers restored after each.
CREATE OR REPLACE FUNCTION pg_temp.fk_checks(enable boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t record;
BEGIN
  FOR t IN SELECT tgrelid::regclass AS rel, tgname FROM pg_catalog.pg_trigger
            WHERE tgrelid IN ('quarantine.entry'::regclass, 'quarantine.control'::regclass)
              AND tgfoid IN ('"RI_FKey_check_ins"'::regproc, '"RI_FKey_check_upd"'::regproc) LOOP
    EXECUTE format('ALTER TABLE %s %s TRIGGER %I', t.rel, CASE WHEN enable THEN 'ENABLE' ELSE 'DISABLE' END, t.tgname);
  END LOOP;
END $$;
CREATE OR REPLACE FUNCTION pg_temp.audit_rows(enable boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['person', 'entry', 'control'] LOOP
    EXECUTE format('ALTER TABLE quarantine.%I %s TRIGGER audit_insert', t, CASE WHEN enable THEN 'ENABLE' ELSE 'DISABLE' END);
  END LOOP;
END $$;
-- The three COPYs through every trigger in whatever is switched on: the sum
-- of their wall times and of their CPU times.
CREATE OR REPLACE FUNCTION pg_temp.load3(pfile text, pcols text, efile text, ecols text, cfile text, ccols text)
RETURNS numeric[] LANGUAGE plpgsql AS $$
DECLARE ms numeric := 0; cpu numeric := 0; c record;
BEGIN
  FOR c IN SELECT * FROM (VALUES (1, 'quarantine.person', pfile, pcols), (2, 'quarantine.entry', efile, ecols),
                                 (3, 'quarantine.control', cfile, ccols)) v(n, target, file, cols) ORDER BY n LOOP
    ms := ms + bench.copy_ms(c.target, c.file, c.cols);
    cpu := cpu + nullif(current_setting('bench.cpu_ms'), '')::numeric;
  END LOOP;
  RETURN ARRAY[ms, cpu];
END $$;
-- (round 1 left the tables empty)
SELECT pg_temp.fk_checks(false);
SELECT pg_temp.load3(:'pfile', :'pcols', :'efile', :'ecols', :'cfile', :'ccols') AS b_nofk \gset
TRUNCATE quarantine.control, quarantine.entry, quarantine.person, quarantine.audit_log, quarantine.code_assignment CASCADE;
CHECKPOINT;
SELECT pg_temp.audit_rows(false);
SELECT pg_temp.load3(:'pfile', :'pcols', :'efile', :'ecols', :'cfile', :'ccols') AS b_noaudit \gset
TRUNCATE quarantine.control, quarantine.entry, quarantine.person, quarantine.audit_log, quarantine.code_assignment CASCADE;
SELECT pg_temp.audit_rows(true);
SELECT pg_temp.fk_checks(true);
CHECKPOINT;
-- Round 2.
\ir lib/records_round.sql

INSERT INTO bench.result
SELECT 'copy ' || :'nl' || ' person: FK only vs plain copy', t.p_fk, t.p_plain, round(t.p_fk / t.p_plain, 2), pg_temp.cpu_note(c.p_fk, c.p_plain) FROM t, c
UNION ALL SELECT 'copy ' || :'nl' || ' entry: FK only vs plain copy', t.e_fk, t.e_plain, round(t.e_fk / t.e_plain, 2), pg_temp.cpu_note(c.e_fk, c.e_plain) FROM t, c
UNION ALL SELECT 'copy ' || :'nl' || ' control: FK only vs plain copy', t.c_fk, t.c_plain, round(t.c_fk / t.c_plain, 2), pg_temp.cpu_note(c.c_fk, c.c_plain) FROM t, c
UNION ALL SELECT 'copy ' || :'nl' || ' person: triggers+FK vs FK only', t.p_all, t.p_fk, round(t.p_all / t.p_fk, 2), pg_temp.cpu_note(c.p_all, c.p_fk, 'duplicate detection off') FROM t, c
UNION ALL SELECT 'copy ' || :'nl' || ' entry: triggers+FK vs FK only', t.e_all, t.e_fk, round(t.e_all / t.e_fk, 2), pg_temp.cpu_note(c.e_all, c.e_fk) FROM t, c
UNION ALL SELECT 'copy ' || :'nl' || ' control: triggers+FK vs FK only', t.c_all, t.c_fk, round(t.c_all / t.c_fk, 2), pg_temp.cpu_note(c.c_all, c.c_fk) FROM t, c
UNION ALL SELECT 'copy ' || :'nl' || ' person: triggers vs plain copy', t.p_all, t.p_plain, round(t.p_all / t.p_plain, 2), pg_temp.cpu_note(c.p_all, c.p_plain, 'duplicate detection off') FROM t, c
UNION ALL SELECT 'copy ' || :'nl' || ' entry: triggers vs plain copy', t.e_all, t.e_plain, round(t.e_all / t.e_plain, 2), pg_temp.cpu_note(c.e_all, c.e_plain) FROM t, c
UNION ALL SELECT 'copy ' || :'nl' || ' control: triggers vs plain copy', t.c_all, t.c_plain, round(t.c_all / t.c_plain, 2), pg_temp.cpu_note(c.c_all, c.c_plain) FROM t, c
UNION ALL SELECT 'copy ' || :'nl' || ' x 3 rows: triggers vs plain copy', t.p_all + t.e_all + t.c_all, t.p_plain + t.e_plain + t.c_plain,
                 round((t.p_all + t.e_all + t.c_all) / (t.p_plain + t.e_plain + t.c_plain), 2),
                 pg_temp.cpu_note(c.p_all + c.e_all + c.c_all, c.p_plain + c.e_plain + c.c_plain, 'person+entry+control') FROM t, c
UNION ALL SELECT 'copy ' || :'nl' || ' x 3 rows: triggers+FK vs FK only', t.p_all + t.e_all + t.c_all, t.p_fk + t.e_fk + t.c_fk,
                 round((t.p_all + t.e_all + t.c_all) / (t.p_fk + t.e_fk + t.c_fk), 2),
                 pg_temp.cpu_note(c.p_all + c.e_all + c.c_all, c.p_fk + c.e_fk + c.c_fk, 'cost of our triggers alone') FROM t, c;
INSERT INTO bench.result
SELECT 'bound ' || :'nl' || ' x 3 rows: every trigger, no FK check on entry/control, vs plain copy', b[1], t.p_plain + t.e_plain + t.c_plain,
       round(b[1] / (t.p_plain + t.e_plain + t.c_plain), 2),
       pg_temp.cpu_note(b[2], c.p_plain + c.e_plain + c.c_plain, 'the bound of any replacement of those checks')
  FROM t, c, CAST(:'b_nofk' AS numeric[]) b
UNION ALL
SELECT 'bound ' || :'nl' || ' x 3 rows: the same and no audit row, vs plain copy', b[1], t.p_plain + t.e_plain + t.c_plain,
       round(b[1] / (t.p_plain + t.e_plain + t.c_plain), 2),
       pg_temp.cpu_note(b[2], c.p_plain + c.e_plain + c.c_plain, 'rules, derived columns and colour feed alone')
  FROM t, c, CAST(:'b_noaudit' AS numeric[]) b;
\set QUIET off
SELECT label, subject_ms, baseline_ms, ratio, note FROM bench.result WHERE label LIKE 'copy%' OR label LIKE 'bound%' ORDER BY label;
\set QUIET on

-- Duplicate detection for the same n persons, once per COPY (set-based).
TRUNCATE quarantine.control, quarantine.entry, quarantine.person, quarantine.audit_log, quarantine.code_assignment CASCADE;
SET quarantine.duplicate_detection = on;
-- (the candidates counted by a statement of their own, which sees the COPY's)
SELECT bench.copy_ms('quarantine.person', :'pfile', :'pcols') AS p_on, current_setting('bench.cpu_ms') AS pc_on \gset
INSERT INTO bench.result
SELECT 'copy ' || :'nl' || ' person: duplicate detection on vs plain copy', :p_on, t.p_plain, round(:p_on / t.p_plain, 2),
       pg_temp.cpu_note(nullif(:'pc_on', '')::numeric, c.p_plain,
                        (SELECT count(*) FROM quarantine.duplicate_candidate) || ' candidates found')
  FROM t, c;
INSERT INTO bench.result
SELECT 'copy ' || :'nl' || ' person: duplicate detection on vs off', :p_on, t.p_all, round(:p_on / t.p_all, 2),
       pg_temp.cpu_note(nullif(:'pc_on', '')::numeric, c.p_all, 'every trigger on in both')
  FROM t, c;

-- 10,000 new persons into the n just loaded, drawn like them (other
-- documents): detection on vs off.
\set kfile :datadir '/bench_person_10k_off.csv'
\set lfile :datadir '/bench_person_10k_on.csv'
COPY (SELECT * FROM bench.population(10000, 9000000, 'K', 51)) TO :'kfile' (FORMAT csv);
COPY (SELECT * FROM bench.population(10000, 9100000, 'L', 52)) TO :'lfile' (FORMAT csv);
ANALYZE quarantine.person;
CHECKPOINT;
SET quarantine.duplicate_detection = off;
SELECT bench.copy_ms('quarantine.person', :'kfile', :'pcols') AS k_off, current_setting('bench.cpu_ms') AS kc_off \gset
SET quarantine.duplicate_detection = on;
SELECT count(*) AS cand_before FROM quarantine.duplicate_candidate \gset
SELECT bench.copy_ms('quarantine.person', :'lfile', :'pcols') AS k_on, current_setting('bench.cpu_ms') AS kc_on \gset
INSERT INTO bench.result
SELECT 'copy 10k new persons into ' || :'nl' || ': duplicate detection on vs off', :k_on, :k_off, round(:k_on / :k_off, 2),
       pg_temp.cpu_note(nullif(:'kc_on', '')::numeric, nullif(:'kc_off', '')::numeric,
                        ((SELECT count(*) FROM quarantine.duplicate_candidate) - :cand_before) || ' candidates found');
COPY (SELECT WHERE false) TO :'kfile';
COPY (SELECT WHERE false) TO :'lfile';

TRUNCATE quarantine.control, quarantine.entry, quarantine.person, quarantine.audit_log, quarantine.code_assignment CASCADE;
DROP TABLE bench.person_plain, bench.entry_plain, bench.control_plain;
\set QUIET off
SELECT label, subject_ms, baseline_ms, ratio, note FROM bench.result WHERE label LIKE '%duplicate detection%';
