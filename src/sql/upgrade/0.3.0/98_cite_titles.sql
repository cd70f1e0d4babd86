-- Comments cite the regulation by its title, not the seed file number
-- (issue 23, item 4): the COMMENTs reworded in src/sql/01_enums.sql and
-- src/sql/40_rules.sql.

COMMENT ON TYPE arrival_category IS 'Screening category at the port: the four categories (confirmed, suspected, symptomatic, close_contact), general, discharged, exempt (the Fujian guideline, the national plan)';
COMMENT ON TYPE exempt_reason IS 'Why an arrival is exempt from isolation (the Fujian guideline, the national plan)';
COMMENT ON FUNCTION classify_arrival(numeric, text[], test_result, boolean) IS
  'Screening category of an arrival: positive NAT → confirmed; temperature above quarantine.fever_threshold or any symptom → symptomatic; close contact → close_contact; else general. NULL temperature = not measured, NULL symptoms = none reported; unknown symptom codes raise 22023 (the Fujian guideline 四(二), the national plan 二(一))';
COMMENT ON FUNCTION home_transfer_check(date, arrival_category, lab_result[], boolean, boolean, date) IS
  '7+7 check: may a person isolated from start move to home isolation on on_date? unmet lists category, nat_day3, nat_day5, igm_day5, positive_test, home_not_verified, no_commitment, too_early (the Fujian guideline 四(五)(八), the national plan 二(三)6)';
