-- The duplicate search over a statement that writes many persons at once
-- (issue 27): one UPDATE verifying hundreds of phones, and one INSERT of
-- hundreds of persons with verified phones, record exactly the candidates
-- that the same rows written one statement at a time record (doc/records.md,
-- "Possible duplicates").  No timing here: bench/47_duplicate_scaling.sql.
BEGIN;
SELECT plan(7);

-- Two copies (w = 0, 1) of a corpus where both reasons occur, apart from each
-- other (their own phones and birth dates): copy 0 is written at once, copy 1
-- one row at a time.  Birth-date and sex blocks of about 20 with names that
-- differ by a letter; persons i, i + 150 and i + 300 share a phone and a name
-- (some with a letter more) but not a birth date.
CREATE TEMP TABLE corpus AS
SELECT w, i, 910000 + 10000 * w + i AS person_id, 'E' || w || lpad(i::text, 7, '0') AS doc_no,
       (ARRAY['WANG', 'LI', 'ZHANG', 'LIU', 'CHEN'])[1 + i % 150 % 5] || ' ' ||
       (ARRAY['WEI', 'WEN', 'FANG', 'FANGYU', 'JING', 'JUN', 'MIN', 'MING'])[1 + (i % 150 / 5) % 8] ||
       CASE WHEN i % 7 = 0 THEN 'X' ELSE '' END AS name,
       CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END AS sex,
       date '1960-01-01' + 5000 * w + (i % 11) AS birth_date,
       '13' || (9 - w) || lpad(((i % 150) * 7907 + 1234567)::text, 8, '0') AS phone
  FROM generate_series(0, 1) w, generate_series(1, 450) i;

-- The candidates of copy w, copy 1's written with copy 0's ids.
CREATE FUNCTION pg_temp.found(w int) RETURNS TABLE (person_id bigint, other_id bigint, score numeric, reason text)
LANGUAGE sql AS $$
  SELECT person_id - 10000 * w, other_id - 10000 * w, round(score::numeric, 4), reason
    FROM quarantine.duplicate_candidate
   WHERE person_id BETWEEN 910001 + 10000 * w AND 910450 + 10000 * w
$$;

-- The first 150 of each copy are on file with verified phones, the other 300
-- unverified; the statistics then say almost no phone is verified, as after
-- a day's load.
INSERT INTO person (person_id, doc_kind, doc_no, name, sex, birth_date, nationality, phone, phone_status)
SELECT person_id, 'passport', doc_no, name, sex, birth_date, 'CHN', phone,
       CASE WHEN i <= 150 THEN 'verified' ELSE 'unverified' END
  FROM corpus ORDER BY person_id;
ANALYZE person;

-- Copy 0: one UPDATE verifying 300 phones; copy 1: 300 UPDATEs of one phone.
UPDATE person SET phone_status = 'verified' WHERE person_id BETWEEN 910151 AND 910450;
DO $$
BEGIN
  FOR k IN 920151..920450 LOOP
    UPDATE quarantine.person SET phone_status = 'verified' WHERE person_id = k;
  END LOOP;
END $$;

SELECT cmp_ok((SELECT count(*) FROM pg_temp.found(0) WHERE reason = 'phone_name' AND other_id > 910150), '>',
              20::bigint, 'verifying phones at once finds phone pairs among the statement''s own rows');
SELECT cmp_ok((SELECT count(*) FROM pg_temp.found(0) WHERE reason = 'phone_name' AND other_id <= 910150), '>',
              20::bigint, 'and phone pairs with persons verified before');
SELECT set_eq('SELECT * FROM pg_temp.found(0)', 'SELECT * FROM pg_temp.found(1)',
              'one UPDATE verifying 300 phones records the candidates of 300 UPDATEs of one phone');

-- The same 300 inserted with verified phones: copy 0 in one INSERT, copy 1
-- one row at a time.
DELETE FROM duplicate_candidate WHERE person_id BETWEEN 910001 AND 920450;
DELETE FROM person p USING corpus c WHERE p.person_id = c.person_id AND c.i > 150;
INSERT INTO person (person_id, doc_kind, doc_no, name, sex, birth_date, nationality, phone, phone_status)
SELECT person_id, 'passport', doc_no, name, sex, birth_date, 'CHN', phone, 'verified'
  FROM corpus WHERE w = 0 AND i > 150 ORDER BY person_id;
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM corpus WHERE w = 1 AND i > 150 ORDER BY person_id LOOP
    INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, sex, birth_date, nationality, phone, phone_status)
    VALUES (r.person_id, 'passport', r.doc_no, r.name, r.sex, r.birth_date, 'CHN', r.phone, 'verified');
  END LOOP;
END $$;

SELECT set_eq('SELECT * FROM pg_temp.found(0)', 'SELECT * FROM pg_temp.found(1)',
              'one INSERT of 300 persons with verified phones records the candidates of 300 INSERTs');
SELECT cmp_ok((SELECT count(*) FROM pg_temp.found(0) WHERE reason = 'birth_sex_name'), '>', 100::bigint,
              'the corpus has birth-date and sex pairs too');
SELECT cmp_ok((SELECT count(*) FROM pg_temp.found(0) WHERE reason = 'phone_name'), '>', 40::bigint,
              'and phone pairs');
-- Both find what a comparison of every pair finds.
SELECT set_eq(
  $$SELECT person_id, other_id FROM pg_temp.found(0)$$,
  $$SELECT b.person_id, a.person_id AS other_id FROM corpus a JOIN corpus b ON a.person_id < b.person_id
     WHERE a.w = 0 AND b.w = 0 AND b.i > 150
       AND (a.birth_date = b.birth_date AND a.sex = b.sex OR a.phone = b.phone)
       AND name_similarity(a.name, b.name) >= 0.6$$,
  'the candidates are every pair of the same block or verified phone with similar names');

SELECT * FROM finish();
ROLLBACK;
