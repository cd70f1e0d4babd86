-- The flight circuit breaker (航班熔断; doc/ports.md, "Flight circuit
-- breaker"; civil aviation notices of 2020-06-04, 2020-12-16 and 2022-08-07,
-- ended by the State Council's twenty measures of 2022-11-11).  Dated like
-- policy (30_policy.sql): shipped rows follow the national notices, marked
-- shipped so that pg_dump leaves them to CREATE EXTENSION; administrators
-- add local rows.  New in 0.3.0: the upgrade list names this file.

CREATE TABLE circuit_breaker_policy (
  rule_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  effective      daterange NOT NULL,
  min_positives  int NOT NULL CONSTRAINT circuit_breaker_policy_min_positives CHECK (min_positives > 0),
  min_share      numeric CONSTRAINT circuit_breaker_policy_min_share CHECK (min_share > 0 AND min_share <= 1),
  suspend_days   int NOT NULL CONSTRAINT circuit_breaker_policy_suspend_days CHECK (suspend_days > 0),
  count_days     int NOT NULL DEFAULT 2 CONSTRAINT circuit_breaker_policy_count_days CHECK (count_days BETWEEN 1 AND 28),
  note           text,
  shipped        boolean NOT NULL DEFAULT false,
  CONSTRAINT circuit_breaker_policy_effective CHECK (NOT isempty(effective) AND NOT lower_inf(effective)),
  -- one threshold once per day: the same (positives, share) never twice
  CONSTRAINT circuit_breaker_policy_no_overlap
    EXCLUDE USING gist (min_positives WITH =, (coalesce(min_share, 0)) WITH =, effective WITH &&)
);
COMMENT ON TABLE circuit_breaker_policy IS
  'Flight circuit-breaker thresholds by arrival date (航班熔断): a flight that reaches a threshold is suspended for its days; shipped rows follow the civil aviation notices, admins add local rows';
COMMENT ON COLUMN circuit_breaker_policy.rule_id IS 'Identity of the threshold row (flight_circuit_breaks names it as policy)';
COMMENT ON COLUMN circuit_breaker_policy.effective IS 'Local arrival dates the threshold applies to, half-open';
COMMENT ON COLUMN circuit_breaker_policy.min_positives IS 'Positive passengers a flight must have at least';
COMMENT ON COLUMN circuit_breaker_policy.min_share IS 'And at least this share of the flight''s passengers (0.04 = 4 %); NULL: the count alone';
COMMENT ON COLUMN circuit_breaker_policy.suspend_days IS 'Days the route is suspended, from the day after the arrival';
COMMENT ON COLUMN circuit_breaker_policy.count_days IS 'Days whose NAT samples count, from the arrival date (2: the arrival screening and the first isolation test)';
COMMENT ON COLUMN circuit_breaker_policy.note IS 'The instrument the row follows';
COMMENT ON COLUMN circuit_breaker_policy.shipped IS 'Row shipped with the extension (pg_dump leaves it out; CREATE EXTENSION recreates it)';

INSERT INTO circuit_breaker_policy (effective, min_positives, min_share, suspend_days, count_days, note, shipped) VALUES
  ('[2020-06-08,2020-12-16)', 5, NULL, 7, 2,
   'CAAC notice of 2020-06-04 (from 2020-06-08): 5 positive passengers suspend the route for 1 week', true),
  ('[2020-06-08,2020-12-16)', 10, NULL, 28, 2,
   'CAAC notice of 2020-06-04 (from 2020-06-08): 10 positive passengers suspend the route for 4 weeks', true),
  ('[2020-12-16,2022-08-07)', 5, NULL, 14, 2,
   'CAAC notice of 2020-12-16: 5 positive passengers suspend the route for 2 weeks', true),
  ('[2020-12-16,2022-08-07)', 10, NULL, 28, 2,
   'CAAC notice of 2020-12-16: 10 positive passengers suspend the route for 4 weeks', true),
  ('[2022-08-07,2022-11-11)', 5, 0.04, 7, 2,
   'CAAC notice of 2022-08-07: at least 5 positives and 4 % of the passengers suspend the route for 1 week; ended by the twenty measures of 2022-11-11', true),
  ('[2022-08-07,2022-11-11)', 5, 0.08, 14, 2,
   'CAAC notice of 2022-08-07: at least 5 positives and 8 % of the passengers suspend the route for 2 weeks; ended by the twenty measures of 2022-11-11', true);
SELECT pg_catalog.pg_extension_config_dump('circuit_breaker_policy', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('circuit_breaker_policy_rule_id_seq', '');

-- Audited like policy (85_audit.sql).
CREATE TRIGGER audit_insert AFTER INSERT ON circuit_breaker_policy
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_after_write();
CREATE TRIGGER audit_update AFTER UPDATE ON circuit_breaker_policy
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_after_write();
CREATE TRIGGER audit_delete AFTER DELETE ON circuit_breaker_policy
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_after_write();

CREATE TYPE circuit_break AS (flight text, arrival_date date, passengers bigint, positives bigint,
                              suspend_days int, suspend_from date, suspend_until date, policy bigint);
COMMENT ON TYPE circuit_break IS 'A flight that reached a circuit-breaker threshold, and its suspension';

-- Set-based: the flights of the period from entry (entry_flight index), the
-- positive NAT samples of their passengers from lab_test (lab_test_person),
-- every threshold in force on the arrival date, the highest reached (the
-- longest suspension) per flight.  The caller's rights: row security limits
-- an operator to the passengers of the districts it may see.
CREATE FUNCTION flight_circuit_breaks(since date, until date) RETURNS SETOF circuit_break
LANGUAGE sql STABLE STRICT
BEGIN ATOMIC
  WITH flights AS (
    SELECT e.flight, quarantine.local_date(e.entered_at) AS arrival_date,
           array_agg(DISTINCT e.person_id) AS persons
      FROM quarantine.entry e
     WHERE e.flight IS NOT NULL
       AND e.entered_at >= (flight_circuit_breaks.since - 2)::timestamp AT TIME ZONE 'UTC'
       AND e.entered_at < (flight_circuit_breaks.until + 2)::timestamp AT TIME ZONE 'UTC'
       AND quarantine.local_date(e.entered_at) >= flight_circuit_breaks.since
       AND quarantine.local_date(e.entered_at) < flight_circuit_breaks.until
     GROUP BY 1, 2
  ), counted AS (
    SELECT f.flight, f.arrival_date, cardinality(f.persons)::bigint AS passengers, r.rule_id,
           r.min_positives, r.min_share, r.suspend_days,
           (SELECT count(DISTINCT t.person_id)
              FROM unnest(f.persons) AS p(person_id)
              JOIN quarantine.lab_test t ON t.person_id = p.person_id
             WHERE t.kind = 'nat' AND t.result = 'positive'
               AND t.sampled_at >= (f.arrival_date - 1)::timestamp AT TIME ZONE 'UTC'
               AND t.sampled_at < (f.arrival_date + r.count_days + 1)::timestamp AT TIME ZONE 'UTC'
               AND quarantine.local_date(t.sampled_at) >= f.arrival_date
               AND quarantine.local_date(t.sampled_at) < f.arrival_date + r.count_days) AS positives
      FROM flights f
      JOIN quarantine.circuit_breaker_policy r ON r.effective @> f.arrival_date
  )
  SELECT DISTINCT ON (c.flight, c.arrival_date)
         c.flight, c.arrival_date, c.passengers, c.positives, c.suspend_days,
         c.arrival_date + 1, c.arrival_date + 1 + c.suspend_days, c.rule_id
    FROM counted c
   WHERE c.positives >= c.min_positives
     AND (c.min_share IS NULL OR c.positives >= c.min_share * c.passengers)
   ORDER BY c.flight, c.arrival_date, c.suspend_days DESC, c.min_positives DESC, c.rule_id;
END;
COMMENT ON FUNCTION flight_circuit_breaks(date, date) IS
  'Flights arriving (local date) in [since, until) that reached a circuit-breaker threshold: passengers, positives (NAT positive sampled on the arrival date or the count_days - 1 days after), and the suspension [arrival_date + 1, arrival_date + 1 + suspend_days) of the highest threshold reached';

-- Grants (as 90_access.sql decides for its kind): the thresholds are
-- reference data like policy; the breaks read entries and lab tests with the
-- caller's rights.
GRANT SELECT ON circuit_breaker_policy TO quarantine_admin, quarantine_operator;
GRANT INSERT, UPDATE, DELETE ON circuit_breaker_policy TO quarantine_admin;
REVOKE EXECUTE ON FUNCTION flight_circuit_breaks(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flight_circuit_breaks(date, date) TO quarantine_admin, quarantine_operator;
