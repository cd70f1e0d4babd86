-- make demo: arrival screening at the port and the 7+7 home transfer check.
\echo
\echo '== 40 Arrival screening: a flight lands, customs screen each passenger (doc/arrival.md)'
SELECT seat, temperature, symptoms, nat_result, close_contact,
       classify_arrival(temperature, symptoms, nat_result, close_contact) AS category
  FROM (VALUES
    ('12C', 36.9, '{}'::text[],          'positive'::test_result, false),
    ('12A', 37.3, '{}',                  'pending',               true),
    ('14F', 37.6, '{}',                  NULL,                    true),
    ('21B', 36.7, '{dry_cough,fatigue}', NULL,                    false),
    ('30K', 36.4, '{}',                  'pending',               false),
    ('31A', NULL, NULL,                  NULL,                    false)
  ) AS a(seat, temperature, symptoms, nat_result, close_contact);

\echo
\echo '== 40 The case sits in 12C: who is a close contact (same row and 3 rows in front and behind)?'
SELECT seat, seat_row(seat) AS row, is_flight_close_contact('12C', seat) AS close_contact
  FROM unnest(ARRAY['12A', '9D', '15K', '16A', '30K']) seat;

\echo
\echo '== 40 The 7+7 check, day by day: NATs sampled on days 3 and 5, IgM on day 5, each reported a day later;'
\echo '   commitment signed on day 6, home verified on day 7'
WITH lab(kind, sampled_day, reported_day) AS (
  VALUES ('nat'::test_kind, 3, 4), ('nat', 5, 6), ('igm', 5, 6)
), known AS (
  SELECT d, coalesce(array_agg(ROW(kind, date '2020-04-01' + sampled_day - 1,
                                   CASE WHEN reported_day <= d THEN 'negative' ELSE 'pending' END
                                  )::lab_result) FILTER (WHERE sampled_day <= d), '{}') AS tests
    FROM generate_series(1, 9) d LEFT JOIN lab ON true
   GROUP BY d
)
SELECT d AS day, date '2020-04-01' + d - 1 AS on_date, (e).eligible, (e).earliest, (e).unmet
  FROM (SELECT d, home_transfer_check(date '2020-04-01', 'general', tests,
                                      home_verified => d >= 7, commitment_signed => d >= 6,
                                      on_date => date '2020-04-01' + d - 1) AS e
          FROM known) x
 ORDER BY d;
