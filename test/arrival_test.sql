-- Arrival screening (doc/arrival.md): classify_arrival, seat_row, is_flight_close_contact.
BEGIN;
SELECT plan(44);


-- ---------- declarations ----------
SELECT results_eq(
  $$SELECT proname::text COLLATE "default", provolatile::text, proisstrict, proparallel::text
      FROM pg_proc
     WHERE pronamespace = 'quarantine'::regnamespace
       AND proname IN ('classify_arrival', 'seat_row', 'is_flight_close_contact')
     ORDER BY proname$$,
  $$VALUES ('classify_arrival', 's', false, 's'),
           ('is_flight_close_contact', 's', true, 's'),
           ('seat_row', 'i', true, 's')$$,
  'volatility: GUC readers are STABLE, classify_arrival is not strict, all parallel safe');

-- ---------- classify_arrival: precedence ----------
SELECT results_eq(
  $$SELECT classify_arrival(t, s, n, c)::text
      FROM (VALUES (1, NULL::numeric, NULL::text[], NULL::test_result, NULL::boolean),
                   (2, 36.5, '{}', NULL, false),
                   (3, 36.5, '{}', 'negative', false),
                   (4, 36.5, '{}', 'pending', false),
                   (5, 36.5, '{}', 'inconclusive', false),
                   (6, 36.5, '{}', 'positive', false),
                   (7, 39.0, '{fever,dry_cough}', 'positive', true),
                   (8, 39.0, NULL, 'negative', true),
                   (9, NULL, '{fatigue}', NULL, true),
                   (10, 36.5, '{}', 'negative', true),
                   (11, NULL, NULL, NULL, true),
                   (12, 36.5, NULL, 'pending', NULL)) AS v(i, t, s, n, c)
     ORDER BY i$$,
  $$VALUES ('general'), ('general'), ('general'), ('general'), ('general'),
           ('confirmed'), ('confirmed'), ('symptomatic'), ('symptomatic'),
           ('close_contact'), ('close_contact'), ('general')$$,
  'positive NAT > symptomatic > close contact > general; NULLs mean not measured / none / false');
SELECT is(classify_arrival(NULL, NULL), 'general', 'defaults: nothing known is general');
SELECT is(classify_arrival(36.6, '{}', close_contact => true), 'close_contact',
          'close_contact by name, nat_result defaulted');
SELECT is((SELECT count(*) FROM
             (SELECT classify_arrival(t, s, n, c) AS cat
                FROM unnest(ARRAY[NULL, 36.0, 37.3, 37.4, 40.0]::numeric[]) t,
                     (VALUES (NULL::text[]), ('{}'), ('{fever}'), ('{diarrhea,dyspnea}')) v(s),
                     unnest(enum_range(NULL::test_result) || NULL::test_result) n,
                     unnest(ARRAY[NULL, false, true]) c) x
           WHERE cat IN ('suspected', 'discharged', 'exempt')),
          0::bigint, 'suspected, discharged and exempt are never inferred');

-- ---------- classify_arrival: fever threshold ----------
SELECT is(classify_arrival(37.3, NULL), 'general', '37.3 is not fever (the Fujian guideline: above 37.3)');
SELECT is(classify_arrival(37.30, NULL), 'general', '37.30 is not fever');
SELECT is(classify_arrival(37.4, NULL), 'symptomatic', '37.4 is fever');
SELECT is(classify_arrival(37.31, NULL), 'symptomatic', '37.31 is fever');
SELECT is(classify_arrival(37.3000001, NULL), 'symptomatic', '37.3000001 is fever');
SELECT is(classify_arrival(37.300000000000004, NULL), 'general',
          'binary noise of a double (37.1 + 0.2) does not make 37.3 a fever');
SELECT is(classify_arrival((37.1::float8 + 0.2::float8)::numeric, NULL), 'general',
          '37.1 + 0.2 computed in float8 is not a fever');
SET LOCAL quarantine.fever_threshold = 38.0;
SELECT results_eq(
  $$SELECT classify_arrival(t, NULL)::text FROM unnest(ARRAY[37.4, 38.0, 38.1]) t$$,
  $$VALUES ('general'), ('general'), ('symptomatic')$$,
  'threshold 38.0: 37.4 and 38.0 are not fever, 38.1 is');
SET LOCAL quarantine.fever_threshold = 37.25;
SELECT results_eq(
  $$SELECT classify_arrival(t, NULL)::text FROM unnest(ARRAY[37.2, 37.25, 37.26]) t$$,
  $$VALUES ('general'), ('general'), ('symptomatic')$$,
  'threshold 37.25: only above it is fever');
RESET quarantine.fever_threshold;
SELECT is(classify_arrival(37.4, NULL), 'symptomatic', 'back at the default threshold 37.4 is fever again');

-- ---------- classify_arrival: implausible temperatures ----------
SELECT is(classify_arrival(30.0, NULL), 'general', '30.0 is a (low) plausible reading');
SELECT is(classify_arrival(45.0, NULL), 'symptomatic', '45.0 is a plausible (very high) reading');
SELECT results_eq(
  $$SELECT (tap.error_of(format('SELECT classify_arrival(%L::numeric, NULL)', t))).state
      FROM unnest(ARRAY['98.6', '29.9', '45.1', '-37', 'NaN', 'Infinity', '1e400']) t$$,
  $$SELECT '22023'::text FROM generate_series(1, 7)$$,
  'temperatures outside 30-45 °C (Fahrenheit, NaN, infinity) raise 22023');
SELECT is((tap.error_of($$SELECT classify_arrival(98.6, NULL)$$)).detail,
          'A measured temperature must lie between 30 and 45 degrees Celsius, but it is 98.6.',
          'the DETAIL shows the temperature as written');

-- ---------- classify_arrival: symptoms ----------
SELECT results_eq(
  $$SELECT s, classify_arrival(36.5, ARRAY[s])::text
      FROM unnest(ARRAY['fever', 'dry_cough', 'fatigue', 'sore_throat', 'loss_of_smell',
                        'loss_of_taste', 'diarrhea', 'dyspnea']) s$$,
  $$SELECT s, 'symptomatic'
      FROM unnest(ARRAY['fever', 'dry_cough', 'fatigue', 'sore_throat', 'loss_of_smell',
                        'loss_of_taste', 'diarrhea', 'dyspnea']) s$$,
  'each of the eight symptoms makes an arrival symptomatic');
SELECT is(classify_arrival(36.5, '{}'), 'general', 'an empty symptom list is no symptom');
SELECT is(classify_arrival(36.5, ARRAY[NULL]::text[]), 'general', 'NULL elements are ignored');
SELECT is(classify_arrival(36.5, ARRAY[NULL, 'dyspnea']), 'symptomatic',
          'NULL elements are ignored beside a symptom');
SELECT is(classify_arrival(36.5, '{{fever},{fatigue}}'), 'symptomatic',
          'a two-dimensional list is read element by element');
SELECT throws_ok($$SELECT classify_arrival(36.5, '{cough}')$$, '22023',
                 'unrecognized symptom code "cough"', 'an unknown symptom code raises 22023');
SELECT results_eq(
  $$SELECT state, message, detail, hint
      FROM tap.error_of($x$SELECT classify_arrival(36.5, '{fever,headache}')$x$)$$,
  $$VALUES ('22023', 'unrecognized symptom code "headache"',
            'Symptom code "headache" is not in the symptom vocabulary.',
            'Use one of: fever, dry_cough, fatigue, sore_throat, loss_of_smell, loss_of_taste, diarrhea, dyspnea.')$$,
  'the DETAIL names the code and the HINT lists the vocabulary');
SELECT results_eq(
  $$SELECT (tap.error_of(format('SELECT classify_arrival(NULL, %L::text[])', s))).state
      FROM unnest(ARRAY['{Fever}', '{""}', '{" fever"}', '{fever,FEVER}']) s$$,
  $$SELECT '22023'::text FROM generate_series(1, 4)$$,
  'codes are exact: case, blanks and empty strings are unknown codes');
SELECT throws_ok($$SELECT classify_arrival(36.5, '{sneezing}', 'positive', true)$$, '22023',
                 NULL, 'an unknown code is reported even when a positive NAT decides');

-- ---------- seat_row ----------
SELECT results_eq(
  $$SELECT seat_row(s) FROM unnest(ARRAY['12A', '12a', ' 12A ', '12 A', E'\t7c\t', '003C',
                                        '1K', '999K', '１２Ａ', '１２　ｂ']) WITH ORDINALITY u(s, i)
     ORDER BY i$$,
  $$VALUES (12), (12), (12), (12), (7), (3), (1), (999), (12), (12)$$,
  'seat_row reads the row; blanks, case, leading zeros and full-width forms are ignored');
SELECT is(seat_row(NULL), NULL, 'seat_row is strict');
SELECT results_eq(
  $$SELECT s, (tap.error_of(format('SELECT seat_row(%L)', s))).state
      FROM unnest(ARRAY['', '   ', 'A12', '12', '12AB', '0A', '000A', '1000A', '1 2A', '12-A',
                        '12Ä', '-1A', '12A.', '12A 3', 'row 12A', '99999999999A']) s$$,
  $$SELECT s, '22P02'::text
      FROM unnest(ARRAY['', '   ', 'A12', '12', '12AB', '0A', '000A', '1000A', '1 2A', '12-A',
                        '12Ä', '-1A', '12A.', '12A 3', 'row 12A', '99999999999A']) s$$,
  'malformed seats raise 22P02');
SELECT results_eq(
  $$SELECT (tap.error_of(format('SELECT seat_row(%L)', s))).detail
      FROM unnest(ARRAY['', 'A12', '0A', '1000A', '12', '12-A', '12AB']) WITH ORDINALITY u(s, i)
     ORDER BY i$$,
  $$VALUES ('The seat is empty.'),
           ('Seat "A12" does not start with a row number.'),
           ('Seat "0A" is in row 0, but rows start at 1.'),
           ('The row number of seat "1000A" is above 999.'),
           ('Seat "12" has no seat letter after its row number.'),
           ('Seat "12-A" has a character other than a seat letter after its row number.'),
           ('Seat "12AB" has characters after its seat letter.')$$,
  'each kind of malformed seat has its own DETAIL');
SELECT results_eq(
  $$SELECT state, message, detail, hint FROM tap.error_of($x$SELECT seat_row('12')$x$)$$,
  $$VALUES ('22P02', 'invalid input syntax for a seat: "12"',
            'Seat "12" has no seat letter after its row number.',
            'Write the row number followed by one seat letter, as in "12A".')$$,
  'message, DETAIL and HINT of a malformed seat');

-- ---------- is_flight_close_contact ----------
SELECT results_eq(
  $$SELECT b, is_flight_close_contact('12C', b)
      FROM unnest(ARRAY['12C', '12K', '9A', '15F', '8A', '16F', '1A', '40B']) b$$,
  $$VALUES ('12C', true), ('12K', true), ('9A', true), ('15F', true),
           ('8A', false), ('16F', false), ('1A', false), ('40B', false)$$,
  'rows within 3 (same row, ±3) are close contacts, ±4 are not');
SELECT is(is_flight_close_contact('15a', ' 12 c'), true, 'symmetric, formats normalised');
SELECT is(is_flight_close_contact(NULL, '12C'), NULL, 'is_flight_close_contact is strict');
SET LOCAL quarantine.flight_contact_rows = 0;
SELECT results_eq(
  $$SELECT is_flight_close_contact('12C', b) FROM unnest(ARRAY['12A', '11C', '13C']) b$$,
  $$VALUES (true), (false), (false)$$,
  'flight_contact_rows = 0: the same row only');
SET LOCAL quarantine.flight_contact_rows = 5;
SELECT results_eq(
  $$SELECT is_flight_close_contact('12C', b) FROM unnest(ARRAY['17A', '7C', '18C', '6C']) b$$,
  $$VALUES (true), (true), (false), (false)$$,
  'flight_contact_rows = 5: ±5 are contacts, ±6 are not');
RESET quarantine.flight_contact_rows;
SELECT is(is_flight_close_contact('12C', '16C'), false, 'back at the default 3 rows, +4 is not a contact');
SELECT throws_ok($$SELECT is_flight_close_contact('12C', 'C12')$$, '22P02', NULL,
                 'a malformed second seat raises 22P02');
SELECT throws_ok($$SELECT is_flight_close_contact('', '12C')$$, '22P02', NULL,
                 'a malformed first seat raises 22P02');

-- ---------- comments ----------
SELECT is(obj_description(p.oid, 'pg_proc') IS NOT NULL, true,
          'COMMENT ON FUNCTION ' || p.proname)
  FROM pg_proc p
 WHERE p.pronamespace = 'quarantine'::regnamespace
   AND p.proname IN ('classify_arrival', 'seat_row', 'is_flight_close_contact')
 ORDER BY p.proname;

SELECT * FROM finish();
ROLLBACK;
