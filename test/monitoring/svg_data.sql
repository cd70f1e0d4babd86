-- Three districts with boundaries and two new controls on 2021-07-18, for
-- the browser's look at daily_report_svg (tools/pg-harness run_svg); the same
-- data as test/monitoring_svg_test.sql.
INSERT INTO quarantine.jurisdiction (code, name, parent, level, boundary) VALUES
  ('SV0', 'SVG city', NULL, 'city', NULL),
  ('SV1', '甲 & <区>', 'SV0', 'district', 'SRID=4326;MULTIPOLYGON(((120 28,120.1 28,120.1 28.1,120 28.1,120 28)))'),
  ('SV2', '乙区', 'SV0', 'district', 'SRID=4326;MULTIPOLYGON(((120.1 28,120.2 28,120.2 28.1,120.1 28.1,120.1 28)))'),
  ('SV3', '丙区', 'SV0', 'district', 'SRID=4326;MULTIPOLYGON(((120 27.9,120.2 27.9,120.2 28,120 28,120 27.9)))');
INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality, jurisdiction) VALUES
  (941001, 'passport', 'ES9410001', 'SVG ONE', 'CHN', 'SV1'),
  (941002, 'passport', 'ES9410002', 'SVG TWO', 'CHN', 'SV1');
INSERT INTO quarantine.control (person_id, jurisdiction, plan, status, quarantine_start, control_start, registered_at)
SELECT person_id, 'SV1', '14c', 'under_control', '2021-07-18', '2021-07-18 10:00+08', '2021-07-18 10:00+08'
  FROM quarantine.person WHERE person_id IN (941001, 941002);
