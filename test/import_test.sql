-- Bulk import of a charter-flight manifest (doc/import.md; the district notes 包机人员录入):
-- good rows become persons, entries, pending controls and tasks; every kind
-- of bad row lands whole in import_reject with its rule; existing persons
-- are reused; a second load creates nothing.
BEGIN;
SELECT plan(40);

SET LOCAL quarantine.timezone = 'Asia/Shanghai';

-- ---------------------------------------------------------------------------
-- What the district already has
-- ---------------------------------------------------------------------------
INSERT INTO jurisdiction (code, name, level) VALUES ('330302', '鹿城区 Lucheng', 'district');
INSERT INTO site (site_id, name, kind, capacity, jurisdiction) VALUES
  (97001, 'Lucheng Hotel (isolation site 1)', 'hotel', 120, '330302'),
  (97002, 'Twin Hotel', 'hotel', 50, '330302'),
  (97003, 'Twin Hotel', 'hotel', 60, '330302');

INSERT INTO person (person_id, doc_kind, doc_no, name, sex, birth_date, nationality, phone) VALUES
  (970001, 'passport', 'EA1000001', 'CHEN JIANGUO', 'M', '1970-03-03', 'CHN', '13800000001'),  -- reused
  (970002, 'passport', 'EB2000002', 'WANG LILI', 'F', '1982-05-05', 'CHN', '11111111111'),     -- under control
  (970003, 'passport', 'EC3000003', 'LIN HUI', 'F', '1990-01-01', 'CHN', NULL),                -- another name
  (970004, 'passport', 'ED4000004', 'ZHOU LIN', 'M', '1975-07-07', 'CHN', NULL),               -- merged into 970005
  (970005, 'passport', 'EE5000005', 'ZHOU LIN', 'M', '1975-07-07', 'CHN', NULL),
  (970006, 'passport', 'EF6000006', 'YE HAO', 'M', '1988-08-08', 'CHN', NULL),                 -- completed isolation
  (970007, 'passport', 'EG7000007', 'HUANG LEI', 'M', '1985-03-02', 'CHN', NULL),              -- fuzzy duplicate
  (970008, 'resident_id', '610104196209276908', '王五', NULL, NULL, 'CHN', NULL),             -- 15-digit in the manifest
  (970009, 'passport', 'EE9000009', 'ZHOU LIN', 'M', '1975-07-07', 'CHN', NULL);               -- 970005 merged into it
UPDATE person SET phone_status = 'verified' WHERE person_id = 970001;
SELECT merge_persons(970005, 970004);
SELECT merge_persons(970009, 970005);
INSERT INTO entry (entry_id, person_id, entered_at, port_kind, flight, seat) VALUES
  (970102, 970002, '2020-04-10 09:00+08', 'air', 'MU588', '3C'),
  (970106, 970006, '2020-04-26 13:10+08', 'air', 'CA939', '30A');
INSERT INTO control (control_id, person_id, entry_id, status) VALUES (970202, 970002, 970102, 'pending');
INSERT INTO control (control_id, person_id, entry_id, status, end_reason, ended_at)
VALUES (970206, 970006, 970106, 'ended', 'completed_elsewhere', '2020-05-10 10:00+08');

-- ---------------------------------------------------------------------------
-- The manifest: good rows and every kind of bad row
-- ---------------------------------------------------------------------------
INSERT INTO manifest_staging (batch, row_no, name, doc_kind, doc_no, nationality, sex, birth_date,
                              phone, flight, seat, entered_at, port, site, jurisdiction) VALUES
  ('CA939-0426', 1, 'ROSSI MARIO', 'passport', 'YA1234567', 'ITA', 'M', '1980-01-02', '11111111111', 'CA939', '12A', '2020-04-26 13:20', 'WNZ', 'Lucheng Hotel (isolation site 1)', '330302'),
  ('CA939-0426', 1, 'ROSSI MARIO', 'passport', 'YA1234567', 'ITA', 'M', '1980-01-02', '11111111111', 'CA939', '12A', '2020-04-26 13:20', 'WNZ', 'Lucheng Hotel (isolation site 1)', '330302'),
  ('CA939-0426', 2, 'CHEN JIANGUO', '护照', 'ea 100 0001', 'chn', '男', '19700303', '11111111111', 'ca 939', '12B', '2020-04-26 13:21', 'WNZ', 'Lucheng Hotel (isolation site 1)', '330302'),
  ('CA939-0426', 3, '陈明', '身份证', '330302198506120029', 'CHN', NULL, NULL, '13857712345', 'CA939', '12C', '2020-04-26T13:22+08:00', 'WNZ', '  lucheng hotel (isolation site 1) ', NULL),
  ('CA939-0426', 4, 'ZHOU LIN', 'passport', 'ED4000004', 'CHN', 'M', '1975-07-07', '11111111111', 'CA939', '12D', '2020-04-26 13:23', 'WNZ', 'Lucheng Hotel (isolation site 1)', '330302'),
  ('CA939-0426', 5, '   ', 'passport', 'E5000005', 'CHN', 'M', '1980-01-01', '11111111111', 'CA939', '13A', '2020-04-26 13:24', 'WNZ', NULL, '330302'),
  ('CA939-0426', 6, 'PAN YU', 'visa', 'V123456', 'CHN', 'M', '1980-01-01', '11111111111', 'CA939', '13B', '2020-04-26 13:24', 'WNZ', NULL, '330302'),
  ('CA939-0426', 7, 'XU TING', 'passport', 'E12', 'CHN', 'F', '1980-01-01', '11111111111', 'CA939', '13C', '2020-04-26 13:24', 'WNZ', NULL, '330302'),
  ('CA939-0426', 8, 'JI YAN', 'passport', 'E7000008', NULL, 'F', '1980-01-01', '11111111111', 'CA939', '13D', '2020-04-26 13:24', 'WNZ', NULL, '330302'),
  ('CA939-0426', 9, 'WU MIN', 'passport', 'E9000009', 'CHN', 'Q', '1980-01-01', '11111111111', 'CA939', '14A', '2020-04-26 13:24', 'WNZ', NULL, '330302'),
  ('CA939-0426', 10, 'HU JUN', 'passport', 'E1000010', 'CHN', 'M', '1985-02-30', '11111111111', 'CA939', '14B', '2020-04-26 13:24', 'WNZ', NULL, '330302'),
  ('CA939-0426', 11, 'HU FANG', 'passport', 'E1000011', 'CHN', 'F', '1985-02-03', '11111111111', 'CA939', '14C', '2020-04-31 13:24', 'WNZ', NULL, '330302'),
  ('CA939-0426', 12, 'HU LEI', 'passport', 'E1000012', 'CHN', 'M', '1985-02-03', '11111111111', 'CA939', '14D', (now() + interval '3 days')::text, 'WNZ', NULL, '330302'),
  ('CA939-0426', 13, '李四', 'resident_id', '412723199010050012', 'CHN', 'F', NULL, '11111111111', 'CA939', '15A', '2020-04-26 13:24', 'WNZ', NULL, '330302'),
  ('CA939-0426', 14, 'PAN NA', 'passport', 'E1400014', 'CHN', 'F', '1980-01-01', repeat('1', 40), 'CA939', '15B', '2020-04-26 13:24', 'WNZ', NULL, '330302'),
  ('CA939-0426', 15, 'PAN JING', 'passport', 'E1500015', 'CHN', 'F', '1980-01-01', '11111111111', 'CA93X9', '15C', '2020-04-26 13:24', 'WNZ', NULL, '330302'),
  ('CA939-0426', 16, 'PAN TAO', 'passport', 'E1600016', 'CHN', 'M', '1980-01-01', '11111111111', 'CA939', '12', '2020-04-26 13:24', 'WNZ', NULL, '330302'),
  ('CA939-0426', 17, 'PAN BIN', 'passport', 'E1700017', 'CHN', 'M', '1980-01-01', '11111111111', 'CA939', '16A', '2020-04-26 13:24', repeat('P', 80), NULL, '330302'),
  ('CA939-0426', 18, 'YANG HUI', 'passport', 'E1800018', 'CHN', 'F', '1980-01-01', '11111111111', 'CA939', '16B', '2020-04-26 13:24', 'WNZ', 'Lucheng Hotle (isolation site 1)', '330302'),
  ('CA939-0426', 19, 'YANG MIN', 'passport', 'E1900019', 'CHN', 'F', '1980-01-01', '11111111111', 'CA939', '16C', '2020-04-26 13:24', 'WNZ', 'Twin Hotel', '330302'),
  ('CA939-0426', 20, 'YANG JUN', 'passport', 'E2000020', 'CHN', 'M', '1980-01-01', '11111111111', 'CA939', '16D', '2020-04-26 13:24', 'WNZ', NULL, '330302'),
  ('CA939-0426', 20, 'YANG TAO', 'passport', 'E2000021', 'CHN', 'M', '1980-01-01', '11111111111', 'CA939', '17A', '2020-04-26 13:24', 'WNZ', NULL, '330302'),
  ('CA939-0426', 21, 'ZHENG NA', 'passport', 'E2100021', 'CHN', 'F', '1980-01-01', '11111111111', 'CA939', '17B', '2020-04-26 13:24', 'WNZ', NULL, '999999'),
  ('CA939-0426', 22, 'ROSSI MARIO', 'passport', 'YA1234567', 'ITA', 'M', '1980-01-02', '11111111111', 'CA939', '17C', '2020-04-26 13:25', 'WNZ', 'Lucheng Hotel (isolation site 1)', '330302'),
  ('CA939-0426', 23, 'ZHANG WEI', 'passport', 'EC3000003', 'CHN', 'M', NULL, '11111111111', 'CA939', '17D', '2020-04-26 13:25', 'WNZ', NULL, '330302'),
  ('CA939-0426', 24, 'WANG LILI', 'passport', 'EB2000002', 'CHN', 'F', '1982-05-05', '11111111111', 'CA939', '18A', '2020-04-26 13:25', 'WNZ', NULL, '330302'),
  ('CA939-0426', 25, 'YE HAO', 'passport', 'EF6000006', 'CHN', 'M', '1988-08-08', '11111111111', 'CA939', '18B', '2020-04-26 13:25', 'WNZ', NULL, '330302'),
  ('CA939-0426', 26, 'XU BO', 'passport', 'E2600026', 'CHN', 'M', '1980-01-01', '11111111111', 'CA939', '18C', '2019-12-01 10:00', 'WNZ', NULL, '330302'),
  ('CA939-0426', NULL, 'XU YING', 'passport', 'E2700027', 'CHN', 'F', '1980-01-01', '11111111111', 'CA939', '18D', '2020-04-26 13:25', 'WNZ', NULL, '330302'),
  ('CA939-0426', 28, repeat('名', 5000), repeat('?', 5000), repeat('#', 5000), repeat('N', 5000), repeat('S', 5000), repeat('9', 5000),
   repeat('+', 5000), repeat('F', 5000), repeat('Z', 5000), repeat('2', 5000), repeat('P', 5000), repeat('H', 5000), repeat('J', 5000)),
  ('CA939-0426', 29, 'Huang  Lei', 'passport', 'EH2900029', 'CHN', 'M', '1985-03-02', NULL, 'CA939', '19A', '2020-04-26 13:26', 'WNZ', NULL, '330302'),
  ('CA939-0426', 30, '王五', 'resident_id', '610104620927690', 'CHN', NULL, NULL, '11111111111', 'CA939', '19B', '2020-04-26 13:26', 'WNZ', NULL, '330302');

-- A preview never raises, whatever is staged.
SELECT lives_ok($$SELECT (manifest_check(s)).* FROM manifest_staging s$$,
                'manifest_check previews every staged row without raising');
SELECT results_eq(
  $$SELECT c.rule, c.doc_kind::text, c.doc_no, c.nationality, c.sex, c.birth_date, c.flight, c.phone_kind
      FROM manifest_staging s, manifest_check(s) c WHERE s.row_no = 2$$,
  $$VALUES (NULL::text, 'passport', 'EA1000001', 'CHN', 'M', date '1970-03-03', 'CA939', 'placeholder')$$,
  'manifest_check normalizes 护照, "ea 100 0001", chn, 男, 19700303 and "ca 939"');
SELECT results_eq(
  $$SELECT c.sex, c.birth_date, c.entered_at, c.entry_day FROM manifest_staging s, manifest_check(s) c WHERE s.row_no = 3$$,
  $$VALUES ('F', date '1985-06-12', timestamptz '2020-04-26 13:22+08', date '2020-04-26')$$,
  'a resident ID gives sex and birth date; an entry time with an offset is read as such');

-- ---------------------------------------------------------------------------
-- The load
-- ---------------------------------------------------------------------------
SELECT results_eq($$SELECT * FROM load_manifest('CA939-0426')$$,
                  $$VALUES (6, 25, 3)$$,
                  'first load: 6 accepted (3 of them existing persons), 25 rejected');

SELECT results_eq(
  $$SELECT row_no, rule FROM import_reject WHERE batch = 'CA939-0426' ORDER BY row_no NULLS LAST, rule, reject_id$$,
  $$VALUES (5, 'manifest_name'), (6, 'manifest_doc_kind'), (7, 'manifest_doc_no'),
           (8, 'manifest_nationality'), (9, 'manifest_sex'), (10, 'manifest_date'),
           (11, 'manifest_date'), (12, 'manifest_date'), (13, 'person_document_agreement'),
           (14, 'manifest_phone'), (15, 'manifest_flight'), (16, 'manifest_seat'),
           (17, 'manifest_port'), (18, 'manifest_site'), (19, 'manifest_site'),
           (20, 'manifest_row_no'), (20, 'manifest_row_no'), (21, 'manifest_jurisdiction'),
           (22, 'manifest_duplicate_row'), (23, 'person_identity'), (24, 'control_single_open'),
           (25, 'control_no_repeat'), (26, 'control_plan_required'), (28, 'manifest_name'),
           (NULL, 'manifest_row_no')$$,
  'every bad row is rejected with its rule');
SELECT is((SELECT count(*)::int FROM import_reject r
            WHERE NOT EXISTS (SELECT 1 FROM manifest_staging s WHERE to_jsonb(s) = r.row)),
          0, 'every reject keeps the staged row whole');
SELECT is((SELECT count(*)::int FROM import_reject WHERE message IS NULL OR detail IS NULL), 0,
          'every reject has a message and a detail');
SELECT results_eq(
  $$SELECT message, detail FROM import_reject WHERE row_no IN (7, 24) ORDER BY row_no$$,
  $$VALUES ('invalid passport number: "E12"', 'A passport number has 5 to 17 letters and digits, but this one has 3.'),
           ('person 970002 already has an open control', 'Control 970202 of person 970002 is pending, under_control or medical.')$$,
  'messages and details say what is wrong, as the triggers would');
SELECT results_eq(
  $$SELECT row_no, message FROM import_reject WHERE row_no IN (12, 18, 22, 23, 25) ORDER BY row_no$$,
  $$VALUES (12, format('entry time "%s" is in the future', (now() + interval '3 days')::text)),
           (18, 'unknown site: "Lucheng Hotle (isolation site 1)"'),
           (22, 'passport YA1234567 of ITA is also in row 1'),
           (23, 'passport EC3000003 of CHN belongs to person 970003 under another name'),
           (25, 'person 970006 already completed isolation for entry 970106')$$,
  'future entries, unknown sites, repeated passengers, documents of others, completed isolation');

-- The rows rejected by trigger rules are exactly those the triggers refuse.
SELECT throws_rule(
  $$INSERT INTO person (doc_kind, doc_no, name, sex) VALUES ('resident_id', '412723199010050012', '李四', 'F')$$,
  '23514', 'person_document_agreement', 'the person trigger refuses row 13 the same way');
SELECT throws_rule(
  $$INSERT INTO control (person_id, entry_id) VALUES (970002, 970102)$$,
  '23505', 'control_single_open', 'the control trigger refuses row 24 the same way');
SELECT throws_rule(
  $$INSERT INTO control (person_id, entry_id) VALUES (970006, 970106)$$,
  '23505', 'control_no_repeat', 'the control trigger refuses row 25 the same way');

-- ---------------------------------------------------------------------------
-- What the good rows became
-- ---------------------------------------------------------------------------
SELECT results_eq(
  $$SELECT a.row_no, a.reused, p.doc_no, p.name FROM import_accept a JOIN person p USING (person_id)
     WHERE a.batch = 'CA939-0426' ORDER BY a.row_no$$,
  $$VALUES (1, false, 'YA1234567', 'ROSSI MARIO'), (2, true, 'EA1000001', 'CHEN JIANGUO'),
           (3, false, '330302198506120029', '陈明'), (4, true, 'EE9000009', 'ZHOU LIN'),
           (29, false, 'EH2900029', 'Huang  Lei'), (30, true, '610104196209276908', '王五')$$,
  'accepted rows: new persons, and existing ones reused (a document merged twice resolves to the last kept person, a 15-digit ID to its 18 digits)');
SELECT results_eq(
  $$SELECT count(*)::int FROM person WHERE doc_no IN ('EA1000001', 'YA1234567', '610104196209276908')$$,
  $$VALUES (3)$$, 'no person is created twice');
SELECT results_eq(
  $$SELECT p.phone_status, p.jurisdiction, p.sex::text, p.birth_date FROM import_accept a JOIN person p USING (person_id)
     WHERE a.batch = 'CA939-0426' AND a.row_no IN (1, 3) ORDER BY a.row_no$$,
  $$VALUES ('placeholder', '330302', 'M', date '1980-01-02'), ('unverified', '330302', 'F', date '1985-06-12')$$,
  'a filler phone is a placeholder; jurisdiction from the row or from the site');
SELECT results_eq(
  $$SELECT e.port_kind, e.port, e.flight, e.seat, e.entered_at, e.category::text
      FROM import_accept a JOIN entry e USING (entry_id) WHERE a.batch = 'CA939-0426' AND a.row_no = 2$$,
  $$VALUES ('air', 'WNZ', 'CA939', '12B', timestamptz '2020-04-26 13:21+08', 'general')$$,
  'the entry: by air, flight normalized, seat, local entry time, category from the trigger');
SELECT results_eq(
  $$SELECT c.status::text, c.plan::text, c.quarantine_start, c.release_date, c.site_id, c.jurisdiction, c.note
      FROM import_accept a JOIN control c USING (control_id) WHERE a.batch = 'CA939-0426' AND a.row_no = 3$$,
  $$VALUES ('pending', '14c', date '2020-04-26', date '2020-05-10', 97001::bigint, '330302', 'manifest CA939-0426, row 3')$$,
  'the control: pending (待分配) at the site named in the row, plan from the 2020 policy');
SELECT results_eq(
  $$SELECT t.module, count(*)::int FROM import_accept a JOIN task t USING (person_id)
     WHERE a.batch = 'CA939-0426' GROUP BY 1 ORDER BY 1$$,
  $$VALUES ('control', 6), ('phone_check', 5)$$,
  'a control task per row, a phone check for every phone not verified (not for row 2, verified before)');
SELECT results_eq(
  $$SELECT t.issued_at = now(), t.due_at FROM import_accept a JOIN task t USING (person_id)
     WHERE a.batch = 'CA939-0426' AND a.row_no = 1 AND t.module = 'phone_check'$$,
  $$SELECT true, ((local_date(now()) + 1) + time '12:00') AT TIME ZONE 'Asia/Shanghai'$$,
  'the phone check of a filler number is due at 12:00 the day after the load (the district notes)');
SELECT results_eq(
  $$SELECT t.due_at FROM import_accept a JOIN task t USING (person_id)
     WHERE a.batch = 'CA939-0426' AND a.row_no = 1 AND t.module = 'control'$$,
  $$SELECT task_deadline('control', now())$$,
  'the control task is due at the next 17:00 (the district notes)');
SELECT results_eq(
  $$SELECT d.reason FROM import_accept a JOIN duplicate_candidate d ON a.person_id IN (d.person_id, d.other_id)
     WHERE a.batch = 'CA939-0426' AND a.row_no = 29 AND 970007 IN (d.person_id, d.other_id)$$,
  $$VALUES ('birth_sex_name')$$,
  'a new person resembling an existing one is recorded for review, not merged');
SELECT is((SELECT count(*)::int FROM control WHERE person_id = 970002 AND status = 'pending'), 1,
          'the passenger already under control keeps the one open control');

-- ---------------------------------------------------------------------------
-- Loading twice creates nothing new
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE counts_before AS
SELECT (SELECT count(*) FROM person) AS persons, (SELECT count(*) FROM entry) AS entries,
       (SELECT count(*) FROM control) AS controls, (SELECT count(*) FROM task) AS tasks,
       (SELECT count(*) FROM import_reject) AS rejects, (SELECT count(*) FROM import_accept) AS accepts;
SELECT results_eq($$SELECT * FROM load_manifest('CA939-0426')$$, $$VALUES (0, 25, 0)$$,
                  'second load: nothing accepted, the same 25 rows still rejected');
SELECT results_eq(
  $$SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM entry), (SELECT count(*) FROM control),
           (SELECT count(*) FROM task), (SELECT count(*) FROM import_reject), (SELECT count(*) FROM import_accept)$$,
  $$SELECT * FROM counts_before$$,
  'second load: no new person, entry, control, task, reject or ledger row');

-- The file copied into staging a second time changes nothing either.
INSERT INTO manifest_staging SELECT * FROM manifest_staging WHERE batch = 'CA939-0426';
SELECT results_eq($$SELECT * FROM load_manifest('CA939-0426')$$, $$VALUES (0, 25, 0)$$,
                  'a batch staged twice loads as once');

-- A fixed row is loaded on the next run; the old reject stays as history.
UPDATE manifest_staging SET site = 'Lucheng Hotel (isolation site 1)' WHERE batch = 'CA939-0426' AND row_no = 18;
SELECT results_eq($$SELECT * FROM load_manifest('CA939-0426')$$, $$VALUES (1, 24, 0)$$,
                  'after the site is corrected, row 18 loads');
SELECT results_eq(
  $$SELECT staged, accepted, reused, rejected FROM import_summary WHERE batch = 'CA939-0426'$$,
  $$VALUES (64::bigint, 7::bigint, 3::bigint, 24::bigint)$$,
  'import_summary: staged rows, accepted, reused, still rejected');

-- Another batch with the same passengers: reused persons, but the open
-- controls of the first load stop them (control_single_open).
INSERT INTO manifest_staging (batch, row_no, name, doc_kind, doc_no, nationality, sex, birth_date,
                              phone, flight, seat, entered_at, port, site, jurisdiction)
SELECT 'CA939-0426-v2', row_no, name, doc_kind, doc_no, nationality, sex, birth_date, phone, flight,
       seat, entered_at, port, site, jurisdiction
  FROM manifest_staging WHERE batch = 'CA939-0426' AND row_no IN (1, 3);
SELECT results_eq($$SELECT * FROM load_manifest('CA939-0426-v2')$$, $$VALUES (0, 2, 0)$$,
                  'a second list of the same flight is refused for the passengers already pending');
SELECT results_eq(
  $$SELECT DISTINCT rule FROM import_reject WHERE batch = 'CA939-0426-v2'$$,
  $$VALUES ('control_single_open')$$, 'with the rule control_single_open');

-- Once the first control is returned (the person is isolated elsewhere), the
-- entry of that flight is reused for the new control.
UPDATE control SET status = 'returned', return_reason = 'out_of_province', return_note = 'isolated in Lishui'
 WHERE control_id = (SELECT control_id FROM import_accept WHERE batch = 'CA939-0426' AND row_no = 1);
SELECT results_eq($$SELECT * FROM load_manifest('CA939-0426-v2')$$, $$VALUES (1, 1, 1)$$,
                  'after the return, the passenger loads again onto the existing person');
SELECT results_eq(
  $$SELECT (SELECT entry_id FROM import_accept WHERE batch = 'CA939-0426-v2' AND row_no = 1)
         = (SELECT entry_id FROM import_accept WHERE batch = 'CA939-0426' AND row_no = 1)$$,
  $$VALUES (true)$$, 'the entry of the same flight and day is reused, not duplicated');

-- ---------------------------------------------------------------------------
-- Edge cases
-- ---------------------------------------------------------------------------
SELECT results_eq($$SELECT * FROM load_manifest('no such batch')$$, $$VALUES (0, 0, 0)$$,
                  'an unknown batch loads nothing');
SELECT ok((SELECT load_manifest(NULL) IS NULL), 'load_manifest(NULL) is NULL');
INSERT INTO manifest_staging (batch, row_no) VALUES ('empty rows', 1), ('empty rows', 2);
SELECT results_eq($$SELECT * FROM load_manifest('empty rows')$$, $$VALUES (0, 2, 0)$$,
                  'rows of NULLs are rejected, not fatal');
INSERT INTO manifest_staging (batch, row_no, name, doc_kind, doc_no, nationality, flight, entered_at)
VALUES ('offsets', 1, 'A B', 'passport', 'E9100001', 'CHN', 'CA939', '2020-04-26 05:20Z'),
       ('offsets', 2, 'C D', 'passport', 'E9100002', 'CHN', 'CA939', '2020-04-26 13:20:30.5+0800'),
       ('offsets', 3, 'E F', 'passport', 'E9100003', 'CHN', 'CA939', '2020-04-26 13:20 +08'),
       ('offsets', 4, 'G H', 'passport', 'E9100004', 'CHN', 'CA939', '2020/04/26'),
       ('offsets', 5, 'I J', 'passport', 'E9100005', 'CHN', 'CA939', '2020-04-26 25:00'),
       ('offsets', 6, 'K L', 'passport', 'E9100006', 'CHN', 'CA939', '2020-04-26 13:20+8');
SELECT results_eq(
  $$SELECT s.row_no, c.rule, c.entered_at FROM manifest_staging s, manifest_check(s) c
     WHERE s.batch = 'offsets' ORDER BY s.row_no$$,
  $$VALUES (1, NULL, timestamptz '2020-04-26 13:20+08'), (2, NULL, timestamptz '2020-04-26 13:20:30.5+08'),
           (3, NULL, timestamptz '2020-04-26 13:20+08'), (4, NULL, timestamptz '2020-04-26 00:00+08'),
           (5, 'manifest_date', NULL), (6, 'manifest_date', NULL)$$,
  'entry times: Z, +0800, +08 and local dates read; 25:00 and +8 refused');

SELECT throws_ok($$SELECT manifest_verdict(x) FROM (SELECT 'passport'::text AS doc_kind) x$$,
                 '42804', NULL, 'manifest_verdict refuses a fact of the wrong type instead of misreading it');

-- ---------------------------------------------------------------------------
-- Fuzz: 3,000 rows mixing good values, near misses and junk in every field,
-- some on the documents of persons above.  The load must never raise: a row
-- the triggers would refuse has to be caught by the checks first.
-- ---------------------------------------------------------------------------
SELECT setseed(0.42);
-- Per field: values a good row may have, and near misses and junk.
CREATE TEMP TABLE fuzz_values (field text, good text[], bad text[]);
INSERT INTO fuzz_values VALUES
  ('name', ARRAY['LI LEI', '王 芳', 'Ana María', 'Huang  Lei', 'ZHOU LIN', 'CHEN JIANGUO', 'WANG LILI'],
           ARRAY['', '  ', E'X\tY', repeat('A', 201), NULL]),
  ('doc', ARRAY['passport|EA1000001', 'PASSPORT|ED4000004', '护照|EB2000002', 'passport|EF6000006',
                'resident_id|610104620927690', '身份证|330302198506120029', 'resident_id|412723199010050012',
                'hk_macao_permit|H12345678', 'taiwan_permit|12345678', 'local_code|LC0001', 'passport|E 1234-5678',
                'passport|ＥＡ１２３４５６７'],
          ARRAY['visa|E1234567', '|E1234567', 'passport|E12', 'passport|', 'resident_id|412723199010050013',
                'resident_id|999999999999999999', 'hk_macao_permit|12345678', 'other|' || repeat('A', 40), 'passport|x@y']),
  ('nationality', ARRAY['CHN', 'chn', 'ITA', 'FRA'], ARRAY['CH', 'C1N', 'CHINA', '', NULL]),
  ('sex', ARRAY['M', 'F', 'm', '女', '男', 'X', '<', 'male', NULL], ARRAY['Q', 'MF']),
  ('birth_date', ARRAY['1980-01-02', '19700303', '1975-07-07', '1990/10/05', '1991.1.1', NULL],
                 ARRAY['1985-02-30', '1899-12-31', '2999-01-01', '1980-13-01', 'yesterday']),
  ('phone', ARRAY['11111111111', '13800000001', '+86 138 0000 0001', '+39 347 123 4567', '12345', '00000000000',
                  '1380000000a', NULL],
            ARRAY[repeat('1', 33)]),
  ('flight', ARRAY['CA939', 'ca 939', 'CA-939', '3U8888', 'CCA939', 'CA939A'], ARRAY['CA93X9', '12345', 'C', '', NULL]),
  ('seat', ARRAY['12A', '12 a', '１２Ａ', '1K', NULL], ARRAY['0A', '1000B', '12', 'A12', '12AB']),
  ('entered_at', ARRAY['2020-04-26 13:20', '2020-04-26T13:20:05+08:00', '2020-04-26 05:20Z', '2020/04/26',
                       '2020-04-26 13:20 +0530', '2021-06-01 10:00', '2022-12-01 10:00'],
                 ARRAY['2020-04-31 13:20', '2020-04-26 24:00', '2019-12-01 10:00', '2023-06-01 10:00',
                       '2099-01-01 00:00', '26/04/2020', '', NULL]),
  ('port', ARRAY['WNZ', 'PVG', '', NULL], ARRAY[repeat('P', 65)]),
  ('site', ARRAY['Lucheng Hotel (isolation site 1)', 'LUCHENG HOTEL (ISOLATION SITE 1)', '', NULL],
           ARRAY['Twin Hotel', 'Nowhere Inn']),
  ('jurisdiction', ARRAY['330302', ' 330302 ', '', NULL], ARRAY['999999']);
-- A good value 95% of the time, otherwise a bad one.
CREATE FUNCTION pg_temp.pick(f text) RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT CASE WHEN random() < 0.95 THEN good[1 + floor(random() * array_length(good, 1))::int]
              ELSE bad[1 + floor(random() * array_length(bad, 1))::int] END
    FROM fuzz_values WHERE field = f$$;
INSERT INTO manifest_staging
SELECT 'fuzz', CASE WHEN random() < 0.01 THEN NULL WHEN random() < 0.01 THEN i - 1 ELSE i END,
       pg_temp.pick('name'), split_part(d.doc, '|', 1), split_part(d.doc, '|', 2),
       pg_temp.pick('nationality'), pg_temp.pick('sex'), pg_temp.pick('birth_date'), pg_temp.pick('phone'),
       pg_temp.pick('flight'), pg_temp.pick('seat'), pg_temp.pick('entered_at'), pg_temp.pick('port'),
       pg_temp.pick('site'), pg_temp.pick('jurisdiction')
  FROM generate_series(1, 3000) i,
       LATERAL (SELECT CASE WHEN random() < 0.7
                            THEN 'passport|E' || 7000000 + CASE WHEN random() < 0.05 THEN floor(random() * 50)::int ELSE i END
                            ELSE pg_temp.pick('doc') END AS doc) d;
-- A batch that fills a hotel beyond its beds (doc/ports.md): the rows that
-- do not fit are set aside with site_full, like the rows the verdict
-- refuses; the rows before them took the beds.
SELECT lives_ok($$CREATE TEMP TABLE fuzz_result AS SELECT * FROM load_manifest('fuzz')$$,
                'a load of 3,000 fuzzed rows, many for a hotel of 120 beds, does not raise');
SELECT results_eq(
  $$SELECT count(*) > 0, bool_and(message LIKE 'site 97001 has no free bed on %'),
           bool_and(detail LIKE '%all beds are held (capacity 120).')
      FROM import_reject WHERE batch = 'fuzz' AND rule = 'site_full'$$,
  $$VALUES (true, true, true)$$,
  'the rows beyond the hotel''s beds are rejected one by one with site_full and its message');
SELECT is((SELECT max(n)::int FROM (
             SELECT d, count(*) AS n
               FROM control c,
                    generate_series(lower(phase_range(c.plan, c.quarantine_start, 'centralized'))::timestamp,
                                    (upper(phase_range(c.plan, c.quarantine_start, 'centralized')) - 1)::timestamp,
                                    interval '1 day') d
              WHERE c.site_id = 97001 AND c.status IN ('pending', 'under_control') GROUP BY d) x), 120,
          'the hotel is full to its 120 beds on its fullest day, never beyond');
SELECT results_eq(
  $$SELECT r.accepted + r.rejected > 0 AND r.accepted + r.rejected
           = (SELECT count(*) FROM (SELECT DISTINCT * FROM manifest_staging WHERE batch = 'fuzz') d),
           r.accepted = (SELECT count(*) FROM import_accept WHERE batch = 'fuzz')
      FROM fuzz_result r$$,
  $$VALUES (true, true)$$,
  'every distinct fuzzed row is either accepted (and in the ledger) or rejected');

SELECT * FROM finish();
ROLLBACK;
