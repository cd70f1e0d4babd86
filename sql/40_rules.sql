-- Arrival screening and the 7+7 home transfer check (doc/arrival.md).
SET search_path = quarantine, public;
SET datestyle = 'ISO, YMD';

-- A few arrivals at the port, screened as the Fujian guideline 四(二) describes.
SELECT who, temperature, symptoms, nat_result, close_contact,
       classify_arrival(temperature, symptoms, nat_result, close_contact) AS category
  FROM (VALUES
    ('Chen, 37.3 exactly',          37.3, '{}'::text[],        NULL::test_result, false),
    ('Li, 37.4',                    37.4, '{}',                NULL,              false),
    ('Wang, dry cough, 36.8',       36.8, '{dry_cough}',       NULL,              false),
    ('Zhao, seat 12C near a case',  36.5, '{}',                'pending',         true),
    ('Sun, positive at the port',   36.9, '{}',                'positive',        false),
    ('Zhou, not measured, no form', NULL, NULL,                NULL,              NULL),
    ('Wu, fatigue and close',       36.6, '{fatigue}',         'negative',        true)
  ) AS a(who, temperature, symptoms, nat_result, close_contact);

-- The threshold is a GUC; "above" stays strict at any setting.
SET quarantine.fever_threshold = 37.5;
SELECT t AS temperature, classify_arrival(t, NULL) AS category
  FROM unnest(ARRAY[37.4, 37.5, 37.6]) t;
RESET quarantine.fever_threshold;

-- Unknown symptoms and implausible temperatures are rejected.
SELECT classify_arrival(36.5, '{fever,cough}');
SELECT classify_arrival(98.6, NULL);

-- Seats and the 3-row rule for a case in 12C.
SELECT seat, seat_row(seat) AS row, is_flight_close_contact('12C', seat) AS close_contact
  FROM unnest(ARRAY['12A', ' 9f', '15 K', '16A', '8C', '１２Ａ']) seat;
SELECT seat_row('12');
SELECT seat_row('C12');

-- One person's 7+7 eligibility, day by day.  Day 1 is 2020-04-01; tests are
-- sampled on days 1, 3, 5 (NAT) and 5 (IgM), each reported the next day (pending
-- until then); the commitment is signed on day 6, the home verified on day 7.
WITH lab(kind, sampled_day, reported_day) AS (
  VALUES ('nat'::test_kind, 1, 2), ('nat', 3, 4), ('nat', 5, 6), ('igm', 5, 6)
), day AS (
  SELECT d, date '2020-04-01' + d - 1 AS on_date FROM generate_series(1, 10) d
), known AS (
  SELECT d, on_date,
         coalesce(array_agg(ROW(kind, date '2020-04-01' + sampled_day - 1,
                                CASE WHEN reported_day <= d THEN 'negative' ELSE 'pending' END
                               )::lab_result ORDER BY sampled_day, kind)
                    FILTER (WHERE sampled_day <= d), '{}') AS tests
    FROM day LEFT JOIN lab ON true
   GROUP BY d, on_date
)
SELECT d AS day, on_date,
       (SELECT string_agg(format('%s d%s %s', t.kind, t.sampled_on - date '2020-04-01' + 1, t.result), ', ')
          FROM unnest(tests) t) AS tests_known,
       (e).eligible, (e).earliest, (e).unmet
  FROM (SELECT d, on_date, tests,
               home_transfer_check(date '2020-04-01', 'general', tests,
                                   home_verified => d >= 7, commitment_signed => d >= 6,
                                   on_date => on_date) AS e
          FROM known) x
 ORDER BY d;

-- The same tests, but the person arrived as a close contact, or a NAT on day 6 was positive.
SELECT label, (e).eligible, (e).earliest, (e).unmet
  FROM (VALUES
    ('general',       home_transfer_check('2020-04-01', 'general',
        ARRAY[ROW('nat', '2020-04-03', 'negative'), ROW('nat', '2020-04-05', 'negative'),
              ROW('igm', '2020-04-05', 'negative')]::lab_result[], true, true, '2020-04-08')),
    ('close contact', home_transfer_check('2020-04-01', 'close_contact',
        ARRAY[ROW('nat', '2020-04-03', 'negative'), ROW('nat', '2020-04-05', 'negative'),
              ROW('igm', '2020-04-05', 'negative')]::lab_result[], true, true, '2020-04-08')),
    ('positive day 6', home_transfer_check('2020-04-01', 'general',
        ARRAY[ROW('nat', '2020-04-03', 'negative'), ROW('nat', '2020-04-05', 'negative'),
              ROW('igm', '2020-04-05', 'negative'), ROW('nat', '2020-04-06', 'positive')]::lab_result[],
        true, true, '2020-04-08'))
  ) AS v(label, e);
