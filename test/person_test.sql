-- person: normalized documents, derived fields, person_identity, phone
-- status, duplicate candidates and merges (doc/identity.md, doc/records.md).
BEGIN;
SELECT plan(38);

INSERT INTO person (person_id, doc_kind, doc_no, name)
VALUES (900001, 'resident_id', ' 360426199101010071 ', '张三');

SELECT results_eq(
  $$SELECT doc_no, sex::text, birth_date FROM person WHERE person_id = 900001$$,
  $$VALUES ('360426199101010071', 'M', date '1991-01-01')$$,
  'resident ID: doc_no normalized, sex and birth date taken from the number');

-- The same resident written as 15 digits is the same person.
INSERT INTO person (person_id, doc_kind, doc_no, name)
VALUES (900002, 'resident_id', '610104620927690', '王五');
SELECT is((SELECT doc_no FROM person WHERE person_id = 900002), '610104196209276908',
          'a 15-digit resident ID is stored upgraded to 18 digits');
SELECT throws_rule(
  $$INSERT INTO person (doc_kind, doc_no, name) VALUES ('resident_id', '610104196209276908', '王五')$$,
  '23505', 'person_identity', 'the 18-digit form of a stored 15-digit ID is a duplicate');
SELECT is((error_of($$INSERT INTO person (doc_kind, doc_no, name) VALUES ('resident_id', '610104196209276908', '王五')$$)).detail,
          'Document resident_id 610104196209276908 belongs to person_id 900002.',
          'person_identity names the existing person in DETAIL');
SELECT isnt((error_of($$INSERT INTO person (doc_kind, doc_no, name) VALUES ('resident_id', '610104196209276908', '王五')$$)).hint,
          NULL, 'person_identity carries a HINT');
SELECT throws_ok(
  $$INSERT INTO person (doc_kind, doc_no, name) VALUES ('resident_id', '360426199101010072', '坏号')$$,
  '22P02', NULL, 'a resident ID with a wrong check character is rejected as malformed');

-- Fields given must agree with the resident ID.
SELECT lives_ok(
  $$INSERT INTO person (doc_kind, doc_no, name, sex, birth_date) VALUES ('resident_id', '412723199010050012', '李四', 'M', '1990-10-05')$$,
  'sex and birth date that agree with the ID are accepted');
SELECT throws_rule(
  $$INSERT INTO person (doc_kind, doc_no, name, birth_date) VALUES ('resident_id', '110102199101010078', '赵六', '1991-01-02')$$,
  '23514', 'person_document_agreement', 'a birth date that disagrees with the ID is rejected');
SELECT throws_rule(
  $$INSERT INTO person (doc_kind, doc_no, name, sex) VALUES ('resident_id', '110102199101010078', '赵六', 'F')$$,
  '23514', 'person_document_agreement', 'a sex that disagrees with the ID is rejected');

-- Passports are unique per number and nationality.
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, sex, birth_date)
VALUES (900010, 'passport', 'e1234567-8', 'SMITH JOHN', 'GBR', 'M', '1980-05-05');
SELECT is((SELECT doc_no FROM person WHERE person_id = 900010), 'E12345678',
          'passport numbers are upper-cased with hyphens removed');
SELECT lives_ok(
  $$INSERT INTO person (doc_kind, doc_no, name, nationality) VALUES ('passport', 'E12345678', 'MUELLER ANNA', 'DEU')$$,
  'the same passport number of another nationality is another person');
SELECT throws_rule(
  $$INSERT INTO person (doc_kind, doc_no, name, nationality) VALUES ('passport', 'E 1234 5678', 'SMITH J', 'GBR')$$,
  '23505', 'person_identity', 'the same passport and nationality is a duplicate');
SELECT throws_rule(
  $$UPDATE person SET doc_no = 'E12345678', nationality = 'DEU' WHERE person_id = 900010$$,
  '23505', 'person_identity', 'an update onto a taken document is a duplicate too');

-- Phone status (doc/tasks-phones-names.md): filler numbers from charter manifests are placeholders.
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, phone)
VALUES (900020, 'passport', 'G11111111', 'CHEN WEI', 'CHN', '11111111111'),
       (900021, 'passport', 'G22222222', 'LIU YANG', 'CHN', '+86 138-1234-5678');
SELECT results_eq(
  $$SELECT phone_status FROM person WHERE person_id IN (900020, 900021) ORDER BY person_id$$,
  $$VALUES ('placeholder'), ('unverified')$$,
  'phone_status is placeholder for a filler number, unverified for a real one');
SELECT throws_rule(
  $$UPDATE person SET phone_status = 'verified' WHERE person_id = 900020$$,
  '23514', 'person_phone_status', 'a placeholder number cannot be marked verified');
UPDATE person SET phone_status = 'verified' WHERE person_id = 900021;
SELECT is((SELECT phone_status FROM person WHERE person_id = 900021), 'verified',
          'a real number can be verified');
UPDATE person SET phone = '13900001111' WHERE person_id = 900021;
SELECT is((SELECT phone_status FROM person WHERE person_id = 900021), 'unverified',
          'a changed number is unverified again');

-- Possible duplicates are recorded, never merged.
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, sex, birth_date)
VALUES (900030, 'passport', 'K98765432', 'Smith  John', 'USA', 'M', '1980-05-05'),
       (900031, 'passport', 'K98765433', 'Brown Mary', 'USA', 'M', '1980-05-05');
SELECT results_eq(
  $$SELECT person_id, other_id, reason FROM duplicate_candidate WHERE 900010 IN (person_id, other_id) ORDER BY 1$$,
  $$VALUES (900030::bigint, 900010::bigint, 'birth_sex_name')$$,
  'same birth date and sex with a similar name is a candidate; a different name is not');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, phone, phone_status)
VALUES (900032, 'passport', 'K11223344', 'LIU YANG', 'SGP', '13900001111', 'verified');
UPDATE person SET phone_status = 'verified' WHERE person_id = 900021;
SELECT results_eq(
  $$SELECT person_id, other_id, reason FROM duplicate_candidate WHERE 900021 IN (person_id, other_id)$$,
  $$VALUES (900032::bigint, 900021::bigint, 'phone_name')$$,
  'the same verified phone with a similar name is a candidate');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, phone, phone_status)
VALUES (900033, 'passport', 'K11223355', 'Liu Yang', 'MYS', '+86 139-0000-1111', 'verified');
SELECT results_eq(
  $$SELECT other_id, reason FROM duplicate_candidate WHERE person_id = 900033 ORDER BY other_id$$,
  $$VALUES (900021::bigint, 'phone_name'), (900032::bigint, 'phone_name')$$,
  'the same phone written with +86 and separators is the same phone');
SELECT results_eq(
  $$SELECT phone_key('+86 139-0000-1111'), phone_key('0086 13900001111'), phone_key('+44 20 7946 0958'),
           phone_key('11111111111'), phone_key('12345')$$,
  $$VALUES ('13900001111', '13900001111', '+442079460958', NULL::text, NULL::text)$$,
  'phone_key: mobiles as 11 digits, foreign numbers as +digits, fillers and invalid numbers have none');
SET LOCAL quarantine.duplicate_detection = off;
INSERT INTO person (doc_kind, doc_no, name, nationality, sex, birth_date)
VALUES ('passport', 'K55555555', 'JOHN SMITH', 'CAN', 'M', '1980-05-05');
SELECT is((SELECT count(*)::int FROM duplicate_candidate WHERE 900010 IN (person_id, other_id)), 1,
          'quarantine.duplicate_detection = off records nothing');
RESET quarantine.duplicate_detection;

-- merge_persons moves everything and loses nothing.
INSERT INTO entry (entry_id, person_id, entered_at, port_kind, temperature)
VALUES (900101, 900030, '2021-06-01 10:00+08', 'air', 36.5);
INSERT INTO lab_test (person_id, kind, sampled_at, result)
VALUES (900030, 'nat', '2021-06-01 12:00+08', 'negative');
INSERT INTO control (control_id, person_id, entry_id) VALUES (900201, 900030, 900101);
SELECT lives_ok($$SELECT merge_persons(900010, 900030)$$, 'merge_persons runs');
SELECT results_eq(
  $$SELECT (SELECT person_id FROM entry WHERE entry_id = 900101),
           (SELECT person_id FROM control WHERE control_id = 900201),
           (SELECT person_id FROM lab_test WHERE person_id IN (900010, 900030))$$,
  $$VALUES (900010::bigint, 900010::bigint, 900010::bigint)$$,
  'entries, controls and lab tests moved to the kept person');
SELECT is((SELECT merged_into FROM person WHERE person_id = 900030), 900010::bigint,
          'the dropped person stays, marked merged_into');
SELECT is(person_for_doc('passport', 'K98765432', 'USA'), 900010::bigint,
          'the dropped document resolves to the kept person');
SELECT results_eq(
  $$SELECT keep_id, drop_id, (moved->>'control')::int FROM person_merge$$,
  $$VALUES (900010::bigint, 900030::bigint, 1)$$,
  'the merge is recorded with what moved');
SELECT is((SELECT resolution FROM duplicate_candidate WHERE person_id = 900030 AND other_id = 900010),
          'merged', 'the candidate pair is marked merged');
SELECT throws_ok($$SELECT merge_persons(900010, 900030)$$, '22023', NULL,
                 'a person cannot be merged twice');
-- Merging the kept person again leaves no chain: 900030 now resolves to 900031.
SELECT lives_ok($$SELECT merge_persons(900031, 900010)$$, 'a kept person can itself be merged later');
SELECT results_eq(
  $$SELECT person_id, merged_into FROM person WHERE person_id IN (900010, 900030) ORDER BY 1$$,
  $$VALUES (900010::bigint, 900031::bigint), (900030::bigint, 900031::bigint)$$,
  'earlier merges follow to the new survivor (no merged_into chains)');

-- Nationality is one code whatever its case.
SELECT throws_rule(
  $$INSERT INTO person (doc_kind, doc_no, name, nationality) VALUES ('passport', 'E12345678', 'SMITH JOHN', 'gbr')$$,
  '23505', 'person_identity', 'passport nationality is compared upper-cased');

-- Entry category follows the screening until a clinician sets it.
INSERT INTO entry (entry_id, person_id, entered_at, port_kind, temperature)
VALUES (900102, 900001, '2021-06-02 10:00+08', 'air', 36.5);
UPDATE entry SET port_nat_result = 'positive' WHERE entry_id = 900102;
SELECT is((SELECT category::text FROM entry WHERE entry_id = 900102), 'confirmed',
          'a positive port NAT reported later reclassifies a derived category');
UPDATE entry SET category = 'suspected', port_nat_result = NULL WHERE entry_id = 900102;
UPDATE entry SET temperature = 36.4 WHERE entry_id = 900102;
SELECT is((SELECT category::text FROM entry WHERE entry_id = 900102), 'suspected',
          'a category set by a clinician is kept');

-- Names the manifest refuses are refused on the direct path too, by the same
-- rule function (person_name there, manifest_name in the manifest): made
-- only of blanks (tabs, line breaks, no-break or ideographic spaces), with a
-- control character (ESC, BEL, DEL), or of 100 KB.
CREATE TEMP TABLE bad_name (n int, kind text, name text);
INSERT INTO bad_name VALUES
  (1, 'tabs', E'\t\t'), (2, 'line breaks', E'\n\r\n'), (3, 'no-break spaces', U&'\00A0\00A0'),
  (4, 'ideographic spaces', U&'\3000\3000'), (5, 'ESC', E'LI\x1bNA'), (6, 'BEL', E'LI\x07NA'),
  (7, 'DEL', E'LI\x7fNA'), (8, '100 KB', repeat('LI NA ', 17000)), (9, 'tab inside', E'LI\tNA');
SELECT results_eq(
  $$SELECT b.kind, e.state, e.rule
      FROM bad_name b,
           LATERAL tap.error_of(format('INSERT INTO person (doc_kind, doc_no, name, nationality) VALUES (%L, %L, %L, %L)',
                                       'passport', 'EN90000' || b.n, b.name, 'CHN')) e ORDER BY b.n$$,
  $$SELECT kind, '23514', 'person_name' FROM bad_name ORDER BY n$$,
  'a direct INSERT refuses every kind of bad name with person_name');
SELECT results_eq(
  $$SELECT b.kind, e.state, e.rule
      FROM bad_name b,
           LATERAL tap.error_of(format('UPDATE person SET name = %L WHERE person_id = 900001', b.name)) e ORDER BY b.n$$,
  $$SELECT kind, '23514', 'person_name' FROM bad_name ORDER BY n$$,
  'an UPDATE refuses them too');
INSERT INTO manifest_staging (batch, row_no, name, doc_kind, doc_no, nationality, entered_at)
SELECT 'BAD NAMES', n, name, 'passport', 'EN90000' || n, 'CHN', '2020-04-26 13:00' FROM bad_name;
SELECT results_eq(
  $$SELECT b.kind, c.rule FROM manifest_staging s JOIN bad_name b ON b.n = s.row_no, manifest_check(s) c
     WHERE s.batch = 'BAD NAMES' ORDER BY b.n$$,
  $$SELECT kind, 'manifest_name' FROM bad_name ORDER BY n$$,
  'the manifest refuses the same names, with manifest_name');
SELECT is((SELECT count(*)::int FROM person WHERE doc_no LIKE 'EN90000%'), 0, 'and nothing was written');

SELECT * FROM finish();
ROLLBACK;
