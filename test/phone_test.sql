-- phone_kind (doc/tasks-phones-names.md; the district notes): mobile, foreign, placeholder, invalid.
BEGIN;
SELECT plan(7);

CREATE TEMP TABLE phone_vectors (phone text, expected text, why text);
INSERT INTO phone_vectors VALUES
  -- mainland mobile: 1[3-9] + 9 digits, however it is written
  ('13812345678',            'mobile', 'plain 11 digits'),
  ('19912345678',            'mobile', '199 block'),
  ('14512345678',            'mobile', '14x data block'),
  ('138 1234 5678',          'mobile', 'blanks'),
  ('138-1234-5678',          'mobile', 'hyphens'),
  ('138.1234.5678',          'mobile', 'dots'),
  (' 13812345678 ',          'mobile', 'surrounding blanks'),
  ('+86 138 1234 5678',      'mobile', '+86'),
  ('+8613812345678',         'mobile', '+86 run together'),
  ('(+86) 138-1234-5678',    'mobile', '+86 in parentheses'),
  ('0086 13812345678',       'mobile', '0086'),
  ('8613812345678',          'mobile', '86 without plus'),
  ('86 138 1234 5678',       'mobile', '86 without plus, blanks'),
  ('１３８１２３４５６７８', 'mobile', 'full-width digits'),
  ('＋８６　１３８－１２３４－５６７８', 'mobile', 'full-width plus, hyphen, ideographic space'),
  ('138–1234–5678',          'mobile', 'en dashes'),
  -- foreign: '+' or 00, another country code, 4..14 national digits, at most 15 in all
  ('+39 06 1234 5678',       'foreign', 'Italy (the charter flights of the district notes)'),
  ('0039 06 12345678',       'foreign', 'Italy with 00'),
  ('+1 415 555 0100',        'foreign', 'NANP, 10 digits'),
  ('+7 912 345 67 89',       'foreign', 'Russia, 10 digits'),
  ('+44 20 7946 0958',       'foreign', 'UK'),
  ('+852 9123 4567',         'foreign', 'Hong Kong is not a mainland mobile'),
  ('+886 912 345 678',       'foreign', 'Taiwan'),
  ('+683 4002',              'foreign', 'Niue: 4-digit subscriber numbers'),
  ('+380 44 123 4567',       'foreign', 'Ukraine'),
  ('+39 0612345678901',      'foreign', '15 digits in all'),
  -- placeholder: filler numbers (the district notes: "手机为11位填充数字")
  ('00000000000',            'placeholder', 'zeros'),
  ('11111111111',            'placeholder', 'one digit repeated'),
  ('88888888888',            'placeholder', 'one digit repeated'),
  ('10000000000',            'placeholder', '1 followed by zeros'),
  ('100000',                 'invalid', '1 followed by zeros, short: not 11 digits (issue #11 item 7)'),
  ('00000',                  'invalid', 'five zeros: not 11 digits'),
  ('12345',                  'invalid', 'a five-digit run is no filler of a mobile (issue #11 item 7)'),
  ('12345678901',            'placeholder', 'ascending run'),
  ('01234567890',            'placeholder', 'ascending run from 0'),
  ('98765432109',            'placeholder', 'descending run'),
  ('13800000000',            'placeholder', 'mobile prefix and eight zeros: wins over mobile'),
  ('19900000000',            'placeholder', 'mobile prefix and eight zeros: wins over mobile'),
  ('13800138000',            'placeholder', 'China Mobile service number, the stock example'),
  ('+86 000 0000 0000',      'placeholder', 'zeros behind +86'),
  ('+86 10000000000',        'placeholder', '1 and zeros behind +86'),
  ('8600000000000',          'placeholder', 'zeros behind 86'),
  ('0086 13800000000',       'placeholder', 'filler behind 0086'),
  ('+39 0000000',            'invalid', 'zeros behind a foreign country code: not 11 digits'),
  ('+44 1234567890',         'invalid', 'a run behind a foreign country code: not 11 digits'),
  -- invalid
  ('',                       'invalid', 'empty'),
  ('   ',                    'invalid', 'blank'),
  ('-',                      'invalid', 'empty after stripping'),
  ('+',                      'invalid', 'a plus alone'),
  ('0',                      'invalid', 'too short to be a filler'),
  ('0000',                   'invalid', 'too short to be a filler'),
  ('12812345678',            'invalid', '12x is no mobile block'),
  ('10812345678',            'invalid', '10x is no mobile block'),
  ('1381234567',             'invalid', '10 digits'),
  ('138123456789',           'invalid', '12 digits'),
  ('0577-88881234',          'invalid', 'a mainland fixed line is not monitored'),
  ('+86 577 8888 1234',      'invalid', 'a fixed line behind +86'),
  ('8612812345678',          'invalid', '86 and no mobile'),
  ('3906123456',             'invalid', 'a foreign number without + or 00'),
  ('+1 415 555 010',         'invalid', 'NANP with 9 digits'),
  ('+39 123',                'invalid', 'too short'),
  ('+39 06123456789012',     'invalid', '16 digits in all'),
  ('+0 612345678',           'invalid', 'no country code starts with 0'),
  ('+28 12345678',           'invalid', 'unassigned country code'),
  ('00 28 12345678',         'invalid', 'unassigned country code after 00'),
  ('++8613812345678',        'invalid', 'two plus signs'),
  ('138+12345678',           'invalid', 'plus after digits'),
  ('138 1234 5678 转 1',     'invalid', 'an extension'),
  ('13812345678 ext. 1',     'invalid', 'an extension'),
  ('13812345678/13912345678', 'invalid', 'two numbers'),
  ('tel: 13812345678',       'invalid', 'letters'),
  ('138１２３４５６７８x',   'invalid', 'letters'),
  (repeat('1', 40) || '2',   'invalid', 'longer than any number');

SELECT results_eq(
  $$SELECT phone, phone_kind(phone) FROM phone_vectors WHERE expected = 'mobile' ORDER BY phone$$,
  $$SELECT phone, expected FROM phone_vectors WHERE expected = 'mobile' ORDER BY phone$$,
  'mainland mobiles, with +86/0086/86, blanks, hyphens, full-width forms');
SELECT results_eq(
  $$SELECT phone, phone_kind(phone) FROM phone_vectors WHERE expected = 'foreign' ORDER BY phone$$,
  $$SELECT phone, expected FROM phone_vectors WHERE expected = 'foreign' ORDER BY phone$$,
  'foreign numbers: another E.164 country code and a plausible length');
SELECT results_eq(
  $$SELECT phone, phone_kind(phone) FROM phone_vectors WHERE expected = 'placeholder' ORDER BY phone$$,
  $$SELECT phone, expected FROM phone_vectors WHERE expected = 'placeholder' ORDER BY phone$$,
  'filler numbers are placeholders, also where they look like mobiles');
SELECT results_eq(
  $$SELECT phone, phone_kind(phone) FROM phone_vectors WHERE expected = 'invalid' ORDER BY phone$$,
  $$SELECT phone, expected FROM phone_vectors WHERE expected = 'invalid' ORDER BY phone$$,
  'everything else is invalid');

SELECT is(phone_kind(NULL), NULL, 'NULL in, NULL out');

-- Random strings of digits, separators, signs, letters and CJK: always one
-- of the four labels, never an error.
DO $$ BEGIN PERFORM setseed(0.45); END $$;
SELECT is(
  (SELECT count(*) FROM (
     SELECT string_agg(substr('0123456789 0+-().８＋　x转', 1 + floor(random() * 22)::int, 1), '') AS s
       FROM generate_series(1, 20000) g, generate_series(1, 1 + g % 19) c
      GROUP BY g) r
    WHERE phone_kind(s) NOT IN ('mobile', 'foreign', 'placeholder', 'invalid')),
  0::bigint, 'random input always gets one of the four kinds');

-- Every mobile block 13x..19x with random subscriber digits is a mobile,
-- written bare or behind +86.
SELECT is(
  (SELECT count(*) FROM generate_series(130, 199) b,
          LATERAL (SELECT b::text || lpad((random() * 99999999)::int::text, 8, '1') AS n) m
    WHERE phone_kind(n) <> 'mobile' OR phone_kind('+86 ' || n) <> 'mobile'),
  0::bigint, 'every 1[3-9]x block is a mobile');

SELECT * FROM finish();
ROLLBACK;
