-- make demo: places with PostGIS (doc/places.md).  Wenzhou's districts
-- as rough boxes, a dozen isolation hotels placed into them by location, a
-- street of venues, yesterday's scans with one confirmed case, and the
-- candidates for close contact by co-location.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- Rough boundaries (not survey data): the city, and four districts whose
-- shared borders are meridians and parallels.  The rows are the generator's
-- (05_district.sql, codes 330300 and 3303xx): only the boundaries are added,
-- the names stay as the today views print them (district = '鹿城区').
INSERT INTO jurisdiction (code, name, parent, level, boundary) VALUES
  ('330300', '温州市', NULL, 'city',
   'SRID=4326;MULTIPOLYGON(((120.40 27.70,121.30 27.70,121.30 28.30,120.40 28.30,120.40 27.70)))'),
  ('330302', '鹿城区', '330300', 'district',
   'SRID=4326;MULTIPOLYGON(((120.45 27.98,120.70 27.98,120.70 28.15,120.45 28.15,120.45 27.98)))'),
  ('330303', '龙湾区', '330300', 'district',
   'SRID=4326;MULTIPOLYGON(((120.70 27.88,120.95 27.88,120.95 28.05,120.70 28.05,120.70 27.88)))'),
  ('330304', '瓯海区', '330300', 'district',
   'SRID=4326;MULTIPOLYGON(((120.45 27.80,120.70 27.80,120.70 27.98,120.45 27.98,120.45 27.80)))'),
  ('330305', '洞头区', '330300', 'district',
   'SRID=4326;MULTIPOLYGON(((121.05 27.78,121.25 27.78,121.25 27.92,121.05 27.92,121.05 27.78),
                            (121.00 27.95,121.10 27.95,121.10 28.02,121.00 28.02,121.00 27.95)))')
ON CONFLICT (code) DO UPDATE SET boundary = excluded.boundary;

-- A dozen hotels: no jurisdiction given, each takes the district its
-- location lies in.
INSERT INTO site (site_id, name, kind, capacity, location) VALUES
  (101, 'Wuma Street Hotel', 'hotel', 80, 'SRID=4326;POINT(120.652 28.006)'),
  (102, 'Jiangxinyu Hotel', 'hotel', 60, 'SRID=4326;POINT(120.640 28.030)'),
  (103, 'Xishan Hotel', 'hotel', 40, 'SRID=4326;POINT(120.610 28.010)'),
  (104, 'Railway Station Hotel', 'hotel', 120, 'SRID=4326;POINT(120.625 27.995)'),
  (105, 'Airport Hotel', 'hotel', 150, 'SRID=4326;POINT(120.850 27.915)'),
  (106, 'Yongzhong Hotel', 'hotel', 90, 'SRID=4326;POINT(120.800 27.950)'),
  (107, 'Binhai Hotel', 'hotel', 70, 'SRID=4326;POINT(120.900 27.960)'),
  (108, 'Ouhai Garden Hotel', 'hotel', 60, 'SRID=4326;POINT(120.640 27.960)'),
  (109, 'Louqiao Hotel', 'hotel', 50, 'SRID=4326;POINT(120.600 27.900)'),
  (110, 'Xianyan Resort', 'hotel', 100, 'SRID=4326;POINT(120.560 27.850)'),
  (111, 'Dongtou Island Hotel', 'hotel', 45, 'SRID=4326;POINT(121.150 27.840)'),
  (112, 'Border Hotel (on 120.70 E)', 'hotel', 30, 'SRID=4326;POINT(120.700 28.000)');

\echo
\echo '== 80 Hotels take the district they lie in (a point on a border: the smaller district)'
SELECT s.site_id, s.name, s.jurisdiction, j.name AS district
  FROM site s LEFT JOIN jurisdiction j ON j.code = s.jurisdiction
 WHERE s.site_id BETWEEN 101 AND 112 ORDER BY s.site_id;

\echo
\echo '== 80 The three hotels with a free bed nearest to the Wenzhou South railway station'
SELECT site_id, name, round(distance_m) AS metres, free FROM nearest_sites('SRID=4326;POINT(120.586 27.977)', 3);

-- Venues along Wuma Street (五马街), about 60 m apart, and a station.
INSERT INTO place (place_id, name, location)
SELECT 200 + i, 'Wuma Street No. ' || (i * 10), ST_Point(120.6500 + i * 0.0006, 28.0060, 4326)::geography
  FROM generate_series(1, 10) i;
INSERT INTO place (place_id, name, location) VALUES (250, 'Wenzhou Railway Station', 'SRID=4326;POINT(120.625 27.995)');

-- Yesterday's scans (local day): the case, person 29000, walks the street
-- from 10:00; 300 other persons (29001 to 29300) scan through the day.
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, home_location) VALUES
  (29000, 'passport', 'EW0000000', 'WANG JIANGUO', 'CHN', 'SRID=4326;POINT(120.655 28.010)');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, home_location)
SELECT 29000 + i, 'passport', 'EW' || lpad(i::text, 7, '0'), 'VISITOR ' || i, 'CHN',
       ST_Point(120.60 + (i % 17) * 0.02, 27.90 + (i % 11) * 0.02, 4326)::geography
  FROM generate_series(1, 300) i;
CREATE TEMP TABLE yesterday AS
SELECT ((local_date(now()) - 1)::timestamp AT TIME ZONE current_setting('quarantine.timezone')) AS d0;
INSERT INTO checkin (person_id, place_id, scanned_at)
SELECT 29000, 200 + i, d0 + interval '10 hours' + i * interval '12 minutes' FROM yesterday, generate_series(1, 6) i;
INSERT INTO checkin (person_id, place_id, scanned_at)
SELECT 29000 + i, CASE WHEN i % 7 = 0 THEN 250 ELSE 201 + (i * 13) % 10 END,
       d0 + interval '7 hours' + ((i * 2713) % 780) * interval '1 minute'
  FROM yesterday, generate_series(1, 300) i;
-- The nightly job (pg_cron): day partitions, retention.
SELECT scan_trail_maintenance();

\echo
\echo '== 80 Persons take the district of their home; the case is in 鹿城区'
SELECT jurisdiction, count(*) FROM person WHERE person_id BETWEEN 29000 AND 29300 GROUP BY 1 ORDER BY 1;

\echo
\echo '== 80 The scan trail is partitioned by local day: yesterday, today, the week'
\echo '   ahead, and the default partition'
SELECT count(*) AS partitions FROM pg_inherits WHERE inhparent = 'quarantine.checkin'::regclass;

\echo
\echo '== 80 Candidates: scanned at the case''s venue within 1 hour of him, yesterday'
SELECT c.person_id, p.name AS place, to_char(c.at, 'HH24:MI') AS at, c.distance_m
  FROM yesterday, contact_candidates(29000, d0, d0 + interval '1 day') c JOIN place p USING (place_id)
 ORDER BY c.at LIMIT 10;
SELECT count(DISTINCT person_id) AS candidates_same_venue FROM yesterday, contact_candidates(29000, d0, d0 + interval '1 day');

\echo
\echo '== 80 ... or at a venue within 100 m of his, within 30 minutes'
SELECT count(DISTINCT person_id) AS candidates_100m_30min
  FROM yesterday, contact_candidates(29000, d0, d0 + interval '1 day', '30 minutes', 100);
