-- Bulk import of a charter-flight manifest (doc/import.md; the district notes 包机人员录入).
SET search_path = quarantine, public;
SET datestyle = 'ISO, YMD';
SET timezone = 'Asia/Shanghai';
SET client_min_messages = warning;

-- The district: a hotel for the charter flight, a resident already known,
-- and a passenger already under control after an earlier flight.
INSERT INTO jurisdiction (code, name, level) VALUES ('330303', '龙湾区 Longwan', 'district');
INSERT INTO site (site_id, name, kind, capacity, jurisdiction)
VALUES (70001, 'Longwan Harbour Hotel (isolation site 3)', 'hotel', 80, '330303');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, phone) VALUES
  (700001, 'passport', 'EJ7000001', 'JI LINGLING', 'CHN', '13957700001'),
  (700002, 'passport', 'EJ7000002', 'PAN XIAOMING', 'CHN', '13957700002');
INSERT INTO entry (entry_id, person_id, entered_at, flight, seat)
VALUES (700101, 700002, '2020-04-19 14:05+08', 'CA9015', '31C');
INSERT INTO control (control_id, person_id, entry_id, site_id)
VALUES (700201, 700002, 700101, 70001);

-- The police list as staged by COPY: every field text, as typed.
INSERT INTO manifest_staging VALUES
  ('CA9015-04-26', 1, 'CHEN JIANGUO', 'passport', 'E70100011', 'CHN', 'M', '1968-09-12', '11111111111', 'CA9015', '12A', '2020-04-26 13:20', 'WNZ', 'Longwan Harbour Hotel (isolation site 3)', '330303'),
  ('CA9015-04-26', 2, 'ZHOU LILI', 'passport', 'EA7010012', 'CHN', 'F', '1972-01-30', '11111111111', 'CA9015', '12B', '2020-04-26 13:21', 'WNZ', 'Longwan Harbour Hotel (isolation site 3)', '330303'),
  ('CA9015-04-26', 3, 'ROSSI GIULIA', 'passport', 'YA7010013', 'ita', 'F', '1990-06-01', '+39 347 123 4567', 'CA9015', '12C', '2020-04-26 13:21', 'WNZ', 'Longwan Harbour Hotel (isolation site 3)', '330303'),
  ('CA9015-04-26', 4, '陈明', '身份证', '330302198506120029', 'CHN', NULL, NULL, '13857712345', 'CA 9015', '14D', '2020-04-26 13:22', 'WNZ', 'longwan harbour hotel (isolation site 3)', NULL),
  ('CA9015-04-26', 5, 'JI LINGLING', '护照', 'ej 700 0001', 'CHN', '女', '19880817', '11111111111', 'CA9015', '15A', '2020-04-26 13:23', 'WNZ', 'Longwan Harbour Hotel (isolation site 3)', '330303'),
  ('CA9015-04-26', 6, 'PAN XIAOMING', 'passport', 'EJ7000002', 'CHN', 'M', NULL, '11111111111', 'CA9015', '15B', '2020-04-26 13:23', 'WNZ', 'Longwan Harbour Hotel (isolation site 3)', '330303'),
  ('CA9015-04-26', 7, 'HU WEI', 'passport', 'E701', 'CHN', 'M', '1979-11-02', '11111111111', 'CA9015', '16A', '2020-04-26 13:24', 'WNZ', 'Longwan Harbour Hotel (isolation site 3)', '330303'),
  ('CA9015-04-26', 8, 'XU JING', 'passport', 'E70100018', NULL, 'F', '1995-04-04', '11111111111', 'CA9015', '16B', '2020-04-26 13:24', 'WNZ', 'Longwan Harbour Hotel (isolation site 3)', '330303'),
  ('CA9015-04-26', 9, 'LIN TAO', 'passport', 'E70100019', 'CHN', 'M', '1983-02-29', '11111111111', 'CA9015', '16C', '2020-04-26 13:25', 'WNZ', 'Longwan Harbour Hotel (isolation site 3)', '330303'),
  ('CA9015-04-26', 10, 'YE NA', 'passport', 'E70100020', 'CHN', 'F', '1986-12-12', '11111111111', 'CA9015', '16D', '2020-04-26 13:25', 'WNZ', 'Longwan Harbor Hotel', '330303'),
  ('CA9015-04-26', 11, '李四', 'resident_id', '412723199010050012', 'CHN', 'F', NULL, '11111111111', 'CA9015', '17A', '2020-04-26 13:26', 'WNZ', 'Longwan Harbour Hotel (isolation site 3)', '330303'),
  ('CA9015-04-26', 12, 'ZHOU LILI', 'passport', 'EA7010012', 'CHN', 'F', '1972-01-30', '11111111111', 'CA9015', '30K', '2020-04-26 13:26', 'WNZ', 'Longwan Harbour Hotel (isolation site 3)', '330303');

-- A preview of the batch (nothing is written).
SELECT s.row_no, c.rule, c.doc_kind, c.doc_no, c.nationality AS nat, c.sex, c.birth_date, c.phone_kind, c.flight
  FROM manifest_staging s, manifest_check(s) c
 WHERE s.batch = 'CA9015-04-26' ORDER BY s.row_no;

-- The load.
SELECT * FROM load_manifest('CA9015-04-26');

-- The rejects, with the rule a case system switches on.
SELECT row_no, rule, message, detail FROM import_reject WHERE batch = 'CA9015-04-26' ORDER BY row_no;
SELECT row->>'name' AS name, row->>'doc_no' AS doc_no, row->>'seat' AS seat
  FROM import_reject WHERE batch = 'CA9015-04-26' AND row_no = 7;

-- What the accepted rows became: pending controls (待分配) at the hotel.
SELECT a.row_no, a.reused, p.name, p.doc_no, p.sex, p.birth_date, p.phone_status,
       e.flight, e.seat, s.name AS site, c.status, c.plan, c.quarantine_start, c.release_date
  FROM import_accept a
  JOIN person p USING (person_id) JOIN entry e USING (entry_id) JOIN control c USING (control_id)
  LEFT JOIN site s ON s.site_id = c.site_id
 WHERE a.batch = 'CA9015-04-26' ORDER BY a.row_no;

-- Tasks: the district assigns them by 17:00 and checks the phones by 12:00
-- the next day (local time).
SELECT t.module, count(*) AS tasks,
       min(to_char(t.due_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI')) AS due_local,
       bool_and(t.due_at = task_deadline(t.module, t.issued_at)) AS per_task_deadline
  FROM import_accept a JOIN task t USING (person_id)
 WHERE a.batch = 'CA9015-04-26' GROUP BY t.module ORDER BY t.module;
SELECT bool_and(local_date(t.due_at) = local_date(t.issued_at) + 1) AS phone_checks_due_next_day
  FROM import_accept a JOIN task t USING (person_id)
 WHERE a.batch = 'CA9015-04-26' AND t.module = 'phone_check';

-- A second load of the same batch creates nothing.
SELECT * FROM load_manifest('CA9015-04-26');
SELECT count(*) AS rejects FROM import_reject WHERE batch = 'CA9015-04-26';
SELECT staged, accepted, reused, rejected FROM import_summary WHERE batch = 'CA9015-04-26';
