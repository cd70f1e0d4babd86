-- People and goods under row security (doc/ports.md, "People and goods"), as
-- real login roles of two districts: a movement follows its handler (a
-- person); lots, disinfections and samples are shared; a district moves and
-- samples a lot without UPDATE on goods_lot (lot_release takes the lot's
-- lock in its C code).  Its own records: district 880101 (qt_goods_a) and
-- 880102 (qt_goods_b), a porter of each, lot 88801 released by A.
SET client_min_messages = warning;
SET search_path = quarantine, public;
SET quarantine.duplicate_detection = off;
INSERT INTO jurisdiction (code, name, level) VALUES
  ('880101', '88 district A', 'district'), ('880102', '88 district B', 'district');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, jurisdiction) VALUES
  (88801, 'passport', 'EG8810001', 'PORTER A', 'CHN', '880101'),
  (88802, 'passport', 'EG8810002', 'PORTER B', 'CHN', '880102');
INSERT INTO staff (person_id, role) VALUES (88801, 'cold_chain');
INSERT INTO site (site_id, name, kind) VALUES (88801, 'Cold Store 88', 'other'), (88802, 'Hall 88', 'other');
INSERT INTO place (place_id, name, location) VALUES (88801, 'Market 88', 'SRID=4326;POINT(120.66 28.02)');
INSERT INTO goods_lot (lot_id, product, arrived_at, cold_chain, warehouse)
VALUES (88801, 'frozen fish', '2021-06-01 08:00+08', true, 88801);
INSERT INTO disinfection (lot_id, at, by_role) VALUES (88801, '2021-06-02 08:00+08', 'crew');
INSERT INTO env_sample (sample_id, subject, lot_id, sampled_at, result)
VALUES (88801, 'package', 88801, '2021-06-02 09:00+08', 'negative');
INSERT INTO checkin (person_id, place_id, scanned_at) VALUES (88802, 88801, '2021-06-04 09:30+08');
CREATE ROLE qt_goods_a LOGIN IN ROLE quarantine_operator;
CREATE ROLE qt_goods_b LOGIN IN ROLE quarantine_operator;
INSERT INTO operator_scope VALUES ('qt_goods_a', '880101'), ('qt_goods_b', '880102');
CREATE FUNCTION public.goods_error_of(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  c text;
BEGIN
  EXECUTE sql;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS c = CONSTRAINT_NAME;
  RETURN SQLSTATE || ' ' || coalesce(nullif(c, ''), '-') || ': ' || SQLERRM;
END $$;

\c - qt_goods_a
SET search_path = quarantine, public;
SET TimeZone = 'Asia/Shanghai';
-- the lot is shared; correcting it is an administrator's
SELECT lot_id, product FROM goods_lot WHERE lot_id = 88801;
SELECT public.goods_error_of($$UPDATE quarantine.goods_lot SET product = 'x' WHERE lot_id = 88801$$) AS update_lot;
-- a handler of another district: person_scope, before row security
SELECT public.goods_error_of($$INSERT INTO quarantine.lot_movement (movement_id, lot_id, from_site, to_site, moved_at, handler)
                               VALUES (88801, 88801, 88801, 88802, '2021-06-03 08:00+08', 88802)$$) AS other_handler;
-- its own porter: the release passes, the lot locked without UPDATE on it
SELECT public.goods_error_of($$INSERT INTO quarantine.lot_movement (movement_id, lot_id, from_site, to_site, moved_at, handler)
                               VALUES (88801, 88801, 88801, 88802, '2021-06-03 08:00+08', 88801)$$) AS own_handler;
INSERT INTO lot_movement (movement_id, lot_id, from_site, place_id, moved_at)
VALUES (88802, 88801, 88802, 88801, '2021-06-04 06:00+08');
SELECT public.goods_error_of($$UPDATE quarantine.lot_movement SET handler = 88802 WHERE movement_id = 88802$$) AS handler_to_other;
-- a pending sample locks the lot too
INSERT INTO env_sample (sample_id, subject, lot_id, place_id, sampled_at, result)
VALUES (88802, 'goods', 88801, 88801, '2021-06-05 10:00+08', 'pending');
SELECT movement_id, depth, handler FROM lot_trace(88801) ORDER BY movement_id;

\c - qt_goods_b
SET search_path = quarantine, public;
SET TimeZone = 'Asia/Shanghai';
-- A's porter's movement is not B's to see or change; the one without a
-- handler names nobody and is shared
SELECT movement_id, handler FROM lot_movement WHERE lot_id = 88801 ORDER BY 1;
UPDATE lot_movement SET moved_at = moved_at WHERE movement_id = 88801;
SELECT public.goods_error_of($$DELETE FROM quarantine.lot_movement WHERE movement_id = 88802$$) AS delete_movement;
-- the sample turns positive; B's trace and exposures show what B sees
UPDATE env_sample SET result = 'positive' WHERE sample_id = 88802;
-- (B's shopper scanned at the market after the lot got there: the setup's
-- checkin) B's trace starts at A's porter's movement out of the warehouse,
-- which B does not see: an operator's trace follows the movements it sees
SELECT movement_id, depth, handler FROM lot_trace(88801) ORDER BY movement_id;
SELECT person_id, via, place_id, staff_role FROM lot_exposures(88802) ORDER BY via, person_id;

\c - qt_goods_a
SET search_path = quarantine, public;
-- A's exposures: its porter, a registered cold-chain worker, not B's shopper
SELECT person_id, via, place_id, staff_role FROM lot_exposures(88802) ORDER BY via, person_id;

\c - postgres
SET client_min_messages = warning;
SELECT person_id, via, place_id, staff_role FROM quarantine.lot_exposures(88802) ORDER BY via, person_id;
-- The probes' locks: a probe opens its relations without asking for their
-- locks again only in the (sub)transaction that took them; after ROLLBACK TO
-- SAVEPOINT released them, the next row takes them again.
INSERT INTO quarantine.goods_lot (lot_id, product, arrived_at, cold_chain, warehouse)
VALUES (88803, 'frozen squid', '2021-06-01 08:00+08', true, 88801);
INSERT INTO quarantine.disinfection (lot_id, at, by_role) VALUES (88803, '2021-06-02 08:00+08', 'crew');
INSERT INTO quarantine.env_sample (subject, lot_id, sampled_at, result)
VALUES ('goods', 88803, '2021-06-02 09:00+08', 'negative');
BEGIN;
SAVEPOINT first_row;
INSERT INTO quarantine.lot_movement (lot_id, from_site, to_site, moved_at)
VALUES (88803, 88801, 88802, '2021-06-03 08:00+08');
ROLLBACK TO SAVEPOINT first_row;
SELECT count(*) AS disinfection_lot_locks FROM pg_catalog.pg_locks
 WHERE pid = pg_catalog.pg_backend_pid() AND relation = 'quarantine.disinfection_lot'::regclass;
INSERT INTO quarantine.lot_movement (lot_id, from_site, to_site, moved_at)
VALUES (88803, 88801, 88802, '2021-06-03 08:00+08');
SELECT mode, granted FROM pg_catalog.pg_locks
 WHERE pid = pg_catalog.pg_backend_pid() AND relation = 'quarantine.disinfection_lot'::regclass;
ROLLBACK;
DELETE FROM quarantine.env_sample WHERE lot_id = 88803;
DELETE FROM quarantine.disinfection WHERE lot_id = 88803;
DELETE FROM quarantine.goods_lot WHERE lot_id = 88803;
DROP FUNCTION public.goods_error_of(text);
DELETE FROM quarantine.operator_scope WHERE role_name IN ('qt_goods_a', 'qt_goods_b');
DROP OWNED BY qt_goods_a, qt_goods_b;
DROP ROLE qt_goods_a, qt_goods_b;
