-- cnid: the resident identity number type (doc/identity.md; GB 11643-1999).
BEGIN;
SELECT plan(34);


-- The outcome of a text as cnid input: 'valid' or the check that failed,
-- read from the DETAIL (every rejection must be 22P02).
CREATE FUNCTION pg_temp.verdict(number text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE e record;
BEGIN
  e := tap.error_of(format('SELECT %L::cnid', number));
  RETURN CASE
    WHEN e.state IS NULL THEN 'valid'
    WHEN e.state <> '22P02' THEN 'sqlstate ' || e.state
    WHEN e.message <> format('invalid input syntax for type cnid: "%s"', number) THEN 'message ' || e.message
    WHEN e.hint IS NULL THEN 'no hint'
    WHEN e.detail LIKE 'A resident identity number has 18 characters, or 15 digits in the legacy form, but this one has %' THEN 'length'
    WHEN e.detail LIKE 'Character % is "%", but %' THEN 'char'
    WHEN e.detail LIKE 'The number starts with __, which is not a province-level code.' THEN 'province'
    WHEN e.detail LIKE 'The birth date %-%-% does not exist.' THEN 'date'
    WHEN e.detail LIKE 'The birth date %-%-% is before 1800.' THEN 'early'
    WHEN e.detail LIKE 'The birth date %-%-% is in the future.' THEN 'future'
    WHEN e.detail LIKE 'The check character is "_", but the first 17 digits require "_".' THEN 'check'
    ELSE 'detail ' || e.detail END;
END $$;

-- The ISO 7064 MOD 11-2 check character of 17 digits, written again in SQL
-- as an independent reference.
CREATE FUNCTION pg_temp.mod11_2(body text) RETURNS text LANGUAGE sql AS $$
  SELECT substr('10X98765432', (sum(substr(body, i::int, 1)::int * w) % 11)::int + 1, 1)
    FROM unnest('{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}'::int[]) WITH ORDINALITY AS t(w, i)
$$;

-- test/data/cn_ric_vectors.tsv, every row, with the outcome we expect.  Where
-- it differs from the source's own verdict, the comment says why: we check
-- the province prefix only (doc/identity.md), not county-level code history.
CREATE TEMP TABLE ric (number text, verdict text, canonical text, born date, sex char);
INSERT INTO ric VALUES
  ('360426199101010071', 'valid', '360426199101010071', '1991-01-01', 'M'),
  ('44011320141005001x', 'valid', '44011320141005001X', '2014-10-05', 'M'),
  ('412723199010050012', 'valid', '412723199010050012', '1990-10-05', 'M'),
  ('110102199101010078', 'valid', '110102199101010078', '1991-01-01', 'M'),
  ('120110198012010073', 'valid', '120110198012010073', '1980-12-01', 'M'),
  ('120110199212010072', 'valid', '120110199212010072', '1992-12-01', 'M'),
  ('990426199112010074', 'province', NULL, NULL, NULL),
  -- stdnum rejects these two by county-code history (out of scope): valid here.
  ('110111198012010078', 'valid', '110111198012010078', '1980-12-01', 'M'),
  ('110201199312010077', 'valid', '110201199312010077', '1993-12-01', 'M'),
  ('T60426199101010078', 'char', NULL, NULL, NULL),
  ('360426199113010079', 'date', NULL, NULL, NULL),
  ('36042619910102009X', 'check', NULL, NULL, NULL),
  ('44030819990110', 'length', NULL, NULL, NULL),
  -- "unknown address code 111111": province 11 exists; the check character fails.
  ('111111199901101512', 'check', NULL, NULL, NULL),
  -- Feb 30 and a wrong check character: the date is named first.
  ('440308199902301512', 'date', NULL, NULL, NULL),
  ('440308199901101513', 'check', NULL, NULL, NULL),
  ('610104620932690', 'date', NULL, NULL, NULL),
  ('11010119900307867X', 'check', NULL, NULL, NULL),
  -- "valid(non-strict)/invalid(strict)": strict mode is county history, out of scope.
  ('500154199301135886', 'valid', '500154199301135886', '1993-01-13', 'F'),
  ('110101199003078670', 'valid', '110101199003078670', '1990-03-07', 'M'),
  ('440308199901101512', 'valid', '440308199901101512', '1999-01-10', 'M'),
  ('500154199804106120', 'valid', '500154199804106120', '1998-04-10', 'F'),
  ('411082198901010002', 'valid', '411082198901010002', '1989-01-01', 'F'),
  ('610104620927690', 'valid', '610104196209276908', '1962-09-27', 'F'),
  ('810000199408230021', 'valid', '810000199408230021', '1994-08-23', 'F'),
  ('830000199201300022', 'valid', '830000199201300022', '1992-01-30', 'F'),
  ('44040119580101000X', 'valid', '44040119580101000X', '1958-01-01', 'F'),
  ('140120197901010008', 'valid', '140120197901010008', '1979-01-01', 'F'),
  ('441282198101011230', 'valid', '441282198101011230', '1981-01-01', 'M'),
  ('362324198001010014', 'valid', '362324198001010014', '1980-01-01', 'M'),
  ('362324198101010011', 'valid', '362324198101010011', '1981-01-01', 'M'),
  ('362324198201010019', 'valid', '362324198201010019', '1982-01-01', 'M'),
  ('430302199312194239', 'valid', '430302199312194239', '1993-12-19', 'M'),
  ('370620199505100123', 'valid', '370620199505100123', '1995-05-10', 'F'),
  ('TES12345678901 j', 'length', NULL, NULL, NULL),
  ('330329200312314634', 'valid', '330329200312314634', '2003-12-31', 'M'),
  ('440301197110292910', 'valid', '440301197110292910', '1971-10-29', 'M'),
  ('500154199302305886', 'date', NULL, NULL, NULL),
  ('130223198605246136', 'valid', '130223198605246136', '1986-05-24', 'M'),
  -- "invalid(region check)": 440301 is no longer a county code; out of scope.
  ('440301199508290949', 'valid', '440301199508290949', '1995-08-29', 'F'),
  ('13053519860730352X', 'valid', '13053519860730352X', '1986-07-30', 'F'),
  ('140830201911296054', 'valid', '140830201911296054', '2019-11-29', 'M'),
  ('422824199511307158', 'valid', '422824199511307158', '1995-11-30', 'M'),
  ('511123410630163', 'valid', '511123194106301637', '1941-06-30', 'M'),
  ('321083197812162119', 'valid', '321083197812162119', '1978-12-16', 'M'),
  ('150102880730303', 'valid', '150102198807303035', '1988-07-30', 'M'),
  -- A 2023 foreign permanent resident ID (leading 9) is no resident number;
  -- normalize_doc('foreign_permanent_id', ...) accepts it (docs_test).
  ('932682198501010017', 'province', NULL, NULL, NULL),
  ('360198910283844', 'date', NULL, NULL, NULL),
  ('201511221897205960', 'province', NULL, NULL, NULL),
  ('815727834224151', 'date', NULL, NULL, NULL),
  ('3301022011022000D6', 'char', NULL, NULL, NULL),
  ('33010219200403064x', 'valid', '33010219200403064X', '1920-04-03', 'F'),
  ('33010219200403064X', 'valid', '33010219200403064X', '1920-04-03', 'F'),
  ('81000019980902013X', 'valid', '81000019980902013X', '1998-09-02', 'M'),
  ('820000200009100032', 'valid', '820000200009100032', '2000-09-10', 'M'),
  ('830000200209060065', 'valid', '830000200209060065', '2002-09-06', 'F'),
  -- hutool's quirk is ours too: province 11 and 1911-11-11 are all there is to check.
  ('111111111111111', 'valid', '111111191111111113', '1911-11-11', 'M'),
  ('130701199310302288', 'valid', '130701199310302288', '1993-10-30', 'F'),
  ('52030219891209794X', 'valid', '52030219891209794X', '1989-12-09', 'F'),
  ('13070119931030228X', 'check', NULL, NULL, NULL),
  ('230701199310302289', 'check', NULL, NULL, NULL),
  ('520302198912097948', 'check', NULL, NULL, NULL),
  ('230701199310302288', 'check', NULL, NULL, NULL),
  ('23070119931030228X', 'check', NULL, NULL, NULL),
  ('130701199310', 'length', NULL, NULL, NULL),
  -- 15-digit numbers are always accepted (doc/identity.md), not only in a "loose" mode.
  ('320311770706001', 'valid', '320311197707060018', '1977-07-06', 'M'),
  ('110101197810270029', 'valid', '110101197810270029', '1978-10-27', 'F'),
  ('110101781027002', 'valid', '110101197810270029', '1978-10-27', 'F'),
  ('1101011978102700291', 'length', NULL, NULL, NULL),
  ('880101197810270029', 'province', NULL, NULL, NULL),
  ('110101197802310029', 'date', NULL, NULL, NULL),
  ('110101780231002', 'date', NULL, NULL, NULL),
  ('110101197810270021', 'check', NULL, NULL, NULL),
  ('330105781027002', 'valid', '330105197810270025', '1978-10-27', 'F'),
  ('330105197810270025', 'valid', '330105197810270025', '1978-10-27', 'F'),
  ('3301051978102700251', 'length', NULL, NULL, NULL);

-- ---------- the vectors ----------
SELECT is((SELECT count(*) FROM ric), 76::bigint, 'all 76 rows of cn_ric_vectors.tsv are in the table');

SELECT results_eq(
  $$SELECT number, pg_temp.verdict(number) FROM ric ORDER BY number$$,
  $$SELECT number, verdict FROM ric ORDER BY number$$,
  'cn_ric_vectors: each number is accepted, or rejected with 22P02 and the DETAIL of the failing check');

SELECT results_eq(
  $$SELECT number, number::cnid::text, birth_date(number::cnid), sex(number::cnid),
           region_code(number::cnid), mask(number::cnid)
      FROM ric WHERE verdict = 'valid' ORDER BY 1$$,
  $$SELECT number, canonical, born, sex::bpchar, left(canonical, 6),
           left(canonical, 6) || '********' || right(canonical, 4)
      FROM ric WHERE verdict = 'valid' ORDER BY 1$$,
  'cn_ric_vectors: canonical text, birth date, sex, region code and mask of every accepted number');

SELECT is((SELECT count(*) FROM ric WHERE cnid_is_valid(number) IS DISTINCT FROM (verdict = 'valid')),
          0::bigint, 'cnid_is_valid agrees with the input function on every vector');

SELECT is((SELECT count(*) FROM ric WHERE verdict = 'valid'
             AND right(canonical, 1) <> pg_temp.mod11_2(left(canonical, 17))),
          0::bigint, 'every canonical form ends with the check character the SQL reference computes');

-- test/data/cn_ric_15to18.tsv
SELECT results_eq(
  $$SELECT id15::cnid::text, id15::cnid = id18::cnid FROM (VALUES
      ('610104620927690', '610104196209276908'),
      ('150102880730303', '150102198807303035'),
      ('330102200403064', '33010219200403064X'),
      ('110101781027002', '110101197810270029'),
      ('330105781027002', '330105197810270025')) v(id15, id18)$$,
  $$VALUES ('610104196209276908', true), ('150102198807303035', true), ('33010219200403064X', true),
           ('110101197810270029', true), ('330105197810270025', true)$$,
  'cn_ric_15to18: a 15-digit number is upgraded to 18 and equals the 18-digit form');

-- test/data/cn_ric_checkdigit.tsv (the 17-digit rows; the 3- and 4-digit
-- generic ISO 7064 rows have no cnid to test).
SELECT results_eq(
  $$SELECT (body || c)::cnid::text, pg_temp.verdict(body || CASE c WHEN '4' THEN '5' ELSE '4' END),
           (tap.error_of(format('SELECT %L::cnid', body || CASE c WHEN '4' THEN '5' ELSE '4' END))).detail
      FROM (VALUES ('33010519781027002', '5'), ('11010119000101001', '4')) v(body, c)$$,
  $$VALUES ('330105197810270025', 'check', 'The check character is "4", but the first 17 digits require "5".'),
           ('110101190001010014', 'check', 'The check character is "5", but the first 17 digits require "4".')$$,
  'cn_ric_checkdigit: the right check character is accepted, another is rejected naming the expected one');

-- ---------- input details ----------
SELECT results_eq(
  $$SELECT (tap.error_of(format('SELECT %L::cnid', n))).detail FROM unnest(ARRAY[
      '', '3604261991010100', '36042619910101007A', '36042619910101007', '3604261991010100 71',
      '36042619910101007中', '61010462092769X', '000426199101010071', '110101200002300011',
      '110101190002290011', '110101000229001', '11010117991231001X']) WITH ORDINALITY t(n, i) ORDER BY i$$,
  $$VALUES ('A resident identity number has 18 characters, or 15 digits in the legacy form, but this one has 0.'),
           ('A resident identity number has 18 characters, or 15 digits in the legacy form, but this one has 16.'),
           ('Character 18 is "A", but the check character must be a digit or X.'),
           ('A resident identity number has 18 characters, or 15 digits in the legacy form, but this one has 17.'),
           ('A resident identity number has 18 characters, or 15 digits in the legacy form, but this one has 19.'),
           ('Character 18 is "中", but the check character must be a digit or X.'),
           ('Character 15 is "X", but a 15-character legacy number has digits only.'),
           ('The number starts with 00, which is not a province-level code.'),
           ('The birth date 2000-02-30 does not exist.'),
           ('The birth date 1900-02-29 does not exist.'),
           ('The birth date 1900-02-29 does not exist.'),
           ('The birth date 1799-12-31 is before 1800.')$$,
  'DETAIL names the length, the character and its position, the province and the date');

SELECT results_eq(
  $$SELECT n::cnid::text FROM unnest(ARRAY[E' \t360426199101010071\n ', '110101200002290018', '110101960229002']) n$$,
  $$VALUES ('360426199101010071'), ('110101200002290018'), ('110101199602290024')$$,
  'surrounding blanks are ignored; Feb 29 of a leap year is a date');

-- Every province-level prefix is accepted and no other (doc/identity.md).
SELECT results_eq(
  $$SELECT p FROM generate_series(0, 99) p, LATERAL (SELECT lpad(p::text, 2, '0') || '010119900101001' AS body) b
     WHERE cnid_is_valid(body || pg_temp.mod11_2(body))
     ORDER BY p$$,
  $$SELECT unnest('{11,12,13,14,15,21,22,23,31,32,33,34,35,36,37,41,42,43,44,45,46,50,51,52,53,54,61,62,63,64,65,71,81,82,83}'::int[])$$,
  'the province prefixes are exactly 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82, 83');

-- "Future" is after today in quarantine.timezone.  Kiritimati (UTC+14) is
-- always at least a day ahead of Pago Pago (UTC-11).
SET LOCAL quarantine.timezone = 'Pacific/Kiritimati';
CREATE TEMP TABLE today_body AS
  SELECT '110101' || to_char((now() AT TIME ZONE 'Pacific/Kiritimati')::date, 'YYYYMMDD') || '001' AS body;
SELECT ok(cnid_is_valid((SELECT body || pg_temp.mod11_2(body) FROM today_body)),
          'a birth date of today in quarantine.timezone is accepted');
SET LOCAL quarantine.timezone = 'Pacific/Pago_Pago';
SELECT is(pg_temp.verdict((SELECT body || pg_temp.mod11_2(body) FROM today_body)), 'future',
          'the same number is in the future where quarantine.timezone is a day behind');
RESET quarantine.timezone;

-- ---------- functions and casts ----------
SELECT is(cnid_is_valid(NULL), NULL, 'cnid_is_valid(NULL) is NULL');
SELECT is((SELECT count(*) FROM (VALUES (''), (repeat('1', 100000)), ('１１０１０１'), (E'\\x00'), ('中文中文中文中文中文中文中文中文中文')) v(t)
            WHERE cnid_is_valid(t)), 0::bigint, 'cnid_is_valid returns false, never raises, on odd text');
SELECT is(to_cnid('110101781027002')::text, '110101197810270029', 'to_cnid parses a 15-digit number');
SELECT throws_ok($$SELECT to_cnid('110101197810270021')$$, '22P02',
                 'invalid input syntax for type cnid: "110101197810270021"', 'to_cnid raises 22P02');
SELECT is(mask('330302199001011235'), '330302********1235', 'mask shows the first 6 and last 4 characters');
SELECT results_eq(
  $$SELECT sex(c), pg_typeof(sex(c))::text FROM (VALUES ('110101199003078670'::cnid), ('110101197810270029'::cnid)) v(c)$$,
  $$VALUES ('M'::bpchar, 'character'), ('F'::bpchar, 'character')$$,
  'sex is M for an odd 17th digit, F for an even one, as char');

SELECT is(
  (SELECT string_agg(format('%s -> %s %s %s', castsource::regtype, casttarget::regtype, castcontext, castmethod), ', '
                     ORDER BY castsource::regtype::text)
     FROM pg_cast WHERE 'cnid'::regtype IN (castsource, casttarget)),
  'cnid -> text a i, text -> cnid a i',
  'casts cnid <-> text go through the I/O functions, as assignment casts');
CREATE TEMP TABLE people (id cnid PRIMARY KEY, note text);
INSERT INTO people (id) SELECT number FROM ric WHERE verdict = 'valid' AND number <> canonical AND length(number) = 18;
INSERT INTO people (id) VALUES ('110101781027002');
SELECT is((SELECT count(*) FROM people), 3::bigint, 'text is assigned to a cnid column (assignment cast)');
SELECT throws_ok($$INSERT INTO people (id) VALUES ('110101197810270029')$$, '23505', NULL,
                 'the 18-digit form of a stored 15-digit number is a duplicate');
UPDATE people SET note = id;
SELECT is((SELECT string_agg(note, ',' ORDER BY note) FROM people),
          '110101197810270029,33010219200403064X,44011320141005001X', 'cnid is assigned to a text column');

-- ---------- operators, ordering, indexes ----------
SELECT results_eq(
  $$SELECT amname::text COLLATE "default", amvalidate(c.oid) FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
     WHERE opcintype = 'cnid'::regtype AND opcdefault ORDER BY 1$$,
  $$VALUES ('btree', true), ('hash', true)$$,
  'default btree and hash operator classes pass amvalidate');

SELECT is((SELECT array_agg(c::text ORDER BY c) FROM (SELECT DISTINCT canonical::cnid c FROM ric WHERE verdict = 'valid') s),
          (SELECT array_agg(DISTINCT canonical ORDER BY canonical) FROM ric WHERE verdict = 'valid'),
          'cnid orders as its canonical text');
SELECT results_eq(
  $$SELECT a < b, a <= b, a = b, a <> b, a >= b, a > b, cnid_cmp(a, b)
      FROM (VALUES ('110101197810270029'::cnid, '110101781027002'::cnid),
                   ('110101197810270029'::cnid, '33010219200403064X'::cnid),
                   ('33010219200403064X'::cnid, '110101197810270029'::cnid)) v(a, b)$$,
  $$VALUES (false, true, true, false, true, false, 0),
           (true, true, false, true, false, false, -1),
           (false, false, false, true, true, true, 1)$$,
  'the six comparison operators and the btree comparator');

CREATE TEMP TABLE many AS
  SELECT (b || pg_temp.mod11_2(b))::cnid AS id, g
    FROM generate_series(1, 5000) g, LATERAL (SELECT '33030219900101' || lpad((g % 1000)::text, 3, '0') AS b) s;
CREATE INDEX ON many USING btree (id);
CREATE INDEX many_hash ON many USING hash (id);
ANALYZE many;
SET LOCAL enable_seqscan = off;
SET LOCAL enable_bitmapscan = off;
SELECT is((SELECT count(*) FROM many WHERE id = '330302199001010013'), 5::bigint, 'index lookup by equality');
SELECT is((SELECT count(*) FROM many WHERE id BETWEEN '330302199001011008' AND '330302199001012000'),
          505::bigint, 'btree range scan: sequence numbers 100 to 200, 5 times each');
DROP INDEX many_id_idx;
SELECT is((SELECT count(*) FROM many WHERE id = '330302199001010013'), 5::bigint, 'hash index lookup by equality');
RESET enable_seqscan;
RESET enable_bitmapscan;
SET LOCAL enable_sort = off;
SET LOCAL enable_mergejoin = off;
SELECT is((SELECT count(*) FROM (SELECT id FROM many GROUP BY id) s), 1000::bigint, 'hash aggregate groups equal numbers');
SELECT is((SELECT count(*) FROM people p JOIN ric r ON p.id = r.canonical::cnid), 5::bigint, 'hash join on cnid');
RESET enable_sort;
RESET enable_mergejoin;

-- ---------- binary I/O ----------
-- Binary COPY round trip, and recv refusing bodies that text input refuses.
CREATE TEMP TABLE bodies (b bigint);
CREATE TEMP TABLE ids (id cnid);
DO $$
DECLARE f text := current_setting('data_directory') || '/cnid_test.bin';
BEGIN
  EXECUTE format('COPY (SELECT id FROM people) TO %L (FORMAT binary)', f);
  EXECUTE format('COPY ids FROM %L (FORMAT binary)', f);
  TRUNCATE bodies;
  INSERT INTO bodies VALUES (99042619911201007);  -- province 99
  EXECUTE format('COPY bodies TO %L (FORMAT binary)', f);
END $$;
SELECT results_eq($$SELECT id FROM ids ORDER BY id$$, $$SELECT id FROM people ORDER BY id$$,
                  'binary COPY round trip');
SELECT throws_ok(format('COPY ids FROM %L (FORMAT binary)', current_setting('data_directory') || '/cnid_test.bin'),
                 '22P02', 'invalid input syntax for type cnid: "990426199112010074"',
                 'binary input runs the validation of text input');
DO $$
DECLARE f text := current_setting('data_directory') || '/cnid_test.bin';
BEGIN
  TRUNCATE bodies;
  INSERT INTO bodies VALUES (1101011978102700);  -- 16 digits
  EXECUTE format('COPY bodies TO %L (FORMAT binary)', f);
END $$;
SELECT throws_ok(format('COPY ids FROM %L (FORMAT binary)', current_setting('data_directory') || '/cnid_test.bin'),
                 '22P03', 'invalid external cnid value', 'binary input refuses a body without 17 digits');

SELECT results_eq(
  $$SELECT p.proname::text COLLATE "default", p.provolatile::text, p.proisstrict FROM pg_proc p
     WHERE p.pronamespace = 'quarantine'::regnamespace
       AND p.proname IN ('cnid_in', 'cnid_recv', 'to_cnid', 'cnid_is_valid', 'birth_date', 'sex', 'region_code', 'mask', 'cnid_out')
     ORDER BY 1$$,
  $$VALUES ('birth_date', 'i', true), ('cnid_in', 's', true), ('cnid_is_valid', 's', true), ('cnid_out', 'i', true),
           ('cnid_recv', 's', true), ('mask', 'i', true), ('region_code', 'i', true), ('sex', 'i', true), ('to_cnid', 's', true)$$,
  'parsing is STABLE (it reads the clock); functions of a stored cnid are IMMUTABLE');

SELECT * FROM finish();
ROLLBACK;
