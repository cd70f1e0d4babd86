-- Issue 12 part 2 bench: load_staged (stage with COPY into person_staging,
-- then load) vs a plain COPY of the same good rows through the triggers,
-- 100,000 persons with 0%, 0.1% and 1% bad rows, all in this one run.
-- The bad rows mix errors raised while a row is written (a malformed date, a
-- passport without nationality, a taken document: the loader splits at the
-- row) with errors raised at the end of the statement (an unknown
-- jurisdiction, a foreign key: the loader halves the range).
\set QUIET on
\set n 100000
SET client_min_messages = warning;
SET quarantine.duplicate_detection = off;
INSERT INTO quarantine.jurisdiction (code, name, level) VALUES ('BL01', 'bench district', 'district')
ON CONFLICT (code) DO NOTHING;

SELECT current_setting('data_directory') AS datadir \gset
\set goodfile :datadir '/bench_loader_good.csv'
\set stagefile :datadir '/bench_loader_stage.csv'

-- The rows of one file, `bad_every` apart the bad ones (0: none).
CREATE FUNCTION bench.loader_rows(n int, bad_every int)
RETURNS TABLE (row_no int, doc_kind text, doc_no text, name text, sex text, birth_date text,
               nationality text, jurisdiction text, bad boolean)
LANGUAGE sql AS $$
  SELECT i, 'passport',
         CASE WHEN bad AND i / bad_every % 4 = 2 THEN 'B00000001' ELSE 'B' || lpad(i::text, 8, '0') END,
         (ARRAY['WANG','LI','ZHANG','LIU','CHEN'])[1 + i % 5] || ' ' || upper(substr(md5(i::text), 1, 6)),
         CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END,
         CASE WHEN bad AND i / bad_every % 4 = 0 THEN '1980-02-30'
              ELSE (date '1950-01-01' + (i * 7919) % 25000)::text END,
         CASE WHEN bad AND i / bad_every % 4 = 1 THEN NULL ELSE 'CHN' END,
         CASE WHEN bad AND i / bad_every % 4 = 3 THEN 'XX99' ELSE 'BL01' END,
         bad
    FROM generate_series(1, n) i, LATERAL (SELECT bad_every > 0 AND i % bad_every = 0 AND i > 1 AS bad) b
$$;

CREATE TEMP TABLE r (label text, bad_every int, copy_ms numeric, stage_ms numeric, load_ms numeric,
                     staged int, accepted int, rejected int);

CREATE FUNCTION bench.loader_case(label text, n int, bad_every int, goodfile text, stagefile text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz;
  c numeric;
  s numeric;
  l numeric;
  res record;
BEGIN
  EXECUTE format('COPY (SELECT doc_kind, doc_no, name, sex, birth_date, nationality, jurisdiction
                          FROM bench.loader_rows(%s, %s) WHERE NOT bad) TO %L (FORMAT csv)',
                 n, bad_every, goodfile);
  EXECUTE format('COPY (SELECT %L, row_no, doc_kind, doc_no, name, sex, birth_date, nationality, jurisdiction
                          FROM bench.loader_rows(%s, %s)) TO %L (FORMAT csv)',
                 label, n, bad_every, stagefile);
  -- Baseline: a plain COPY of the good rows through every trigger.
  TRUNCATE quarantine.control, quarantine.entry, quarantine.person CASCADE;
  CHECKPOINT;
  t0 := clock_timestamp();
  EXECUTE format('COPY quarantine.person (doc_kind, doc_no, name, sex, birth_date, nationality, jurisdiction)
                  FROM %L (FORMAT csv)', goodfile);
  c := extract(epoch FROM clock_timestamp() - t0) * 1000;
  -- Subject: COPY every row into staging, then load_staged.
  TRUNCATE quarantine.control, quarantine.entry, quarantine.person CASCADE;
  TRUNCATE quarantine.person_staging, quarantine.load_accept, quarantine.import_reject;
  CHECKPOINT;
  t0 := clock_timestamp();
  EXECUTE format('COPY quarantine.person_staging (batch, row_no, doc_kind, doc_no, name, sex, birth_date,
                  nationality, jurisdiction) FROM %L (FORMAT csv)', stagefile);
  s := extract(epoch FROM clock_timestamp() - t0) * 1000;
  t0 := clock_timestamp();
  SELECT * INTO res FROM quarantine.load_staged('quarantine.person', label);
  l := extract(epoch FROM clock_timestamp() - t0) * 1000;
  INSERT INTO r VALUES (label, bad_every, round(c, 1), round(s, 1), round(l, 1),
                        res.staged, res.accepted, res.rejected);
END $$;

SELECT bench.loader_case('0%', :n, 0, :'goodfile', :'stagefile');
SELECT bench.loader_case('0.1%', :n, 1000, :'goodfile', :'stagefile');
SELECT bench.loader_case('1%', :n, 100, :'goodfile', :'stagefile');

INSERT INTO bench.result
SELECT format('load_staged 100k persons, %s bad: stage+load vs COPY of the good rows', label),
       stage_ms + load_ms, copy_ms, round((stage_ms + load_ms) / copy_ms, 2),
       format('staged %s = accepted %s + rejected %s; staging COPY %s ms, load %s ms',
              staged, accepted, rejected, stage_ms, load_ms)
  FROM r;

TRUNCATE quarantine.control, quarantine.entry, quarantine.person CASCADE;
TRUNCATE quarantine.person_staging, quarantine.load_accept, quarantine.import_reject;
DROP FUNCTION bench.loader_case(text, int, int, text, text);
DROP FUNCTION bench.loader_rows(int, int);
\set QUIET off
SELECT label, subject_ms, baseline_ms, ratio, note FROM bench.result WHERE label LIKE 'load_staged%' ORDER BY label;
