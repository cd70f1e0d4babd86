-- quarantine — install script, concatenated from src/sql/*.sql by make.
\echo Use "CREATE EXTENSION quarantine" to load this file. \quit

COMMENT ON SCHEMA quarantine IS
  'Inbound-traveller quarantine case management (extension quarantine)';
-- Enums shared by SQL and C.  The C side (src/enums.c, src/quarantine.h)
-- indexes these labels by position: keep the order in step with it, and only
-- ever add labels at the end in a later version.

CREATE TYPE doc_kind AS ENUM (
  'resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit',
  'foreign_permanent_id', 'local_code', 'other');
COMMENT ON TYPE doc_kind IS 'Kind of identity document; local_code is a district-assigned code for a person without a valid document (seed 003)';

CREATE TYPE phase AS ENUM (
  'not_started', 'work', 'centralized', 'home', 'monitoring', 'released');
COMMENT ON TYPE phase IS 'Where a person stands in an isolation plan on a given day';

CREATE TYPE arrival_category AS ENUM (
  'confirmed', 'suspected', 'symptomatic', 'close_contact', 'general',
  'discharged', 'exempt');
COMMENT ON TYPE arrival_category IS 'Screening category at the port: the four categories (confirmed, suspected, symptomatic, close_contact), general, discharged, exempt (seeds 000, 001)';

CREATE TYPE exempt_reason AS ENUM (
  'diplomat', 'foreign_air_crew', 'essential_business', 'other');
COMMENT ON TYPE exempt_reason IS 'Why an arrival is exempt from isolation (seeds 000, 001)';

CREATE TYPE test_kind AS ENUM ('nat', 'igm', 'igg', 'antigen');
COMMENT ON TYPE test_kind IS 'Laboratory test: nucleic acid (NAT), IgM/IgG antibody, antigen';

CREATE TYPE test_result AS ENUM ('pending', 'negative', 'positive', 'inconclusive');
COMMENT ON TYPE test_result IS 'Result of a laboratory test';

CREATE TYPE control_status AS ENUM (
  'pending', 'under_control', 'medical', 'ended', 'returned');
COMMENT ON TYPE control_status IS 'Status of a control record (管控库, seed 003): 待分配, 纳入管控, 转医学处理, 结束管控, 退回';

CREATE TYPE return_reason AS ENUM ('out_of_province', 'unreachable', 'other');
COMMENT ON TYPE return_reason IS 'Why a control record was returned (退回)';

CREATE TYPE end_reason AS ENUM (
  'completed', 'completed_elsewhere', 'confirmed_case', 'transferred_out', 'exempted');
COMMENT ON TYPE end_reason IS 'Why a control ended (结束管控)';

CREATE TYPE health_code AS ENUM ('green', 'yellow', 'orange', 'red');
COMMENT ON TYPE health_code IS 'Health-code colour, ordered so that max() is the worst';
-- Local dates in quarantine.timezone (SPEC §0).
CREATE FUNCTION local_date(at timestamptz) RETURNS date
  AS 'MODULE_PATHNAME', 'quarantine_local_date'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION local_date(timestamptz) IS
  'The date of an instant in the zone quarantine.timezone (default Asia/Shanghai), whatever the session TimeZone';
-- SPEC §1 — identity and documents: the cnid type and document numbers.

-- ---------- cnid: PRC resident identity number (GB 11643-1999) ----------
-- Stored as the 17-digit body in an int8 (the check character is derived),
-- so comparison and hashing reuse the int8 internals.
--
-- Input is STABLE, not IMMUTABLE: a birth date after today (in
-- quarantine.timezone, at transaction start) is rejected, so the result
-- depends on the clock, as date_in's does for 'today'.

CREATE TYPE cnid;

CREATE FUNCTION cnid_in(cstring) RETURNS cnid
  AS 'MODULE_PATHNAME', 'cnid_in' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_in(cstring) IS
  'Input of cnid: 18 characters (17 digits and a MOD 11-2 check character) or a legacy 15-digit number, upgraded';

CREATE FUNCTION cnid_out(cnid) RETURNS cstring
  AS 'MODULE_PATHNAME', 'cnid_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_out(cnid) IS 'Output of cnid: the canonical 18 characters';

CREATE FUNCTION cnid_recv(internal) RETURNS cnid
  AS 'MODULE_PATHNAME', 'cnid_recv' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_recv(internal) IS
  'Binary input of cnid: the 17-digit body as int8, validated as text input is';

CREATE FUNCTION cnid_send(cnid) RETURNS bytea
  AS 'MODULE_PATHNAME', 'cnid_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_send(cnid) IS 'Binary output of cnid: the 17-digit body as int8';

CREATE TYPE cnid (
  INPUT = cnid_in, OUTPUT = cnid_out, RECEIVE = cnid_recv, SEND = cnid_send,
  LIKE = pg_catalog.int8);
COMMENT ON TYPE cnid IS
  'PRC resident identity number (GB 11643-1999): 18 characters, legacy 15-digit numbers upgraded on input';

-- Comparison: the int8 internals, since the body orders as the text does.
CREATE FUNCTION cnid_eq(cnid, cnid) RETURNS boolean
  AS 'int8eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION cnid_eq(cnid, cnid) IS 'Implementation of = for cnid';
CREATE FUNCTION cnid_ne(cnid, cnid) RETURNS boolean
  AS 'int8ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION cnid_ne(cnid, cnid) IS 'Implementation of <> for cnid';
CREATE FUNCTION cnid_lt(cnid, cnid) RETURNS boolean
  AS 'int8lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION cnid_lt(cnid, cnid) IS 'Implementation of < for cnid';
CREATE FUNCTION cnid_le(cnid, cnid) RETURNS boolean
  AS 'int8le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION cnid_le(cnid, cnid) IS 'Implementation of <= for cnid';
CREATE FUNCTION cnid_gt(cnid, cnid) RETURNS boolean
  AS 'int8gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION cnid_gt(cnid, cnid) IS 'Implementation of > for cnid';
CREATE FUNCTION cnid_ge(cnid, cnid) RETURNS boolean
  AS 'int8ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION cnid_ge(cnid, cnid) IS 'Implementation of >= for cnid';
CREATE FUNCTION cnid_cmp(cnid, cnid) RETURNS integer
  AS 'btint8cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION cnid_cmp(cnid, cnid) IS 'Btree comparison of cnid';
CREATE FUNCTION cnid_sortsupport(internal) RETURNS void
  AS 'btint8sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_sortsupport(internal) IS 'Sort support of cnid (int8 comparator)';
CREATE FUNCTION cnid_hash(cnid) RETURNS integer
  AS 'hashint8' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION cnid_hash(cnid) IS 'Hash of cnid';
CREATE FUNCTION cnid_hash_extended(cnid, bigint) RETURNS bigint
  AS 'hashint8extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION cnid_hash_extended(cnid, bigint) IS 'Seeded 64-bit hash of cnid';

CREATE OPERATOR = (
  LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_eq, COMMUTATOR = =, NEGATOR = <>,
  RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
COMMENT ON OPERATOR =(cnid, cnid) IS 'equal';
CREATE OPERATOR <> (
  LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_ne, COMMUTATOR = <>, NEGATOR = =,
  RESTRICT = neqsel, JOIN = neqjoinsel);
COMMENT ON OPERATOR <>(cnid, cnid) IS 'not equal';
CREATE OPERATOR < (
  LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_lt, COMMUTATOR = >, NEGATOR = >=,
  RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
COMMENT ON OPERATOR <(cnid, cnid) IS 'less than';
CREATE OPERATOR <= (
  LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_le, COMMUTATOR = >=, NEGATOR = >,
  RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
COMMENT ON OPERATOR <=(cnid, cnid) IS 'less than or equal';
CREATE OPERATOR > (
  LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_gt, COMMUTATOR = <, NEGATOR = <=,
  RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
COMMENT ON OPERATOR >(cnid, cnid) IS 'greater than';
CREATE OPERATOR >= (
  LEFTARG = cnid, RIGHTARG = cnid, FUNCTION = cnid_ge, COMMUTATOR = <=, NEGATOR = <,
  RESTRICT = scalargesel, JOIN = scalargejoinsel);
COMMENT ON OPERATOR >=(cnid, cnid) IS 'greater than or equal';

CREATE OPERATOR CLASS cnid_ops DEFAULT FOR TYPE cnid USING btree AS
  OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
  FUNCTION 1 cnid_cmp(cnid, cnid),
  FUNCTION 2 cnid_sortsupport(internal),
  FUNCTION 4 btequalimage(oid);
CREATE OPERATOR CLASS cnid_ops DEFAULT FOR TYPE cnid USING hash AS
  OPERATOR 1 =,
  FUNCTION 1 cnid_hash(cnid),
  FUNCTION 2 cnid_hash_extended(cnid, bigint);

-- Casts through text.  Both are assignment casts so that ETL can write a text
-- column into a cnid one (validated) and back without spelling the cast.
CREATE CAST (cnid AS text) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS cnid) WITH INOUT AS ASSIGNMENT;

CREATE FUNCTION to_cnid(number text) RETURNS cnid
  AS 'MODULE_PATHNAME', 'cnid_to_cnid' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION to_cnid(text) IS
  'The cnid of a text (18 characters or a legacy 15-digit number); 22P02 when invalid';

CREATE FUNCTION cnid_is_valid(number text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'cnid_is_valid' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnid_is_valid(text) IS
  'Whether a text is a valid resident identity number (what cnid input accepts); never raises';

CREATE FUNCTION birth_date(id cnid) RETURNS date
  AS 'MODULE_PATHNAME', 'cnid_birth_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION birth_date(cnid) IS 'Birth date of a resident identity number (digits 7 to 14)';

CREATE FUNCTION sex(id cnid) RETURNS char
  AS 'MODULE_PATHNAME', 'cnid_sex' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sex(cnid) IS 'M when the 17th digit of a resident identity number is odd, else F';

CREATE FUNCTION region_code(id cnid) RETURNS text
  AS 'MODULE_PATHNAME', 'cnid_region_code' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION region_code(cnid) IS
  'The 6-digit address code (GB/T 2260) of a resident identity number, as issued';

CREATE FUNCTION mask(id cnid) RETURNS text
  AS 'MODULE_PATHNAME', 'cnid_mask' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mask(cnid) IS
  'A resident identity number with the birth date hidden: first 6 and last 4 characters shown';

-- ---------- document numbers ----------

CREATE FUNCTION normalize_doc(kind doc_kind, number text) RETURNS text
  AS 'MODULE_PATHNAME', 'docs_normalize' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION normalize_doc(doc_kind, text) IS
  'Canonical form of a document number of a kind (upper case, blanks and hyphens removed, format checked); 22P02 when malformed';

-- ---------- machine-readable zone of a passport (ICAO 9303, TD3) ----------

CREATE FUNCTION mrz_parse(mrz text,
    OUT document_code text, OUT issuing_state text, OUT surname text, OUT given_names text,
    OUT document_number text, OUT nationality text, OUT birth_date date, OUT sex char,
    OUT expiry_date date, OUT optional_data text)
  RETURNS record
  AS 'MODULE_PATHNAME', 'mrz_parse' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mrz_parse(text) IS
  'Fields of a passport machine-readable zone (ICAO 9303 TD3, 2 x 44 characters), every check digit verified; 22P02 when malformed';

CREATE FUNCTION mrz_check_digit(data text) RETURNS integer
  AS 'MODULE_PATHNAME', 'mrz_check_digit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mrz_check_digit(text) IS
  'ICAO 9303 check digit (weights 7, 3, 1) of machine-readable-zone characters';

-- ---------------------------------------------------------------------------
-- isolation_plan (SPEC §2; src/plan.c, src/plan_range.c)
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

-- ---------------------------------------------------------------------------
-- policy: which plan applies to whom and when (SPEC §2)
-- ---------------------------------------------------------------------------

CREATE FUNCTION check_nat_days(plan isolation_plan, nat_days integer[]) RETURNS boolean
  AS 'MODULE_PATHNAME', 'plan_check_nat_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION check_nat_days(isolation_plan, integer[]) IS
  'True when every NAT day is a day number of the plan (1..total_days), once; otherwise raises 23514 policy_nat_days';

CREATE TABLE policy (
  policy_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  category  arrival_category NOT NULL,
  plan      isolation_plan NOT NULL,
  effective daterange NOT NULL,
  nat_days  integer[] NOT NULL DEFAULT '{}',
  note      text,
  shipped   boolean NOT NULL DEFAULT false,
  CONSTRAINT policy_no_overlap EXCLUDE USING gist (category WITH =, effective WITH &&),
  CONSTRAINT policy_nat_days CHECK (check_nat_days(plan, nat_days)),
  CONSTRAINT policy_effective CHECK (NOT isempty(effective) AND NOT lower_inf(effective))
);
COMMENT ON TABLE policy IS
  'Isolation plan per arrival category and period; ranges of one category do not overlap. Shipped rows follow the national timeline; admins add provincial rows';
COMMENT ON COLUMN policy.category IS 'Arrival category the row applies to; a category with no row falls back to general (see plan_for)';
COMMENT ON COLUMN policy.plan IS 'Plan for persons whose quarantine starts within effective';
COMMENT ON COLUMN policy.effective IS 'Quarantine start dates the row applies to, half-open';
COMMENT ON COLUMN policy.nat_days IS 'Day numbers (day 1 = quarantine start) on which a NAT sample is due';
COMMENT ON COLUMN policy.note IS 'The instrument the row follows';
COMMENT ON COLUMN policy.shipped IS 'Row shipped with the extension (pg_dump leaves it out; CREATE EXTENSION recreates it)';

-- Rows shipped with the extension: testdata/quarantine_timeline.tsv.  From
-- 2021-05-14 the national protocols set one regime for inbound arrivals and
-- close contacts alike; from 2023-01-08 there is no isolation (the ranges end
-- there, so plan_for is NULL).  NAT days count from day 1 of the quarantine:
-- "day 2 of home monitoring" after 14c is day 16.
INSERT INTO policy (category, plan, effective, nat_days, note, shipped) VALUES
  ('general', '14c', '[2020-03-16,2021-05-14)', '{1,14}',
   'Inbound arrivals: 14 days centralized isolation from 2020-03-16 (local, then national practice, Beijing first; seed 000 (五), seed 001 part 三); release NAT (seed 000 (九))', true),
  ('close_contact', '14c', '[2020-03-16,2021-05-14)', '{1,14}',
   'Close contacts: 14 days centralized medical observation (COVID-19 Prevention and Control Protocol v5-v7, close-contact annex; seed 001 (三)4)', true),
  ('discharged', '14c', '[2020-03-16,2023-01-08)', '{1,14}',
   'Discharged cases: 14 days isolation management and health monitoring after discharge (Health Management Plan for Discharged Patients (trial), 新冠肺炎出院患者健康管理方案; seed 001 (三)1), until the class B management plan (乙类乙管) took effect on 2023-01-08', true),
  ('general', '14c+7m', '[2021-05-14,2022-06-28)', '{1,4,7,14,16,21}',
   'Protocol v8 (2021-05-14): 14 days centralized + 7 days home health monitoring (居家健康监测); NAT on centralized days 1, 4, 7, 14 and on days 2 and 7 after release', true),
  ('close_contact', '14c+7m', '[2021-05-14,2022-06-28)', '{1,4,7,14,16,21}',
   'Protocol v8 (2021-05-14), close contacts: 14 days centralized + 7 days home health monitoring; NAT on centralized days 1, 4, 7, 14 and on days 2 and 7 after release', true),
  ('general', '7c+3m', '[2022-06-28,2022-11-11)', '{1,2,3,5,7,10}',
   'Protocol v9 (2022-06-28): 7 days centralized + 3 days home health monitoring (不外出); NAT on centralized days 1, 2, 3, 5, 7 and on day 3 at home', true),
  ('close_contact', '7c+3m', '[2022-06-28,2022-11-11)', '{1,2,3,5,7,10}',
   'Protocol v9 (2022-06-28), close contacts: 7 days centralized + 3 days home health monitoring; NAT on centralized days 1, 2, 3, 5, 7 and on day 3 at home', true),
  ('general', '5c+3h', '[2022-11-11,2023-01-08)', '{1,2,3,5,6,8}',
   'State Council JPC notice of 2022-11-11 ("twenty measures", 二十条): 5 days centralized + 3 days home isolation (居家隔离, 不得外出); NAT on centralized days 1, 2, 3, 5 and home days 1, 3; no repeated isolation at the destination. Ended 2023-01-08 (乙类乙管 plan of 2022-12-26)', true),
  ('close_contact', '5c+3h', '[2022-11-11,2023-01-08)', '{1,2,3,5,6,8}',
   'State Council JPC notice of 2022-11-11 ("twenty measures", 二十条), close contacts: 5 days centralized + 3 days home isolation; NAT on centralized days 1, 2, 3, 5 and home days 1, 3. Ended 2023-01-08 (乙类乙管 plan of 2022-12-26)', true);

-- pg_dump keeps rows admins add (and the identity counter), not shipped rows.
SELECT pg_catalog.pg_extension_config_dump('policy', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('policy_policy_id_seq', '');

-- plan_for reads the rows through a per-backend cache (src/policy_cache.c):
-- the control trigger needs it once per row of a COPY.  The statement
-- trigger below sends a relcache invalidation on every change, which empties
-- the cache in every backend at commit (and in this one at once).
CREATE FUNCTION plan_for(category arrival_category, on_date date) RETURNS isolation_plan
  AS 'MODULE_PATHNAME', 'policy_plan_for'
  LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION plan_for(arrival_category, date) IS
  'Plan for a quarantine of this category starting on on_date: the policy row covering the date; a category with no row of its own falls back to general (exempt does not); NULL when no policy covers the date';

CREATE FUNCTION policy_after_change() RETURNS trigger
  AS 'MODULE_PATHNAME', 'policy_after_change' LANGUAGE C;
COMMENT ON FUNCTION policy_after_change() IS
  'Invalidates the cached policy rows in every backend after a change';
CREATE TRIGGER policy_after_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON policy
  FOR EACH STATEMENT EXECUTE FUNCTION policy_after_change();

CREATE FUNCTION nat_due_on(category arrival_category, start date, on_date date) RETURNS boolean
  AS 'MODULE_PATHNAME', 'policy_nat_due_on'
  LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION nat_due_on(arrival_category, date, date) IS
  'Whether the policy for a quarantine of this category starting on start has a NAT sample due on on_date (its nat_days)';
-- Arrival screening (SPEC §3) and the 7+7 home transfer check (SPEC §4).
-- The rules are in C (src/arrival.c, src/transfer.c); these are thin wrappers.

CREATE FUNCTION classify_arrival(temperature numeric, symptoms text[],
                                 nat_result test_result DEFAULT NULL,
                                 close_contact boolean DEFAULT false)
RETURNS arrival_category
AS 'MODULE_PATHNAME', 'classify_arrival' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION classify_arrival(numeric, text[], test_result, boolean) IS
  'Screening category of an arrival: positive NAT → confirmed; temperature above quarantine.fever_threshold or any symptom → symptomatic; close contact → close_contact; else general. NULL temperature = not measured, NULL symptoms = none reported; unknown symptom codes raise 22023 (seeds 000 四(二), 001 二(一))';

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
  '7+7 check: may a person isolated from start move to home isolation on on_date? unmet lists category, nat_day3, nat_day5, igm_day5, positive_test, home_not_verified, no_commitment, too_early (seeds 000 四(五)(八), 001 二(三)6)';
-- SPEC §6, §7 — tasks, phones and names: the pure functions that the control,
-- verification and import triggers call.  The rules live in src/deadline.c,
-- src/phone.c and src/names.c; these wrappers are thin.

CREATE FUNCTION task_deadline(module text, issued_at timestamptz)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'task_deadline' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION task_deadline(text, timestamptz) IS
  'Deadline of a task issued at issued_at, local time in quarantine.timezone (seed 003): control -> the first 17:00 strictly after, verification and phone_check -> 12:00 on the next day';

CREATE FUNCTION phone_kind(phone text) RETURNS text
AS 'MODULE_PATHNAME', 'phone_kind' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION phone_kind(text) IS
  'Kind of a written telephone number: mobile (mainland 1[3-9] + 9 digits, also +86/0086/86), foreign (another E.164 country code), placeholder (a filler such as 00000000000 or 10000000000, seed 003) or invalid';

CREATE FUNCTION name_key(full_name text) RETURNS text
AS 'MODULE_PATHNAME', 'name_key' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION name_key(text) IS
  'Matching key of a personal name (SPEC §7): full-width folded, blanks and middle dots dropped, Latin letters lower-cased without accents and words sorted';

CREATE FUNCTION name_similarity(a text, b text) RETURNS real
AS 'MODULE_PATHNAME', 'name_similarity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION name_similarity(text, text) IS
  'Similarity of two personal names in [0,1]: 1 when the name keys are equal, else an edit-distance score per character (Chinese) or letter (Latin, any word order)';

CREATE FUNCTION names_similar(a text, b text) RETURNS boolean
AS 'MODULE_PATHNAME', 'names_similar' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION names_similar(text, text) IS
  'True when name_similarity(a, b) >= 0.6: probably the same person by name, a duplicate candidate for review';

CREATE FUNCTION phone_key(phone text) RETURNS text
AS 'MODULE_PATHNAME', 'phone_key' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION phone_key(text) IS
  'Comparable form of a phone number: 11 digits for a mainland mobile (+86 and separators dropped), + and digits for a foreign one; NULL for placeholders and invalid numbers';
-- The control and verification records (SPEC §4-§7, seed 003).
--
-- Column names given in the SPEC are the contract.  Columns marked
-- "maintained" are written by the C triggers (src/trg_*.c); a value a client
-- writes there is replaced.

-- ---------------------------------------------------------------------------
-- Places a record can point at (SPEC §10; the spatial functions come later).
-- ---------------------------------------------------------------------------
CREATE TABLE jurisdiction (
  code      text PRIMARY KEY,
  name      text NOT NULL,
  parent    text REFERENCES jurisdiction,
  level     text CHECK (level IN ('province', 'city', 'district', 'street')),
  boundary  geography(MultiPolygon, 4326)
);
COMMENT ON TABLE jurisdiction IS 'Administrative areas that own persons, sites and controls';

CREATE TABLE site (
  site_id       bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name          text NOT NULL,
  kind          text NOT NULL DEFAULT 'hotel' CHECK (kind IN ('hotel', 'hospital', 'other')),
  location      geography(Point, 4326),
  capacity      int CHECK (capacity >= 0),
  jurisdiction  text REFERENCES jurisdiction
);
COMMENT ON TABLE site IS 'Isolation sites (hotels) and designated hospitals';

-- ---------------------------------------------------------------------------
-- person: one row per identity document (SPEC §1, §7)
-- ---------------------------------------------------------------------------
CREATE TABLE person (
  person_id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  doc_kind       doc_kind NOT NULL,
  doc_no         text NOT NULL,            -- maintained: normalize_doc(doc_kind, doc_no)
  name           text NOT NULL CHECK (btrim(name) <> ''),
  sex            char(1) CHECK (sex IN ('M', 'F')),
  birth_date     date,
  nationality    char(3),                  -- ISO 3166-1 alpha-3, as on the passport
  phone          text,
  phone_status   text CHECK (phone_status IN ('placeholder', 'unverified', 'verified', 'invalid')),
  home_address   text,
  home_location  geography(Point, 4326),
  jurisdiction   text REFERENCES jurisdiction,
  merged_into    bigint REFERENCES person,
  -- maintained: the nationality for passports ('' otherwise), so that one
  -- unique index states SPEC §7's identity rule for every kind of document
  identity_scope text NOT NULL DEFAULT '',
  name_key       text,                     -- maintained: name_key(name)
  phone_key      text,                     -- maintained: phone_key(phone)
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (merged_into <> person_id)
);
COMMENT ON TABLE person IS 'Persons, one per normalized identity document (SPEC §7 person_identity)';
-- person_identity: the trigger reports a duplicate with the existing person;
-- this index is the guarantee under concurrency (same name, same SQLSTATE).
-- Merged persons keep their row, so their document stays taken and resolves
-- to the kept person.
CREATE UNIQUE INDEX person_identity ON person (doc_kind, doc_no, identity_scope);
CREATE INDEX person_birth_sex ON person (birth_date, sex);
CREATE INDEX person_verified_phone ON person (phone_key) WHERE phone_status = 'verified';
CREATE INDEX person_merged_into ON person (merged_into) WHERE merged_into IS NOT NULL;

-- ---------------------------------------------------------------------------
-- entry: one border crossing (SPEC §3, §4)
-- ---------------------------------------------------------------------------
CREATE TABLE entry (
  entry_id        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  person_id       bigint NOT NULL REFERENCES person,
  entered_at      timestamptz NOT NULL CHECK (isfinite(entered_at)),
  port_kind       text NOT NULL DEFAULT 'air' CHECK (port_kind IN ('air', 'land', 'sea')),
  port            text,
  illegal         boolean NOT NULL DEFAULT false,
  flight          text,
  seat            text,
  origin_country  char(3),
  travel_history  char(3)[],
  temperature     numeric(4,1) CHECK (temperature BETWEEN 30 AND 45),
  symptoms        text[],
  port_nat_result test_result,             -- NAT taken at the port, if any
  close_contact   boolean NOT NULL DEFAULT false,
  category        arrival_category,        -- maintained when NULL: classify_arrival(...)
  exempt_reason   exempt_reason,           -- forces category 'exempt'
  created_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE entry IS 'Border crossings with port screening; category filled by classify_arrival when NULL';
CREATE INDEX entry_person ON entry (person_id, entered_at);
CREATE INDEX entry_flight ON entry (flight, entered_at) WHERE flight IS NOT NULL;

-- ---------------------------------------------------------------------------
-- control: the control list (管控库, seed 003)
-- ---------------------------------------------------------------------------
CREATE TABLE control (
  control_id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  person_id             bigint NOT NULL REFERENCES person,
  entry_id              bigint REFERENCES entry,
  jurisdiction          text REFERENCES jurisdiction,
  status                control_status NOT NULL DEFAULT 'pending',
  plan                  isolation_plan,     -- maintained when NULL: plan_for(category, quarantine_start)
  quarantine_start      date,               -- day 1 of isolation anywhere; NULL: local date of the entry
  control_start         timestamptz,        -- when this district took control; fixed once set
  site_id               bigint REFERENCES site,
  transferred_from      text,
  home_verified_at      timestamptz,
  commitment_signed_at  timestamptz,
  return_reason         return_reason,
  return_note           text,
  end_reason            end_reason,
  ended_at              timestamptz,
  responsible           text,
  note                  text,
  release_date          date,               -- maintained: release_date(plan, quarantine_start)
  registered_at         timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE control IS 'Control records (管控库): one isolation episode of a person in this district';
-- control_single_open: as person_identity, the trigger reports and this index guarantees.
CREATE UNIQUE INDEX control_single_open ON control (person_id)
  WHERE status IN ('pending', 'under_control', 'medical');
CREATE INDEX control_person ON control (person_id);
CREATE INDEX control_entry ON control (entry_id) WHERE entry_id IS NOT NULL;
CREATE INDEX control_open_status ON control (status)
  WHERE status IN ('pending', 'under_control', 'medical');

-- ---------------------------------------------------------------------------
-- lab_test
-- ---------------------------------------------------------------------------
CREATE TABLE lab_test (
  test_id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  person_id    bigint NOT NULL REFERENCES person,
  kind         test_kind NOT NULL,
  sampled_at   timestamptz NOT NULL CHECK (isfinite(sampled_at)),
  result       test_result NOT NULL DEFAULT 'pending',
  lab          text,
  reported_at  timestamptz,
  CHECK (reported_at IS NULL OR reported_at >= sampled_at)
);
COMMENT ON TABLE lab_test IS 'Laboratory tests (NAT, antibodies, antigen) by sample time';
CREATE INDEX lab_test_person ON lab_test (person_id, sampled_at);
CREATE INDEX lab_test_sampled ON lab_test (sampled_at);   -- refresh_codes: recent tests

-- ---------------------------------------------------------------------------
-- control_event: the history seed 003 kept by hand in the note field
-- ---------------------------------------------------------------------------
CREATE TABLE control_event (
  event_id     bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  control_id   bigint NOT NULL REFERENCES control,
  kind         text NOT NULL DEFAULT 'status'
               CHECK (kind IN ('status', 'plan', 'control_start', 'merge')),
  from_status  control_status,
  to_status    control_status,
  old_value    text,
  new_value    text,
  at           timestamptz NOT NULL DEFAULT now(),
  by_role      text NOT NULL DEFAULT current_user,
  note         text
);
COMMENT ON TABLE control_event IS 'One row per status change, plan change or control_start correction of a control';
CREATE INDEX control_event_control ON control_event (control_id, at);

-- ---------------------------------------------------------------------------
-- verification: the verification list (核查库, seed 003)
-- ---------------------------------------------------------------------------
CREATE TABLE verification (
  verification_id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  person_id                    bigint NOT NULL REFERENCES person,
  entry_id                     bigint REFERENCES entry,
  return_date                  date,
  status                       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  health_status                text CHECK (health_status IN ('healthy', 'symptomatic', 'suspected', 'confirmed', 'asymptomatic')),
  isolated_days_before_return  int CHECK (isolated_days_before_return >= 0),
  followed_up_at               timestamptz,
  note                         text,
  created_at                   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE verification IS 'Verification list (核查库): inbound persons reported by the national port list';
CREATE INDEX verification_person ON verification (person_id);
CREATE INDEX verification_entry ON verification (entry_id) WHERE entry_id IS NOT NULL;

-- ---------------------------------------------------------------------------
-- task: the province's daily lists with hard deadlines (SPEC §6)
-- ---------------------------------------------------------------------------
CREATE TABLE task (
  task_id     bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  module      text NOT NULL CHECK (module IN ('control', 'verification', 'phone_check')),
  person_id   bigint REFERENCES person,
  issued_at   timestamptz NOT NULL DEFAULT now(),
  due_at      timestamptz,                 -- maintained: task_deadline(module, issued_at)
  done_at     timestamptz,
  outcome     text
);
COMMENT ON TABLE task IS 'Tasks issued by the province, each due by task_deadline(module, issued_at)';
CREATE INDEX task_open_due ON task (due_at) WHERE done_at IS NULL;
CREATE INDEX task_person ON task (person_id);

-- ---------------------------------------------------------------------------
-- duplicate control (SPEC §7)
-- ---------------------------------------------------------------------------
CREATE TABLE duplicate_candidate (
  person_id    bigint NOT NULL REFERENCES person,   -- the newer person
  other_id     bigint NOT NULL REFERENCES person,   -- the existing one it resembles
  score        real NOT NULL,
  reason       text NOT NULL CHECK (reason IN ('birth_sex_name', 'phone_name')),
  found_at     timestamptz NOT NULL DEFAULT now(),
  resolution   text CHECK (resolution IN ('merged', 'distinct')),
  PRIMARY KEY (person_id, other_id),
  CHECK (person_id <> other_id)
);
COMMENT ON TABLE duplicate_candidate IS 'Possible duplicate persons for review; never merged silently';
CREATE INDEX duplicate_candidate_other ON duplicate_candidate (other_id);

CREATE TABLE person_merge (
  merge_id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  keep_id    bigint NOT NULL REFERENCES person,
  drop_id    bigint NOT NULL REFERENCES person,
  moved      jsonb NOT NULL,                     -- rows moved per table
  merged_at  timestamptz NOT NULL DEFAULT now(),
  by_role    text NOT NULL DEFAULT current_user
);
COMMENT ON TABLE person_merge IS 'Every merge_persons() call: who was kept, who was dropped, what moved';
-- Triggers, operations and views over the record tables (SPEC §4-§7).
-- Every rule is in C (src/trg_*.c, src/control_ops.c); this file only wires
-- it up.  Statement-level triggers use transition tables so that the
-- set-based parts (duplicate search, control_event) run once per statement,
-- not once per row of a COPY.

-- person -------------------------------------------------------------------
CREATE FUNCTION person_before_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'person_before_write' LANGUAGE C;
COMMENT ON FUNCTION person_before_write() IS
  'Normalizes doc_no, fills sex/birth_date from a resident ID, phone_status, and enforces person_identity';
CREATE TRIGGER person_before_write BEFORE INSERT OR UPDATE ON person
  FOR EACH ROW EXECUTE FUNCTION person_before_write();

CREATE FUNCTION person_after_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'person_after_write' LANGUAGE C;
COMMENT ON FUNCTION person_after_write() IS
  'Records possible duplicate persons in duplicate_candidate, set-based, once per statement';
CREATE TRIGGER person_after_insert AFTER INSERT ON person
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION person_after_write();
CREATE TRIGGER person_after_update AFTER UPDATE ON person
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION person_after_write();

-- entry --------------------------------------------------------------------
CREATE FUNCTION entry_before_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'entry_before_write' LANGUAGE C;
COMMENT ON FUNCTION entry_before_write() IS
  'Fills entry.category with classify_arrival() when NULL; exempt_reason forces exempt';
CREATE TRIGGER entry_before_write BEFORE INSERT OR UPDATE ON entry
  FOR EACH ROW EXECUTE FUNCTION entry_before_write();

-- control ------------------------------------------------------------------
CREATE FUNCTION control_before_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'control_before_write' LANGUAGE C;
COMMENT ON FUNCTION control_before_write() IS
  'Maintains quarantine_start, plan, control_start, ended_at, release_date and enforces the control_* rules';
CREATE TRIGGER control_before_write BEFORE INSERT OR UPDATE ON control
  FOR EACH ROW EXECUTE FUNCTION control_before_write();

CREATE FUNCTION control_after_update() RETURNS trigger
  AS 'MODULE_PATHNAME', 'control_after_update' LANGUAGE C;
COMMENT ON FUNCTION control_after_update() IS
  'Writes control_event rows for status, plan and control_start changes, set-based';
CREATE TRIGGER control_after_update AFTER UPDATE ON control
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION control_after_update();

-- verification -------------------------------------------------------------
CREATE FUNCTION verification_before_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'verification_before_write' LANGUAGE C;
COMMENT ON FUNCTION verification_before_write() IS
  'Enforces the verification_* rules';
CREATE TRIGGER verification_before_write BEFORE INSERT OR UPDATE ON verification
  FOR EACH ROW EXECUTE FUNCTION verification_before_write();

-- task ---------------------------------------------------------------------
CREATE FUNCTION task_before_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'task_before_write' LANGUAGE C;
COMMENT ON FUNCTION task_before_write() IS 'Maintains task.due_at = task_deadline(module, issued_at)';
CREATE TRIGGER task_before_write BEFORE INSERT OR UPDATE ON task
  FOR EACH ROW EXECUTE FUNCTION task_before_write();

-- operations ---------------------------------------------------------------
CREATE FUNCTION correct_control_start(control_id bigint, ts timestamptz, reason text)
  RETURNS void AS 'MODULE_PATHNAME', 'control_correct_start'
  LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION correct_control_start(bigint, timestamptz, text) IS
  'The audited way to correct control_start (rule control_start_fixed); the reason goes to control_event';

CREATE FUNCTION revert_to_centralized(control_id bigint, reason text)
  RETURNS isolation_plan AS 'MODULE_PATHNAME', 'control_revert_to_centralized'
  LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION revert_to_centralized(bigint, text) IS
  'Seed 000 (八): home isolation that fails verification goes back to centralized for the rest of the plan';

CREATE FUNCTION merge_persons(keep bigint, drop bigint)
  RETURNS void AS 'MODULE_PATHNAME', 'person_merge_persons'
  LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION merge_persons(bigint, bigint) IS
  'Moves every record of person drop to keep, marks drop merged_into keep, records the merge (SPEC §7)';

CREATE FUNCTION person_for_doc(kind doc_kind, number text, nationality char(3) DEFAULT NULL)
  RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(p.merged_into, p.person_id)
    FROM quarantine.person p
   WHERE p.doc_kind = kind
     AND p.doc_no = quarantine.normalize_doc(kind, number)
     AND p.identity_scope = CASE WHEN kind = 'passport' THEN coalesce(nationality, '') ELSE '' END
$$;
COMMENT ON FUNCTION person_for_doc(doc_kind, text, char) IS
  'The person a document resolves to (the kept person after a merge), or NULL';

-- views --------------------------------------------------------------------
CREATE VIEW overdue_tasks AS
  SELECT t.task_id, t.module, t.person_id, t.issued_at, t.due_at,
         now() - t.due_at AS overdue_by
    FROM task t
   WHERE t.done_at IS NULL AND t.due_at < now();
COMMENT ON VIEW overdue_tasks IS 'Tasks not done by their deadline (seed 003: control by 17:00, checks by 12:00 next day)';

CREATE VIEW late_registrations AS
  SELECT c.control_id, c.person_id, c.jurisdiction, c.control_start, c.registered_at,
         local_date(c.registered_at) - local_date(c.control_start) AS days_late
    FROM control c
   WHERE c.control_start IS NOT NULL
     AND local_date(c.registered_at) > local_date(c.control_start);
COMMENT ON VIEW late_registrations IS 'Controls registered on a later local day than their control_start (seed 003: register the same day)';

CREATE VIEW verification_issues AS
  SELECT v.verification_id, v.person_id, 'return_date_passed' AS issue,
         format('open since the return date %s', v.return_date) AS detail
    FROM verification v
   WHERE v.status = 'open' AND v.return_date < local_date(now())
  UNION ALL
  SELECT v.verification_id, v.person_id, 'health_status_mismatch',
         format('health status %s but a positive %s sampled %s', coalesce(v.health_status, 'unknown'), t.kind, t.sampled_at)
    FROM verification v
    JOIN LATERAL (SELECT lt.kind, lt.sampled_at FROM lab_test lt
                   WHERE lt.person_id = v.person_id AND lt.result = 'positive'
                     AND lt.kind IN ('nat', 'igm', 'antigen')
                   ORDER BY lt.sampled_at DESC LIMIT 1) t ON true
   WHERE v.status = 'open' AND coalesce(v.health_status, 'healthy') NOT IN ('confirmed', 'asymptomatic')
  UNION ALL
  SELECT v.verification_id, v.person_id, 'follow_up_overdue',
         format('last follow-up %s', coalesce(v.followed_up_at::text, 'never'))
    FROM verification v
   WHERE v.status = 'open'
     AND coalesce(v.followed_up_at, v.created_at) < now() - interval '1 day';
COMMENT ON VIEW verification_issues IS 'Open verification records needing attention: return date passed, health status contradicting a positive test, no follow-up for a day';

-- flight close contacts (SPEC §3, testdata/close_contact_transport_rules.tsv)
CREATE TYPE flight_contact AS (person_id bigint, entry_id bigint, seat text, reason text);
COMMENT ON TYPE flight_contact IS 'A passenger who is a close contact of an index case on the same flight';

CREATE FUNCTION flight_close_contacts(entry_id bigint) RETURNS SETOF flight_contact
LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
  SELECT o.person_id, o.entry_id, o.seat,
         CASE WHEN quarantine.seat_row(o.seat) = quarantine.seat_row(e.seat) THEN 'same row'
              ELSE abs(quarantine.seat_row(o.seat) - quarantine.seat_row(e.seat)) || ' rows '
                   || CASE WHEN quarantine.seat_row(o.seat) < quarantine.seat_row(e.seat) THEN 'in front' ELSE 'behind' END
         END
    FROM quarantine.entry e
    JOIN quarantine.entry o
      ON o.flight = e.flight
     AND quarantine.local_date(o.entered_at) = quarantine.local_date(e.entered_at)
     AND o.entry_id <> e.entry_id
   WHERE e.entry_id = $1
     AND o.seat IS NOT NULL AND e.seat IS NOT NULL
     AND quarantine.is_flight_close_contact(e.seat, o.seat)
   ORDER BY quarantine.seat_row(o.seat), o.seat
$$;
COMMENT ON FUNCTION flight_close_contacts(bigint) IS
  'Passengers of the same flight and local day seated within quarantine.flight_contact_rows rows of the entry''s seat; crew are not in the data';

-- Table-reading wrappers over the C rules --------------------------------
CREATE FUNCTION home_transfer_eligibility(control_id bigint, on_date date DEFAULT local_date(now()))
RETURNS eligibility LANGUAGE sql STABLE STRICT AS $$
  SELECT quarantine.home_transfer_check(
           c.quarantine_start,
           coalesce(e.category, 'general'),
           coalesce((SELECT array_agg(ROW(t.kind, quarantine.local_date(t.sampled_at), t.result)::quarantine.lab_result
                                      ORDER BY t.sampled_at)
                       FROM quarantine.lab_test t WHERE t.person_id = c.person_id), '{}'),
           c.home_verified_at IS NOT NULL,
           c.commitment_signed_at IS NOT NULL,
           $2)
    FROM quarantine.control c LEFT JOIN quarantine.entry e ON e.entry_id = c.entry_id
   WHERE c.control_id = $1
$$;
COMMENT ON FUNCTION home_transfer_eligibility(bigint, date) IS
  '7+7 home transfer check (home_transfer_check) for a control, from its entry, lab tests and verifications; on_date defaults to the local today';

CREATE FUNCTION nat_due(control_id bigint, on_date date) RETURNS boolean
LANGUAGE sql STABLE STRICT AS $$
  SELECT c.status IN ('pending', 'under_control', 'medical')
         AND quarantine.nat_due_on(coalesce(e.category, 'general'), c.quarantine_start, $2)
    FROM quarantine.control c LEFT JOIN quarantine.entry e ON e.entry_id = c.entry_id
   WHERE c.control_id = $1
$$;
COMMENT ON FUNCTION nat_due(bigint, date) IS
  'Whether an open control has a NAT sample due on on_date under the policy that set its plan (policy.nat_days)';
-- Health-code colour (SPEC §8) and high-risk staff (SPEC §9).
-- The rules are in C: src/health_code.c decides the colour from facts that
-- src/health_feed.c gathers; src/staff.c has the test schedules.  This file
-- declares the tables and wires the functions and triggers up.

-- ---------------------------------------------------------------------------
-- staff: high-risk posts of a port city and their families (seed 002)
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
  'High-risk staff of a port city and their families (seed 002): the role sets the NAT frequency; closed_loop_start and plan (14 days closed-loop work + 7 centralized + 7 home monitoring) set the rotation';
COMMENT ON COLUMN staff.role IS
  'port_frontline, quarantine_site, designated_hospital, cold_chain: NAT every other day; other_staff: twice a week; family: once a week (seed 002 二)';
COMMENT ON COLUMN staff.closed_loop_start IS 'Day 1 of the current closed-loop rotation; NULL when the person does not work closed-loop';
COMMENT ON COLUMN staff.plan IS 'The rotation, from closed_loop_start (seed 002 四: 14+7+7, adjustable locally)';

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
  'Whether the person holds a negative NAT sampled within hours before at, both ends included, reported by at when the report time is known (seed 002 五: leaving a land-border port city)';

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
-- The colour (SPEC §8)
-- ---------------------------------------------------------------------------
CREATE TYPE code_state AS (color health_code, reason text);
COMMENT ON TYPE code_state IS
  'A health-code colour and the rule that gave it (medical, pending, centralized, positive_test, case, home_isolation, monitoring, closed_loop_work, release_test_missing, entry_observation, staff_test_overdue, unreachable, clear)';

CREATE FUNCTION code_color(person_id bigint, at timestamptz DEFAULT now()) RETURNS code_state
  AS 'MODULE_PATHNAME', 'code_color'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION code_color(bigint, timestamptz) IS
  'Health-code colour of a person at an instant (first matching rule of SPEC §8), from the records as they are; tests and entries later than at are left out; P0002 for an unknown person';

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
-- SPEC §11 — bulk import of passenger manifests (seed 003 包机人员录入: the
-- police list of a charter flight, imported around 14:00 as 待分配).
-- Every rule is in C (src/manifest_*.c); this file declares the tables and
-- thin wrappers.

-- ---------------------------------------------------------------------------
-- manifest_staging: a plain COPY target
-- ---------------------------------------------------------------------------
-- Every field is text as typed, so a COPY never fails on a value.  No
-- primary key: a file copied in twice, or two rows with one number, must not
-- make the COPY fail; load_manifest collapses exact repeats and rejects rows
-- that share a number with different content (manifest_row_no).
CREATE TABLE manifest_staging (
  batch         text,
  row_no        int,
  name          text,
  doc_kind      text,
  doc_no        text,
  nationality   text,
  sex           text,
  birth_date    text,
  phone         text,
  flight        text,
  seat          text,
  entered_at    text,
  port          text,
  site          text,
  jurisdiction  text
);
COMMENT ON TABLE manifest_staging IS
  'COPY target for passenger manifests (SPEC §11): every field text as typed; load_manifest(batch) turns a batch into records';
CREATE INDEX manifest_staging_batch ON manifest_staging (batch);

-- ---------------------------------------------------------------------------
-- import_reject: every bad row, whole, with the rule it breaks
-- ---------------------------------------------------------------------------
CREATE TABLE import_reject (
  reject_id    bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  batch        text NOT NULL,
  row_no       int,
  rule         text NOT NULL,
  message      text NOT NULL,
  detail       text,
  row          jsonb NOT NULL,
  rejected_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE import_reject IS
  'Manifest rows load_manifest refused: the staged row whole (row), the rule name the triggers use or a manifest_* format rule, message and detail';
CREATE INDEX import_reject_batch ON import_reject (batch, row_no);

-- ---------------------------------------------------------------------------
-- import_accept: the ledger that makes a second load a no-op
-- ---------------------------------------------------------------------------
-- No foreign keys: the ledger must never stand in the way of correcting or
-- merging the records it points at.
CREATE TABLE import_accept (
  batch       text NOT NULL,
  row_no      int NOT NULL,
  person_id   bigint NOT NULL,
  entry_id    bigint NOT NULL,
  control_id  bigint NOT NULL,
  reused      boolean NOT NULL,
  loaded_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (batch, row_no)
);
COMMENT ON TABLE import_accept IS
  'Manifest rows loaded, with the person (reused: it existed before), entry and control they became; a row here is never loaded again';

-- The staged lists, the rejects and the ledger are user data: pg_dump keeps
-- them (the extension script would otherwise recreate the tables empty).
SELECT pg_catalog.pg_extension_config_dump('manifest_staging', '');
SELECT pg_catalog.pg_extension_config_dump('import_reject', '');
SELECT pg_catalog.pg_extension_config_dump('import_reject_reject_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('import_accept', '');

-- ---------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------
CREATE TYPE manifest_row AS (
  rule            text,
  message         text,
  detail          text,
  name            text,
  doc_kind        doc_kind,
  doc_no          text,
  identity_scope  text,
  nationality     text,
  sex             text,
  birth_date      date,
  phone           text,
  phone_kind      text,
  flight          text,
  seat            text,
  entered_at      timestamptz,
  entry_day       date,
  category        arrival_category,
  port            text,
  site            text,
  jurisdiction    text
);
COMMENT ON TYPE manifest_row IS
  'A staged manifest row judged alone: the rule it breaks (NULL if none), message, detail, and the values as the tables will store them';

-- STABLE: dates are read in quarantine.timezone and compared with the
-- transaction start, and the policy plan is read through its cache.
CREATE FUNCTION manifest_check(staged manifest_staging) RETURNS manifest_row
  AS 'MODULE_PATHNAME', 'manifest_check'
  LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION manifest_check(manifest_staging) IS
  'Checks and normalizes one staged manifest row without raising: formats, dates, the resident ID, the policy of the entry day; preview a batch with SELECT (manifest_check(s)).* FROM manifest_staging s';

CREATE TYPE import_verdict AS (rule text, message text, detail text);
COMMENT ON TYPE import_verdict IS 'Rule, message and detail of a refused manifest row; all NULL when it may be loaded';

CREATE FUNCTION manifest_verdict(facts record) RETURNS import_verdict
  AS 'MODULE_PATHNAME', 'manifest_verdict'
  LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION manifest_verdict(record) IS
  'Internal to load_manifest: decides a manifest row from the facts gathered about it (site, jurisdiction, existing person, open control, reused entry, first row of the person in the batch)';

-- jit off: compiling the load's large statements costs seconds and saves
-- nothing, the work per row being in C functions and triggers.
CREATE FUNCTION load_manifest(batch text,
                              OUT accepted int, OUT rejected int, OUT duplicates int)
  AS 'MODULE_PATHNAME', 'manifest_load'
  LANGUAGE C VOLATILE STRICT
  SET jit = off;
COMMENT ON FUNCTION load_manifest(text) IS
  'Loads a staged manifest batch (SPEC §11): persons (existing ones reused), entries, pending controls and control/phone_check tasks; bad rows go whole to import_reject; a second load creates nothing new';

CREATE VIEW import_summary AS
  SELECT b.batch,
         (SELECT count(*) FROM manifest_staging s WHERE s.batch = b.batch) AS staged,
         (SELECT count(*) FROM import_accept a WHERE a.batch = b.batch) AS accepted,
         (SELECT count(*) FROM import_accept a WHERE a.batch = b.batch AND a.reused) AS reused,
         (SELECT count(DISTINCT r.row) FROM import_reject r
           WHERE r.batch = b.batch
             AND NOT EXISTS (SELECT 1 FROM import_accept a
                              WHERE a.batch = r.batch AND a.row_no = r.row_no)) AS rejected,
         (SELECT max(a.loaded_at) FROM import_accept a WHERE a.batch = b.batch) AS last_loaded_at
    FROM (SELECT batch FROM manifest_staging WHERE batch IS NOT NULL
          UNION SELECT batch FROM import_accept
          UNION SELECT batch FROM import_reject) b;
COMMENT ON VIEW import_summary IS
  'Per manifest batch: rows staged, accepted, accepted onto an existing person (reused), and rows still rejected';
-- The data of every table the extension creates is the users' data: register
-- it with pg_dump (tables created by an extension script are otherwise left
-- out of dumps).  policy registers itself with a filter (30_policy.sql).
-- test/dump_test.sql fails when a table of the extension is missing here.
-- (One call per statement: each call updates the pg_extension row.)
SELECT pg_catalog.pg_extension_config_dump('jurisdiction', '');
SELECT pg_catalog.pg_extension_config_dump('site', '');
SELECT pg_catalog.pg_extension_config_dump('person', '');
SELECT pg_catalog.pg_extension_config_dump('entry', '');
SELECT pg_catalog.pg_extension_config_dump('control', '');
SELECT pg_catalog.pg_extension_config_dump('lab_test', '');
SELECT pg_catalog.pg_extension_config_dump('control_event', '');
SELECT pg_catalog.pg_extension_config_dump('verification', '');
SELECT pg_catalog.pg_extension_config_dump('task', '');
SELECT pg_catalog.pg_extension_config_dump('duplicate_candidate', '');
SELECT pg_catalog.pg_extension_config_dump('person_merge', '');
SELECT pg_catalog.pg_extension_config_dump('staff', '');
SELECT pg_catalog.pg_extension_config_dump('code_assignment', '');
SELECT pg_catalog.pg_extension_config_dump('site_site_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('person_person_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('entry_entry_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('control_control_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('lab_test_test_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('control_event_event_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('verification_verification_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('task_task_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('person_merge_merge_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('code_assignment_assignment_id_seq', '');
