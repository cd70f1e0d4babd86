-- name_key, name_similarity, names_similar (doc/tasks-phones-names.md): blanks, full-width
-- characters, Latin name order and case ignored; near misses scored.
BEGIN;
SELECT plan(13);

CREATE TEMP TABLE key_vectors (full_name text, expected text, why text);
INSERT INTO key_vectors VALUES
  ('张三',                 '张三',          'Chinese name unchanged'),
  ('张 三',                '张三',          'blank inside a Chinese name'),
  (' 张　三 ',             '张三',          'ideographic space U+3000 and surrounding blanks'),
  (E'张\t三\n',            '张三',          'tab and newline'),
  ('欧阳 娜娜',            '欧阳娜娜',      'compound surname with a blank'),
  ('约翰·史密斯',          '约翰史密斯',    'middle dot U+00B7'),
  ('约翰・史密斯',         '约翰史密斯',    'katakana middle dot U+30FB'),
  ('约翰•史密斯',          '约翰史密斯',    'bullet U+2022'),
  ('约翰‧史密斯',          '约翰史密斯',    'hyphenation point U+2027'),
  ('阿卜杜拉·艾力',        '阿卜杜拉艾力',  'Uyghur name in characters'),
  ('ZHANG San',            'sanzhang',      'Latin: case and order ignored'),
  ('san zhang',            'sanzhang',      'Latin: the other order'),
  ('ZHANG  SAN',           'sanzhang',      'Latin: double blank'),
  ('Ｚｈａｎｇ　Ｓａｎ',   'sanzhang',      'full-width Latin letters and ideographic space'),
  ('ZHANG/SAN',            'sanzhang',      'airline PNR form'),
  ('ZHANG<<SAN',           'sanzhang',      'MRZ form'),
  ('ZHANG, San',           'sanzhang',      'surname, given name'),
  ('zhangsan',             'zhangsan',      'one word stays one word'),
  ('Jean-Pierre DUPONT',   'dupontjeanpierre', 'hyphen separates words'),
  ('O''Brien Mary',        'maryobrien',    'apostrophe vanishes'),
  ('O’Brien Mary',         'maryobrien',    'typographic apostrophe vanishes'),
  ('José MÜLLER',          'josemuller',    'accents removed, as in passports'),
  ('Søren Kierkegaard',    'kierkegaardsoren', 'ø folds to o'),
  ('Straße',               'strasse',       'ß folds to ss'),
  ('Łukasz Wałęsa',        'lukaszwalesa',  'Latin Extended-A'),
  ('Maria da Silva',       'damariasilva',  'three words sorted'),
  ('李Ming',               '李ming',         'mixed script with ASCII letters is word-ordered'),
  ('王?明',                '王?明',          'a ? for a character the system lacks is kept'),
  ('',                     '',              'empty'),
  ('  ·  ',                '',              'nothing but separators'),
  (E'\u200B张\uFEFF三',    '张三',          'zero-width space and BOM vanish');

SELECT results_eq(
  $$SELECT full_name, name_key(full_name) FROM key_vectors ORDER BY full_name$$,
  $$SELECT full_name, expected FROM key_vectors ORDER BY full_name$$,
  'name_key folds blanks, full-width forms, dots, case, accents and Latin word order');

-- The other way: differences that are not spelling must survive the key.
SELECT results_eq(
  $$SELECT name_key(a) = name_key(b) FROM (VALUES
      ('张三', '张四'), ('张三', '三张'), ('张三', 'ZHANG SAN'), ('張三', '张三'),
      ('zhangsan', 'zhang shan'), ('Anna', 'Ana'), ('王?明', '王明')) v(a, b)$$,
  $$VALUES (false), (false), (false), (false), (false), (false), (false)$$,
  'name_key keeps other characters, Chinese order, pinyin and traditional forms apart');

-- Similarity vectors: the scores an officer can read and check by hand.
CREATE TEMP TABLE similarity_vectors (a text, b text, score numeric, is_similar boolean, why text);
INSERT INTO similarity_vectors VALUES
  ('张三',           '张 三',           1.00, true,  'equal keys'),
  ('ZHANG San',      'san zhang',       1.00, true,  'equal keys, Latin order'),
  ('张小明',         '张晓明',          0.67, true,  'one homophone in a 3-character given name'),
  ('张小明',         '王小明',          0.67, true,  'one character in a 3-character name, surname too'),
  ('张小明',         '张明小',          0.83, true,  'two characters transposed'),
  ('欧阳娜娜',       '欧阳丽娜',        0.75, true,  'one character in a 4-character name'),
  ('欧阳娜娜',       '欧阳娜',          0.75, true,  'a repeated character dropped'),
  ('张三',           '三张',            0.75, true,  'a 2-character name swapped'),
  ('张三',           '张四',            0.25, false, 'a 2-character name differs: another person'),
  ('王伟',           '王炜',            0.25, false, 'a 2-character homophone: another common name'),
  ('张三',           '张三丰',          0.33, false, 'a 2-character name against a 3-character one'),
  ('张小明',         '李小红',          0.33, false, 'two characters of three differ'),
  ('欧阳娜娜',       '欧阳丽丽',        0.50, false, 'two characters of four differ'),
  ('张',             '王',              0.00, false, 'one character against another'),
  ('ZHANG XIAOMING', 'Zhang Xiao Ming', 0.99, true,  'Latin, given name split differently'),
  ('ZHANGSAN',       'SAN ZHANG',       0.99, true,  'Latin, run together in the other order'),
  ('Jhon Smith',     'John Smith',      0.89, true,  'Latin, two letters transposed'),
  ('zhangsan',       'zhangshan',       0.78, true,  'Latin, one letter added'),
  ('WANG Wei',       'wang fei',        0.71, true,  'Latin, one letter of seven'),
  ('Mohammed Ali',   'Muhammad Ali',    0.64, true,  'Latin, two vowels of eleven letters'),
  ('MÜLLER Hans',    'MUELLER HANS',    0.82, true,  'Latin, umlaut against its ICAO transliteration'),
  ('Li Wei',         'Li Wen',          0.60, true,  'Latin, one letter of five: just similar'),
  ('Li Wei',         'Li Jie',          0.40, false, 'Latin, two letters of five'),
  ('Li Na',          'Li Ma',           0.50, false, 'Latin, one letter of four'),
  ('John Michael Smith', 'John Smith',  0.13, false, 'a middle name more is not a spelling difference'),
  ('张三',           'ZHANG SAN',       0.00, false, 'characters against pinyin: no dictionary'),
  ('張三',           '张三',            0.25, false, 'traditional against simplified: no dictionary'),
  ('',               '',                0.00, false, 'empty names are evidence of nothing'),
  ('·',              '张三',            0.00, false, 'a name of separators only');

SELECT results_eq(
  $$SELECT a, b, round(name_similarity(a, b)::numeric, 2), names_similar(a, b)
      FROM similarity_vectors ORDER BY a, b$$,
  $$SELECT a, b, score, is_similar FROM similarity_vectors ORDER BY a, b$$,
  'name_similarity scores and the names_similar verdict, both ways');

-- The threshold is 0.6 exactly: names_similar agrees with the score on every vector.
SELECT is(
  (SELECT count(*) FROM similarity_vectors
    WHERE names_similar(a, b) <> (name_similarity(a, b) >= 0.6::real)),
  0::bigint, 'names_similar is name_similarity >= 0.6');

-- Properties over random names made of common surname and given-name
-- characters, pinyin syllables, blanks and full-width letters.
DO $$ BEGIN PERFORM setseed(0.45); END $$;
CREATE TEMP TABLE random_names AS
  SELECT g, string_agg(substr('张王李赵欧阳小晓明伟炜娜丽 ·　ZhangWeiLiNaＭＩＮＧ-''é', 1 + floor(random() * 35)::int, 1), '') AS a,
            string_agg(substr('张王李赵欧阳小晓明伟炜娜丽 ·　ZhangWeiLiNaＭＩＮＧ-''é', 1 + floor(random() * 35)::int, 1), '') AS b
    FROM generate_series(1, 5000) g, generate_series(1, 1 + g % 9) c
   GROUP BY g;

SELECT is((SELECT count(*) FROM random_names WHERE name_key(name_key(a)) <> name_key(a)),
  0::bigint, 'name_key is idempotent');
SELECT is((SELECT count(*) FROM random_names
            WHERE name_similarity(a, b) <> name_similarity(b, a)),
  0::bigint, 'name_similarity is symmetric');
SELECT is((SELECT count(*) FROM random_names
            WHERE name_similarity(a, b) NOT BETWEEN 0 AND 1),
  0::bigint, 'name_similarity lies in [0,1]');
SELECT is((SELECT count(*) FROM random_names
            WHERE (name_similarity(a, b) = 1) <> (name_key(a) = name_key(b) AND name_key(a) <> '')),
  0::bigint, 'name_similarity is 1 exactly when the keys are equal and not empty');
SELECT is((SELECT count(*) FROM random_names
            WHERE name_key(a) <> '' AND name_similarity(a, a || ' ') <> 1),
  0::bigint, 'a name is similar to itself with a blank more');

SELECT results_eq(
  $$SELECT name_key(NULL) IS NULL, name_similarity(NULL, 'a') IS NULL,
           name_similarity('a', NULL) IS NULL, names_similar(NULL, NULL) IS NULL$$,
  $$VALUES (true, true, true, true)$$, 'NULL in, NULL out');

-- Long and odd input: no error, bounded work.
SELECT results_eq(
  $$SELECT length(name_key(repeat('张', 100000))),
           name_similarity(repeat('ab ', 50000), repeat('ab ', 50000) || 'c') = 1,
           name_similarity(repeat('张', 300), repeat('张', 299) || '王') < 1,
           name_key(repeat('Ａ ', 10))$$,
  $$VALUES (1365, true, true, 'aaaaaaaaaa')$$,
  'very long names are matched on their first 4096 bytes without error');

SELECT is(name_key(E'\u0001\u007F张'), '张', 'control characters are blanks');

-- A key of 250,000 characters is compared in linear time (it took 10-22 s
-- and ignored statement_timeout while it sorted its characters).
SET LOCAL statement_timeout = '5s';
SELECT is(name_keys_may_match(repeat('zyxwvutsrq', 25000), repeat('abcdefghij', 25000), 0.9), true,
          'keys longer than a name are not sorted: no bound is claimed for them');
RESET statement_timeout;

SELECT * FROM finish();
ROLLBACK;
