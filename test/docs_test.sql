-- normalize_doc: document numbers per kind (doc/identity.md).
BEGIN;
SELECT plan(21);


-- The canonical number, or the kind of problem the DETAIL describes (every
-- rejection must be 22P02, name the kind and the input, and carry a HINT).
CREATE FUNCTION pg_temp.outcome(k doc_kind, number text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  e record;
  r text;
BEGIN
  BEGIN
    r := normalize_doc(k, number);
    RETURN r;
  EXCEPTION WHEN OTHERS THEN NULL;
  END;
  e := tap.error_of(format('SELECT normalize_doc(%L, %L)', k, number));
  RETURN CASE
    WHEN e.state <> '22P02' THEN 'sqlstate ' || e.state
    WHEN e.message <> format('invalid %s number: "%s"', k, number) THEN 'message ' || e.message
    WHEN e.hint IS NULL THEN 'no hint'
    WHEN e.detail LIKE 'The number is empty%' THEN '!empty'
    WHEN e.detail LIKE '%but this one has %' THEN '!length'
    WHEN e.detail LIKE 'Character % is "%"%' THEN '!char'
    WHEN e.detail LIKE '%not a province-level code%' THEN '!province'
    WHEN e.detail LIKE 'The number starts with %, but %' THEN '!prefix'
    WHEN e.detail LIKE 'The birth date % does not exist.' THEN '!date'
    WHEN e.detail LIKE 'The birth date % is in the future.' THEN '!future'
    WHEN e.detail LIKE 'The check % is %, but the first % require %' THEN '!check'
    ELSE 'detail ' || e.detail END;
END $$;

-- test/data/travel_doc_vectors.tsv mapped to our kinds, with the outcome we
-- expect (a canonical number, or !problem).  The hk_identity_card and
-- taiwan_national_id rows are skipped: we model no such kind (they would be
-- stored as kind other, format unchecked).
CREATE TEMP TABLE doc (kind doc_kind, number text, outcome text);
INSERT INTO doc VALUES
  -- passport_prc.  normalize_doc does not know the issuing state, so no
  -- state's own pattern applies: 5-17 letters and digits.  The rows the
  -- source rejects for a PRC-only prefix (dc, sc, pc, dk) are accepted here.
  ('passport', 'e12345678', 'E12345678'),
  ('passport', 'E12345678', 'E12345678'),
  ('passport', 'de2345678', 'DE2345678'),
  ('passport', 'DE2345678', 'DE2345678'),
  ('passport', 'De2345678', 'DE2345678'),
  ('passport', 'se2345678', 'SE2345678'),
  ('passport', 'pe2345678', 'PE2345678'),
  ('passport', 'ka2345678', 'KA2345678'),
  ('passport', 'kb2345678', 'KB2345678'),
  ('passport', 'kj2345678', 'KJ2345678'),
  ('passport', 'Km2345678', 'KM2345678'),
  ('passport', 'hm2345678', 'HM2345678'),
  ('passport', 'Hj2345678', 'HJ2345678'),
  ('passport', 'ha2345678', 'HA2345678'),
  ('passport', 'Ma2345678', 'MA2345678'),
  ('passport', 'ma2345678', 'MA2345678'),
  ('passport', 'mB2345678', 'MB2345678'),
  ('passport', 'MB2345678', 'MB2345678'),
  ('passport', 'MN2345678', 'MN2345678'),
  ('passport', 'Mj2345678', 'MJ2345678'),
  ('passport', 'abc', '!length'),
  ('passport', 'dc2345678', 'DC2345678'),
  ('passport', 'sc2345678', 'SC2345678'),
  ('passport', 'pc2345678', 'PC2345678'),
  ('passport', 'dk2345678', 'DK2345678'),
  ('passport', 's28233515', 'S28233515'),
  ('passport', '141234567', '141234567'),
  ('passport', '159203084', '159203084'),
  ('passport', 'MA1234567', 'MA1234567'),
  ('passport', 'K25345719', 'K25345719'),
  -- hk_macao_home_return_permit
  ('hk_macao_permit', 'h3203117707', 'H3203117707'),
  ('hk_macao_permit', 'H3203117707', 'H3203117707'),
  ('hk_macao_permit', 'm3203117707', 'M3203117707'),
  ('hk_macao_permit', 'M3203117707', 'M3203117707'),
  ('hk_macao_permit', 'h32031177', 'H32031177'),
  ('hk_macao_permit', 'H32031177', 'H32031177'),
  ('hk_macao_permit', 'm32031177', 'M32031177'),
  ('hk_macao_permit', 'M32031177', 'M32031177'),
  ('hk_macao_permit', 'h130701199310', '!length'),
  ('hk_macao_permit', 'H13070119931030228X', '!length'),
  ('hk_macao_permit', 'M230701199310302289', '!length'),
  ('hk_macao_permit', 'm520302198912097948', '!length'),
  ('hk_macao_permit', ' ', '!empty'),
  ('hk_macao_permit', 'H12345678', 'H12345678'),
  ('hk_macao_permit', 'M12345678', 'M12345678'),
  ('hk_macao_permit', 'M1234567801', 'M1234567801'),
  ('hk_macao_permit', 'H1234567802', 'H1234567802'),
  ('hk_macao_permit', 'A1234567801', '!char'),
  ('hk_macao_permit', 'K1234567802', '!char'),
  -- taiwan_compatriot_permit: the one-time permit (10-12 letters and digits,
  -- "valid(loose)") is not accepted: the card numbers are 8 or 10 digits.
  ('taiwan_permit', '12345678', '12345678'),
  ('taiwan_permit', '07257456', '07257456'),
  ('taiwan_permit', 'F290299977', '!char'),
  ('taiwan_permit', 'h1307098', '!char'),
  ('taiwan_permit', 'abcdefgh', '!char'),
  ('taiwan_permit', '123456789', '!length'),
  ('taiwan_permit', '12345678901', '!length'),
  ('taiwan_permit', ' ', '!empty'),
  ('taiwan_permit', '1234567890', '1234567890'),
  -- foreign_permanent_resident_id.  The nationality code (alpha-3 or ISO
  -- numeric) is not checked against a list; in these rows the check
  -- character catches the unknown ones (KAA, 999).
  ('foreign_permanent_id', 'KAZ110090123105', 'KAZ110090123105'),
  ('foreign_permanent_id', 'KAA110090123105', '!check'),
  ('foreign_permanent_id', 'KAZ990090123105', '!province'),
  ('foreign_permanent_id', 'KAZ110090023105', '!date'),
  ('foreign_permanent_id', 'KAZ110090123107', '!check'),
  ('foreign_permanent_id', '911398199012310021', '911398199012310021'),
  ('foreign_permanent_id', '999398199012310021', '!province'),
  ('foreign_permanent_id', '911999199012310021', '!check'),
  ('foreign_permanent_id', '911398199002310021', '!date'),
  ('foreign_permanent_id', '911398199012310022', '!check'),
  ('foreign_permanent_id', '911398199012310020', '!check'),
  ('foreign_permanent_id', '932682198501010017', '932682198501010017');

SELECT results_eq(
  $$SELECT kind, number, pg_temp.outcome(kind, number) FROM doc ORDER BY kind, number$$,
  $$SELECT kind, number, outcome FROM doc ORDER BY kind, number$$,
  'travel_doc_vectors: each number is normalized, or rejected with 22P02 naming the kind and the problem');

SELECT is((SELECT count(*) FROM doc WHERE outcome NOT LIKE '!%'
             AND normalize_doc(kind, normalize_doc(kind, number)) <> normalize_doc(kind, number)),
          0::bigint, 'normalize_doc is idempotent on every accepted vector');

-- resident_id goes through cnid: cn_ric_vectors rows, each outcome as cnid's.
SELECT results_eq(
  $$SELECT n, pg_temp.outcome('resident_id', n) FROM unnest(ARRAY[
      '110101781027002', '44011320141005001x', '3301-0219-2004-0306-4x', ' 110101 19781027 0029 ',
      '１１０１０１１９７８１０２７００２９', '990426199112010074', '440308199902301512', '110101197810270021',
      '44030819990110', 'T60426199101010078', '110101299901010010', '']) n$$,
  $$VALUES ('110101781027002', '110101197810270029'), ('44011320141005001x', '44011320141005001X'),
           ('3301-0219-2004-0306-4x', '33010219200403064X'), (' 110101 19781027 0029 ', '110101197810270029'),
           ('１１０１０１１９７８１０２７００２９', '110101197810270029'),
           ('990426199112010074', '!province'), ('440308199902301512', '!date'), ('110101197810270021', '!check'),
           ('44030819990110', '!length'), ('T60426199101010078', '!char'), ('110101299901010010', '!future'),
           ('', '!empty')$$,
  'resident_id: canonical 18 characters via cnid, the 15-digit form upgraded, cnid''s checks');
SELECT is((tap.error_of($$SELECT normalize_doc('resident_id', '1101-0119781027002A')$$)).detail,
          'Character 19 is "A", but a resident identity number has digits only, and X as the check character.',
          'a DETAIL counts characters in the input as given, hyphens included');
SELECT is((tap.error_of($$SELECT normalize_doc('passport', 'E1234/5678')$$)).detail,
          'Character 6 is "/", which is not a letter or digit.', 'a symbol is named with its position');
SELECT is((tap.error_of($$SELECT normalize_doc('other', 'AB中文')$$)).detail,
          'Character 3 is "中", which is not a letter or digit.', 'a multibyte character is named whole');

-- Cleaning: upper case; ASCII blanks, hyphens, no-break and ideographic
-- spaces and Unicode dashes removed; full-width forms read as ASCII.
SELECT results_eq(
  $$SELECT normalize_doc(k::doc_kind, n) FROM (VALUES
      ('passport', E' e12\t345-678 '), ('passport', 'ｅ１２３４５６７８'), ('passport', 'E12' || chr(12288) || '345' || chr(160) || '678'),
      ('hk_macao_permit', 'h-1234-5678'), ('hk_macao_permit', 'H 1234 5678 01'), ('taiwan_permit', '1234' || chr(8211) || '5678'),
      ('local_code', 'wz-lc-2020-0001'), ('other', 'ｘ－１'), ('foreign_permanent_id', 'kaz 1100 901231 05')) v(k, n)$$,
  $$VALUES ('E12345678'), ('E12345678'), ('E12345678'), ('H12345678'), ('H1234567801'), ('12345678'),
           ('WZLC20200001'), ('X1'), ('KAZ110090123105')$$,
  'numbers are upper-cased, blanks and hyphens removed, full-width forms folded');

-- Lengths at the limits.
SELECT results_eq(
  $$SELECT k, length(n), pg_temp.outcome(k::doc_kind, n) NOT LIKE '!%' FROM (VALUES
      ('passport', 'A1234'), ('passport', 'A123'), ('passport', 'A' || repeat('1', 16)), ('passport', 'A' || repeat('1', 17)),
      ('local_code', 'A'), ('local_code', repeat('A', 32)), ('local_code', repeat('A', 33)),
      ('other', '7'), ('other', repeat('9', 32)), ('other', repeat('9', 33))) v(k, n)$$,
  $$VALUES ('passport', 5, true), ('passport', 4, false), ('passport', 17, true), ('passport', 18, false),
           ('local_code', 1, true), ('local_code', 32, true), ('local_code', 33, false),
           ('other', 1, true), ('other', 32, true), ('other', 33, false)$$,
  'passport 5-17 characters; local_code and other 1-32');
SELECT results_eq(
  $$SELECT k, pg_temp.outcome(k::doc_kind, n) FROM (VALUES
      ('local_code', ''), ('other', ' - '), ('passport', ''), ('foreign_permanent_id', ''),
      ('local_code', 'LC#1')) v(k, n)$$,
  $$VALUES ('local_code', '!empty'), ('other', '!empty'), ('passport', '!empty'), ('foreign_permanent_id', '!empty'),
           ('local_code', '!char')$$,
  'an empty number or a symbol is rejected for every kind');

-- foreign_permanent_id details beyond the vectors.
SELECT results_eq(
  $$SELECT (tap.error_of(format('SELECT normalize_doc(''foreign_permanent_id'', %L)', n))).detail FROM unnest(ARRAY[
      '811398199012310021', '91139819901231002A', '9113981990123', 'KA1110090123105', 'KAZ11009012310X',
      '911398299901010014']) WITH ORDINALITY t(n, i) ORDER BY i$$,
  $$VALUES ('The number starts with 8, but an 18-character foreign permanent resident ID starts with 9.'),
           ('Character 18 is "A", but an 18-character foreign permanent resident ID has digits only, and X as the check character.'),
           ('A foreign permanent resident ID has 18 or 15 characters, but this one has 13.'),
           ('Character 3 is "1", but a 15-character foreign permanent resident ID starts with 3 letters.'),
           ('Character 15 is "X", but the 3 letters of a 15-character foreign permanent resident ID are followed by 12 digits.'),
           ('The birth date 2999-01-01 (digits 7 to 14) is in the future.')$$,
  'foreign_permanent_id: leading 9, characters, length, letters, future birth date');

SELECT is(normalize_doc('foreign_permanent_id', '911398199012310021'), '911398199012310021',
          'the 2023 foreign permanent resident ID closes with the MOD 11-2 check character');
SELECT is(normalize_doc('foreign_permanent_id', '  kaz110090123105'), 'KAZ110090123105',
          'the old foreign permanent resident ID is upper-cased');

SELECT results_eq(
  $$SELECT normalize_doc(NULL, '123456789') IS NULL, normalize_doc('passport', NULL) IS NULL$$,
  $$VALUES (true, true)$$, 'normalize_doc is strict');

SELECT is((SELECT provolatile::text || proisstrict::text || proparallel::text FROM pg_proc
            WHERE oid = 'normalize_doc(doc_kind, text)'::regprocedure),
          'strues', 'normalize_doc is STABLE (resident_id reads the clock), STRICT and PARALLEL SAFE');

SELECT is((SELECT count(*) FROM doc WHERE outcome NOT LIKE '!%' AND kind = 'foreign_permanent_id'
             AND length(number) = 18 AND cnid_is_valid(number)), 0::bigint,
          'a foreign permanent resident ID is never a resident identity number');

SELECT throws_ok($$SELECT normalize_doc('hk_macao_permit', 'X12345678')$$, '22P02',
                 'invalid hk_macao_permit number: "X12345678"', 'the kind is in the message');

-- The 1024-byte bound on what is read at all.
SELECT is((tap.error_of(format('SELECT normalize_doc(%L, %L)', 'other', repeat(' ', 1020) || 'ABCDE'))).detail,
          'The text is 1025 bytes long, more than the 1024 read as a document number.',
          'a text longer than 1024 bytes is not read as a number');

-- ---------- mrz_parse (ICAO 9303 TD3) ----------

-- test/data/mrz_check_digit_vectors.tsv
SELECT results_eq(
  $$SELECT mrz_check_digit(d) FROM (VALUES ('520727'), ('AB2134<<<'), ('HA672242<658022549601086<<<<<<<<<<<<<<0'),
      ('D231458907<<<<<<<<<<<<<<<34071279507122<<<<<<<<<<<'), ('HA672242<658022549601086<<<<<<<0'),
      ('G48947646'), ('730427'), ('L898902C3')) v(d)$$,
  $$VALUES (3), (5), (8), (2), (8), (4), (9), (6)$$,
  'mrz_check_digit: every row of mrz_check_digit_vectors.tsv');
SELECT throws_ok($$SELECT mrz_check_digit('ab12')$$, '22P02', 'invalid machine-readable zone characters: "ab12"',
                 'mrz_check_digit refuses characters outside A-Z, 0-9 and <');

-- The document number, or the problem the DETAIL names.
CREATE FUNCTION pg_temp.mrz_outcome(zone text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE e record;
BEGIN
  BEGIN
    RETURN (mrz_parse(zone)).document_number;
  EXCEPTION WHEN OTHERS THEN NULL;
  END;
  e := tap.error_of(format('SELECT mrz_parse(%L)', zone));
  RETURN CASE
    WHEN e.state <> '22P02' THEN 'sqlstate ' || e.state
    WHEN e.message <> format('invalid machine-readable zone: "%s"', zone) THEN 'message ' || e.message
    WHEN e.hint IS NULL THEN 'no hint'
    WHEN e.detail LIKE 'A passport (TD3) zone has 88 characters%' THEN '!length'
    WHEN e.detail LIKE 'The % check digit % is %, but the % gives %.' THEN '!check'
    WHEN e.detail LIKE 'The check digit of the % is %, but the field gives %.' THEN '!check'
    WHEN e.detail LIKE 'The % date % (YYMMDD) does not exist.' THEN '!date'
    WHEN e.detail LIKE 'The name field % goes on after %' THEN '!name'
    ELSE 'detail ' || e.detail END;
END $$;

-- test/data/mrz_full_vectors.tsv, every row.  TD1 and TD2 (identity cards)
-- are refused as not TD3.  Country codes are not looked up in a list, so the
-- two CXX rows are accepted (their check digits are right).
CREATE TEMP TABLE mrz (format text, zone text, outcome text);
INSERT INTO mrz VALUES
  ('TD1', 'I<UTOD231458907<<<<<<<<<<<<<<<7408122F1204159UTO<<<<<<<<<<<6ERIKSSON<<ANNA<MARIA<<<<<<<<<<', '!length'),
  ('TD1', 'I<UTOD23145890<7349<<<<<<<<<<<3407127M9507122UTO<<<<<<<<<<<2STEVENSON<<PETER<JOHN<<<<<<<<<', '!length'),
  ('TD2', 'I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<D231458907UTO7408122F1204159<<<<<<<6', '!length'),
  ('TD2', 'I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<D23145890<UTO3407127M95071227349<<<8', '!length'),
  ('TD3', 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10', 'L898902C3'),
  ('TD1', 'I<UTOD231458902<<<<<<<<<<<<<<<7408122F1204159UTO<<<<<<<<<<<6ERIKSSON<<ANNA<MARIA<<<<<<<<<<', '!length'),
  ('TD1', 'I<UTOD231458907<<<<<<<<<<<<<<<7408123F1204159UTO<<<<<<<<<<<6ERIKSSON<<ANNA<MARIA<<<<<<<<<<', '!length'),
  ('TD1', 'I<UTOD231458907<<<<<<<<<<<<<<<7408122F1204158UTO<<<<<<<<<<<6ERIKSSON<<ANNA<MARIA<<<<<<<<<<', '!length'),
  ('TD2', 'I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<D231458908UTO7408122F1204159<<<<<<<6', '!length'),
  ('TD2', 'I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<D231458907UTO7408123F1204159<<<<<<<6', '!length'),
  ('TD2', 'I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<D231458907UTO7408122F1204158<<<<<<<6', '!length'),
  ('TD2', 'I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<D231458907UTO7408122F1204159<<<<<<<7', '!length'),
  ('TD3', 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C35UTO7408122F1204159ZE184226B<<<<<10', '!check'),
  ('TD3', 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408123F1204159ZE184226B<<<<<10', '!check'),
  ('TD3', 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204158ZE184226B<<<<<10', '!check'),
  ('TD3', 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<20', '!check'),
  ('TD3', 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<12', '!check'),
  ('TD3', 'POCHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<G489476464CHN7304279M210126619203301<<<<<<16', 'G48947646'),
  ('TD3', 'POD<<ZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<G489476464CHN7304279M210126619203301<<<<<<16', 'G48947646'),
  ('TD3', 'PCHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<G489476464CHN7304279M210126619203301<<<<<<16', '!length'),
  ('TD3', 'POCXXZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<G489476464CHN7304279M210126619203301<<<<<<16', 'G48947646'),
  ('TD3', 'POCHNZHANG<<SAN<<<<S<<<<<<<<<<<<<<<<<<<<<<<<G489476464CHN7304279M210126619203301<<<<<<16', '!name'),
  ('TD3', 'POCHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<G489476465CHN7304279M210126619203301<<<<<<16', '!check'),
  ('TD3', 'POCHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<G489476464CXX7304279M210126619203301<<<<<<16', 'G48947646'),
  ('TD3', 'POCHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<G489476464CHN7302319M210126619203301<<<<<<16', '!date'),
  ('TD3', 'POCHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<G489476464CHN7304278M210126619203301<<<<<<16', '!check'),
  ('TD3', 'POCHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<G489476464CHN7304279M210231619203301<<<<<<16', '!date'),
  ('TD3', 'POCHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<G489476464CHN7304279M210126719203301<<<<<<16', '!check'),
  ('TD3', 'POCHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<G489476464CHN7304279M210126619203301<<<<<<26', '!check'),
  ('TD3', 'POCHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<G489476464CHN7304279M210126619203301<<<<<<18', '!check');

SELECT results_eq(
  $$SELECT zone, pg_temp.mrz_outcome(zone) FROM mrz ORDER BY zone$$,
  $$SELECT zone, outcome FROM mrz ORDER BY zone$$,
  'mrz_full_vectors: each zone is read, or rejected with 22P02 naming the problem');

SELECT results_eq(
  $$SELECT m.* FROM unnest(ARRAY[
      'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10',
      E'POD<<ZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\nG489476464CHN7304279M210126619203301<<<<<<16\n']) WITH ORDINALITY z(zone, i),
      LATERAL mrz_parse(zone) m ORDER BY i$$,
  $$VALUES ('P', 'UTO', 'ERIKSSON', 'ANNA MARIA', 'L898902C3', 'UTO', date '1974-08-12', 'F'::char, date '2012-04-15', 'ZE184226B'),
           ('PO', 'D', 'ZHANG', 'SAN', 'G48947646', 'CHN', date '1973-04-27', 'M'::char, date '2021-01-26', '19203301')$$,
  'mrz_parse: every field of the ICAO specimen and of a PRC passport, lines given on two lines');

SELECT * FROM finish();
ROLLBACK;
