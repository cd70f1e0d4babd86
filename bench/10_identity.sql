-- doc/identity.md: cost of validating resident identity numbers and document numbers.
\echo '== identity: cnid parsing, sorting and normalize_doc against int8 and plain text'
SET search_path = quarantine, public;
SELECT setseed(0.5);
-- 1M valid numbers: random legacy 15-digit numbers upgraded by the type
-- itself, so the canonical text carries a correct check character.
CREATE TEMP TABLE ids AS
  SELECT t AS x, left(t, 17) AS y, t::cnid AS c, left(t, 17)::bigint AS i
    FROM (SELECT to_cnid(p::text || lpad((g % 10000)::text, 4, '0')
                         || to_char(date '1920-01-01' + (g % 29000), 'YYMMDD')
                         || lpad((g % 1000)::text, 3, '0'))::text AS t
            FROM generate_series(1, 1000000) g,
                 LATERAL (SELECT (ARRAY[11,31,33,44,51,61])[1 + g % 6] AS p) s) s;
CREATE TEMP TABLE passports AS
  SELECT 'e' || lpad(g::text, 8, '0') AS x FROM generate_series(1, 1000000) g;
VACUUM ANALYZE ids;
VACUUM ANALYZE passports;

SELECT * FROM bench.compare('cnid: parse 1M texts',
  $$SELECT count(x::cnid) FROM ids$$,
  $$SELECT count(y::int8) FROM ids$$,
  'x::cnid (18 chars: province, date, clock and MOD 11-2 checks) vs y::int8 (17 digits)');
SELECT * FROM bench.compare('cnid: sort 1M values',
  $$SELECT c FROM ids ORDER BY c OFFSET 1000000$$,
  $$SELECT i FROM ids ORDER BY i OFFSET 1000000$$,
  'btree opclass with int8 sort support vs int8');
SELECT * FROM bench.compare('normalize_doc: 1M passports',
  $$SELECT count(normalize_doc('passport', x)) FROM passports$$,
  $$SELECT count(upper(x)) FROM passports$$,
  'clean + format check vs upper()');
