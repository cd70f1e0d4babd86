-- Health-code colour (doc/health.md) and high-risk staff (doc/health.md).
-- The rules are in C: src/health/health_code.c decides the colour from facts that
-- src/health/health_feed.c gathers; src/health/staff.c has the test schedules.  This file
-- declares the tables and wires the functions and triggers up.

-- ---------------------------------------------------------------------------
-- staff: high-risk posts of a port city and their families (the port-city notice)
-- ---------------------------------------------------------------------------
CREATE TABLE staff (
  person_id          bigint PRIMARY KEY REFERENCES person,
  role               text NOT NULL CONSTRAINT staff_role CHECK (role IN (
                       'port_frontline', 'quarantine_site', 'designated_hospital',
                       'cold_chain', 'other_staff', 'family')),
  employer           text,
  closed_loop_start  date,                  -- day 1 of the current closed-loop rotation, if any
  plan               isolation_plan NOT NULL DEFAULT '14w+7c+7m',
  created_at         timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE staff IS
  'High-risk staff of a port city and their families (the port-city notice): the role sets the NAT frequency; closed_loop_start and plan (14 days closed-loop work + 7 centralized + 7 home monitoring) set the rotation';
COMMENT ON COLUMN staff.role IS
  'port_frontline, quarantine_site, designated_hospital, cold_chain: NAT every other day; other_staff: twice a week; family: once a week (the port-city notice 二)';
COMMENT ON COLUMN staff.closed_loop_start IS 'Day 1 of the current closed-loop rotation; NULL when the person does not work closed-loop';
COMMENT ON COLUMN staff.plan IS 'The rotation, from closed_loop_start (the port-city notice 四: 14+7+7, adjustable locally)';

CREATE FUNCTION next_test_due(role text, samples date[]) RETURNS date
  AS 'MODULE_PATHNAME', 'staff_next_test_due'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION next_test_due(text, date[]) IS
  'Day the next NAT of a staff role is due from the sample dates: every other day last + 2; twice a week second most recent + 7 (one sample: last + 4); once a week last + 7; NULL when there is no sample (due now); 22023 for an unknown role';

CREATE FUNCTION test_overdue(role text, samples date[], on_date date) RETURNS boolean
  AS 'MODULE_PATHNAME', 'staff_test_overdue'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION test_overdue(text, date[], date) IS
  'Whether a staff role is overdue for a NAT on on_date: no sample up to that day, or next_test_due before it (samples after on_date are not counted)';

CREATE FUNCTION nat_proof_valid(person_id bigint, at timestamptz, hours integer DEFAULT 48) RETURNS boolean
  AS 'MODULE_PATHNAME', 'staff_nat_proof_valid'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nat_proof_valid(bigint, timestamptz, integer) IS
  'Whether the person holds a negative NAT sampled within hours before at, both ends included, reported by at when the report time is known (the port-city notice 五: leaving a land-border port city)';

CREATE VIEW staff_tests_due AS
  SELECT s.person_id, s.role, s.employer,
         t.samples[1] AS last_sample,
         t.samples[2] AS previous_sample,
         next_test_due(s.role, coalesce(t.samples, '{}')) AS next_due,
         test_overdue(s.role, coalesce(t.samples, '{}'), local_date(now())) AS overdue
    FROM staff s
    LEFT JOIN LATERAL (
      SELECT array_agg(d.day ORDER BY d.day DESC) AS samples
        FROM (SELECT DISTINCT local_date(lt.sampled_at) AS day
                FROM lab_test lt
               WHERE lt.person_id = s.person_id AND lt.kind = 'nat'
                 AND lt.sampled_at <= now()) d) t ON true;
COMMENT ON VIEW staff_tests_due IS
  'Each staff member''s last two NAT sample dates (local), the day the next NAT is due (NULL: due now) and whether it is overdue today';

-- ---------------------------------------------------------------------------
-- The colour (doc/health.md)
-- ---------------------------------------------------------------------------
CREATE TYPE code_state AS (color health_code, reason text);
COMMENT ON TYPE code_state IS
  'A health-code colour and the rule that gave it (medical, pending, centralized, positive_test, case, home_isolation, monitoring, closed_loop_work, release_test_missing, entry_observation, staff_test_overdue, unreachable, clear)';

CREATE FUNCTION code_color(person_id bigint, at timestamptz DEFAULT now()) RETURNS code_state
  AS 'MODULE_PATHNAME', 'code_color'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION code_color(bigint, timestamptz) IS
  'Health-code colour of a person at an instant (first matching rule of doc/health.md), from the records as they are; tests and entries later than at are left out; P0002 for an unknown person';

-- ---------------------------------------------------------------------------
-- The feed to the health-code platform
-- ---------------------------------------------------------------------------
CREATE TABLE code_assignment (
  assignment_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id      bigint NOT NULL,
  color          health_code NOT NULL,
  reason         text NOT NULL CONSTRAINT code_assignment_reason CHECK (reason IN (
                   'medical', 'pending', 'centralized', 'positive_test', 'case',
                   'home_isolation', 'monitoring', 'closed_loop_work',
                   'release_test_missing', 'entry_observation', 'staff_test_overdue',
                   'unreachable', 'clear')),
  assigned_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE code_assignment IS
  'Every change of health-code colour (the feed to the health-code platform): a row only when (color, reason) differs from the person''s latest row; a person with no row is green. Appended by triggers and refresh_codes(); the latest row of a person is the one with the highest assignment_id';
COMMENT ON COLUMN code_assignment.assigned_at IS
  'The instant the colour was computed for: the transaction time of the write, or the at of refresh_codes(at)';
-- The latest row of a person is the first entry of this index.
CREATE INDEX code_assignment_latest ON code_assignment (person_id, assignment_id DESC);

CREATE FUNCTION refresh_codes(at timestamptz DEFAULT now()) RETURNS bigint
  AS 'MODULE_PATHNAME', 'code_refresh'
  LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION refresh_codes(timestamptz) IS
  'Appends the colour changes that time alone causes at instant at (phase boundaries, observation windows ending, staff tests falling due) for everyone with a control or a staff row, an entry within the observation days, or a non-green latest row; returns the rows added (a second run adds none)';

CREATE FUNCTION code_feed_after_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'code_feed_after_write' LANGUAGE C;
COMMENT ON FUNCTION code_feed_after_write() IS
  'Appends to code_assignment the colour changes of the persons a statement touched, set-based, once per statement';

CREATE TRIGGER control_code_feed_insert AFTER INSERT ON control
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION code_feed_after_write();
CREATE TRIGGER control_code_feed_update AFTER UPDATE ON control
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION code_feed_after_write();
CREATE TRIGGER control_code_feed_delete AFTER DELETE ON control
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION code_feed_after_write();
CREATE TRIGGER lab_test_code_feed_insert AFTER INSERT ON lab_test
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION code_feed_after_write();
CREATE TRIGGER lab_test_code_feed_update AFTER UPDATE ON lab_test
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION code_feed_after_write();
CREATE TRIGGER lab_test_code_feed_delete AFTER DELETE ON lab_test
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION code_feed_after_write();
CREATE TRIGGER entry_code_feed_insert AFTER INSERT ON entry
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION code_feed_after_write();
CREATE TRIGGER entry_code_feed_update AFTER UPDATE ON entry
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION code_feed_after_write();
CREATE TRIGGER entry_code_feed_delete AFTER DELETE ON entry
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION code_feed_after_write();
CREATE TRIGGER staff_code_feed_insert AFTER INSERT ON staff
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION code_feed_after_write();
CREATE TRIGGER staff_code_feed_update AFTER UPDATE ON staff
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION code_feed_after_write();
CREATE TRIGGER staff_code_feed_delete AFTER DELETE ON staff
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION code_feed_after_write();

-- The platform's view: the current colour of everyone who is not green.
CREATE VIEW health_code_current AS
  SELECT l.person_id, p.doc_kind, p.doc_no, p.name, l.color, l.reason, l.assigned_at, l.assignment_id
    FROM (SELECT DISTINCT ON (a.person_id) a.person_id, a.color, a.reason, a.assigned_at, a.assignment_id
            FROM code_assignment a
           ORDER BY a.person_id, a.assignment_id DESC) l
    LEFT JOIN person p ON p.person_id = l.person_id
   WHERE l.color <> 'green';
COMMENT ON VIEW health_code_current IS
  'For the health-code platform: the current colour (latest code_assignment row) of everyone whose colour is not green, with the document it is shown against';
