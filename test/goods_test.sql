-- People and goods (doc/ports.md): the rule lot_release on INSERT and
-- UPDATE of lot_movement, lot_trace downstream, and the exposures of a
-- positive sample.
BEGIN;
SELECT plan(18);

INSERT INTO site (site_id, name, kind) VALUES
  (987001, 'Cold Store', 'other'), (987002, 'Wholesale Hall', 'other'), (987003, 'Retail Depot', 'other');
INSERT INTO place (place_id, name, location) VALUES
  (987011, 'Fish Market', 'SRID=4326;POINT(120.66 28.02)'),
  (987012, 'Corner Shop', 'SRID=4326;POINT(120.67 28.02)');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
SELECT 987100 + i, 'passport', 'EP98710' || i, 'PORTER ' || i, 'CHN' FROM generate_series(1, 4) i;
INSERT INTO goods_lot (lot_id, product, origin_country, port, arrived_at, cold_chain, warehouse) VALUES
  (987201, 'frozen shrimp', 'ECU', 'WNZ', '2021-06-01 08:00+08', true, 987001),
  (987202, 'bananas', 'PHL', 'WNZ', '2021-06-01 08:00+08', false, 987001);

PREPARE out1 AS
  INSERT INTO lot_movement (movement_id, lot_id, from_site, to_site, moved_at, handler)
  VALUES (987301, 987201, 987001, 987002, '2021-06-05 08:00+08', 987101);
SELECT tap.throws_rule('EXECUTE out1', '23514', 'lot_release',
                       'a cold-chain lot leaves its warehouse without disinfection or sample: lot_release');
SELECT results_eq(
  $$SELECT e.message, e.detail FROM tap.error_of('EXECUTE out1') e$$,
  $$VALUES ('cold-chain lot 987201 cannot leave warehouse 987001 yet'::text,
            'Lot 987201 has not been disinfected since it arrived.'::text)$$,
  'the refusal names the lot, the warehouse and what is missing');
SELECT lives_ok($$INSERT INTO lot_movement (lot_id, from_site, to_site, moved_at)
                  VALUES (987202, 987001, 987002, '2021-06-02 08:00+08')$$,
                'a lot that is not cold-chain moves freely');

INSERT INTO disinfection (lot_id, at, by_role) VALUES (987201, '2021-05-30 08:00+08', 'port crew');
SELECT tap.throws_rule('EXECUTE out1', '23514', 'lot_release', 'a disinfection before the arrival does not count');
INSERT INTO disinfection (lot_id, at, by_role) VALUES (987201, '2021-06-02 08:00+08', 'warehouse crew');
INSERT INTO env_sample (sample_id, subject, lot_id, sampled_at, result) VALUES
  (987401, 'environment', 987201, '2021-06-02 09:00+08', 'negative');
SELECT is((SELECT e.detail FROM tap.error_of('EXECUTE out1') e),
          'Lot 987201 has no negative goods or package sample taken since it arrived.',
          'an environment sample is not a goods or package sample');
INSERT INTO env_sample (sample_id, subject, lot_id, sampled_at, result) VALUES
  (987402, 'package', 987201, '2021-06-02 10:00+08', 'negative'),
  (987403, 'goods', 987201, '2021-06-02 10:00+08', 'pending');
SELECT is((SELECT e.detail FROM tap.error_of('EXECUTE out1') e),
          'Lot 987201 has 0 positive and 1 pending samples.', 'a pending sample holds the lot');
UPDATE env_sample SET result = 'negative' WHERE sample_id = 987403;
SELECT lives_ok('EXECUTE out1', 'disinfected, a negative sample, none pending: the lot leaves');

-- Later movements are not its first movement out.
SELECT lives_ok($$INSERT INTO lot_movement (movement_id, lot_id, from_site, to_site, moved_at, handler, place_id) VALUES
                    (987302, 987201, 987002, 987003, '2021-06-06 08:00+08', 987102, NULL),
                    (987303, 987201, 987002, NULL, '2021-06-06 09:00+08', 987103, 987011)$$,
                'onward movements from other sites are not lot_release''s');
INSERT INTO lot_movement (movement_id, lot_id, from_site, place_id, moved_at, handler) VALUES
  (987304, 987201, 987003, 987012, '2021-06-07 08:00+08', 987104);

-- UPDATE: a movement moved earlier than the sample is refused.
SELECT tap.throws_rule($$UPDATE lot_movement SET moved_at = '2021-06-02 09:30+08' WHERE movement_id = 987301$$,
                       '23514', 'lot_release', 'an UPDATE that moves the release before the negative sample is refused');
UPDATE env_sample SET result = 'positive' WHERE sample_id = 987403;
SELECT tap.throws_rule($$UPDATE lot_movement SET to_site = 987003 WHERE movement_id = 987301$$,
                       '23514', 'lot_release', 'once a sample is positive, the release itself cannot be rewritten');

SELECT results_eq(
  $$SELECT movement_id, depth, to_site, place_id, handler FROM lot_trace(987201)$$,
  $$VALUES (987301::bigint, 1, 987002::bigint, NULL::bigint, 987101::bigint),
           (987302, 2, 987003, NULL, 987102),
           (987303, 2, NULL, 987011, 987103),
           (987304, 3, NULL, 987012, 987104)$$,
  'lot_trace: every movement downstream from the warehouse, with its depth');
SELECT is((SELECT left_at FROM lot_trace(987201) WHERE movement_id = 987301), '2021-06-06 08:00+08'::timestamptz,
          'lot_trace: when the lot left the site it reached');

INSERT INTO checkin (person_id, place_id, scanned_at) VALUES
  (987101, 987011, '2021-06-06 10:00+08'),  -- after the lot arrived at the market
  (987102, 987011, '2021-06-06 08:30+08'),  -- before
  (987103, 987012, '2021-06-08 10:00+08');
SELECT set_eq(
  $$SELECT person_id, via, place_id FROM lot_exposures(987403)$$,
  $$VALUES (987101::bigint, 'handler'::text, NULL::bigint), (987102, 'handler', NULL), (987103, 'handler', 987011),
           (987104, 'handler', 987012), (987101, 'scan', 987011), (987103, 'scan', 987012)$$,
  'a positive sample: the handlers, and who scanned where the lot was while it was there');
SELECT is_empty('SELECT * FROM lot_exposures(987402)', 'a negative sample exposes nobody');
INSERT INTO staff (person_id, role) VALUES (987101, 'cold_chain'), (987103, 'other_staff');
SELECT set_eq(
  $$SELECT DISTINCT person_id, staff_role FROM lot_exposures(987403) WHERE via = 'handler'$$,
  $$VALUES (987101::bigint, 'cold_chain'::text), (987102, NULL), (987103, 'other_staff'), (987104, NULL)$$,
  'every handler is listed; staff_role names the registered high-risk staff, NULL the handlers still to register');
SELECT ok(NOT has_table_privilege('quarantine_operator', 'quarantine.goods_lot', 'UPDATE')
          AND has_table_privilege('quarantine_operator', 'quarantine.env_sample', 'UPDATE'),
          'districts record lots without UPDATE on them (lot_release locks the lot in C); they correct samples');

SELECT ok(has_table_privilege('quarantine_operator', 'quarantine.lot_movement', 'INSERT')
          AND NOT has_table_privilege('quarantine_operator', 'quarantine.lot_movement', 'DELETE'),
          'districts record movements; only administrators delete them');
SELECT is((SELECT count(*)::int FROM pg_extension e, unnest(e.extconfig) x(cfg)
            WHERE e.extname = 'quarantine'
              AND x.cfg IN ('quarantine.goods_lot'::regclass, 'quarantine.lot_movement'::regclass,
                            'quarantine.disinfection'::regclass, 'quarantine.env_sample'::regclass)), 4,
          'the four tables are dumped with the data');

SELECT * FROM finish();
ROLLBACK;
