-- Issue 27: the duplicate search grows linearly with the rows one statement
-- changes.  One UPDATE verifies 10k, 50k and 100k phones of 200k persons (a
-- population like a district's, bench.population: true duplicates, shared
-- family phones), with duplicate detection on and, as the baseline, off; the
-- times side by side and t(100k)/t(10k), t(50k)/t(10k).  Before each run the
-- phones are unverified again and the table analyzed, as after a day's load:
-- the statistics then say no phone is verified (the case that made the
-- search's plan quadratic, 241 s for 31k rows).  BENCH_VERIFY_ROWS='a b c'
-- sets other sizes (the ratios are then of c and b to a).
\set QUIET on
SET client_min_messages = warning;
\getenv sizes BENCH_VERIFY_ROWS
\if :{?sizes}
\else
\set sizes '10000 50000 100000'
\endif
CREATE TEMP TABLE sizes AS
SELECT ord, k::int FROM unnest(string_to_array(:'sizes', ' ')) WITH ORDINALITY AS s(k, ord);
SELECT 2 * max(k) AS npop FROM sizes \gset

-- The population, loaded once with detection on (its own candidates found).
TRUNCATE quarantine.person CASCADE;
SET quarantine.duplicate_detection = on;
INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, sex, birth_date, nationality, phone)
SELECT person_id, doc_kind::quarantine.doc_kind, doc_no, name, sex, birth_date, nationality, phone
  FROM bench.population(:npop, 5000000, 'V', 47);
SELECT count(*) AS loaded_candidates FROM quarantine.duplicate_candidate \gset

CREATE TEMP TABLE verify_run (k int, run int, detection text, ms numeric, found bigint);
-- Each run: phones unverified again, the phone pairs found by the last run
-- forgotten, VACUUM ANALYZE; then one UPDATE verifying the first k numbers.
SELECT 'SET quarantine.duplicate_detection = off',
       $$UPDATE quarantine.person SET phone_status = 'unverified' WHERE phone_status = 'verified'$$,
       $$DELETE FROM quarantine.duplicate_candidate WHERE reason = 'phone_name'$$,
       'VACUUM ANALYZE quarantine.person',
       format('SET quarantine.duplicate_detection = %s', d.det),
       format($f$INSERT INTO verify_run SELECT %s, %s, %L, bench.time_ms(%L, 1)$f$, s.k, r.run, d.det,
              format($u$UPDATE quarantine.person SET phone_status = 'verified'
                         WHERE person_id IN (SELECT person_id FROM quarantine.person
                                              WHERE phone_status = 'unverified'
                                              ORDER BY person_id LIMIT %s)$u$, s.k)),
       -- (counted by a statement of its own, which sees what the UPDATE wrote)
       format($f$UPDATE verify_run SET found = (SELECT count(*) FROM quarantine.duplicate_candidate
                                                 WHERE reason = 'phone_name')
                 WHERE k = %s AND run = %s AND detection = %L$f$, s.k, r.run, d.det)
  FROM sizes s, generate_series(1, 3) r(run), (VALUES (1, 'off'), (2, 'on')) d(o, det)
 ORDER BY s.ord, r.run, d.o \gexec
SET quarantine.duplicate_detection = on;

CREATE TEMP TABLE verify_best AS
SELECT s.ord, s.k, CASE WHEN s.k % 1000 = 0 THEN (s.k / 1000) || 'k' ELSE s.k::text END AS kl,
       min(v.ms) FILTER (WHERE v.detection = 'on') AS on_ms,
       min(v.ms) FILTER (WHERE v.detection = 'off') AS off_ms,
       max(v.found) FILTER (WHERE v.detection = 'on') AS found
  FROM sizes s JOIN verify_run v USING (k) GROUP BY s.ord, s.k;

INSERT INTO bench.result
SELECT 'verify ' || kl || ' phones in one UPDATE: duplicate detection on vs off', on_ms, off_ms,
       round(on_ms / nullif(off_ms, 0), 2), found || ' phone pairs found'
  FROM verify_best
UNION ALL
SELECT format('verify phones, detection on: t(%s)/t(%s)', b.kl, a.kl), b.on_ms, a.on_ms,
       round(b.on_ms / nullif(a.on_ms, 0), 2),
       format('linear: %s; target (#27) t(100k)/t(10k) <= 12', round(b.k::numeric / a.k, 1))
  FROM verify_best a JOIN verify_best b ON a.ord = 1 AND b.ord > 1;

\set QUIET off
SELECT kl AS phones, on_ms AS detection_on_ms, off_ms AS detection_off_ms, found AS phone_pairs
  FROM verify_best ORDER BY ord;
SELECT label, subject_ms, baseline_ms, ratio, note FROM bench.result WHERE label LIKE 'verify%' ORDER BY label;
\set QUIET on
TRUNCATE quarantine.person CASCADE;
