-- daily_report_svg (doc/monitoring.md): one SVG document, one
-- shape per district with a boundary, one bar per day.
BEGIN;
SELECT plan(7);

INSERT INTO jurisdiction (code, name, parent, level, boundary) VALUES
  ('SV0', 'SVG city', NULL, 'city', NULL),
  ('SV1', '甲 & <区>', 'SV0', 'district', 'SRID=4326;MULTIPOLYGON(((120 28,120.1 28,120.1 28.1,120 28.1,120 28)))'),
  ('SV2', '乙区', 'SV0', 'district', 'SRID=4326;MULTIPOLYGON(((120.1 28,120.2 28,120.2 28.1,120.1 28.1,120.1 28)))'),
  ('SV3', '丙区', 'SV0', 'district', 'SRID=4326;MULTIPOLYGON(((120 27.9,120.2 27.9,120.2 28,120 28,120 27.9)))');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, jurisdiction) VALUES
  (941001, 'passport', 'ES9410001', 'SVG ONE', 'CHN', 'SV1'),
  (941002, 'passport', 'ES9410002', 'SVG TWO', 'CHN', 'SV1');
INSERT INTO control (person_id, jurisdiction, plan, status, quarantine_start, control_start, registered_at)
SELECT person_id, 'SV1', '14c', 'under_control', '2021-07-18', '2021-07-18 10:00+08', '2021-07-18 10:00+08'
  FROM person WHERE person_id IN (941001, 941002);

SELECT daily_report_svg('2021-07-20', 7) AS svg \gset
SELECT ok(xml_is_well_formed_document(:'svg'), 'the SVG is a well-formed XML document');
SELECT is((xpath('count(//svg:path[@class="district"])', :'svg'::xml,
                 ARRAY[ARRAY['svg', 'http://www.w3.org/2000/svg']]))[1]::text::int -
          (SELECT count(*)::int FROM jurisdiction WHERE level = 'district' AND boundary IS NOT NULL AND code NOT LIKE 'SV%'),
          3, 'one shape per district with a boundary');
SELECT is((xpath('count(//svg:rect[@class="bar"])', :'svg'::xml,
                 ARRAY[ARRAY['svg', 'http://www.w3.org/2000/svg']]))[1]::text, '7', 'one bar per day');
SELECT is((xpath('//svg:rect[@class="bar"][@data-day="2021-07-18"]/@data-controls', :'svg'::xml,
                 ARRAY[ARRAY['svg', 'http://www.w3.org/2000/svg']]))[1]::text, '2',
          'the bar of 2021-07-18 counts its two new controls');
SELECT is((xpath('//svg:path[@data-code="SV1"]/@data-open', :'svg'::xml,
                 ARRAY[ARRAY['svg', 'http://www.w3.org/2000/svg']]))[1]::text, '2',
          'the district is shaded by its open controls');
SELECT ok(:'svg' LIKE '%甲 &amp; &lt;区&gt;%', 'names are escaped');
SELECT is((xpath('count(//svg:rect[@class="bar"])', daily_report_svg('2021-07-20')::xml,
                 ARRAY[ARRAY['svg', 'http://www.w3.org/2000/svg']]))[1]::text, '28', 'days defaults to 28');

SELECT * FROM finish();
ROLLBACK;
