-- Port-city measures (doc/ports.md): the cost of each new trigger on a COPY,
-- one run each, as ratios measured in this run:
--   * site_full: COPY of :n controls that each hold beds of one of 1,000
--     hotels (capacity 60, about 25 beds held a day) into control, against the
--     same COPY with the trigger control_site_full disabled (its own cost)
--     and against a plain copy of the table (LIKE control, no trigger: the
--     cost of every rule of control together).
-- :n is 100,000 for the figures of doc/ports.md (psql -v n=20000 to iterate).
\set QUIET on
\if :{?n}
\else
\set n 100000
\endif
SET client_min_messages = warning;
SET quarantine.duplicate_detection = off;

INSERT INTO quarantine.site (site_id, name, kind, capacity)
SELECT 800000 + i, 'bench hotel ' || i, 'hotel', 60 FROM generate_series(1, 1000) i;
INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality)
SELECT 800000 + i, 'passport', 'EB' || (8000000 + i), 'BENCH ' || i, 'CHN' FROM generate_series(1, :n) i;
-- A control a person, in one of the hotels, quarantine starts spread over
-- 60 days: about :n / 1000 controls a hotel, a quarter of them on any day.
SELECT current_setting('data_directory') || '/bench_controls.csv' AS cfile \gset
COPY (SELECT 800000 + i AS control_id, 800000 + i AS person_id, 800000 + 1 + (i * 7919) % 1000 AS site_id,
             'pending' AS status, '14c+7m' AS plan, date '2021-03-01' + ((i * 104729) % 60)::int AS quarantine_start
        FROM generate_series(1::bigint, :n) i) TO :'cfile' (FORMAT csv);
CREATE TABLE bench.control_plain (LIKE quarantine.control INCLUDING ALL);
CHECKPOINT;

CREATE FUNCTION bench.copy_controls_ms(target text, file text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz;
BEGIN
  EXECUTE format('DELETE FROM %s WHERE control_id > 800000', target);
  t0 := clock_timestamp();
  EXECUTE format('COPY %s (control_id, person_id, site_id, status, plan, quarantine_start) FROM %L (FORMAT csv)',
                 target, file);
  RETURN round(extract(epoch FROM clock_timestamp() - t0) * 1000, 1);
END $$;

CREATE TEMP TABLE t AS SELECT bench.copy_controls_ms('bench.control_plain', :'cfile') AS plain;
CHECKPOINT;
ALTER TABLE quarantine.control DISABLE TRIGGER control_site_full;
ALTER TABLE t ADD without_rule numeric;
UPDATE t SET without_rule = bench.copy_controls_ms('quarantine.control', :'cfile');
ALTER TABLE quarantine.control ENABLE TRIGGER control_site_full;
CHECKPOINT;
ALTER TABLE t ADD with_rule numeric;
UPDATE t SET with_rule = bench.copy_controls_ms('quarantine.control', :'cfile');
SELECT count(*) AS beds_over FROM (
  SELECT c.site_id, lower(p.r) + g FROM quarantine.control c,
         LATERAL (SELECT quarantine.phase_range(c.plan, c.quarantine_start, 'centralized') AS r) p,
         generate_series(0, upper(p.r) - lower(p.r) - 1) AS g
   WHERE c.control_id > 800000 GROUP BY 1, 2 HAVING count(*) > 60) o \gset
\echo '== site-days over capacity after the COPY (the rule holds: 0):' :beds_over
INSERT INTO bench.result
SELECT 'ports: COPY ' || :n || ' controls, trigger control_site_full', with_rule, without_rule,
       round(with_rule / without_rule, 2), 'vs the same COPY with that trigger disabled; one run' FROM t
UNION ALL
SELECT 'ports: COPY ' || :n || ' controls, every trigger of control', with_rule, plain,
       round(with_rule / plain, 2), 'vs a plain copy of the table (LIKE control, no trigger); one run' FROM t;
\echo
\echo '== summary: subject vs baseline, one run, measured in this run'
SELECT label, subject_ms, baseline_ms, ratio, note FROM bench.result WHERE label LIKE 'ports:%' ORDER BY label;
