
-- ---------------------------------------------------------------------------
-- isolation_plan (doc/plans.md; src/types/plan.c, src/types/plan_range.c)
-- ---------------------------------------------------------------------------

CREATE TYPE isolation_plan;

CREATE FUNCTION isolation_plan_in(cstring) RETURNS isolation_plan
  AS 'MODULE_PATHNAME', 'isolation_plan_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isolation_plan_in(cstring) IS
  'Text input of isolation_plan: segments <days><kind> joined by "+"';

CREATE FUNCTION isolation_plan_out(isolation_plan) RETURNS cstring
  AS 'MODULE_PATHNAME', 'isolation_plan_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isolation_plan_out(isolation_plan) IS
  'Text output of isolation_plan: the canonical form, e.g. 14w+7c+7m';

CREATE FUNCTION isolation_plan_recv(internal) RETURNS isolation_plan
  AS 'MODULE_PATHNAME', 'isolation_plan_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isolation_plan_recv(internal) IS
  'Binary input of isolation_plan: the packed int8, validated as text input is';

CREATE FUNCTION isolation_plan_send(isolation_plan) RETURNS bytea
  AS 'MODULE_PATHNAME', 'isolation_plan_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isolation_plan_send(isolation_plan) IS
  'Binary output of isolation_plan: the packed int8';

CREATE TYPE isolation_plan (
  INPUT = isolation_plan_in,
  OUTPUT = isolation_plan_out,
  RECEIVE = isolation_plan_recv,
  SEND = isolation_plan_send,
  LIKE = pg_catalog.int8
);
COMMENT ON TYPE isolation_plan IS
  'Isolation regime: 1-4 segments <days><kind> joined by "+", kinds c centralized (集中隔离), h home isolation (居家隔离), m home health monitoring (居家健康监测), w closed-loop work (闭环作业), e.g. 7c+7h, 14w+7c+7m';

CREATE FUNCTION to_isolation_plan(text) RETURNS isolation_plan
  AS 'MODULE_PATHNAME', 'plan_to_isolation_plan' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION to_isolation_plan(text) IS
  'The isolation_plan written in text; 22P02 when malformed';

CREATE CAST (text AS isolation_plan) WITH INOUT;
CREATE CAST (isolation_plan AS text) WITH INOUT AS ASSIGNMENT;

-- Equality and hashing are int8's: the packing is canonical.
CREATE FUNCTION isolation_plan_eq(isolation_plan, isolation_plan) RETURNS boolean
  AS 'int8eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isolation_plan_eq(isolation_plan, isolation_plan) IS
  'Whether two plans are written alike (implements =)';

CREATE FUNCTION isolation_plan_ne(isolation_plan, isolation_plan) RETURNS boolean
  AS 'int8ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION isolation_plan_ne(isolation_plan, isolation_plan) IS
  'Whether two plans differ (implements <>)';

CREATE FUNCTION isolation_plan_hash(isolation_plan) RETURNS integer
  AS 'hashint8' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isolation_plan_hash(isolation_plan) IS
  'Hash of a plan (hash opclass support 1)';

CREATE FUNCTION isolation_plan_hash_extended(isolation_plan, bigint) RETURNS bigint
  AS 'hashint8extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isolation_plan_hash_extended(isolation_plan, bigint) IS
  'Seeded 64-bit hash of a plan (hash opclass support 2)';

CREATE OPERATOR = (
  LEFTARG = isolation_plan, RIGHTARG = isolation_plan,
  FUNCTION = isolation_plan_eq, COMMUTATOR = =, NEGATOR = <>,
  RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
COMMENT ON OPERATOR =(isolation_plan, isolation_plan) IS 'equal';

CREATE OPERATOR <> (
  LEFTARG = isolation_plan, RIGHTARG = isolation_plan,
  FUNCTION = isolation_plan_ne, COMMUTATOR = <>, NEGATOR = =,
  RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR <>(isolation_plan, isolation_plan) IS 'not equal';

CREATE OPERATOR CLASS isolation_plan_ops
  DEFAULT FOR TYPE isolation_plan USING hash AS
    OPERATOR 1 = ,
    FUNCTION 1 isolation_plan_hash(isolation_plan),
    FUNCTION 2 isolation_plan_hash_extended(isolation_plan, bigint);
COMMENT ON OPERATOR CLASS isolation_plan_ops USING hash IS
  'Hash operator class of isolation_plan (GROUP BY, DISTINCT, hash joins and indexes)';

-- Plans laid over the calendar.  Day 1 is the start date; periods are
-- half-open, so 14c started on 2020-04-01 is free from 2020-04-15.

CREATE FUNCTION total_days(plan isolation_plan) RETURNS integer
  AS 'MODULE_PATHNAME', 'plan_total_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION total_days(isolation_plan) IS
  'Days of the plan, all segments together (7c+7h: 14)';

CREATE FUNCTION phase_on(plan isolation_plan, start date, day date) RETURNS phase
  AS 'MODULE_PATHNAME', 'plan_phase_on' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION phase_on(isolation_plan, date, date) IS
  'Phase on day of the plan started on start: not_started before start, released from release_date';

CREATE FUNCTION phase_range(plan isolation_plan, start date, which phase) RETURNS daterange
  AS 'MODULE_PATHNAME', 'plan_phase_range' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION phase_range(isolation_plan, date, phase) IS
  'Days in a phase of the plan started on start; NULL when the plan has no such segment; a kind that occurs twice spans first start to last end';

CREATE FUNCTION has_phase(plan isolation_plan, which phase) RETURNS boolean
  AS 'MODULE_PATHNAME', 'plan_has_phase' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION has_phase(isolation_plan, phase) IS
  'Whether the plan has a segment of this phase (not_started and released: always)';

CREATE FUNCTION isolation_end(plan isolation_plan, start date) RETURNS date
  AS 'MODULE_PATHNAME', 'plan_isolation_end' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION isolation_end(isolation_plan, date) IS
  'First day after the last centralized or home segment (start when there is none)';

CREATE FUNCTION release_date(plan isolation_plan, start date) RETURNS date
  AS 'MODULE_PATHNAME', 'plan_release_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION release_date(isolation_plan, date) IS
  'First free day: start + total_days(plan)';

CREATE FUNCTION day_number(start date, day date) RETURNS integer
  AS 'MODULE_PATHNAME', 'plan_day_number' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION day_number(date, date) IS
  'Day number of day in a quarantine started on start (start is day 1)';
