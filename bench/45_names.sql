-- Name matching for duplicate control (doc/tasks-phones-names.md): name_key and name_similarity
-- over 1M name pairs, against the naive lower(a) = lower(b) on the same pairs.
-- The pairs are what the duplicate check sees after blocking on birth date
-- and sex: 80% Chinese names (2-4 characters), 20% pinyin; 40% the same name
-- written differently, 30% one character or syllable changed, 30% unrelated.
\set QUIET on
SET search_path = quarantine, public;
DROP TABLE IF EXISTS bench.name_pairs;
DO $$ BEGIN PERFORM setseed(0.45); END $$;
CREATE TABLE bench.name_pairs AS
WITH c AS (
  SELECT '{王,李,张,刘,陈,杨,赵,黄,周,吴,徐,孙,胡,朱,高,林,何,郭,马,欧阳}'::text[] AS cs,
         '{wang,li,zhang,liu,chen,yang,zhao,huang,zhou,wu,xu,sun,hu,zhu,gao,lin,he,guo,ma,ouyang}'::text[] AS ps,
         '{伟,芳,娜,敏,静,丽,强,磊,军,洋,勇,艳,杰,娟,涛,明,超,秀,霞,平,刚,桂,英,华,建,文,晓,小,红,玉,兰,海,鹏,宇,婷,雪,浩,博,欣,佳}'::text[] AS cg,
         '{wei,fang,na,min,jing,li,qiang,lei,jun,yang,yong,yan,jie,juan,tao,ming,chao,xiu,xia,ping,gang,gui,ying,hua,jian,wen,xiao,xiao,hong,yu,lan,hai,peng,yu,ting,xue,hao,bo,xin,jia}'::text[] AS pg
), r AS (
  SELECT 1 + floor(random() * 20)::int AS s, 1 + floor(random() * 40)::int AS x,
         1 + floor(random() * 40)::int AS y, 1 + floor(random() * 40)::int AS z,
         random() < 0.25 AS two_chars, random() AS kind, random() < 0.2 AS latin
    FROM generate_series(1, 1000000)
)
SELECT CASE WHEN latin THEN upper(ps[s]) || ' ' || initcap(pg[x] || CASE WHEN two_chars THEN '' ELSE pg[y] END)
            ELSE cs[s] || cg[x] || CASE WHEN two_chars THEN '' ELSE cg[y] END END AS a,
       CASE WHEN kind < 0.4 THEN
              CASE WHEN latin THEN lower(pg[x] || CASE WHEN two_chars THEN '' ELSE pg[y] END) || ' ' || lower(ps[s])
                   ELSE cs[s] || ' ' || cg[x] || CASE WHEN two_chars THEN '' ELSE cg[y] END END
            WHEN kind < 0.7 THEN
              CASE WHEN latin THEN upper(ps[s]) || ' ' || initcap(pg[z] || CASE WHEN two_chars THEN '' ELSE pg[y] END)
                   ELSE cs[s] || cg[z] || CASE WHEN two_chars THEN '' ELSE cg[y] END END
            ELSE
              CASE WHEN latin THEN upper(ps[1 + (s + 6) % 20]) || ' ' || initcap(pg[z] || pg[1 + (x + y) % 40])
                   ELSE cs[1 + (s + 6) % 20] || cg[z] || cg[1 + (x + y) % 40] END
       END AS b
  FROM r, c;
ANALYZE bench.name_pairs;
\set QUIET off

SELECT count(*) AS pairs,
       count(*) FILTER (WHERE lower(a) = lower(b)) AS lower_equal,
       count(*) FILTER (WHERE name_key(a) = name_key(b)) AS key_equal,
       count(*) FILTER (WHERE names_similar(a, b)) AS similar
  FROM bench.name_pairs;

SELECT * FROM bench.compare('names: name_key(a) = name_key(b), 1M pairs',
  $$SELECT count(*) FROM bench.name_pairs WHERE name_key(a) = name_key(b)$$,
  $$SELECT count(*) FROM bench.name_pairs WHERE lower(a) = lower(b)$$,
  'baseline lower(a) = lower(b); key folds blanks, full width, Latin order');
SELECT * FROM bench.compare('names: name_similarity(a, b), 1M pairs',
  $$SELECT count(*) FROM bench.name_pairs WHERE name_similarity(a, b) >= 0.6$$,
  $$SELECT count(*) FROM bench.name_pairs WHERE lower(a) = lower(b)$$,
  'baseline lower(a) = lower(b); similarity folds both names and runs an edit distance');

DROP TABLE bench.name_pairs;
