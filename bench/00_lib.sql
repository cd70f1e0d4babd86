-- Benchmark helpers (not part of the extension).  Every figure is a ratio of
-- two statements timed in the same run, best of three, so that it does not
-- depend on how fast this machine is.
\set QUIET on
CREATE SCHEMA IF NOT EXISTS bench;
CREATE TABLE IF NOT EXISTS bench.result (
  label text, subject_ms numeric, baseline_ms numeric, ratio numeric, note text);

-- The CPU time this backend has used, in ms (Linux: the first field of
-- /proc/<pid>/schedstat, in ns); NULL where there is no such file.  On a
-- shared machine a statement's CPU time moves much less than its wall time,
-- which other work on the cores lengthens (doc/benchmarks.md).
CREATE OR REPLACE FUNCTION bench.cpu_ms() RETURNS numeric
LANGUAGE sql VOLATILE AS $$
  SELECT split_part(pg_read_file('/proc/' || pg_backend_pid() || '/schedstat', 0, 100, true), ' ', 1)::numeric / 1e6
$$;

-- Time one statement: best wall time of `runs` executions, in ms.  The CPU
-- time of the backend during that best run is left in bench.cpu_ms
-- (current_setting('bench.cpu_ms')).
CREATE OR REPLACE FUNCTION bench.time_ms(sql text, runs int DEFAULT 3)
RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
  best numeric;
  best_cpu numeric;
  t0 timestamptz;
  c0 numeric;
  ms numeric;
BEGIN
  FOR i IN 1..runs LOOP
    c0 := bench.cpu_ms();
    t0 := clock_timestamp();
    EXECUTE sql;
    ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
    IF best IS NULL OR ms < best THEN
      best := ms;
      best_cpu := bench.cpu_ms() - c0;
    END IF;
  END LOOP;
  PERFORM set_config('bench.cpu_ms', coalesce(round(best_cpu, 1)::text, ''), false);
  RETURN round(best, 1);
END $$;

-- Time subject and baseline statements and record their ratio; for
-- statements of 100 ms or more the note also gives the ratio of the
-- backend's CPU times (a parallel plan's workers are not counted).
CREATE OR REPLACE FUNCTION bench.compare(label text, subject text, baseline text,
                                         note text DEFAULT NULL, runs int DEFAULT 3)
RETURNS SETOF bench.result LANGUAGE plpgsql AS $$
DECLARE
  s numeric := bench.time_ms(subject, runs);
  sc numeric := nullif(current_setting('bench.cpu_ms'), '')::numeric;
  b numeric := bench.time_ms(baseline, runs);
  bc numeric := nullif(current_setting('bench.cpu_ms'), '')::numeric;
  cpu text;
BEGIN
  IF s >= 100 AND b >= 100 AND bc > 0 THEN
    cpu := 'CPU ' || round(sc / bc, 2) || 'x';
  END IF;
  RETURN QUERY INSERT INTO bench.result
    VALUES (label, s, b, round(s / nullif(b, 0), 2), nullif(concat_ws('; ', cpu, note), '')) RETURNING *;
END $$;
\set QUIET off

-- n persons like a district's arrivals (bench/47 and bench/50), ids first_id+1
-- .. first_id+n, documents doc_prefix || 8 digits, drawn by hash from i and
-- seed: birth dates mostly of working age (80% born 18-60 years before the
-- 2021 bench dates), so that a birth-date and sex block holds about n/30,000
-- persons as in a real population; family names skewed (a few are common),
-- given names of one or two syllables from 60; 2% filler phones, 3% a phone
-- shared with the person before (a family), and 1% true duplicates: a person
-- of 1..200 rows earlier under another document, one letter of the given name
-- changed, the same sex, the same birth date (a quarter of them: one some
-- days off, a slip) and, for half of them, the same phone.
CREATE OR REPLACE FUNCTION bench.u(i bigint, k int) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (hashint8extended(i, k) & 2147483647)::float8 / 2147483648.0;
CREATE OR REPLACE FUNCTION bench.population(n bigint, first_id bigint, doc_prefix text, seed int DEFAULT 0)
RETURNS TABLE (person_id bigint, doc_kind text, doc_no text, name text, sex text,
               birth_date date, nationality text, phone text)
LANGUAGE sql STABLE AS $$
WITH b AS (
  SELECT i,
         -- the person drawn: i itself, or for a true duplicate one before it
         CASE WHEN i > 200 AND bench.u(i, seed + 1) < 0.01
              THEN i - 1 - floor(bench.u(i, seed + 2) * 200)::bigint ELSE i END AS j,
         bench.u(i, seed + 1) < 0.01 AND i > 200 AS dup
    FROM generate_series(1, n) i
), d AS (
  SELECT b.*,
         ('{WANG,LI,ZHANG,LIU,CHEN,YANG,HUANG,ZHAO,WU,ZHOU,XU,SUN,MA,ZHU,HU,GUO,HE,GAO,LIN,LUO,
           ZHENG,LIANG,XIE,SONG,TANG,HAN,FENG,DENG,CAO,PENG,ZENG,XIAO,TIAN,DONG,YUAN,PAN,YU,JIANG,CAI,JIA,
           DING,WEI,XUE,YE,YAN,DU,DAI,XIA,ZHONG,REN,FAN,FANG,SHI,YAO,TAN,LIAO,ZOU,XIONG,JIN,LU,
           HAO,KONG,BAI,CUI,KANG,MAO,QIU,QIN,GU,HOU,SHAO,MENG,LONG,WAN,DUAN,QIAN,YIN,YI,CHANG,QIAO,
           LAI,GONG,WEN,LEI,HONG,MO,KUANG,ZHAN,TAO,OU,NI,LIAN,HUO,BAO,SHEN,HUA,XING,PEI,CHU,LUAN}'::text[])
           [1 + floor(100 * bench.u(j, seed + 3) ^ 2)::int] AS family,
         '{WEI,FANG,NA,MIN,JING,LI,QIANG,LEI,JUN,YANG,YONG,YAN,JIE,JUAN,TAO,MING,CHAO,XIU,XIA,PING,
           GANG,GUI,YING,HUA,JIAN,HONG,HAI,BO,YU,XIN,HUI,LING,FEI,KAI,HAO,YI,DAN,LIN,XUE,MEI,
           QING,ZHEN,BIN,PENG,FENG,LONG,CHUN,HUAN,LAN,YUN,JIA,ZI,HAN,XUAN,RUI,TING,SHU,XIAO,WEN,DONG}'::text[]
           AS syl,
         CASE WHEN bench.u(j, seed + 4) < 0.8
              THEN 18 * 365 + floor(bench.u(j, seed + 5) * 42 * 365)::int
              ELSE floor(bench.u(j, seed + 5) * 90 * 365)::int END AS age_days
    FROM b
), g AS (
  SELECT d.*, syl[1 + floor(60 * bench.u(j, seed + 6) ^ 1.2)::int]
              || CASE WHEN bench.u(j, seed + 7) < 0.7 THEN syl[1 + floor(60 * bench.u(j, seed + 8))::int]
                      ELSE '' END AS given
    FROM d
)
SELECT first_id + i, 'passport', doc_prefix || lpad(i::text, 8, '0'),
       family || ' ' || CASE WHEN dup THEN overlay(given PLACING chr(65 + floor(bench.u(i, seed + 9) * 26)::int)
                                                   FROM 1 + floor(bench.u(i, seed + 10) * length(given))::int FOR 1)
                             ELSE given END,
       CASE WHEN bench.u(j, seed + 11) < 0.5 THEN 'M' ELSE 'F' END,
       date '2021-06-01' - age_days
         - CASE WHEN dup AND bench.u(i, seed + 15) < 0.25 THEN 1 + floor(bench.u(i, seed + 16) * 30)::int ELSE 0 END,
       'CHN',
       CASE WHEN bench.u(i, seed + 12) < 0.02 THEN '11111111111'
            ELSE '13' || lpad(((hashint8extended(CASE WHEN dup AND bench.u(i, seed + 13) < 0.5 THEN j
                                                        WHEN NOT dup AND bench.u(i, seed + 14) < 0.03 THEN i - 1
                                                        ELSE i END, seed) & 2147483647) % 1000000000)::text, 9, '0')
       END
  FROM g;
$$;
