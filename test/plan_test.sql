-- isolation_plan: the type, its operators and opclass, and the date functions.
BEGIN;
SELECT plan(36);

-- ---------------------------------------------------------------------------
-- Input and output
-- ---------------------------------------------------------------------------

SELECT results_eq(
  $$SELECT to_isolation_plan(i)::text FROM unnest(ARRAY[
      '14c', '7C+7H', ' 14 c + 7 m ', E'14w\t+\n7c + 7m', '5c+3h', '07c', '1m',
      '99c+99h+99m+99w', '7c+7c', '3W+4c']) WITH ORDINALITY AS t (i, n) ORDER BY n$$,
  $$VALUES ('14c'), ('7c+7h'), ('14c+7m'), ('14w+7c+7m'), ('5c+3h'), ('7c'), ('1m'),
           ('99c+99h+99m+99w'), ('7c+7c'), ('3w+4c')$$,
  'valid plans are read ignoring case, blanks and leading zeros, and print canonically');


SELECT results_eq(
  $$SELECT i, e.state, e.message = format('invalid input syntax for type isolation_plan: "%s"', i),
           e.detail, e.hint LIKE 'Write 1 to 4 segments <days><kind> joined by "+"%'
      FROM unnest(ARRAY['', '  ', '1c+2c+3c+4c+5c', '0c', '100c', '14x', '14',
                        'c14', '1 4c', '+7c', '7c+', '7c++7h', '7c7h', '14天'])
             WITH ORDINALITY AS t (i, n),
           tap.error_of(format('SELECT %L::isolation_plan', i)) AS e
     ORDER BY n$$,
  $$VALUES
     ('', '22P02', true, 'The plan is empty.', true),
     ('  ', '22P02', true, 'The plan is empty.', true),
     ('1c+2c+3c+4c+5c', '22P02', true, 'The plan has 5 segments; a plan has 1 to 4.', true),
     ('0c', '22P02', true, 'Segment 1 lasts 0 days; a segment lasts 1 to 99 days.', true),
     ('100c', '22P02', true, 'Segment 1 lasts 100 days; a segment lasts 1 to 99 days.', true),
     ('14x', '22P02', true, 'Unknown kind letter "x" at position 3; the kinds are c, h, m and w.', true),
     ('14', '22P02', true, 'Segment 1 ("14") has no kind letter at position 3.', true),
     ('c14', '22P02', true, 'Segment 1 must start with a day count, found "c" at position 1.', true),
     ('1 4c', '22P02', true, 'The day count of segment 1 is split by a blank before position 3.', true),
     ('+7c', '22P02', true, 'Segment 1 is empty: the plan starts with "+".', true),
     ('7c+', '22P02', true, 'Segment 2 is empty: the plan ends with "+".', true),
     ('7c++7h', '22P02', true, 'Segment 2 is empty: "+" at position 4 follows another "+".', true),
     ('7c7h', '22P02', true, 'Expected "+" or the end of the plan at position 3, found "7".', true),
     ('14天', '22P02', true, 'Unknown kind letter "天" at position 3; the kinds are c, h, m and w.', true)$$,
  'malformed plans raise 22P02 with a DETAIL naming the fault and the HINT');

SELECT throws_ok($$SELECT to_isolation_plan('14 days')$$, '22P02', NULL,
                 'to_isolation_plan rejects malformed text');
SELECT is('7c+7h'::text::isolation_plan, '7c+7h', 'text casts to isolation_plan');
SELECT is(('7C+7H'::isolation_plan)::text, '7c+7h', 'isolation_plan casts to text');
SELECT is(to_isolation_plan(NULL), NULL, 'to_isolation_plan is strict');

-- ---------------------------------------------------------------------------
-- Storage, operators, opclass
-- ---------------------------------------------------------------------------

SELECT results_eq(
  $$SELECT typlen::int, typbyval, typalign::text FROM pg_type WHERE oid = 'isolation_plan'::regtype$$,
  $$VALUES (8, true, 'd')$$, 'isolation_plan is a pass-by-value 8-byte type');

SELECT ok(amvalidate(c.oid), 'the hash opclass validates')
  FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
 WHERE c.opcname = 'isolation_plan_ops' AND a.amname = 'hash' AND c.opcdefault;

SELECT results_eq(
  $$SELECT '7c+7h'::isolation_plan = ' 7C + 7H ', '7c+7h'::isolation_plan = '7h+7c',
           '7c+7c'::isolation_plan = '14c', '14c'::isolation_plan <> '14h',
           '14c'::isolation_plan <> '14c'$$,
  $$VALUES (true, false, false, true, false)$$,
  '= and <> compare plans as written');

SELECT is(oprcanhash, true, '= can hash') FROM pg_operator
 WHERE oprname = '=' AND oprleft = 'isolation_plan'::regtype AND oprright = 'isolation_plan'::regtype;

SELECT is(isolation_plan_hash('7c+7h'), isolation_plan_hash(' 7C+7H'),
          'equal plans hash alike');

CREATE TEMP TABLE p (plan isolation_plan);
INSERT INTO p SELECT (ARRAY['14c', '7c+7h', '14c+7m', '5c+3h'])[1 + i % 4]::isolation_plan
  FROM generate_series(1, 1000) i;
CREATE INDEX ON p USING hash (plan);
ANALYZE p;
SELECT results_eq(
  $$SELECT plan::text, count(*)::int FROM p GROUP BY plan ORDER BY 1$$,
  $$VALUES ('14c', 250), ('14c+7m', 250), ('5c+3h', 250), ('7c+7h', 250)$$,
  'GROUP BY groups plans');
SET LOCAL enable_seqscan = off;
SELECT is((SELECT count(*)::int FROM p WHERE plan = '5c+3h'), 250, 'a hash index finds plans');
RESET enable_seqscan;

-- Binary I/O: send then recv gives the plan back; recv rejects packings that
-- no text input produces.  The packed value is read from a binary COPY of
-- an int8, which has the same wire format.
CREATE TEMP TABLE recv_box (plan isolation_plan);
CREATE FUNCTION pg_temp.recv_of(packed bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  -- in the cluster's own directory, which goes away with the test cluster
  f text := format('%s/quarantine_plan_recv_%s.bin', current_setting('data_directory'), pg_backend_pid());
  got text;
BEGIN
  EXECUTE format('COPY (SELECT %s::bigint) TO %L (FORMAT binary)', packed, f);
  TRUNCATE recv_box;
  BEGIN
    EXECUTE format('COPY recv_box FROM %L (FORMAT binary)', f);
    SELECT plan::text INTO got FROM recv_box;
  EXCEPTION WHEN OTHERS THEN
    got := 'ERROR ' || SQLSTATE;
  END;
  RETURN got;
END $$;

SELECT results_eq(
  $$SELECT pg_temp.recv_of(v) FROM unnest(ARRAY[
      x'0E01'::bigint,                 -- 14c
      x'07020701'::bigint,             -- 7c+7h
      x'070307010E04'::bigint,         -- 14w+7c+7m
      x'6304630363026301'::bigint]) WITH ORDINALITY AS t (v, n) ORDER BY n$$,
  $$VALUES ('14c'), ('7c+7h'), ('14w+7c+7m'), ('99c+99h+99m+99w')$$,
  'recv reads valid packings (segment 1 in the low 16 bits: days << 8 | kind)');

SELECT results_eq(
  $$SELECT pg_temp.recv_of(v) FROM unnest(ARRAY[
      0::bigint,                       -- no segment
      x'0001'::bigint,                 -- 0 days
      x'6401'::bigint,                 -- 100 days
      x'0E05'::bigint,                 -- kind 5
      x'0E00'::bigint,                 -- kind 0
      x'0E010000'::bigint << 16,       -- a gap before segment 2
      x'0E0100000E01'::bigint,         -- a gap between segments
      -1::bigint]) WITH ORDINALITY AS t (v, n) ORDER BY n$$,
  $$SELECT 'ERROR 22P03' FROM generate_series(1, 8)$$,
  'recv rejects packings no text input makes with 22P03');

SELECT results_eq(
  $$SELECT pg_temp.recv_of(x::bigint) FROM (VALUES ('14c'), ('7c+7h'), ('14w+7c+7m'), ('99c+99h+99m+99w')) AS v (p),
           LATERAL (SELECT ('x' || encode(isolation_plan_send(p::isolation_plan), 'hex'))::bit(64)) AS s (x)$$,
  $$VALUES ('14c'), ('7c+7h'), ('14w+7c+7m'), ('99c+99h+99m+99w')$$,
  'send and recv round-trip');

-- ---------------------------------------------------------------------------
-- Date functions (doc/plans.md: day 1 is the start; periods are half-open)
-- ---------------------------------------------------------------------------

SELECT results_eq(
  $$SELECT total_days(p::isolation_plan) FROM unnest('{14c,7c+7h,14c+7m,7c+3m,5c+3h,14w+7c+7m,99c+99h+99m+99w,1m}'::text[]) WITH ORDINALITY AS t (p, n) ORDER BY n$$,
  $$VALUES (14), (14), (21), (10), (8), (28), (396), (1)$$,
  'total_days sums the segments');

SELECT is(release_date('14c', '2020-04-01'), '2020-04-15'::date,
          '14 days from 2020-04-01 are free from 2020-04-15');

-- Boundary days: last centralized day, first home day, last day, first free day.
SELECT results_eq(
  $$SELECT phase_on(plan::isolation_plan, '2020-04-01', day)::text
      FROM (VALUES ('14c', '2020-03-31'::date), ('14c', '2020-04-01'), ('14c', '2020-04-14'), ('14c', '2020-04-15'),
                   ('7c+7h', '2020-04-07'), ('7c+7h', '2020-04-08'), ('7c+7h', '2020-04-14'), ('7c+7h', '2020-04-15'),
                   ('5c+3h', '2020-04-05'), ('5c+3h', '2020-04-06'), ('5c+3h', '2020-04-08'), ('5c+3h', '2020-04-09'),
                   ('14c+7m', '2020-04-14'), ('14c+7m', '2020-04-15'), ('14c+7m', '2020-04-21'), ('14c+7m', '2020-04-22'),
                   ('14w+7c+7m', '2020-04-14'), ('14w+7c+7m', '2020-04-15'), ('14w+7c+7m', '2020-04-22'),
                   ('7c+7h+7c', '2020-04-15'), ('7c+7h+7c', '2020-04-21'), ('7c+7h+7c', '2020-04-22'),
                   ('14c', '-infinity'), ('14c', 'infinity')) AS t (plan, day)$$,
  $$VALUES ('not_started'), ('centralized'), ('centralized'), ('released'),
           ('centralized'), ('home'), ('home'), ('released'),
           ('centralized'), ('home'), ('home'), ('released'),
           ('centralized'), ('monitoring'), ('monitoring'), ('released'),
           ('work'), ('centralized'), ('monitoring'),
           ('centralized'), ('centralized'), ('released'),
           ('not_started'), ('released')$$,
  'phase_on on the boundary days of each segment');

SELECT results_eq(
  $$SELECT w::text, phase_range('7c+7h+7c', '2020-04-01', w)::text FROM unnest(enum_range(NULL::phase)) AS w$$,
  $$VALUES ('not_started', '(-infinity,2020-04-01)'), ('work', NULL), ('centralized', '[2020-04-01,2020-04-22)'),
           ('home', '[2020-04-08,2020-04-15)'), ('monitoring', NULL), ('released', '[2020-04-22,infinity)')$$,
  'phase_range: NULL for an absent phase, first start to last end for a kind used twice');

SELECT results_eq(
  $$SELECT phase_range('14w+7c+7m', '2020-04-01', w)::text FROM unnest('{work,centralized,home,monitoring}'::phase[]) WITH ORDINALITY AS t (w, n) ORDER BY n$$,
  $$VALUES ('[2020-04-01,2020-04-15)'), ('[2020-04-15,2020-04-22)'), (NULL), ('[2020-04-22,2020-04-29)')$$,
  'phase_range of the staff plan of the port-city notice');

-- Every day of every plan lies in the range of its own phase, and in no
-- other phase's range (bar a kind used twice, whose range spans the gap).
SELECT is(count(*), 0::bigint, 'phase_on and phase_range agree on every day of every test plan')
  FROM unnest('{14c,7c+7h,14c+7m,7c+3m,5c+3h,14w+7c+7m,3m,1w+1c+1h+1m,99c+99h+99m+99w}'::isolation_plan[]) AS plan,
       generate_series('2020-02-27'::date, '2021-04-01', '1 day') AS g (day),
       unnest(enum_range(NULL::phase)) AS w
 WHERE (phase_on(plan, '2020-03-01', g.day::date) = w) IS DISTINCT FROM
       coalesce(g.day::date <@ phase_range(plan, '2020-03-01', w), false);

SELECT results_eq(
  $$SELECT isolation_end(p::isolation_plan, '2020-04-01') FROM unnest('{14c,7c+7h,14c+7m,7c+3m,5c+3h,14w+7c+7m,7c+7h+7m,3m,7c+3m+2h}'::text[]) WITH ORDINALITY AS t (p, n) ORDER BY n$$,
  $$VALUES ('2020-04-15'::date), ('2020-04-15'), ('2020-04-15'), ('2020-04-08'), ('2020-04-09'),
           ('2020-04-22'), ('2020-04-15'), ('2020-04-01'), ('2020-04-13')$$,
  'isolation_end: the day after the last c or h segment, the start when there is none');

SELECT results_eq(
  $$SELECT release_date(p::isolation_plan, '2020-04-01') FROM unnest('{14c,7c+7h,14c+7m,7c+3m,5c+3h,14w+7c+7m,3m}'::text[]) WITH ORDINALITY AS t (p, n) ORDER BY n$$,
  $$VALUES ('2020-04-15'::date), ('2020-04-15'), ('2020-04-22'), ('2020-04-11'), ('2020-04-09'), ('2020-04-29'), ('2020-04-04')$$,
  'release_date is start + total_days');

SELECT results_eq(
  $$SELECT day_number('2020-04-01', d) FROM unnest('{2020-03-30,2020-03-31,2020-04-01,2020-04-14,2020-04-15,2021-04-01}'::date[]) WITH ORDINALITY AS t (d, n) ORDER BY n$$,
  $$VALUES (-1), (0), (1), (14), (15), (366)$$,
  'day_number: the start date is day 1');

SELECT results_eq(
  $$SELECT w::text, has_phase('14w+7c+7m', w) FROM unnest(enum_range(NULL::phase)) AS w$$,
  $$VALUES ('not_started', true), ('work', true), ('centralized', true), ('home', false),
           ('monitoring', true), ('released', true)$$,
  'has_phase: the segments a plan has, plus not_started and released');

-- Infinite and out-of-range dates.
SELECT throws_ok($$SELECT phase_on('14c', 'infinity', '2020-04-01')$$, '22008',
                 'quarantine start date must be finite', 'phase_on rejects an infinite start');
SELECT throws_ok($$SELECT release_date('14c', '-infinity')$$, '22008',
                 'quarantine start date must be finite', 'release_date rejects an infinite start');
SELECT throws_ok($$SELECT isolation_end('14c', 'infinity')$$, '22008',
                 'quarantine start date must be finite', 'isolation_end rejects an infinite start');
SELECT throws_ok($$SELECT phase_range('14c', '-infinity', 'released')$$, '22008',
                 'quarantine start date must be finite', 'phase_range rejects an infinite start');
SELECT throws_ok($$SELECT day_number('2020-04-01', 'infinity')$$, '22008',
                 'cannot subtract infinite dates', 'day_number rejects an infinite day');
SELECT throws_ok($$SELECT release_date('99c+99h+99m+99w', '5874897-12-01')$$, '22008',
                 'date out of range', 'a release date past the last storable date is 22008');

-- ---------------------------------------------------------------------------
-- Declarations: volatility, strictness, parallel safety, comments
-- ---------------------------------------------------------------------------

SELECT is(array_agg(p.oid::regprocedure::text ORDER BY 1), NULL,
          'every plan function is IMMUTABLE STRICT PARALLEL SAFE with a comment')
  FROM pg_proc p
 WHERE p.pronamespace = 'quarantine'::regnamespace
   AND p.proname IN ('isolation_plan_in', 'isolation_plan_out', 'isolation_plan_recv',
                     'isolation_plan_send', 'to_isolation_plan', 'isolation_plan_eq',
                     'isolation_plan_ne', 'isolation_plan_hash', 'isolation_plan_hash_extended',
                     'total_days', 'phase_on', 'phase_range', 'has_phase', 'isolation_end',
                     'release_date', 'day_number', 'check_nat_days')
   AND NOT (p.provolatile = 'i' AND p.proisstrict AND p.proparallel = 's'
            AND obj_description(p.oid, 'pg_proc') IS NOT NULL);

SELECT is(count(*), 17::bigint, 'all 17 plan functions exist')
  FROM pg_proc p
 WHERE p.pronamespace = 'quarantine'::regnamespace
   AND p.proname IN ('isolation_plan_in', 'isolation_plan_out', 'isolation_plan_recv',
                     'isolation_plan_send', 'to_isolation_plan', 'isolation_plan_eq',
                     'isolation_plan_ne', 'isolation_plan_hash', 'isolation_plan_hash_extended',
                     'total_days', 'phase_on', 'phase_range', 'has_phase', 'isolation_end',
                     'release_date', 'day_number', 'check_nat_days');

SELECT isnt(obj_description('isolation_plan'::regtype, 'pg_type'), NULL, 'the type has a comment');

SELECT is(phase_on(NULL, '2020-04-01', '2020-04-01'), NULL, 'date functions are strict');

SELECT * FROM finish();
ROLLBACK;
