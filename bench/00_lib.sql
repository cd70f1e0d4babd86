-- Benchmark helpers (not part of the extension).  Every figure is a ratio of
-- two statements timed in the same run, best of three, so that it does not
-- depend on how fast this machine is.
\set QUIET on
CREATE SCHEMA IF NOT EXISTS bench;
CREATE TABLE IF NOT EXISTS bench.result (
  label text, subject_ms numeric, baseline_ms numeric, ratio numeric, note text);

-- Time one statement: best wall time of `runs` executions, in ms.
CREATE OR REPLACE FUNCTION bench.time_ms(sql text, runs int DEFAULT 3)
RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
  best numeric;
  t0 timestamptz;
  ms numeric;
BEGIN
  FOR i IN 1..runs LOOP
    t0 := clock_timestamp();
    EXECUTE sql;
    ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
    best := least(coalesce(best, ms), ms);
  END LOOP;
  RETURN round(best, 1);
END $$;

-- Time subject and baseline statements and record their ratio.
CREATE OR REPLACE FUNCTION bench.compare(label text, subject text, baseline text,
                                         note text DEFAULT NULL, runs int DEFAULT 3)
RETURNS SETOF bench.result LANGUAGE plpgsql AS $$
DECLARE
  s numeric := bench.time_ms(subject, runs);
  b numeric := bench.time_ms(baseline, runs);
BEGIN
  RETURN QUERY INSERT INTO bench.result
    VALUES (label, s, b, round(s / nullif(b, 0), 2), note) RETURNING *;
END $$;
\set QUIET off
