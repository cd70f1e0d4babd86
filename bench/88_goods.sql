-- People and goods (doc/ports.md): the cost of the trigger lot_release on a
-- COPY of :n first movements of cold-chain lots out of their warehouse (each
-- disinfected, with a negative package sample), against the same COPY with
-- lot_movement_release disabled; and of env_sample_lock_lot on a COPY of :n
-- pending goods samples (each locks its lot), against the same COPY with it
-- disabled.  One run.
\set QUIET on
-- Rows: BENCH_ROWS=20000 BENCH=88_goods make bench (default 100,000, the
-- figures of doc/ports.md and doc/benchmarks.md; the labels show it).
\getenv n BENCH_ROWS
\if :{?n}
\else
\set n 100000
\endif
SET client_min_messages = warning;

INSERT INTO quarantine.site (site_id, name, kind) VALUES (900001, 'bench cold store', 'other'), (900002, 'bench hall', 'other');
INSERT INTO quarantine.goods_lot (lot_id, product, arrived_at, cold_chain, warehouse)
SELECT 900000 + i, 'bench lot', '2021-06-01 08:00+08', true, 900001 FROM generate_series(1, :n) i;
INSERT INTO quarantine.disinfection (lot_id, at) SELECT 900000 + i, '2021-06-02 08:00+08' FROM generate_series(1, :n) i;
INSERT INTO quarantine.env_sample (subject, lot_id, sampled_at, result)
SELECT 'package', 900000 + i, '2021-06-02 09:00+08', 'negative' FROM generate_series(1, :n) i;
SELECT current_setting('data_directory') || '/bench_movements.csv' AS mfile \gset
COPY (SELECT 900000 + i AS movement_id, 900000 + i AS lot_id, 900001 AS from_site, 900002 AS to_site,
             timestamptz '2021-06-03 08:00+08' AS moved_at
        FROM generate_series(1::bigint, :n) i) TO :'mfile' (FORMAT csv);
ANALYZE quarantine.goods_lot, quarantine.disinfection, quarantine.env_sample;

CREATE FUNCTION bench.copy_movements_ms(file text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz;
BEGIN
  DELETE FROM quarantine.lot_movement WHERE movement_id > 900000;
  t0 := clock_timestamp();
  EXECUTE format('COPY quarantine.lot_movement (movement_id, lot_id, from_site, to_site, moved_at) FROM %L (FORMAT csv)', file);
  RETURN round(extract(epoch FROM clock_timestamp() - t0) * 1000, 1);
END $$;

CHECKPOINT;
ALTER TABLE quarantine.lot_movement DISABLE TRIGGER lot_movement_release;
CREATE TEMP TABLE g AS SELECT bench.copy_movements_ms(:'mfile') AS without_rule;
ALTER TABLE quarantine.lot_movement ENABLE TRIGGER lot_movement_release;
-- Both COPYs start from the same tables: without the VACUUM the second would
-- meet the first one's 100,000 dead rows in lot_movement's unique index.
DELETE FROM quarantine.lot_movement WHERE movement_id > 900000;
VACUUM quarantine.lot_movement, quarantine.goods_lot;
CHECKPOINT;
ALTER TABLE g ADD with_rule numeric;
UPDATE g SET with_rule = bench.copy_movements_ms(:'mfile');
INSERT INTO bench.result
SELECT 'goods: COPY ' || :n || ' first movements, trigger lot_movement_release', with_rule, without_rule,
       round(with_rule / without_rule, 2), 'vs the same COPY with that trigger disabled; one run' FROM g;

SELECT current_setting('data_directory') || '/bench_samples.csv' AS sfile \gset
COPY (SELECT 'goods' AS subject, 900000 + i AS lot_id, timestamptz '2021-06-04 09:00+08' AS sampled_at, 'pending' AS result
        FROM generate_series(1::bigint, :n) i) TO :'sfile' (FORMAT csv);
CREATE FUNCTION bench.copy_samples_ms(file text) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz;
BEGIN
  DELETE FROM quarantine.env_sample WHERE subject = 'goods' AND lot_id > 900000;
  t0 := clock_timestamp();
  EXECUTE format('COPY quarantine.env_sample (subject, lot_id, sampled_at, result) FROM %L (FORMAT csv)', file);
  RETURN round(extract(epoch FROM clock_timestamp() - t0) * 1000, 1);
END $$;
CHECKPOINT;
ALTER TABLE quarantine.env_sample DISABLE TRIGGER env_sample_lock_lot;
CREATE TEMP TABLE gs AS SELECT bench.copy_samples_ms(:'sfile') AS without_rule;
ALTER TABLE quarantine.env_sample ENABLE TRIGGER env_sample_lock_lot;
DELETE FROM quarantine.env_sample WHERE subject = 'goods' AND lot_id > 900000;
VACUUM quarantine.env_sample, quarantine.goods_lot;
CHECKPOINT;
ALTER TABLE gs ADD with_rule numeric;
UPDATE gs SET with_rule = bench.copy_samples_ms(:'sfile');
INSERT INTO bench.result
SELECT 'goods: COPY ' || :n || ' pending samples, trigger env_sample_lock_lot', with_rule, without_rule,
       round(with_rule / without_rule, 2), 'vs the same COPY with that trigger disabled; one run' FROM gs;
\echo
\echo '== summary: subject vs baseline, one run, measured in this run'
SELECT label, subject_ms, baseline_ms, ratio, note FROM bench.result WHERE label LIKE 'goods:%' ORDER BY label;
