-- Arrival screening (doc/arrival.md) and the 7+7 home transfer check (doc/arrival.md).
-- The rules are in C (src/rules/arrival.c, src/rules/transfer.c); these are thin wrappers.

CREATE FUNCTION classify_arrival(temperature numeric, symptoms text[],
                                 nat_result test_result DEFAULT NULL,
                                 close_contact boolean DEFAULT false)
RETURNS arrival_category
AS 'MODULE_PATHNAME', 'classify_arrival' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION classify_arrival(numeric, text[], test_result, boolean) IS
  'Screening category of an arrival: positive NAT → confirmed; temperature above quarantine.fever_threshold or any symptom → symptomatic; close contact → close_contact; else general. NULL temperature = not measured, NULL symptoms = none reported; unknown symptom codes raise 22023 (the Fujian guideline 四(二), the national plan 二(一))';

CREATE FUNCTION seat_row(seat text) RETURNS int
AS 'MODULE_PATHNAME', 'seat_row' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION seat_row(text) IS
  'Row number of an aircraft seat: ''12A'' → 12 (blanks and case ignored); malformed seats raise 22P02';

CREATE FUNCTION is_flight_close_contact(seat_a text, seat_b text) RETURNS boolean
AS 'MODULE_PATHNAME', 'is_flight_close_contact' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION is_flight_close_contact(text, text) IS
  'Are two seats within quarantine.flight_contact_rows rows of each other (the case''s row and 3 rows in front and behind, national rule)?';

CREATE TYPE lab_result AS (kind test_kind, sampled_on date, result test_result);
COMMENT ON TYPE lab_result IS
  'One laboratory test as the 7+7 check sees it: kind, local sample date, result';

CREATE TYPE eligibility AS (eligible boolean, earliest date, unmet text[]);
COMMENT ON TYPE eligibility IS
  'Result of home_transfer_check: eligible, the earliest transfer date (day 8) when only time is missing, and every unmet criterion code';

CREATE FUNCTION home_transfer_check(start date, category arrival_category,
                                    tests lab_result[], home_verified boolean,
                                    commitment_signed boolean, on_date date)
RETURNS eligibility
AS 'MODULE_PATHNAME', 'home_transfer_check' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION home_transfer_check(date, arrival_category, lab_result[], boolean, boolean, date) IS
  '7+7 check: may a person isolated from start move to home isolation on on_date? unmet lists category, nat_day3, nat_day5, igm_day5, positive_test, home_not_verified, no_commitment, too_early (the Fujian guideline 四(五)(八), the national plan 二(三)6)';
