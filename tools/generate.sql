-- tools/generate.sql — a deterministic district dataset for Wenzhou (温州市).
--
--   psql -v persons=10000 -v seed=1 -f tools/generate.sql DBNAME
--
-- Into a database with the extension (CREATE EXTENSION quarantine CASCADE) and
-- no persons yet, loads `persons` persons (1,000 to 1,000,000): arrivals by
-- air, land and sea over the weeks before the instant `at`, with their
-- entries, controls, isolation hotels, lab tests, tasks and verifications,
-- plus high-risk staff on their testing cadences; scans at venues when the
-- scan trail (quarantine.checkin) exists.  Everything is written with
-- set-based INSERT ... SELECT through the triggers, so every rule holds and
-- the health-code feed is filled as a district's day would fill it.
--
-- Optional variables:
--   -v seed=S      (default 1) the same seed and `at` give the same rows
--   -v weeks=W     (default 6) how many weeks of arrivals before `at`
--   -v at=INSTANT  (default now()) the instant the data is "as of".
--                  Today's data lies after the last shipped policy
--                  (2023-01-08), so plan_for gives no plan: controls are
--                  then 14c with NAT on days 1, 7 and 14.  A historic `at`
--                  (e.g. -v at='2022-07-20 12:00+08') takes plan and NAT days
--                  from the policy of each start date, and W weeks before it
--                  span the policy eras (14c+7m until 2022-06-28, 7c+3m
--                  after): the historic mode.
--
-- Randomness is a hash of (seed, row number, purpose) — hashint8extended —
-- not random(): a row's values do not depend on the plan or the order rows
-- are produced in.  Documented in doc/generate.md.
\set ON_ERROR_STOP on
\set QUIET on
\if :{?persons}
\else
\echo 'usage: psql -v persons=N [-v seed=S] [-v weeks=W] [-v at=TIMESTAMPTZ] -f tools/generate.sql'
\quit
\endif
\if :{?seed}
\else
\set seed 1
\endif
\if :{?weeks}
\else
\set weeks 6
\endif
\if :{?at}
\else
\set at ''
\endif
SET client_min_messages = warning;
SET search_path = quarantine, public;

-- The parameters, once.
CREATE TEMP TABLE gen AS
SELECT n, :'seed'::bigint AS seed, :'weeks'::int AS weeks,
       greatest(20, n / 50) AS n_staff, n - greatest(20, n / 50) AS n_arr,
       at_ts, local_date(at_ts) AS today, current_setting('quarantine.timezone') AS tz
  FROM (SELECT :'persons'::int AS n,
               coalesce(nullif(:'at', '')::timestamptz, now()) AS at_ts) p;
ANALYZE gen;

DO $check$
DECLARE
  g record;
BEGIN
  SELECT * INTO g FROM gen;
  IF g.n NOT BETWEEN 1000 AND 1000000 THEN
    RAISE EXCEPTION 'persons must be between 1000 and 1000000, not %', g.n
      USING ERRCODE = '22023', HINT = 'Run psql -v persons=10000 -f tools/generate.sql.';
  END IF;
  IF EXISTS (SELECT FROM quarantine.person) THEN
    RAISE EXCEPTION 'the database already has persons'
      USING ERRCODE = '55000', HINT = 'Generate into a fresh database with the extension.';
  END IF;
END
$check$;

-- u(i, k): a uniform value in [0, 1) for row i and purpose k, from the seed.
SELECT format($f$CREATE FUNCTION pg_temp.u(i bigint, k int) RETURNS float8
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS 'SELECT (pg_catalog.hashint8extended(i, %s + k) & 2147483647)::float8 / 2147483648.0'$f$,
  seed * 1000) FROM gen \gexec
-- pick(x, weights): the 1-based index whose cumulative weight first exceeds x * total.
CREATE FUNCTION pg_temp.pick(x float8, w float8[]) RETURNS int
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS 'SELECT coalesce(min(k)::int, array_length(w, 1))
        FROM (SELECT k, sum(v) OVER (ORDER BY k) AS c, sum(v) OVER () AS t
                FROM unnest(w) WITH ORDINALITY AS a(v, k)) s
       WHERE c > x * t';
-- local(d, t): the instant of local day d at time of day t in quarantine.timezone.
CREATE FUNCTION pg_temp.local(d date, t interval) RETURNS timestamptz
  LANGUAGE sql STABLE
  AS 'SELECT (d + t) AT TIME ZONE current_setting(''quarantine.timezone'')';

-- ---------------------------------------------------------------------------
-- Places: Zhejiang, Wenzhou and its districts; hotels per district; hospitals
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE district (k int, code text, name text, weight float8, lon float8, lat float8);
INSERT INTO district VALUES
  (1, '330302', '鹿城区', 22, 120.655, 28.015), (2, '330303', '龙湾区', 10, 120.812, 27.933),
  (3, '330304', '瓯海区', 13, 120.614, 27.967), (4, '330305', '洞头区', 1, 121.157, 27.836),
  (5, '330324', '永嘉县', 8, 120.692, 28.153),  (6, '330326', '平阳县', 6, 120.566, 27.662),
  (7, '330327', '苍南县', 5, 120.426, 27.518),  (8, '330328', '文成县', 2, 120.091, 27.787),
  (9, '330329', '泰顺县', 2, 119.718, 27.557),  (10, '330381', '瑞安市', 15, 120.655, 27.778),
  (11, '330382', '乐清市', 13, 120.983, 28.113), (12, '330383', '龙港市', 3, 120.553, 27.578);

INSERT INTO jurisdiction (code, name, parent, level) VALUES
  ('330000', '浙江省', NULL, 'province'), ('330300', '温州市', '330000', 'city')
ON CONFLICT (code) DO NOTHING;
INSERT INTO jurisdiction (code, name, parent, level)
SELECT code, name, '330300', 'district' FROM district ORDER BY k
ON CONFLICT (code) DO NOTHING;

-- Beds: enough for the fortnight of arrivals at the end of the wave (which
-- grows towards `at`), spread over each district's hotels by its weight.
CREATE TEMP TABLE hotel AS
WITH need AS (
  SELECT ceil(n_arr * 14.0 / (weeks * 7) * 2.4)::int AS beds FROM gen
), d AS (
  SELECT district.*, greatest(60, (need.beds * weight / 100)::int) AS beds FROM district, need
), h AS (
  SELECT d.k AS dk, d.code, d.name AS dname, d.lon, d.lat, j,
         greatest(1, ceil(d.beds / 180.0)::int) AS nh, d.beds
    FROM d, LATERAL generate_series(1, greatest(1, ceil(d.beds / 180.0)::int)) AS j
)
SELECT row_number() OVER (ORDER BY dk, j) AS hk, dk, code, j,
       dname || (ARRAY['汉庭酒店', '维也纳酒店', '锦江之星', '如家酒店', '全季酒店', '格林豪泰',
                       '亚朵酒店', '7天酒店', '城市便捷酒店', '华美达酒店'])[1 + (dk * 3 + j) % 10]
             || '(' || j || '号隔离点)' AS name,
       -- unequal hotels: some large, some small; together the district's beds
       greatest(20, (beds / nh * (0.6 + 0.8 * pg_temp.u(dk * 100 + j, 1)))::int) AS capacity,
       lon + (pg_temp.u(dk * 100 + j, 2) - 0.5) * 0.06 AS lon,
       lat + (pg_temp.u(dk * 100 + j, 3) - 0.5) * 0.05 AS lat
  FROM h;
ALTER TABLE hotel ADD COLUMN site_id bigint, ADD COLUMN cum_lo int, ADD COLUMN cum_hi int;
UPDATE hotel h SET cum_hi = s.c, cum_lo = s.c - h.capacity
  FROM (SELECT hk, sum(capacity) OVER (PARTITION BY dk ORDER BY j)::int AS c FROM hotel) s
 WHERE s.hk = h.hk;
INSERT INTO site (name, kind, location, capacity, jurisdiction)
SELECT name, 'hotel', ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, capacity, code
  FROM hotel ORDER BY hk;
UPDATE hotel h SET site_id = s.site_id FROM site s WHERE s.name = h.name;
ANALYZE hotel;
INSERT INTO site (name, kind, location, capacity, jurisdiction) VALUES
  ('温州市中心医院', 'hospital', ST_SetSRID(ST_MakePoint(120.662, 28.019), 4326)::geography, 400, '330302'),
  ('温州医科大学附属第一医院', 'hospital', ST_SetSRID(ST_MakePoint(120.596, 27.960), 4326)::geography, 600, '330304');

-- ---------------------------------------------------------------------------
-- Arrivals: who, when, how
-- ---------------------------------------------------------------------------
-- Day offsets grow denser towards `at` (a wave: sqrt), air arrivals come on
-- the charter days of the week; 78% by air, 14% by land (from Hong Kong,
-- Macao, the border ports), 8% by sea.
CREATE TEMP TABLE arr AS
SELECT i,
       CASE WHEN pg_temp.u(i, 10) < 0.78 THEN 'air' WHEN pg_temp.u(i, 10) < 0.92 THEN 'land' ELSE 'sea' END AS port_kind,
       (weeks * 7 - 1) - floor(weeks * 7 * sqrt(pg_temp.u(i, 11)))::int AS days_ago,
       -- who: Chinese citizens returning (most, many from the Wenzhou diaspora
       -- in Italy, Spain and France), compatriots from Hong Kong, Macao and
       -- Taiwan, foreigners
       pg_temp.pick(pg_temp.u(i, 12), '{70, 9, 3, 18}') AS who,
       pg_temp.pick(pg_temp.u(i, 13), '{22, 10, 13, 1, 8, 6, 5, 2, 2, 15, 13, 3}') AS dk
  FROM gen, generate_series(1, gen.n_arr) AS i;
-- Charter flights fly on Tuesdays, Thursdays and Saturdays: an air arrival
-- drawn for another day takes the charter day before it.
UPDATE arr SET days_ago = days_ago + CASE extract(isodow FROM (g.today - days_ago))::int
                                         WHEN 1 THEN 2 WHEN 3 THEN 1 WHEN 5 THEN 1 WHEN 7 THEN 1 ELSE 0 END
  FROM gen g WHERE port_kind = 'air';
UPDATE arr SET days_ago = days_ago - 2 WHERE days_ago > (SELECT weeks * 7 - 1 FROM gen);
UPDATE arr SET days_ago = 0 WHERE days_ago < 0;
-- Flights of up to 240 passengers, in seat order.
ALTER TABLE arr ADD COLUMN seq int, ADD COLUMN flight text, ADD COLUMN fk int, ADD COLUMN seat text,
  ADD COLUMN seat_row int, ADD COLUMN origin text, ADD COLUMN entered_at timestamptz;
UPDATE arr a SET seq = s.seq
  FROM (SELECT i, (row_number() OVER (PARTITION BY days_ago ORDER BY i) - 1)::int AS seq
          FROM arr WHERE port_kind = 'air') s
 WHERE s.i = a.i;
UPDATE arr SET fk = seq / 240, seat_row = 1 + (seq % 240) / 6, seat = (1 + (seq % 240) / 6) || substr('ABCDEF', 1 + seq % 6, 1)
 WHERE port_kind = 'air';
-- A flight's number and origin; it lands between 06:00 and 22:00.
CREATE TEMP TABLE route (r int, flight text, origin text);
INSERT INTO route VALUES (1, 'CA940', 'ITA'), (2, 'MU788', 'ITA'), (3, 'CA908', 'ESP'), (4, 'MU554', 'FRA'),
  (5, 'CA932', 'DEU'), (6, 'MU552', 'GBR'), (7, 'CA988', 'USA'), (8, 'MU5042', 'KOR'),
  (9, 'CA926', 'JPN'), (10, 'MU2076', 'NLD');
UPDATE arr a SET flight = r.flight, origin = r.origin,
       entered_at = pg_temp.local(g.today - a.days_ago,
                                  make_interval(hours => 6 + ((a.days_ago * 7 + a.fk * 5) % 16))
                                  + make_interval(mins => (a.seq % 240) / 4))
  FROM route r, gen g
 WHERE a.port_kind = 'air' AND r.r = 1 + (a.days_ago * 3 + a.fk * 7) % 10;
UPDATE arr a SET origin = CASE a.port_kind WHEN 'land' THEN (ARRAY['HKG', 'MAC', 'MMR', 'VNM'])[pg_temp.pick(pg_temp.u(a.i, 14), '{55, 25, 12, 8}')]
                                          ELSE (ARRAY['PHL', 'KOR', 'JPN', 'SGP'])[pg_temp.pick(pg_temp.u(a.i, 14), '{4, 3, 2, 1}')] END,
       entered_at = pg_temp.local(g.today - a.days_ago,
                                  make_interval(mins => (8 * 60 + floor(pg_temp.u(a.i, 15) * 600))::int))
  FROM gen g
 WHERE a.port_kind <> 'air';
-- Nothing arrives after `at`: today's late arrivals move to yesterday.
UPDATE arr a SET entered_at = entered_at - interval '1 day', days_ago = days_ago + 1
  FROM gen g WHERE a.entered_at > g.at_ts;

-- Screening: a positive port NAT now and then (mostly on flights), fever or
-- symptoms more rarely; the passengers within quarantine.flight_contact_rows
-- rows of a positive one on the same flight are close contacts.
ALTER TABLE arr ADD COLUMN nat test_result, ADD COLUMN temperature numeric(4,1), ADD COLUMN symptoms text[],
  ADD COLUMN close_contact boolean NOT NULL DEFAULT false, ADD COLUMN exempt exempt_reason;
UPDATE arr SET
  nat = CASE WHEN pg_temp.u(i, 20) < CASE port_kind WHEN 'air' THEN 0.004 ELSE 0.001 END THEN 'positive'
             ELSE 'negative' END::test_result,
  temperature = round((36.1 + pg_temp.u(i, 21) * 0.9 + CASE WHEN pg_temp.u(i, 22) < 0.006 THEN 1.2 ELSE 0 END)::numeric, 1),
  symptoms = CASE WHEN pg_temp.u(i, 23) < 0.004 THEN ARRAY[(ARRAY['dry_cough', 'fatigue', 'sore_throat', 'loss_of_smell'])[1 + (i % 4)]] END,
  exempt = CASE WHEN who = 4 AND pg_temp.u(i, 24) < 0.01 THEN (ARRAY['diplomat', 'essential_business'])[1 + (i % 2)]::exempt_reason END;
UPDATE arr a SET close_contact = true
  FROM arr c, gen g
 WHERE a.port_kind = 'air' AND c.port_kind = 'air' AND c.nat = 'positive' AND a.i <> c.i
   AND a.days_ago = c.days_ago AND a.fk = c.fk
   AND abs(a.seat_row - c.seat_row) <= current_setting('quarantine.flight_contact_rows')::int;
ANALYZE arr;

-- ---------------------------------------------------------------------------
-- Persons: arrivals first (person_id = i), then staff
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE names (lang int, part int, k int, v text);
INSERT INTO names
SELECT 0, 0, k, v FROM unnest(string_to_array(
  '陈 林 王 黄 李 张 郑 周 吴 徐 潘 叶 金 朱 胡 杨 刘 赵 蔡 孙 谢 郭 何 杜 项 邵 董 池 夏 季 薛 戴 余 章 钱 包 缪 苏 麻 卢',
  ' ')) WITH ORDINALITY AS t(v, k)
UNION ALL
SELECT 0, 1, k, v FROM unnest(string_to_array(
  '伟 芳 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 华 晓 婷 浩 宇 欣 怡 佳 俊 博 文 建 海 国 志 丹 雪 慧 琳 鑫 斌',
  ' ')) WITH ORDINALITY AS t(v, k)
UNION ALL
SELECT 0, 2, k, v FROM unnest(string_to_array(
  '伟 芳 英 华 明 红 燕 玲 峰 辉 平 飞 鹏 林 琪 萍 斌 丽 杰 亮 蓉 洁 欢 楠 晨 阳 涵 轩 睿 诚',
  ' ')) WITH ORDINALITY AS t(v, k)
UNION ALL
SELECT 1, 0, k, v FROM unnest(string_to_array(
  'SMITH JOHNSON BROWN WILLIAMS JONES GARCIA MILLER DAVIS KIM LEE PARK CHOI SATO SUZUKI TAKAHASHI ROSSI RUSSO FERRARI BIANCHI MUELLER SCHMIDT MARTIN BERNARD DUBOIS NGUYEN SANTOS',
  ' ')) WITH ORDINALITY AS t(v, k)
UNION ALL
SELECT 1, 1, k, v FROM unnest(string_to_array(
  'JAMES MARY JOHN ANNA MARIA DAVID SARAH MICHAEL MINJUN SEOYEON HARUTO YUI MARCO GIULIA LUKAS SOPHIE THOMAS EMMA PAUL LAURA',
  ' ')) WITH ORDINALITY AS t(v, k);
CREATE TEMP TABLE nation (who int, k int, code char(3));
INSERT INTO nation VALUES (4, 1, 'KOR'), (4, 2, 'USA'), (4, 3, 'ITA'), (4, 4, 'JPN'), (4, 5, 'DEU'),
  (4, 6, 'FRA'), (4, 7, 'GBR'), (4, 8, 'ESP'), (4, 9, 'PHL'), (4, 10, 'VNM');

-- Names skew to the common ones (index ~ n * u^2); ages to young adults,
-- with children travelling with their parents and a few elderly.
INSERT INTO person (person_id, doc_kind, doc_no, name, sex, birth_date, nationality, phone, jurisdiction, home_address)
SELECT a.i,
       CASE a.who WHEN 1 THEN 'passport' WHEN 2 THEN 'hk_macao_permit' WHEN 3 THEN 'taiwan_permit' ELSE 'passport' END::doc_kind,
       CASE a.who WHEN 1 THEN 'E' || lpad(((a.i::bigint * 7919) % 100000000)::text, 8, '0')
                  WHEN 2 THEN 'H' || lpad(((a.i::bigint * 104729) % 100000000)::text, 8, '0')
                  WHEN 3 THEN lpad(((a.i::bigint * 15485863) % 100000000)::text, 8, '0')
                  ELSE 'P' || lpad(((a.i::bigint * 32452843) % 1000000000)::text, 9, '0') END,
       CASE WHEN a.who = 4 THEN
              (SELECT v FROM names WHERE lang = 1 AND part = 0 AND k = 1 + floor(26 * pg_temp.u(a.i, 30) ^ 1.5)::int)
              || ' ' || (SELECT v FROM names WHERE lang = 1 AND part = 1 AND k = 1 + floor(20 * pg_temp.u(a.i, 31))::int)
            ELSE
              (SELECT v FROM names WHERE lang = 0 AND part = 0 AND k = 1 + floor(40 * pg_temp.u(a.i, 30) ^ 2)::int)
              || (SELECT v FROM names WHERE lang = 0 AND part = 1 AND k = 1 + floor(40 * pg_temp.u(a.i, 31) ^ 1.5)::int)
              || CASE WHEN pg_temp.u(a.i, 32) < 0.6
                      THEN (SELECT v FROM names WHERE lang = 0 AND part = 2 AND k = 1 + floor(30 * pg_temp.u(a.i, 33))::int)
                      ELSE '' END
       END,
       CASE WHEN pg_temp.u(a.i, 34) < 0.53 THEN 'M' ELSE 'F' END,
       g.today - (CASE pg_temp.pick(pg_temp.u(a.i, 35), '{8, 87, 5}')
                    WHEN 1 THEN 1 + floor(16 * pg_temp.u(a.i, 36))::int
                    WHEN 2 THEN 18 + floor(46 * pg_temp.u(a.i, 36) ^ 1.7)::int
                    ELSE 65 + floor(20 * pg_temp.u(a.i, 36))::int END * 365
                  + floor(365 * pg_temp.u(a.i, 37))::int),
       CASE a.who WHEN 1 THEN 'CHN' WHEN 2 THEN 'CHN' WHEN 3 THEN 'CHN'
                  ELSE (SELECT code FROM nation n WHERE n.k = pg_temp.pick(pg_temp.u(a.i, 38), '{20, 15, 14, 10, 9, 9, 8, 7, 4, 4}')) END,
       -- charter-flight manifests carry 11-digit fillers until the district
       -- has the real number (the district notes); others a mobile or a foreign number
       CASE WHEN a.port_kind = 'air' AND pg_temp.u(a.i, 39) < 0.25
              THEN (ARRAY['13800000000', '11111111111', '13800138000', '12345678901'])[1 + a.i % 4]
            WHEN a.who = 4 THEN '+82 10 ' || lpad((a.i % 100000000)::text, 8, '0')
            ELSE '1' || (ARRAY['3', '5', '7', '8', '9'])[1 + a.i % 5] || lpad(((a.i::bigint * 7907) % 1000000000)::text, 9, '0') END,
       d.code,
       d.name || (ARRAY['人民路', '学院路', '府前街', '车站大道', '瓯江路', '锦绣路'])[1 + a.i % 6] || (1 + a.i % 300) || '号'
  FROM arr a JOIN district d ON d.k = a.dk, gen g
 ORDER BY a.i;

-- Staff of the port city (the port-city notice) and their families: resident IDs with
-- a computed check character, born 1966-2003.
CREATE TEMP TABLE staffgen AS
SELECT g.n_arr + s AS person_id, s,
       (SELECT code FROM district WHERE k = pg_temp.pick(pg_temp.u(g.n_arr + s, 40), '{22, 10, 13, 1, 8, 6, 5, 2, 2, 15, 13, 3}')) AS code,
       -- unique with the sequence number s % 1000 (1000 = 1 mod 37)
       date '1966-01-01' + (s / 1000) + 373 * (s % 37) AS birth,
       (ARRAY['port_frontline', 'quarantine_site', 'designated_hospital', 'cold_chain', 'other_staff', 'family'])
         [pg_temp.pick(pg_temp.u(g.n_arr + s, 41), '{20, 30, 15, 10, 15, 10}')] AS role
  FROM gen g, generate_series(1, g.n_staff) AS s;
ALTER TABLE staffgen ADD COLUMN body text;
UPDATE staffgen SET body = code || to_char(birth, 'YYYYMMDD') || lpad((s % 1000)::text, 3, '0');
ANALYZE staffgen;
INSERT INTO person (person_id, doc_kind, doc_no, name, phone, jurisdiction)
SELECT s.person_id, 'resident_id',
       s.body || substr('10X98765432', 1 + (SELECT sum(substr(s.body, k::int, 1)::int * w)::int % 11
                                             FROM unnest('{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}'::int[]) WITH ORDINALITY AS x(w, k)), 1),
       (SELECT v FROM names WHERE lang = 0 AND part = 0 AND k = 1 + floor(40 * pg_temp.u(s.person_id, 30) ^ 2)::int)
         || (SELECT v FROM names WHERE lang = 0 AND part = 1 AND k = 1 + floor(40 * pg_temp.u(s.person_id, 31) ^ 1.5)::int),
       '13' || lpad(((s.person_id::bigint * 7907) % 1000000000)::text, 9, '0'),
       s.code
  FROM staffgen s ORDER BY s.person_id;
SELECT setval(pg_get_serial_sequence('quarantine.person', 'person_id'), (SELECT max(person_id) FROM person)) AS last_id \gset
-- Fresh tables have no statistics: without them the joins below plan as
-- nested loops over sequential scans, quadratic in the persons.
ANALYZE person;

-- ---------------------------------------------------------------------------
-- Entries (the trigger classifies them)
-- ---------------------------------------------------------------------------
INSERT INTO entry (entry_id, person_id, entered_at, port_kind, port, flight, seat, origin_country,
                   travel_history, temperature, symptoms, port_nat_result, close_contact, exempt_reason)
SELECT a.i, a.i, a.entered_at, a.port_kind,
       CASE a.port_kind WHEN 'air' THEN CASE WHEN a.flight LIKE 'MU%' THEN '上海浦东国际机场' ELSE '北京首都国际机场' END
                        WHEN 'land' THEN CASE a.origin WHEN 'HKG' THEN '深圳湾口岸' WHEN 'MAC' THEN '珠海拱北口岸' ELSE '瑞丽口岸' END
                        ELSE '温州港' END,
       a.flight, a.seat, a.origin, ARRAY[a.origin]::char(3)[], a.temperature, a.symptoms, a.nat, a.close_contact, a.exempt
  FROM arr a ORDER BY a.i;
SELECT setval(pg_get_serial_sequence('quarantine.entry', 'entry_id'), (SELECT max(entry_id) FROM entry)) AS last_id \gset
ANALYZE entry;

-- ---------------------------------------------------------------------------
-- Controls: what happened to each arrival by `at`
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE ctl AS
SELECT e.entry_id AS i, e.person_id, e.entered_at, e.category, p.jurisdiction,
       local_date(e.entered_at) AS qstart,
       coalesce(plan_for(e.category, local_date(e.entered_at)), '14c') AS plan,
       coalesce((SELECT po.nat_days FROM policy po
                  WHERE po.category = CASE WHEN e.category IN ('close_contact', 'discharged') THEN e.category ELSE 'general' END
                    AND po.effective @> local_date(e.entered_at)), '{1,7,14}') AS nat_days,
       CASE
         WHEN e.category = 'confirmed' THEN 'medical'
         WHEN pg_temp.u(e.entry_id, 50) < 0.015 THEN 'returned'
         WHEN e.entered_at > g.at_ts - interval '6 hours' AND pg_temp.u(e.entry_id, 51) < 0.7 THEN 'pending'
         ELSE 'under_control' END AS status,
       pg_temp.u(e.entry_id, 52) < 0.05 AND e.entered_at < g.at_ts - interval '8 days'
         AND e.category <> 'confirmed' AS transferred
  FROM entry e JOIN person p USING (person_id), gen g
 WHERE e.category <> 'exempt';
ANALYZE ctl;
ALTER TABLE ctl ADD COLUMN control_start timestamptz, ADD COLUMN iso_end date, ADD COLUMN ended_at timestamptz,
  ADD COLUMN site_id bigint, ADD COLUMN round_trip boolean NOT NULL DEFAULT false;
UPDATE ctl SET control_start = CASE WHEN transferred THEN entered_at + interval '7 days' ELSE entered_at + interval '3 hours' END,
               iso_end = isolation_end(plan, qstart)
 WHERE status IN ('under_control', 'medical');
-- Past the end of isolation, with the release NAT of day 14 in hand: ended.
UPDATE ctl c SET status = 'ended', ended_at = pg_temp.local(c.iso_end, interval '10 hours')
  FROM gen g
 WHERE c.status = 'under_control' AND pg_temp.local(c.iso_end, interval '10 hours') <= g.at_ts;
UPDATE ctl SET control_start = least(control_start, (SELECT at_ts FROM gen)) WHERE control_start IS NOT NULL;
-- Medical round trips: 1% of those still isolated went to hospital and came back.
UPDATE ctl c SET round_trip = true
  FROM gen g
 WHERE c.status = 'under_control' AND pg_temp.u(c.i, 53) < 0.01 AND c.control_start < g.at_ts - interval '2 days';
-- Hotels fill up in order of arrival, district by district: the k-th guest of
-- a district takes bed k modulo the district's beds.
UPDATE ctl c SET site_id = h.site_id
  FROM (SELECT i, (row_number() OVER (PARTITION BY jurisdiction ORDER BY control_start, i) - 1)::int AS k
          FROM ctl WHERE status IN ('under_control', 'ended')) s,
       (SELECT code, max(cum_hi) AS beds FROM hotel GROUP BY code) b,
       hotel h
 WHERE s.i = c.i AND b.code = c.jurisdiction AND h.code = c.jurisdiction
   AND s.k % b.beds >= h.cum_lo AND s.k % b.beds < h.cum_hi;
UPDATE ctl SET site_id = (SELECT min(site_id) FROM site WHERE kind = 'hospital') WHERE status = 'medical';
-- Bed k modulo the district's beds can still put more guests in one hotel on
-- one day than it has beds, which the rule site_full refuses (doc/ports.md):
-- such a hotel gets the beds its busiest day needs, so it is exactly full
-- that day.
UPDATE site s SET capacity = b.peak
  FROM (SELECT c.site_id, max(c.n)::int AS peak
          FROM (SELECT c.site_id, d.d, count(*) AS n
                  FROM ctl c,
                       LATERAL (SELECT phase_range(c.plan, c.qstart, 'centralized') AS r) p,
                       LATERAL generate_series(lower(p.r)::timestamp, upper(p.r)::timestamp - interval '1 day',
                                               interval '1 day') AS d(d)
                 WHERE c.status = 'under_control' AND c.site_id IS NOT NULL
                 GROUP BY 1, 2) c
         GROUP BY 1) b
 WHERE s.site_id = b.site_id AND b.peak > s.capacity;

-- Lab tests before the controls, so that a completed control finds its
-- release NAT: one sample per NAT day up to `at`, reported five hours later.
INSERT INTO lab_test (person_id, kind, sampled_at, result, lab, reported_at)
SELECT c.person_id, 'nat', t.sampled_at,
       CASE WHEN t.sampled_at + interval '5 hours' > g.at_ts THEN 'pending'
            WHEN c.category = 'confirmed' AND d = 1 THEN 'positive'
            ELSE 'negative' END::test_result,
       (ARRAY['温州市疾控中心', '迪安诊断温州实验室', '艾迪康温州实验室'])[1 + c.i % 3],
       CASE WHEN t.sampled_at + interval '5 hours' <= g.at_ts THEN t.sampled_at + interval '5 hours' END
  FROM ctl c, gen g, unnest(c.nat_days) AS d,
       LATERAL (SELECT pg_temp.local(c.qstart + d - 1, interval '8 hours' + make_interval(mins => (c.i % 180)::int)) AS sampled_at) t
 WHERE c.status IN ('under_control', 'medical', 'ended')
   AND t.sampled_at <= g.at_ts AND (c.ended_at IS NULL OR t.sampled_at <= c.ended_at OR d > 14)
 ORDER BY c.i, d;

INSERT INTO control (control_id, person_id, entry_id, jurisdiction, status, plan, quarantine_start, control_start,
                     site_id, transferred_from, return_reason, return_note, end_reason, ended_at, responsible,
                     registered_at)
SELECT c.i, c.person_id, c.i, c.jurisdiction, c.status::control_status, c.plan, c.qstart, c.control_start,
       c.site_id,
       CASE WHEN c.transferred THEN '上海市浦东新区集中隔离酒店' END,
       CASE WHEN c.status = 'returned' THEN 'out_of_province'::return_reason END,
       CASE WHEN c.status = 'returned' THEN '现居住地在外省，已移交' END,
       CASE WHEN c.status = 'ended' THEN 'completed'::end_reason END,
       c.ended_at,
       (ARRAY['网格员 王', '网格员 陈', '网格员 林', '社区医生 黄'])[1 + c.i % 4],
       -- the district registers a control the day it takes it (the district notes)
       coalesce(c.control_start, now())
  FROM ctl c ORDER BY c.i;
SELECT setval(pg_get_serial_sequence('quarantine.control', 'control_id'), (SELECT max(control_id) FROM control)) AS last_id \gset
ANALYZE control, lab_test;

-- The round trips, through the status rules and the event log.
SET quarantine.event_note = '发热，转定点医院排查';
UPDATE control c SET status = 'medical' FROM ctl t WHERE t.i = c.control_id AND t.round_trip;
SET quarantine.event_note = '排查阴性，返回隔离点';
UPDATE control c SET status = 'under_control' FROM ctl t WHERE t.i = c.control_id AND t.round_trip;
RESET quarantine.event_note;

-- Those transferred in have a verification row whose return date is the
-- day this district took control (rule verification_transfer_date).
INSERT INTO verification (person_id, entry_id, return_date, status, health_status, isolated_days_before_return,
                          followed_up_at, note)
SELECT c.person_id, c.i, local_date(c.control_start), 'closed', 'healthy', 7, c.control_start,
       '在上海集中隔离7天后点对点转运回温'
  FROM ctl c WHERE c.transferred AND c.status IN ('under_control', 'ended') ORDER BY c.i;

-- The province's tasks for the last three days' arrivals: a control task
-- each, a phone check for every filler number; most done in time.
INSERT INTO task (module, person_id, issued_at, done_at, outcome)
SELECT m.module, e.person_id, e.entered_at + interval '2 hours',
       CASE WHEN pg_temp.u(e.entry_id, 60 + m.k) < 0.9
             AND e.entered_at + interval '2 hours' + make_interval(hours => 1 + (e.entry_id % 20)::int) <= g.at_ts
            THEN e.entered_at + interval '2 hours' + make_interval(hours => 1 + (e.entry_id % 20)::int) END,
       NULL
  FROM entry e JOIN person p USING (person_id), gen g,
       LATERAL (VALUES (1, 'control'), (2, 'phone_check')) AS m(k, module)
 WHERE e.entered_at > g.at_ts - interval '3 days' AND e.category <> 'exempt'
   AND (m.module = 'control' OR p.phone_status = 'placeholder')
 ORDER BY e.entry_id, m.k;
UPDATE task SET outcome = 'done' WHERE done_at IS NOT NULL;
-- A day after arrival most mobile numbers have been confirmed by a call.
UPDATE person p SET phone_status = 'verified'
  FROM entry e, gen g
 WHERE e.person_id = p.person_id AND p.phone_status = 'unverified'
   AND e.entered_at < g.at_ts - interval '1 day' AND pg_temp.u(p.person_id, 65) < 0.7;

-- ---------------------------------------------------------------------------
-- Staff: roles, closed-loop rotations, tests on their cadence
-- ---------------------------------------------------------------------------
-- On staff for four weeks: monitored every day of the health checks below.
INSERT INTO staff (person_id, role, employer, closed_loop_start, created_at)
SELECT s.person_id, s.role,
       CASE s.role WHEN 'port_frontline' THEN '温州龙湾国际机场' WHEN 'quarantine_site' THEN '隔离点工作专班'
                   WHEN 'designated_hospital' THEN '温州市中心医院' WHEN 'cold_chain' THEN '温州冷链物流中心'
                   WHEN 'other_staff' THEN '温州海关' ELSE NULL END,
       CASE WHEN s.role IN ('quarantine_site', 'designated_hospital') THEN g.today - (s.s % 28) END,
       g.at_ts - interval '28 days'
  FROM staffgen s, gen g ORDER BY s.person_id;
-- Every other day, twice a week or weekly by role over the last two weeks;
-- about one in twelve missed the latest test and is overdue.
INSERT INTO lab_test (person_id, kind, sampled_at, result, lab, reported_at)
SELECT s.person_id, 'nat', t.sampled_at,
       CASE WHEN t.sampled_at + interval '5 hours' > g.at_ts THEN 'pending' ELSE 'negative' END::test_result,
       '温州市疾控中心',
       CASE WHEN t.sampled_at + interval '5 hours' <= g.at_ts THEN t.sampled_at + interval '5 hours' END
  FROM staffgen s, gen g,
       LATERAL (SELECT CASE s.role WHEN 'other_staff' THEN 3 WHEN 'family' THEN 7 ELSE 2 END AS step,
                       CASE WHEN pg_temp.u(s.person_id, 70) < 0.08 THEN 1 ELSE 0 END AS missed) c,
       generate_series(c.missed * c.step, 14, c.step) AS back,
       LATERAL (SELECT pg_temp.local(g.today - back - (s.s % c.step), interval '7 hours 30 minutes') AS sampled_at) t
 WHERE t.sampled_at <= g.at_ts
 ORDER BY s.person_id, back DESC;

-- ---------------------------------------------------------------------------
-- Daily health checks (doc/monitoring.md): over the last two weeks, everyone
-- monitored that day (a control in its home or monitoring phase, and the
-- staff's daily zero report) reports once in the morning; about one report
-- in fourteen is missed, and 3% have stopped reporting for the last three
-- days.  A few report a fever or a symptom: today (a referral issued at
-- once) or two days ago and earlier (history: no referral for a report older
-- than 24 hours), never yesterday, so the referrals do not depend on the
-- minute the script runs.
-- ---------------------------------------------------------------------------
INSERT INTO health_check (person_id, checked_at, temperature, symptoms, by_role, created_at)
SELECT m.person_id, t.checked_at,
       CASE WHEN a.fever THEN 37.5 + round((pg_temp.u(m.k, 93) * 1.4)::numeric, 1)
            ELSE 36.0 + round((pg_temp.u(m.k, 94) * 0.9)::numeric, 1) END,
       CASE WHEN a.symptom THEN ARRAY[(ARRAY['dry_cough', 'fatigue', 'sore_throat', 'diarrhea'])[1 + m.k % 4]]
            ELSE '{}'::text[] END,
       CASE WHEN m.staff THEN '本人零报告' ELSE '社区卫生服务中心' END,
       t.checked_at + interval '10 minutes'
  FROM (SELECT c.person_id, g.today - back AS day, back, false AS staff, c.person_id * 100 + back AS k
          FROM ctl c, gen g, generate_series(0, 13) AS back
         WHERE c.status IN ('under_control', 'ended')
           AND phase_on(c.plan, c.qstart, g.today - back) IN ('home', 'monitoring')
           AND (c.ended_at IS NULL OR local_date(c.ended_at) > g.today - back)
        UNION ALL
        SELECT s.person_id, g.today - back, back, true, s.person_id * 100 + back
          FROM staffgen s, gen g, generate_series(0, 13) AS back) m,
       gen g,
       LATERAL (SELECT pg_temp.local(m.day, interval '7 hours' + make_interval(mins => floor(pg_temp.u(m.k, 90) * 240)::int))
                         AS checked_at) t,
       LATERAL (SELECT m.back <> 1 AND pg_temp.u(m.k, 95) < 0.006 AS fever,
                       m.back <> 1 AND pg_temp.u(m.k, 96) < 0.008 AS symptom) a
 WHERE t.checked_at <= g.at_ts
   AND pg_temp.u(m.k, 91) >= 0.07
   AND NOT (m.back < 3 AND pg_temp.u(m.person_id, 92) < 0.03)
 ORDER BY m.person_id, t.checked_at;

-- ---------------------------------------------------------------------------
-- Scans at venues, when the scan trail exists (doc/places.md)
-- ---------------------------------------------------------------------------
SELECT to_regclass('quarantine.checkin') IS NOT NULL AS has_checkin \gset
\if :has_checkin
INSERT INTO place (name, location)
SELECT d.name || (ARRAY['菜市场', '超市', '地铁站', '商场', '医院门诊', '餐厅', '公交站', '药店'])[1 + j % 8] || j || '号',
       ST_SetSRID(ST_MakePoint(d.lon + (pg_temp.u(d.k * 1000 + j, 80) - 0.5) * 0.08,
                               d.lat + (pg_temp.u(d.k * 1000 + j, 81) - 0.5) * 0.06), 4326)::geography
  FROM district d, gen g, generate_series(1, greatest(4, (g.n / 400 * d.weight / 100)::int)) AS j
 ORDER BY d.k, j;
-- Who walks about: staff, and everyone whose control has ended; two scans a
-- day on average over the last week, at their district's venues, the
-- popular ones more often.
CREATE TEMP TABLE walker AS
SELECT p.person_id, p.jurisdiction, g.at_ts - interval '7 days' AS free_from
  FROM person p JOIN staff s USING (person_id), gen g
UNION ALL
SELECT c.person_id, c.jurisdiction, c.ended_at FROM control c WHERE c.status = 'ended';
CREATE TEMP TABLE venue AS
SELECT pl.place_id, d.code, row_number() OVER (PARTITION BY d.code ORDER BY pl.place_id) AS j,
       count(*) OVER (PARTITION BY d.code) AS nj
  FROM place pl JOIN district d ON pl.name LIKE d.name || '%';
INSERT INTO checkin (person_id, place_id, scanned_at)
SELECT DISTINCT w.person_id, v.place_id, t.scanned_at
  FROM walker w, gen g, generate_series(0, 6) AS back, generate_series(1, 4) AS x,
       LATERAL (SELECT pg_temp.local(g.today - back, make_interval(mins => (7 * 60 + floor(pg_temp.u(w.person_id * 100 + back * 5 + x, 82) * 900))::int)) AS scanned_at) t,
       LATERAL (SELECT max(nj) AS nj FROM venue WHERE code = w.jurisdiction) n,
       venue v
 WHERE pg_temp.u(w.person_id * 100 + back * 5 + x, 83) < 0.5
   AND v.code = w.jurisdiction
   AND v.j = 1 + floor(n.nj * pg_temp.u(w.person_id * 100 + back * 5 + x, 84) ^ 2)::int
   AND t.scanned_at BETWEEN w.free_from AND g.at_ts;
\endif

-- ---------------------------------------------------------------------------
-- People and goods (doc/ports.md): imported cold-chain lots over the last two
-- weeks wait in 鹿城区's supervised cold store, are disinfected and their
-- packages sampled (negative) the day they arrive, and move on to the
-- wholesale hall the next day and to a market of the district the day
-- after, handled by cold-chain staff of the district.  One in five lots is
-- not cold-chain.  The first lot's goods sampled at its market three days
-- after it arrived are positive: lot_exposures lists its handlers and the
-- market's customers (the handlers: cold-chain staff of the district first).
-- ---------------------------------------------------------------------------
INSERT INTO site (name, kind, jurisdiction, location)
SELECT v.name, 'other', d.code, ST_SetSRID(ST_MakePoint(d.lon + v.dx, d.lat), 4326)::geography
  FROM district d, (VALUES (1, '温州冷链食品集中监管仓', 0.01), (2, '温州水产品批发市场', -0.01)) v(j, name, dx)
 WHERE d.k = 1 ORDER BY v.j;
CREATE TEMP TABLE lotgen AS
SELECT i, pg_temp.local(g.today - 14 + (i % 12), interval '6 hours') AS arrived_at, i % 5 <> 0 AS cold_chain,
       (SELECT site_id FROM site WHERE name = '温州冷链食品集中监管仓') AS store,
       (SELECT site_id FROM site WHERE name = '温州水产品批发市场') AS hall,
       (SELECT place_id FROM place WHERE name LIKE '鹿城区%'
         ORDER BY place_id OFFSET floor(pg_temp.u(i, 120) * 4)::int LIMIT 1) AS market,
       (SELECT person_id FROM staffgen
         ORDER BY role <> 'cold_chain', code <> '330302', person_id OFFSET floor(pg_temp.u(i, 121) * 2)::int LIMIT 1) AS handler
  FROM gen g, generate_series(1, greatest(10, g.n / 200)) AS i;
INSERT INTO goods_lot (lot_id, product, origin_country, port, arrived_at, cold_chain, warehouse)
SELECT i, (ARRAY['冷冻白虾', '冷冻带鱼', '冷冻牛肉', '冷冻鸡翅', '香蕉'])[1 + i % 5],
       (ARRAY['ECU', 'NOR', 'BRA', 'ARG', 'PHL'])[1 + i % 5], 'WNZ', arrived_at, cold_chain, store
  FROM lotgen l, gen g WHERE l.arrived_at <= g.at_ts ORDER BY i;
INSERT INTO disinfection (lot_id, at, by_role)
SELECT i, arrived_at + interval '3 hours', '监管仓消杀组' FROM lotgen l, gen g
 WHERE l.arrived_at + interval '3 hours' <= g.at_ts ORDER BY i;
INSERT INTO env_sample (subject, lot_id, site_id, sampled_at, result)
SELECT 'package', i, store, arrived_at + interval '4 hours', 'negative' FROM lotgen l, gen g
 WHERE l.arrived_at + interval '4 hours' <= g.at_ts ORDER BY i;
INSERT INTO lot_movement (lot_id, from_site, to_site, place_id, moved_at, handler)
SELECT l.i, m.from_site, m.to_site, m.place_id, m.moved_at, l.handler
  FROM lotgen l, gen g,
       LATERAL (VALUES (1, l.store, l.hall, NULL::bigint, l.arrived_at + interval '1 day'),
                       (2, l.hall, NULL, l.market, l.arrived_at + interval '2 days')) m(step, from_site, to_site, place_id, moved_at)
 WHERE m.moved_at <= g.at_ts AND l.market IS NOT NULL
 ORDER BY l.i, m.step;
INSERT INTO env_sample (subject, lot_id, place_id, sampled_at, result)
SELECT 'goods', i, market, arrived_at + interval '3 days', 'positive' FROM lotgen l, gen g
 WHERE l.i = 1 AND l.arrived_at + interval '3 days' <= g.at_ts AND l.market IS NOT NULL;

-- A case found among staff this morning: a frontline worker's routine NAT
-- is positive.  Their flight-free contacts are in the scan trail.
INSERT INTO lab_test (person_id, kind, sampled_at, result, lab, reported_at)
SELECT s.person_id, 'nat', g.at_ts - interval '3 hours', 'positive', '温州市疾控中心', g.at_ts - interval '1 hour'
  FROM (SELECT min(person_id) AS person_id FROM staffgen WHERE role = 'port_frontline') s, gen g
 WHERE s.person_id IS NOT NULL;

-- Bring every colour to the present (time alone moved some since their
-- writes).  The feed is about now: the triggers computed each colour at the
-- transaction time of its write, so in the historic mode too the latest
-- row of a person is the colour today.
SELECT refresh_codes() >= 0 AS refreshed \gset
ANALYZE;
\echo generated :persons persons (seed :seed):
SELECT (SELECT count(*) FROM person) AS persons, (SELECT count(*) FROM entry) AS entries,
       (SELECT count(*) FROM control) AS controls, (SELECT count(*) FROM lab_test) AS lab_tests,
       (SELECT count(*) FROM staff) AS staff, (SELECT count(*) FROM site) AS sites,
       (SELECT count(*) FROM health_check) AS health_checks,
       (SELECT count(*) FROM code_assignment) AS feed_rows,
       (SELECT count(*) FROM goods_lot) AS lots, (SELECT count(*) FROM lot_movement) AS movements;
