-- make demo, a district's day: 42 persons 鹿城区 put under control on each of
-- the last three weeks' days (two a day), next to the 10,000 generated ones
-- of 05_district.sql.  They stay because the walk needs rows the generator
-- does not make whatever the hour: they are on 50_records.sql's provincial
-- rule (14c+7m, release on day 22) while the generated controls, written
-- before that rule, are 14c and ended at 10:00 on day 14 — so after 10:00
-- nobody generated is due for release tomorrow; and they carry the 7+7
-- paperwork and IgM tests the generator does not write.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET quarantine.duplicate_detection = off;

-- A second isolation hotel (an id past the ones other steps wrote by hand).
INSERT INTO site (site_id, name, kind, capacity, jurisdiction, location)
SELECT coalesce(max(site_id), 0) + 1, 'Jiangbin Hotel (isolation site 2)', 'hotel', 80, '330302',
       'SRID=4326;POINT(120.700 28.020)'
  FROM site
RETURNING site_id AS jiangbin \gset
SELECT site_id AS lucheng FROM site WHERE name = 'Lucheng Hotel (isolation site 1)' \gset

-- Two arrivals on each of the last 21 days (i = 1..42, day 1 today for i =
-- 1, 2): names from the commonest surnames, passports, mobile phones.
CREATE TEMP TABLE cohort AS
SELECT i, (i - 1) / 2 AS ago,
       (ARRAY['陈','王','李','张','刘','杨','黄','赵','吴','周','徐','孙','马','朱','胡',
              '郭','何','林','罗','高','郑'])[1 + i % 21]
       || (ARRAY['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟','涛',
                 '明','超','秀英','霞','平','刚'])[1 + (i * 8) % 21] AS name,
       'EC' || lpad((2020000 + i)::text, 7, '0') AS doc_no,
       '1395770' || lpad(i::text, 4, '0') AS phone,
       CASE WHEN i % 2 = 1 THEN :lucheng ELSE :jiangbin END AS site_id
  FROM generate_series(1, 42) i;
ALTER TABLE cohort ADD person_id bigint, ADD entry_id bigint, ADD control_id bigint;

WITH p AS (
  INSERT INTO person (doc_kind, doc_no, name, nationality, phone, jurisdiction)
  SELECT 'passport', doc_no, name, 'CHN', phone, '330302' FROM cohort ORDER BY i
  RETURNING person_id, doc_no)
UPDATE cohort c SET person_id = p.person_id FROM p WHERE p.doc_no = c.doc_no;

-- Each landed at 10:00 local on its day (today's pair an hour ago), and was
-- put under control the same day; two were registered a day late.
WITH e AS (
  INSERT INTO entry (person_id, entered_at, port, flight, temperature)
  SELECT person_id,
         CASE WHEN ago = 0 THEN now() - interval '1 hour'
              ELSE ((local_date(now()) - ago) + time '10:00') AT TIME ZONE 'Asia/Shanghai' END,
         'WNZ', 'MU' || (5100 + ago), 36.5
    FROM cohort
  RETURNING entry_id, person_id)
UPDATE cohort c SET entry_id = e.entry_id FROM e WHERE e.person_id = c.person_id;

WITH k AS (
  INSERT INTO control (person_id, entry_id, status, site_id, control_start, responsible,
                       home_verified_at, commitment_signed_at)
  SELECT c.person_id, c.entry_id, 'under_control', c.site_id,
         CASE WHEN c.i IN (9, 10) THEN e.entered_at + interval '2 hours' END,
         'team ' || (1 + c.i % 3),
         -- the 7+7 paperwork: most of the second week's arrivals are ready
         CASE WHEN c.ago BETWEEN 7 AND 13 AND c.i % 3 <> 0 THEN now() END,
         CASE WHEN c.ago BETWEEN 6 AND 13 AND c.i % 4 <> 0 THEN now() END
    FROM cohort c JOIN entry e ON e.entry_id = c.entry_id
  RETURNING control_id, person_id)
UPDATE cohort c SET control_id = k.control_id FROM k WHERE k.person_id = c.person_id;

-- Negative NATs on the policy's days up to yesterday at 08:00, IgM on day
-- 5; today's samples are in for one hotel only; three persons skipped the
-- day-14 release NAT, one had no IgM.
INSERT INTO lab_test (person_id, kind, sampled_at, result, reported_at)
SELECT c.person_id, t.kind, s.at, 'negative',
       CASE WHEN s.at + interval '6 hours' <= now() THEN s.at + interval '6 hours' END
  FROM cohort c
  JOIN policy pol ON pol.category = 'general' AND pol.effective @> local_date(now()) - c.ago
 CROSS JOIN LATERAL (SELECT 'nat'::test_kind AS kind, n AS day FROM unnest(pol.nat_days) n
                     UNION ALL SELECT 'igm', 5 WHERE c.i <> 20) t
 CROSS JOIN LATERAL (
   SELECT CASE WHEN t.day = c.ago + 1
               THEN least(now() - interval '10 minutes',
                          (local_date(now()) + time '08:00') AT TIME ZONE 'Asia/Shanghai')
               ELSE ((local_date(now()) - c.ago + t.day - 1) + time '08:00')
                    AT TIME ZONE 'Asia/Shanghai' END AS at) s
 WHERE t.day <= c.ago + 1
   AND NOT (t.day = c.ago + 1 AND c.site_id = :jiangbin)
   AND NOT (t.kind = 'nat' AND t.day = 14 AND c.i IN (28, 29, 31));

-- This morning's task list from the province: assign today's arrivals by
-- 17:00, check their phones and follow up yesterday's by 12:00 tomorrow;
-- yesterday's follow-ups were due at 12:00 today, one is done.
INSERT INTO task (module, person_id, issued_at, done_at)
SELECT m.module, c.person_id, m.issued, CASE WHEN c.i = 3 AND m.module = 'verification' THEN now() END
  FROM cohort c
 CROSS JOIN LATERAL (VALUES
   ('control', now() - interval '50 minutes', c.ago = 0),
   ('phone_check', now() - interval '50 minutes', c.ago = 0),
   ('verification', ((local_date(now()) - 1) + time '09:00') AT TIME ZONE 'Asia/Shanghai', c.ago = 1)
 ) AS m(module, issued, applies)
 WHERE m.applies;

\echo
\echo '== 90 鹿城区 this morning: the cohort''s open controls by hotel and phase'
SELECT site, phase, count(*) AS persons, min(day) AS first_day, max(day) AS last_day
  FROM today_controls
 WHERE site_id IN (:lucheng, :jiangbin) AND quarantine_start > local_date(now()) - 30
 GROUP BY site, phase ORDER BY site, phase;
