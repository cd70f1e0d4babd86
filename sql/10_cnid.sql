-- cnid: PRC resident identity number (doc/identity.md; GB 11643-1999).
SET search_path = quarantine, public;
SET datestyle = 'ISO, YMD';
\set VERBOSITY default

-- Canonical output: 18 characters, upper-case X, legacy 15 digits upgraded.
SELECT '110101197810270029'::cnid AS plain,
       '44011320141005001x'::cnid AS lower_x,
       E' \t33010219200403064X\n'::cnid AS blanks,
       '110101781027002'::cnid AS legacy15,
       '330102200403064'::cnid AS legacy_x;

-- Malformed input, one probe per line: length, characters, province, birth
-- date, check character.
SELECT ''::cnid;
SELECT '   '::cnid;
SELECT '44030819990110'::cnid;
SELECT '36042619910101007'::cnid;
SELECT '1101011978102700291'::cnid;
SELECT 'T60426199101010078'::cnid;
SELECT '3301022011022000D6'::cnid;
SELECT '36042619910101007A'::cnid;
SELECT '61010462092769X'::cnid;
SELECT '110101 97810270029'::cnid;
SELECT '１１０１０１１９７８１０２７００２９'::cnid;
SELECT '11010119781027002中'::cnid;
SELECT '990426199112010074'::cnid;
SELECT '000426199101010071'::cnid;
SELECT '201511221897205960'::cnid;
SELECT '932682198501010017'::cnid;
SELECT '360426199113010079'::cnid;
SELECT '360426199100010079'::cnid;
SELECT '360426199101000079'::cnid;
SELECT '440308199902301512'::cnid;
SELECT '110101190002290011'::cnid;
SELECT '610104620932690'::cnid;
SELECT '11010117991231001X'::cnid;
SELECT '110101299901010010'::cnid;
SELECT '36042619910102009X'::cnid;
SELECT '110101197810270021'::cnid;
SELECT '13070119931030228X'::cnid;

-- Functions.
SELECT id, birth_date(id), sex(id), region_code(id), mask(id)
  FROM (VALUES ('110101197810270029'::cnid), ('110101199003078670'), ('610104620927690'),
               ('44011320141005001X'), ('810000199408230021')) v(id);
SELECT cnid_is_valid('110101781027002') AS legacy, cnid_is_valid('110101197810270021') AS bad_check,
       cnid_is_valid('') AS empty, cnid_is_valid(NULL) AS null_in;
SELECT to_cnid(' 110101781027002 ');
SELECT to_cnid('110101197810270021');

-- Casts to and from text; a 15-digit number equals its 18-digit form.
SELECT '110101781027002'::text::cnid::text AS via_text,
       '110101781027002'::cnid = '110101197810270029'::cnid AS same_person;
SELECT 'abc'::text::cnid;

-- Ordering follows the canonical text.
SELECT id FROM (VALUES ('33010219200403064X'::cnid), ('110101197810270029'), ('830000199201300022'),
                       ('110101199003078670'), ('44011320141005001x'), ('110101781027002')) v(id)
 ORDER BY id;
SELECT DISTINCT id FROM (VALUES ('110101197810270029'::cnid), ('110101781027002')) v(id);

-- Document numbers of every kind: canonical forms, then one probe per error.
SELECT k AS kind, n AS number, normalize_doc(k::doc_kind, n) AS normalized
  FROM (VALUES ('resident_id', '1101-0178-1027-002'), ('passport', 'e 1234 5678'),
               ('hk_macao_permit', 'h-12345678-01'), ('taiwan_permit', '１２３４５６７８'),
               ('foreign_permanent_id', '911398199012310021'), ('foreign_permanent_id', 'kaz110090123105'),
               ('local_code', 'wz-2020-0007'), ('other', 'P1744686')) v(k, n);
SELECT normalize_doc('resident_id', '110101197810270021');
SELECT normalize_doc('resident_id', '11010119781027002Y');
SELECT normalize_doc('passport', 'E12');
SELECT normalize_doc('passport', 'E123.45678');
SELECT normalize_doc('hk_macao_permit', 'K1234567802');
SELECT normalize_doc('hk_macao_permit', 'H123456789');
SELECT normalize_doc('taiwan_permit', 'F290299977');
SELECT normalize_doc('foreign_permanent_id', '811398199012310021');
SELECT normalize_doc('foreign_permanent_id', '911398199012310022');
SELECT normalize_doc('foreign_permanent_id', 'KAZ110090123107');
SELECT normalize_doc('local_code', ' - ');
SELECT normalize_doc('other', repeat('A', 33));

-- A passport's machine-readable zone (ICAO 9303 TD3).
SELECT * FROM mrz_parse('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10');
SELECT * FROM mrz_parse('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C35UTO7408122F1204159ZE184226B<<<<<10');
