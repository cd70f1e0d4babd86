-- make demo: people and goods (doc/ports.md).  The generated cold-chain lots
-- of 鹿城区's supervised cold store (tools/generate.sql): a release refused
-- by lot_release, the trace of the lot whose goods were positive at its
-- market, and who was exposed to it.  Lot 29700 and its rows are the step's.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'Asia/Shanghai';

\echo
\echo '== 86 Cold-chain lots in the supervised cold store, and how far they went'
SELECT g.cold_chain, count(DISTINCT g.lot_id) AS lots, count(m.movement_id) AS movements,
       count(DISTINCT s.sample_id) FILTER (WHERE s.result = 'positive') AS positive_samples
  FROM goods_lot g LEFT JOIN lot_movement m USING (lot_id) LEFT JOIN env_sample s USING (lot_id)
 GROUP BY 1 ORDER BY 1;

\echo
\echo '== 86 lot_release: a lot that arrived this morning, disinfected, its sample still pending, may not leave'
INSERT INTO goods_lot (lot_id, product, origin_country, port, arrived_at, cold_chain, warehouse)
SELECT 29700, '冷冻白虾', 'ECU', 'WNZ', now() - interval '5 hours', true, min(warehouse) FROM goods_lot;
INSERT INTO disinfection (lot_id, at, by_role) VALUES (29700, now() - interval '4 hours', '监管仓消杀组');
INSERT INTO env_sample (subject, lot_id, sampled_at, result) VALUES ('package', 29700, now() - interval '3 hours', 'pending');
\set ON_ERROR_STOP 0
\set VERBOSITY verbose
INSERT INTO lot_movement (lot_id, from_site, to_site, moved_at)
SELECT 29700, warehouse, warehouse + 1, now() FROM goods_lot WHERE lot_id = 29700;
\set VERBOSITY default
\set ON_ERROR_STOP 1

\echo
\echo '== 86 lot_trace: where the lot with a positive sample went'
SELECT t.depth, t.from_site, t.to_site, p.name AS place, t.moved_at, t.left_at, t.handler
  FROM env_sample s CROSS JOIN LATERAL lot_trace(s.lot_id) t LEFT JOIN place p ON p.place_id = t.place_id
 WHERE s.result = 'positive' ORDER BY t.depth, t.moved_at;

\echo
\echo '== 86 lot_exposures: its handlers (with their staff role) and who scanned at its market since it got there'
SELECT e.via, count(DISTINCT e.person_id) AS persons, min(e.at) AS first, max(e.at) AS last,
       string_agg(DISTINCT e.staff_role, ', ') AS staff_roles
  FROM env_sample s CROSS JOIN LATERAL lot_exposures(s.sample_id) e
 WHERE s.result = 'positive' GROUP BY 1 ORDER BY 1;
