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
-- The group roles of SPEC §12 (grants in 90_access.sql, row policies in
-- 86_scope.sql).  Also part of the 0.1.0 -> 0.2.0 upgrade.
--
-- Roles are cluster-wide: they are created when missing and
-- left in place by DROP EXTENSION (another database of the cluster may use
-- them, and a role that still owns or is granted something cannot be
-- dropped); an administrator drops them by hand when no database needs them.
DO $roles$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'quarantine_admin') THEN
    CREATE ROLE quarantine_admin NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'quarantine_operator') THEN
    CREATE ROLE quarantine_operator NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'quarantine_analyst') THEN
    CREATE ROLE quarantine_analyst NOLOGIN;
  END IF;
END
$roles$;
COMMENT ON ROLE quarantine_admin IS 'quarantine: policies, places, merges, code refreshes; every record';
COMMENT ON ROLE quarantine_operator IS 'quarantine: district staff who read and write the records';
COMMENT ON ROLE quarantine_analyst IS 'quarantine: read-only, masked, through schema quarantine_analytics';
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
-- A cheap necessary condition for name_similarity (issue 12): the duplicate
-- search (person_after_write, src/trg_person.c) skips the pairs of a birth
-- date and sex block whose name keys cannot reach the threshold, and scores
-- the rest, so it finds exactly the pairs it found before at a fraction of
-- the comparisons' cost.  The bound is proven in src/names.c.  Also part of
-- the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).
-- Not STRICT: an unknown key (NULL) may match.  Cheaper than name_similarity
-- (COST 1), so the planner evaluates it first.
CREATE FUNCTION name_keys_may_match(key_a text, key_b text, threshold real) RETURNS boolean
  AS 'MODULE_PATHNAME', 'name_keys_may_match' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 0.1;
COMMENT ON FUNCTION name_keys_may_match(text, text, real) IS
  'False only when two names with these name_key values cannot have name_similarity >= threshold (their characters differ too much); true for a NULL key';
-- Grant decision: a pure computation on two values that reads no table, so
-- PUBLIC keeps EXECUTE, as for name_similarity (90_access.sql).
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
  level     text CONSTRAINT jurisdiction_level CHECK (level IN ('province', 'city', 'district', 'street')),
  boundary  geography(MultiPolygon, 4326)
);
COMMENT ON TABLE jurisdiction IS 'Administrative areas that own persons, sites and controls';

CREATE TABLE site (
  site_id       bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name          text NOT NULL,
  kind          text NOT NULL DEFAULT 'hotel' CONSTRAINT site_kind CHECK (kind IN ('hotel', 'hospital', 'other')),
  location      geography(Point, 4326),
  capacity      int CONSTRAINT site_capacity CHECK (capacity >= 0),
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
  name           text NOT NULL CONSTRAINT person_name CHECK (btrim(name) <> ''),
  sex            char(1) CONSTRAINT person_sex CHECK (sex IN ('M', 'F')),
  birth_date     date,
  nationality    char(3),                  -- ISO 3166-1 alpha-3, as on the passport
  phone          text,
  phone_status   text CONSTRAINT person_phone_status CHECK (phone_status IN ('placeholder', 'unverified', 'verified', 'invalid')),
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
  CONSTRAINT person_merged_into CHECK (merged_into <> person_id)
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
  entered_at      timestamptz NOT NULL CONSTRAINT entry_entered_at CHECK (isfinite(entered_at)),
  port_kind       text NOT NULL DEFAULT 'air' CONSTRAINT entry_port_kind CHECK (port_kind IN ('air', 'land', 'sea')),
  port            text,
  illegal         boolean NOT NULL DEFAULT false,
  flight          text,
  seat            text,
  origin_country  char(3),
  travel_history  char(3)[],
  temperature     numeric(4,1) CONSTRAINT entry_temperature CHECK (temperature BETWEEN 30 AND 45),
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

-- The open statuses (pending, under_control, medical), one list in C
-- (ControlStatusIsOpen) for the triggers, these indexes and every query.
CREATE FUNCTION control_status_open(status control_status) RETURNS boolean
  AS 'MODULE_PATHNAME', 'control_status_open'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION control_status_open(control_status) IS
  'Whether a control in this status is open (pending, under_control or medical): control_single_open allows one per person';

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
  WHERE quarantine.control_status_open(status);
CREATE INDEX control_person ON control (person_id);
CREATE INDEX control_entry ON control (entry_id) WHERE entry_id IS NOT NULL;
-- control_no_repeat: for one entry at most one control is open or ended as
-- completed/completed_elsewhere (two open ones are control_single_open's).
-- The trigger reports it; this index is the guarantee under concurrency.
CREATE UNIQUE INDEX control_no_repeat ON control (entry_id)
  WHERE status IN ('pending', 'under_control', 'medical')
     OR (status = 'ended' AND end_reason IN ('completed', 'completed_elsewhere'));
CREATE INDEX control_open_status ON control (status)
  WHERE quarantine.control_status_open(status);

-- ---------------------------------------------------------------------------
-- lab_test
-- ---------------------------------------------------------------------------
CREATE TABLE lab_test (
  test_id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  person_id    bigint NOT NULL REFERENCES person,
  kind         test_kind NOT NULL,
  sampled_at   timestamptz NOT NULL CONSTRAINT lab_test_sampled_at CHECK (isfinite(sampled_at)),
  result       test_result NOT NULL DEFAULT 'pending',
  lab          text,
  reported_at  timestamptz,
  CONSTRAINT lab_test_reported_at CHECK (reported_at IS NULL OR reported_at >= sampled_at)
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
               CONSTRAINT control_event_kind CHECK (kind IN ('status', 'plan', 'control_start', 'merge')),
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
  status                       text NOT NULL DEFAULT 'open' CONSTRAINT verification_status CHECK (status IN ('open', 'closed')),
  health_status                text CONSTRAINT verification_health_status CHECK (health_status IN ('healthy', 'symptomatic', 'suspected', 'confirmed', 'asymptomatic')),
  isolated_days_before_return  int CONSTRAINT verification_isolated_days CHECK (isolated_days_before_return >= 0),
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
  module      text NOT NULL CONSTRAINT task_module CHECK (module IN ('control', 'verification', 'phone_check')),
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
  reason       text NOT NULL CONSTRAINT duplicate_candidate_reason CHECK (reason IN ('birth_sex_name', 'phone_name')),
  found_at     timestamptz NOT NULL DEFAULT now(),
  resolution   text CONSTRAINT duplicate_candidate_resolution CHECK (resolution IN ('merged', 'distinct')),
  PRIMARY KEY (person_id, other_id),
  CONSTRAINT duplicate_candidate_pair CHECK (person_id <> other_id)
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

-- lab_test -----------------------------------------------------------------
CREATE FUNCTION lab_test_before_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'lab_test_before_write' LANGUAGE C;
COMMENT ON FUNCTION lab_test_before_write() IS
  'Refuses implausible sample and report times (rules lab_test_sampled_at, lab_test_reported_at), as the manifest does';
CREATE TRIGGER lab_test_before_write BEFORE INSERT OR UPDATE ON lab_test
  FOR EACH ROW EXECUTE FUNCTION lab_test_before_write();
-- as every trigger function of the extension (90_access.sql)
REVOKE EXECUTE ON FUNCTION lab_test_before_write() FROM PUBLIC;

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

-- views --------------------------------------------------------------------
-- overdue_tasks: src/sql/57_overdue_tasks.sql (also part of the upgrade).

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
-- SQL functions that read the record tables.
--
-- Written with SQL-standard bodies (BEGIN ATOMIC): the body is parsed when
-- the function is created, so every name and operator in it is bound then to
-- pg_catalog and quarantine objects, and no caller's search_path can redirect
-- it later (SPEC §0; the CVE-2018-1058 pattern).  They stay inlinable, which a
-- SET search_path clause would prevent.  CREATE OR REPLACE: this file is also
-- part of the 0.1.0 -> 0.2.0 upgrade, which replaced the string bodies.

-- C helpers the functions below share with the triggers.
CREATE OR REPLACE FUNCTION identity_scope(kind doc_kind, nationality text)
  RETURNS text AS 'MODULE_PATHNAME', 'person_identity_scope'
  LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION identity_scope(doc_kind, text) IS
  'person.identity_scope of a document: its nationality normalized as the person trigger does (passports), else empty';

-- The one reader of a person's lab tests (src/lab_tests.c), shared with the
-- triggers and the health code.  It checks SELECT on lab_test itself, as the
-- query it replaces did; under row-level security it answers only when the
-- caller sees every test of the person.
CREATE OR REPLACE FUNCTION person_lab_results(person_id bigint) RETURNS lab_result[]
  AS 'MODULE_PATHNAME', 'person_lab_results'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION person_lab_results(bigint) IS
  'Every lab test of a person as the rules read it (kind, local sample date, result), in sample order';

CREATE OR REPLACE FUNCTION person_for_doc(kind doc_kind, number text, nationality char(3) DEFAULT NULL)
RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT coalesce(p.merged_into, p.person_id)
    FROM quarantine.person p
   WHERE p.doc_kind = person_for_doc.kind
     AND p.doc_no = quarantine.normalize_doc(person_for_doc.kind, person_for_doc.number)
     AND p.identity_scope = quarantine.identity_scope(person_for_doc.kind, person_for_doc.nationality);
END;
COMMENT ON FUNCTION person_for_doc(doc_kind, text, char) IS
  'The person a document resolves to (the kept person after a merge), or NULL';

CREATE OR REPLACE FUNCTION flight_close_contacts(entry_id bigint) RETURNS SETOF flight_contact
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
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
   WHERE e.entry_id = flight_close_contacts.entry_id
     AND o.seat IS NOT NULL AND e.seat IS NOT NULL
     AND quarantine.is_flight_close_contact(e.seat, o.seat)
   ORDER BY quarantine.seat_row(o.seat), o.seat;
END;
COMMENT ON FUNCTION flight_close_contacts(bigint) IS
  'Passengers of the same flight and local day seated within quarantine.flight_contact_rows rows of the entry''s seat; crew are not in the data';

-- Table-reading wrappers over the C rules --------------------------------
CREATE OR REPLACE FUNCTION home_transfer_eligibility(control_id bigint, on_date date DEFAULT local_date(now()))
RETURNS eligibility LANGUAGE sql STABLE STRICT
BEGIN ATOMIC
  SELECT quarantine.home_transfer_check(
           c.quarantine_start,
           coalesce(e.category, 'general'),
           quarantine.person_lab_results(c.person_id),
           c.home_verified_at IS NOT NULL,
           c.commitment_signed_at IS NOT NULL,
           home_transfer_eligibility.on_date)
    FROM quarantine.control c LEFT JOIN quarantine.entry e ON e.entry_id = c.entry_id
   WHERE c.control_id = home_transfer_eligibility.control_id;
END;
COMMENT ON FUNCTION home_transfer_eligibility(bigint, date) IS
  '7+7 home transfer check (home_transfer_check) for a control, from its entry, lab tests and verifications; on_date defaults to the local today';

CREATE OR REPLACE FUNCTION nat_due(control_id bigint, on_date date) RETURNS boolean
LANGUAGE sql STABLE STRICT
BEGIN ATOMIC
  SELECT quarantine.control_status_open(c.status)
         AND quarantine.nat_due_on(coalesce(e.category, 'general'), c.quarantine_start, nat_due.on_date)
    FROM quarantine.control c LEFT JOIN quarantine.entry e ON e.entry_id = c.entry_id
   WHERE c.control_id = nat_due.control_id;
END;
COMMENT ON FUNCTION nat_due(bigint, date) IS
  'Whether an open control has a NAT sample due on on_date under the policy that set its plan (policy.nat_days)';
-- overdue_tasks: the province's tasks past their deadline (SPEC §6, seed 003),
-- with the person's name and district and a lateness a person reads.
--
-- A 0.1.0 view: this fragment is also part of the 0.1.0 -> 0.2.0 upgrade
-- (src/sql/upgrade/ links it), so it only ever appends columns to the 0.1.0
-- ones (CREATE OR REPLACE VIEW keeps their names and types): overdue_by stays
-- an interval, now cut to the minute; name, jurisdiction, district and late
-- come after it.  CREATE OR REPLACE resets the view's options, so
-- security_invoker is set here too (90_access.sql sets it as well, later).
--
-- A task exactly at its deadline (due_at = now()) is not overdue yet: the
-- deadline is the last instant the task may be done (task_deadline: "by
-- 17:00").  Served by the partial index task_open_due (due_at) WHERE done_at
-- IS NULL.

CREATE OR REPLACE FUNCTION duration_text(span interval) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT pg_catalog.concat_ws(' ',
           CASE WHEN m.minutes >= 1440 THEN (m.minutes / 1440)::text || ' d' END,
           CASE WHEN m.minutes % 1440 >= 60 THEN (m.minutes % 1440 / 60)::text || ' h' END,
           (m.minutes % 60)::text || ' min')
    FROM (SELECT pg_catalog.div(pg_catalog.date_part('epoch', duration_text.span)::numeric, 60)::bigint
                 AS minutes) m;
END;
COMMENT ON FUNCTION duration_text(interval) IS
  'A non-negative span as a person reads it, cut to the minute: ''2 h 15 min'', ''1 d 5 min'' (days and hours only when not zero), ''0 min'' under a minute';

CREATE OR REPLACE VIEW overdue_tasks WITH (security_invoker = true) AS
  SELECT t.task_id, t.module, t.person_id, t.issued_at, t.due_at,
         pg_catalog.date_trunc('minute', now() - t.due_at) AS overdue_by,
         p.name, p.jurisdiction, j.name AS district,
         quarantine.duration_text(now() - t.due_at) AS late
    FROM task t
    LEFT JOIN person p ON p.person_id = t.person_id
    LEFT JOIN jurisdiction j ON j.code = p.jurisdiction
   WHERE t.done_at IS NULL AND t.due_at < now();
COMMENT ON VIEW overdue_tasks IS
  'Tasks not done by their deadline (seed 003: control by 17:00, checks by 12:00 next day), with the person''s name and district (person.jurisdiction) and the lateness to the minute (overdue_by) and as text (late, e.g. ''2 h 15 min'')';
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
-- person_merged (SPEC §12, issue 11): a person merged into another takes no
-- new records, on every table merge_persons moves.  The person row must be
-- locked FOR KEY SHARE before merged_into is read, so that a concurrent merge
-- either commits first and the row is refused, or waits and moves it:
--  * an UPDATE of person_id: a row trigger locks the person, then reads it;
--  * an INSERT (a COPY of a million rows): one statement trigger reads each
--    person once, after the foreign key on person_id has locked it (issue 12;
--    src/record_locks.c).
-- Also part of the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).
CREATE FUNCTION record_person_not_merged() RETURNS trigger
  AS 'MODULE_PATHNAME', 'record_person_not_merged' LANGUAGE C;
COMMENT ON FUNCTION record_person_not_merged() IS
  'Refuses a record for a person with merged_into set (rule person_merged): per row on UPDATE OF person_id, locking the person row against a concurrent merge_persons; per statement on INSERT, after the foreign key has locked it';
-- A trigger function: firing needs no EXECUTE (as for the others, 90_access.sql).
REVOKE EXECUTE ON FUNCTION record_person_not_merged() FROM PUBLIC;

DO $merged$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['entry', 'control', 'lab_test', 'verification', 'task', 'staff'] LOOP
    EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE UPDATE OF person_id ON quarantine.%I '
                              'FOR EACH ROW EXECUTE FUNCTION quarantine.record_person_not_merged()',
                              t || '_person_merged', t);
    EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT ON quarantine.%I '
                              'REFERENCING NEW TABLE AS new_rows '
                              'FOR EACH STATEMENT EXECUTE FUNCTION quarantine.record_person_not_merged()',
                              t || '_person_merged_insert', t);
  END LOOP;
END
$merged$;
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
-- The keep-the-good-rows loader (issue #12 part 2, doc/etl.md "SQL-only
-- path"): stage a file into <table>_staging, then load_staged(table, batch)
-- writes every good row and puts every bad row whole into import_reject with
-- the rule name the triggers raise for it.  The verdicts are the triggers'
-- own: the loader inserts set-based and, when a statement fails with a data
-- error, splits it until the failing row stands alone (src/staged_load.c).
-- Also part of the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).

-- ---------------------------------------------------------------------------
-- import_reject also holds the loader's rejects.
-- ---------------------------------------------------------------------------
ALTER TABLE import_reject ADD COLUMN IF NOT EXISTS target text;
ALTER TABLE import_reject ADD COLUMN IF NOT EXISTS sqlstate text;
ALTER TABLE import_reject ADD COLUMN IF NOT EXISTS hint text;
COMMENT ON TABLE import_reject IS
  'Rows the loaders refused: the staged row whole (row), the rule it breaks (the name the triggers use, or a manifest_* / staged_row_no rule), message, detail, hint; target is NULL for a manifest row';
COMMENT ON COLUMN import_reject.target IS
  'The table load_staged was loading (person, entry, control, lab_test); NULL for a manifest row (load_manifest)';
COMMENT ON COLUMN import_reject.sqlstate IS
  'SQLSTATE of the error the row raised (load_staged); NULL for a manifest row';
COMMENT ON COLUMN import_reject.hint IS 'The error''s HINT: how to fix the row (load_staged)';
CREATE INDEX IF NOT EXISTS import_reject_target ON import_reject (target, batch, row_no)
  WHERE target IS NOT NULL;

-- ---------------------------------------------------------------------------
-- Staging tables: plain COPY targets, every field text as typed
-- ---------------------------------------------------------------------------
-- One per loadable table: batch, row_no and every column a client writes,
-- as text (an empty field takes the column's default).  Left out: the
-- generated key and the columns the triggers replace whatever is written
-- (person.identity_scope, name_key, phone_key; control.release_date).  No
-- keys, so a COPY never fails on data: exact repeats collapse and a row
-- number staged twice with different values is refused (staged_row_no).
CREATE TABLE person_staging (
  batch          text,
  row_no         int,
  doc_kind       text,
  doc_no         text,
  name           text,
  sex            text,
  birth_date     text,
  nationality    text,
  phone          text,
  phone_status   text,
  home_address   text,
  home_location  text,
  jurisdiction   text,
  merged_into    text,
  created_at     text
);
CREATE TABLE entry_staging (
  batch            text,
  row_no           int,
  person_id        text,
  entered_at       text,
  port_kind        text,
  port             text,
  illegal          text,
  flight           text,
  seat             text,
  origin_country   text,
  travel_history   text,
  temperature      text,
  symptoms         text,
  port_nat_result  text,
  close_contact    text,
  category         text,
  exempt_reason    text,
  created_at       text
);
CREATE TABLE control_staging (
  batch                 text,
  row_no                int,
  person_id             text,
  entry_id              text,
  jurisdiction          text,
  status                text,
  plan                  text,
  quarantine_start      text,
  control_start         text,
  site_id               text,
  transferred_from      text,
  home_verified_at      text,
  commitment_signed_at  text,
  return_reason         text,
  return_note           text,
  end_reason            text,
  ended_at              text,
  responsible           text,
  note                  text,
  registered_at         text
);
CREATE TABLE lab_test_staging (
  batch        text,
  row_no       int,
  person_id    text,
  kind         text,
  sampled_at   text,
  result       text,
  lab          text,
  reported_at  text
);
CREATE INDEX person_staging_batch ON person_staging (batch);
CREATE INDEX entry_staging_batch ON entry_staging (batch);
CREATE INDEX control_staging_batch ON control_staging (batch);
CREATE INDEX lab_test_staging_batch ON lab_test_staging (batch);

DO $staging$
DECLARE
  t text;
  c record;
BEGIN
  FOREACH t IN ARRAY ARRAY['person', 'entry', 'control', 'lab_test'] LOOP
    EXECUTE pg_catalog.format(
      'COMMENT ON TABLE quarantine.%I IS %L', t || '_staging',
      'COPY target of load_staged(''' || t || ''', batch): every column of ' || t
      || ' a client writes, as text; an administrator''s table (operators stage into a temporary copy)');
    EXECUTE pg_catalog.format('COMMENT ON COLUMN quarantine.%I.batch IS %L', t || '_staging',
      'The batch a row belongs to: load_staged loads one batch');
    EXECUTE pg_catalog.format('COMMENT ON COLUMN quarantine.%I.row_no IS %L', t || '_staging',
      'The row''s number in its file; required and unique per batch (rule staged_row_no); the ledger load_accept keeps it');
    FOR c IN SELECT a.attname FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = pg_catalog.format('quarantine.%I', t || '_staging')::regclass
                AND a.attnum > 0 AND NOT a.attisdropped
                AND a.attname NOT IN ('batch', 'row_no') LOOP
      EXECUTE pg_catalog.format('COMMENT ON COLUMN quarantine.%I.%I IS %L', t || '_staging', c.attname,
        pg_catalog.format('%s.%s as text, as typed; empty: the column''s default', t, c.attname));
    END LOOP;
  END LOOP;
END
$staging$;

-- ---------------------------------------------------------------------------
-- load_accept: the ledger that makes a second load of a batch a no-op
-- ---------------------------------------------------------------------------
-- A staged row is skipped when the same row (same values, row_hash) was
-- loaded under its number before; another row under a loaded number is
-- refused (staged_row_no), so a reused batch name never drops a row silently.
-- Written only by load_staged, with the owner's rights.  No foreign keys:
-- the ledger must never stand in the way of the records it counts.
CREATE TABLE load_accept (
  target     text NOT NULL,
  batch      text NOT NULL,
  row_no     int NOT NULL,
  row_hash   uuid NOT NULL,
  loaded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (target, batch, row_no)
);
COMMENT ON TABLE load_accept IS
  'Staged rows load_staged wrote: a row listed here is not loaded again; written only by load_staged';
COMMENT ON COLUMN load_accept.target IS 'The table the row was loaded into (person, entry, control, lab_test)';
COMMENT ON COLUMN load_accept.batch IS 'The batch of the staged row';
COMMENT ON COLUMN load_accept.row_no IS 'The row_no of the staged row';
COMMENT ON COLUMN load_accept.row_hash IS 'md5 of the staged row as jsonb: the same number with other values is refused (staged_row_no)';
COMMENT ON COLUMN load_accept.loaded_at IS 'Instant of the load (transaction time)';

SELECT pg_catalog.pg_extension_config_dump('person_staging', '');
SELECT pg_catalog.pg_extension_config_dump('entry_staging', '');
SELECT pg_catalog.pg_extension_config_dump('control_staging', '');
SELECT pg_catalog.pg_extension_config_dump('lab_test_staging', '');
SELECT pg_catalog.pg_extension_config_dump('load_accept', '');

-- ---------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------
-- Both STRICT (a NULL batch loads nothing); jit off, as load_manifest: the
-- work is in the triggers.
CREATE FUNCTION load_staged(target regclass, batch text,
                            OUT staged int, OUT accepted int, OUT rejected int, OUT loaded int)
  AS 'MODULE_PATHNAME', 'load_staged'
  LANGUAGE C VOLATILE STRICT
  SET jit = off;
COMMENT ON FUNCTION load_staged(regclass, text) IS
  'Loads batch of <target>_staging into target (person, entry, control or lab_test): every good row written, every bad row whole into import_reject with the rule the triggers raise; staged = accepted + rejected; loaded counts the rows written by this call; a second load writes nothing new';

CREATE FUNCTION load_staged(target regclass, batch text, staging regclass,
                            OUT staged int, OUT accepted int, OUT rejected int, OUT loaded int)
  AS 'MODULE_PATHNAME', 'load_staged'
  LANGUAGE C VOLATILE STRICT
  SET jit = off;
COMMENT ON FUNCTION load_staged(regclass, text, regclass) IS
  'load_staged from another staging table with batch, row_no and columns of target (e.g. an operator''s temporary copy of <target>_staging, which it may COPY into)';

-- Internal to load_staged: remembers which staged row the INSERT is at, so
-- that a failed statement is split at the failing row.
CREATE FUNCTION load_staged_mark(n int, row_no int) RETURNS int
  AS 'MODULE_PATHNAME', 'load_staged_mark'
  LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION load_staged_mark(int, int) IS
  'Internal to load_staged: records the staged row the load is at and returns n';
-- audit_log (SPEC §12): every write to the core tables.
--
-- Written by the statement trigger audit_after_write (src/audit.c) with the
-- extension owner's rights; nobody else may insert, update, delete or
-- truncate it (90_access.sql grants SELECT to quarantine_admin only: the old
-- and new rows hold full documents and phones).  Also part of the 0.1.0 ->
-- 0.2.0 upgrade (src/sql/upgrade/ links this file).
CREATE TABLE audit_log (
  audit_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  by_role     text NOT NULL,
  table_name  text NOT NULL,
  op          text NOT NULL CONSTRAINT audit_log_op CHECK (op IN ('INSERT', 'UPDATE', 'DELETE')),
  row_key     text NOT NULL,
  old_row     jsonb,
  new_row     jsonb
);
COMMENT ON TABLE audit_log IS
  'Every INSERT, UPDATE and DELETE on the core tables: who (by_role), when (at: the transaction time), the table, the row''s key and the old and new row; written only by the extension';
COMMENT ON COLUMN audit_log.by_role IS 'The role that made the write (current_user of the statement)';
COMMENT ON COLUMN audit_log.row_key IS 'The primary key of the row, as text';
COMMENT ON COLUMN audit_log.old_row IS 'The row before an UPDATE or DELETE, as jsonb';
COMMENT ON COLUMN audit_log.new_row IS 'The row after an INSERT; for an UPDATE, the columns it changed (the whole new row when the key changed); as jsonb';
CREATE INDEX audit_log_row ON audit_log (table_name, row_key);
CREATE INDEX audit_log_at ON audit_log USING brin (at);
SELECT pg_catalog.pg_extension_config_dump('audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('audit_log_audit_id_seq', '');

CREATE FUNCTION audit_after_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'audit_after_write' LANGUAGE C;
COMMENT ON FUNCTION audit_after_write() IS
  'Appends the rows a statement wrote to audit_log, set-based from its transition tables';

-- Three triggers a table (a trigger with transition tables fires for one
-- event only).
DO $audit$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['person', 'entry', 'control', 'lab_test', 'verification', 'task',
                           'staff', 'policy', 'site', 'jurisdiction'] LOOP
    EXECUTE pg_catalog.format('CREATE TRIGGER audit_insert AFTER INSERT ON quarantine.%I '
                              'REFERENCING NEW TABLE AS new_rows '
                              'FOR EACH STATEMENT EXECUTE FUNCTION quarantine.audit_after_write()', t);
    EXECUTE pg_catalog.format('CREATE TRIGGER audit_update AFTER UPDATE ON quarantine.%I '
                              'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                              'FOR EACH STATEMENT EXECUTE FUNCTION quarantine.audit_after_write()', t);
    EXECUTE pg_catalog.format('CREATE TRIGGER audit_delete AFTER DELETE ON quarantine.%I '
                              'REFERENCING OLD TABLE AS old_rows '
                              'FOR EACH STATEMENT EXECUTE FUNCTION quarantine.audit_after_write()', t);
  END LOOP;
END
$audit$;
-- Row-level security by jurisdiction (SPEC §12, seed 003: each district works
-- its own lists; the province sees all).
--
-- An operator reads and writes only the rows of its jurisdictions and their
-- children (a city operator sees its districts).  A person's rows are in
-- scope when the person is: person.jurisdiction is the anchor, every table
-- holding a person's data follows it by person_id, control also by its own
-- jurisdiction.  A write outside the scope fails with 42501 and writes
-- nothing; an UPDATE or DELETE of rows outside it finds no rows, as
-- PostgreSQL's row security does.  Administrators see every row.
--
-- The rules do not weaken under row security: the row triggers probe indexes
-- directly and the statement triggers and foreign keys run as the owner, so a
-- check sees every row whatever the caller's scope.
--
-- Policy expressions stay index-friendly: the caller's jurisdictions are an
-- uncorrelated sub-select (one InitPlan per query, not a function call per
-- row), compared with = ANY on indexed columns; the person-following tables
-- probe person's primary key.
--
-- PostgreSQL refuses COPY FROM into a table with row security for a role
-- subject to it, even one whose policy passes every row: operators write
-- with INSERT; bulk ETL logs in as a BYPASSRLS member of quarantine_admin.
-- Also part of the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).

CREATE TABLE operator_scope (
  role_name     name NOT NULL,
  jurisdiction  text NOT NULL REFERENCES jurisdiction,
  PRIMARY KEY (role_name, jurisdiction)
);
COMMENT ON TABLE operator_scope IS
  'Which jurisdictions (with their children) the members of a role work on; maintained by quarantine_admin';
COMMENT ON COLUMN operator_scope.role_name IS
  'A login role or a group role: every member of it gets the scope';
SELECT pg_catalog.pg_extension_config_dump('operator_scope', '');

CREATE FUNCTION scope_jurisdictions() RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  WITH RECURSIVE s(code) AS (
    SELECT o.jurisdiction
      FROM quarantine.operator_scope o
      JOIN pg_catalog.pg_roles r ON r.rolname = o.role_name
     WHERE pg_catalog.pg_has_role(CURRENT_USER, r.oid, 'MEMBER')
    UNION
    SELECT j.code FROM quarantine.jurisdiction j JOIN s ON j.parent = s.code
  )
  SELECT coalesce(pg_catalog.array_agg(s.code ORDER BY s.code), '{}') FROM s;
END;
COMMENT ON FUNCTION scope_jurisdictions() IS
  'The jurisdictions the current role works on (operator_scope of every role it is a member of) and all their children';

CREATE INDEX person_jurisdiction ON person (jurisdiction);
CREATE INDEX control_jurisdiction ON control (jurisdiction);

-- The anchors.
ALTER TABLE person ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON person TO quarantine_operator
  USING (jurisdiction = ANY ((SELECT quarantine.scope_jurisdictions())::text[]));
ALTER TABLE control ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON control TO quarantine_operator
  USING (jurisdiction = ANY ((SELECT quarantine.scope_jurisdictions())::text[])
         OR (jurisdiction IS NULL
             AND EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = control.person_id)));

-- Tables that follow the person (the sub-select on person is itself under
-- person's policy).
ALTER TABLE entry ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON entry TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = entry.person_id));
ALTER TABLE lab_test ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON lab_test TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = lab_test.person_id));
ALTER TABLE verification ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON verification TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = verification.person_id));
ALTER TABLE task ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON task TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = task.person_id));
ALTER TABLE staff ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON staff TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = staff.person_id));
ALTER TABLE code_assignment ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON code_assignment TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = code_assignment.person_id));
ALTER TABLE import_accept ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON import_accept TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = import_accept.person_id));
-- A control's history follows the control.
ALTER TABLE control_event ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON control_event TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.control c WHERE c.control_id = control_event.control_id));
-- A candidate pair or a merge concerns the district of either person; the
-- other person's row stays under its own policy (an operator sees its id,
-- not its record).
ALTER TABLE duplicate_candidate ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON duplicate_candidate TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p
                  WHERE p.person_id IN (duplicate_candidate.person_id, duplicate_candidate.other_id)));
ALTER TABLE person_merge ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON person_merge TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p
                  WHERE p.person_id IN (person_merge.keep_id, person_merge.drop_id)));
-- A refused row belongs to the jurisdiction it names, or to the person it
-- names (load_staged's entry, control and lab_test rows).
ALTER TABLE import_reject ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON import_reject TO quarantine_operator
  USING ((import_reject.row ->> 'jurisdiction') = ANY ((SELECT quarantine.scope_jurisdictions())::text[])
         OR EXISTS (SELECT 1 FROM quarantine.person p
                     WHERE p.person_id = CASE WHEN (import_reject.row ->> 'person_id') ~ '^[0-9]{1,18}$'
                                              THEN (import_reject.row ->> 'person_id')::bigint END));

-- Staged manifest rows hold documents and phones: an operator stages, sees
-- and loads only the rows of its jurisdictions (the jurisdiction column, as
-- typed; a row without one is an administrator's).  A district stages with
-- INSERT; an administrator's ETL role (BYPASSRLS) may COPY (doc/etl.md).
ALTER TABLE manifest_staging ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON manifest_staging TO quarantine_operator
  USING (manifest_staging.jurisdiction = ANY ((SELECT quarantine.scope_jurisdictions())::text[]));

-- Administrators see and write every row.
DO $admin$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['person', 'control', 'entry', 'lab_test', 'verification', 'task', 'staff',
                           'code_assignment', 'import_accept', 'control_event', 'duplicate_candidate',
                           'person_merge', 'import_reject', 'manifest_staging'] LOOP
    EXECUTE pg_catalog.format('CREATE POLICY admin_all ON quarantine.%I TO quarantine_admin '
                              'USING (true) WITH CHECK (true)', t);
  END LOOP;
END
$admin$;
-- Sites: occupancy and the nearest sites with free beds (SPEC §10; seed 000
-- 四(四): point-to-point transfer to designated hotels).  Also part of the
-- 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).

-- The open controls of a site, which occupancy counts.
CREATE INDEX control_site_open ON control (site_id) WHERE site_id IS NOT NULL AND quarantine.control_status_open(status);
CREATE INDEX site_location ON site USING gist (location);

-- Occupancy counts every district's guests, whatever the reader's scope: a
-- hotel is full for everybody.  The view shows counts only, no person, so it
-- reads with its owner's rights (not security_invoker).
CREATE VIEW site_occupancy AS
  SELECT s.site_id, s.name, s.kind, s.jurisdiction, s.capacity,
         count(c.control_id) AS occupied,
         s.capacity - count(c.control_id) AS free
    FROM site s
    LEFT JOIN control c
      ON c.site_id = s.site_id AND quarantine.control_status_open(c.status)
     AND phase_on(c.plan, c.quarantine_start, local_date(now())) = 'centralized'
   GROUP BY s.site_id;
COMMENT ON VIEW site_occupancy IS
  'Isolation sites with the open controls in a centralized phase on the local today (occupied) and free beds (capacity - occupied; NULL when the capacity is unknown)';

CREATE TYPE nearby_site AS (site_id bigint, name text, kind text, distance_m double precision,
                            capacity int, free bigint);
COMMENT ON TYPE nearby_site IS 'A site near a location, with its free beds today';

-- The KNN operator on the GiST index walks the sites nearest first; the ones
-- with no free bed are skipped as they come, so a full hotel never costs a
-- sort over every site.
CREATE FUNCTION nearest_sites(location geography, n int) RETURNS SETOF nearby_site
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT k.site_id, k.name, k.kind, k.distance_m, k.capacity, k.free
    FROM (SELECT s.site_id, s.name, s.kind, s.capacity,
                 s.location <-> nearest_sites.location AS distance_m,
                 s.capacity - (SELECT count(*) FROM quarantine.control c
                                WHERE c.site_id = s.site_id
                                  AND quarantine.control_status_open(c.status)
                                  AND quarantine.phase_on(c.plan, c.quarantine_start, quarantine.local_date(now()))
                                      = 'centralized') AS free
            FROM quarantine.site s
           WHERE s.location IS NOT NULL AND s.kind = 'hotel'
           ORDER BY s.location <-> nearest_sites.location) k
   WHERE k.free > 0
   LIMIT nearest_sites.n;
END;
COMMENT ON FUNCTION nearest_sites(geography, int) IS
  'The n isolation hotels nearest to a location that have a free bed today, nearest first (distance in metres on the spheroid''s sphere)';
-- Places with PostGIS (SPEC §10; seeds 000, 001, 004; issue #13): a
-- jurisdiction from a location, the venues' scan trail (seed 004 二(四):
-- "形成可追溯轨迹") partitioned by day with pg_partman, and the co-location
-- contacts of a case.  Reference: doc/places.md.  Also part of the 0.1.0 ->
-- 0.2.0 upgrade (src/sql/upgrade/ links this file).

-- ---------------------------------------------------------------------------
-- Jurisdictions from a location
-- ---------------------------------------------------------------------------
CREATE INDEX jurisdiction_boundary ON jurisdiction USING gist (boundary);

-- The units whose boundary covers a point, smallest first.  ST_Covers counts
-- the boundary itself: a point on a border shared by two units is in both,
-- and the smaller (by area; then the lower code) comes first.  A point
-- outside every boundary gives no row.  Not STRICT and a single query, so
-- the planner inlines it: the GiST index jurisdiction_boundary answers it
-- (ST_Covers brings its own && index condition).  The person and site
-- triggers keep a plan of its first row (src/places.c).
CREATE FUNCTION jurisdictions_at(location geography)
RETURNS TABLE (code text, name text, level text, area_m2 double precision)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT j.code, j.name, j.level, ST_Area(j.boundary) AS area_m2
    FROM quarantine.jurisdiction j
   WHERE ST_Covers(j.boundary, jurisdictions_at.location)
   ORDER BY 4, 1;
END;
COMMENT ON FUNCTION jurisdictions_at(geography) IS
  'The jurisdictions whose boundary covers a point (the boundary included), smallest first; the first is the one a person or site at that point gets';

CREATE FUNCTION site_before_write() RETURNS trigger
  AS 'MODULE_PATHNAME', 'site_before_write' LANGUAGE C;
COMMENT ON FUNCTION site_before_write() IS
  'Trigger: a site without a jurisdiction takes the smallest unit covering its location (SPEC §10)';
CREATE TRIGGER site_before_write BEFORE INSERT OR UPDATE ON site
  FOR EACH ROW EXECUTE FUNCTION site_before_write();

-- ---------------------------------------------------------------------------
-- Places and the scan trail
-- ---------------------------------------------------------------------------
CREATE TABLE place (
  place_id  bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name      text NOT NULL CONSTRAINT place_name CHECK (btrim(name) <> ''),
  location  geography(Point, 4326) NOT NULL
);
COMMENT ON TABLE place IS 'Venues where persons scan their health code (seed 004): shops, hotels, stations';
COMMENT ON COLUMN place.place_id IS 'Identifier of the venue (generated by default; the feed''s venue id)';
COMMENT ON COLUMN place.name IS 'Name of the venue';
COMMENT ON COLUMN place.location IS 'Location of the venue (point, WGS 84); contact_candidates searches around it';
CREATE INDEX place_location ON place USING gist (location);
SELECT pg_catalog.pg_extension_config_dump('place', '');
SELECT pg_catalog.pg_extension_config_dump('place_place_id_seq', '');

-- One row per scan.  Partitioned by the day of scanned_at (local days of
-- quarantine.timezone): retention drops whole days, and a contact search
-- over a few days reads a few partitions.  The partitions are made and
-- dropped by scan_trail_maintenance() through pg_partman; a scan of a day
-- without a partition (a historical load, a scan before the first
-- maintenance) lands in checkin_default and is moved to its day's partition
-- by the next maintenance.  No foreign keys: the trail is loaded in bulk
-- from the venues' feed and an RI check per row would double the cost of a
-- COPY (doc/places.md); contact_candidates joins place.
CREATE TABLE checkin (
  person_id   bigint NOT NULL,
  place_id    bigint NOT NULL,
  -- finite and in the years 1900-2100, as every instant of a record
  -- (rule.h): an 'infinity' would get no day partition and stop the
  -- maintenance
  scanned_at  timestamptz NOT NULL
              CONSTRAINT checkin_scanned_at CHECK (scanned_at >= '1900-01-01 00:00+00'
                                                   AND scanned_at < '2101-01-01 00:00+00'),
  -- a scan is one person at one venue at one instant: a reloaded file
  -- cannot double the trail; also the index of a person's trail
  CONSTRAINT checkin_pkey PRIMARY KEY (person_id, scanned_at, place_id)
) PARTITION BY RANGE (scanned_at);
COMMENT ON TABLE checkin IS
  'The health-code scan trail (seed 004), partitioned by day; scans older than quarantine.scan_retention_days are dropped by scan_trail_maintenance()';
COMMENT ON COLUMN checkin.person_id IS 'The person who scanned (person.person_id)';
COMMENT ON COLUMN checkin.place_id IS 'The venue scanned at (place.place_id)';
COMMENT ON COLUMN checkin.scanned_at IS 'When the code was scanned; the partition key';
-- Who was at a place around a time: the co-location search.
CREATE INDEX checkin_place ON checkin (place_id, scanned_at);
CREATE TABLE checkin_default PARTITION OF checkin DEFAULT;
COMMENT ON TABLE checkin_default IS
  'Scans of days without a partition yet (historical loads, the future); scan_trail_maintenance() moves them into day partitions';
SELECT pg_catalog.pg_extension_config_dump('checkin', '');
SELECT pg_catalog.pg_extension_config_dump('checkin_default', '');

-- Row security as for every table holding a person's data (86_scope.sql):
-- an operator sees the scans of the persons of its jurisdictions.  The
-- policies are on the parent: the day partitions are reachable only through
-- it (pg_partman gives them no grants, inherit_privileges = false).
ALTER TABLE checkin ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_scope ON checkin TO quarantine_operator
  USING (EXISTS (SELECT 1 FROM quarantine.person p WHERE p.person_id = checkin.person_id));
CREATE POLICY admin_all ON checkin TO quarantine_admin USING (true) WITH CHECK (true);

-- The retention of the trail in days (GUC quarantine.scan_retention_days,
-- default 28: the privacy rule).  A C function so that reading it loads the
-- library, which defines the setting.
CREATE FUNCTION scan_retention() RETURNS interval
  AS 'MODULE_PATHNAME', 'scan_retention' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION scan_retention() IS
  'How long scans are kept: quarantine.scan_retention_days as an interval';

-- The one maintenance entry point (scheduled with pg_cron): premakes the day
-- partitions, moves the scans of checkin_default into their days, and drops
-- the days older than the retention.  pg_partman does the work; this
-- registers the set with it on the first run (its create_parent would make a
-- default partition of its own, and checkin must take scans of any date from
-- the start) and keeps its settings.  Days are local days: partman cuts them
-- in the session's TimeZone, set here to quarantine.timezone for the call
-- (any SET clause makes set_config(..., true) end with the call: this one
-- also keeps partman's notices out of a cron log).  SECURITY DEFINER:
-- partitions are created and dropped as the table's owner.  No SET
-- search_path: the body is resolved at creation (BEGIN ATOMIC), and
-- pg_partman sets its own path and restores the one it found with a
-- session-level set_config, which would leave a pinned path to the caller.
CREATE FUNCTION scan_trail_maintenance() RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER
SET client_min_messages = warning
BEGIN ATOMIC
  SELECT quarantine.scan_retention();
  SELECT pg_catalog.set_config('TimeZone', pg_catalog.current_setting('quarantine.timezone'), true);
  -- partman writes instants into DDL as text: ISO, so that a zone
  -- abbreviation (CST: Asia/Shanghai, or US Central?) never reads back
  SELECT pg_catalog.set_config('DateStyle', 'ISO, YMD', true);
  SELECT pg_catalog.set_config('IntervalStyle', 'postgres', true);
  -- first run: register with pg_partman (daily, a week premade, run only
  -- from here: automatic_maintenance off; partitions get no grants)
  INSERT INTO part_config (parent_table, control, partition_type, partition_interval, premake,
                           datetime_string, automatic_maintenance, jobmon, infinite_time_partitions,
                           retention_keep_table, retention_keep_index, inherit_privileges)
  SELECT 'quarantine.checkin', 'scanned_at', 'native', '1 day', 7, 'YYYY_MM_DD', 'off', false, true,
         false, false, false
   WHERE NOT EXISTS (SELECT 1 FROM part_config c WHERE c.parent_table = 'quarantine.checkin')
  -- two first runs at once: the second finds the row (its primary key)
  ON CONFLICT (parent_table) DO NOTHING;
  UPDATE part_config
     SET retention = quarantine.scan_retention()::text, retention_keep_table = false
   WHERE parent_table = 'quarantine.checkin';
  -- scans in the default partition whose whole day is past the retention
  -- never get a partition (the rule partman applies to partitions)
  DELETE FROM quarantine.checkin_default d
   WHERE pg_catalog.date_trunc('day', d.scanned_at) + interval '1 day' < now() - quarantine.scan_retention();
  -- the first partition: today, or the day after the last scan waiting in
  -- the default partition (a partition may not take rows from it)
  SELECT create_partition_time('quarantine.checkin',
           ARRAY[greatest(pg_catalog.date_trunc('day', now()),
                          (SELECT pg_catalog.date_trunc('day', max(d.scanned_at)) + interval '1 day'
                             FROM quarantine.checkin_default d))])
   WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i
                      WHERE i.inhparent = 'quarantine.checkin'::pg_catalog.regclass
                        AND i.inhrelid <> 'quarantine.checkin_default'::pg_catalog.regclass);
  -- the default partition's scans into their days (one day per batch)
  SELECT partition_data_time('quarantine.checkin', p_batch_count => 100000)
   WHERE EXISTS (SELECT 1 FROM quarantine.checkin_default);
  -- premake today and the week ahead (run_maintenance premakes only after
  -- the newest partition, which a future-dated scan may have made)
  SELECT create_partition_time('quarantine.checkin',
           ARRAY(SELECT pg_catalog.generate_series(pg_catalog.date_trunc('day', now()),
                                                   pg_catalog.date_trunc('day', now()) + interval '7 days',
                                                   interval '1 day')));
  -- retention
  SELECT run_maintenance('quarantine.checkin', p_jobmon => false);
END;
COMMENT ON FUNCTION scan_trail_maintenance() IS
  'Maintains the scan trail through pg_partman: premakes today and the 7 days ahead, moves scans of days without one out of checkin_default, drops the days older than quarantine.scan_retention_days (default 28); run it daily (pg_cron)';

-- ---------------------------------------------------------------------------
-- Contacts by co-location (SPEC §10)
-- ---------------------------------------------------------------------------
CREATE TYPE contact_candidate AS (person_id bigint, place_id bigint, at timestamptz,
                                  distance_m double precision);
COMMENT ON TYPE contact_candidate IS
  'A scan of another person near a scan of a case: who, where, when, and how far (metres) from the case''s venue';

-- The index person's scans in [since, until), the venues within radius_m of
-- each (the venue itself included: distance 0), and the other persons'
-- scans at those venues within time_window of the index scan, both edges
-- included.  One row per scan found, with its smallest distance.  The
-- bounds on the contact side are repeated as constants of the period, so
-- the planner prunes both sides to the partitions of the period; a single
-- statement and not STRICT, so it is inlined into the caller's query.
-- Declared PARALLEL UNSAFE on purpose: the search is a few index probes,
-- and the planner, seeing thirty partitions, would start workers that each
-- load PostGIS first (some 30 ms for a search of a few ms; measured in
-- bench/87_places.sql).  The label is read before the function is inlined
-- and keeps the caller's query serial.  Runs
-- with the caller's rights: row security shows an operator the candidates
-- among the persons of its jurisdictions (doc/places.md).
CREATE FUNCTION contact_candidates(person_id bigint, since timestamptz, until timestamptz,
                                   time_window interval DEFAULT '1 hour',
                                   radius_m double precision DEFAULT 0)
RETURNS SETOF contact_candidate
LANGUAGE sql STABLE PARALLEL UNSAFE
BEGIN ATOMIC
  SELECT DISTINCT ON (o.person_id, o.place_id, o.scanned_at)
         o.person_id, o.place_id, o.scanned_at AS at,
         ST_Distance(ip.location, np.location) AS distance_m
    FROM quarantine.checkin i
    JOIN quarantine.place ip ON ip.place_id = i.place_id
    JOIN quarantine.place np ON ST_DWithin(np.location, ip.location, contact_candidates.radius_m)
    JOIN quarantine.checkin o
      ON o.place_id = np.place_id
     AND o.scanned_at >= i.scanned_at - contact_candidates.time_window
     AND o.scanned_at <= i.scanned_at + contact_candidates.time_window
     AND o.scanned_at >= contact_candidates.since - contact_candidates.time_window
     AND o.scanned_at <= contact_candidates.until + contact_candidates.time_window
   WHERE i.person_id = contact_candidates.person_id
     AND i.scanned_at >= contact_candidates.since
     AND i.scanned_at < contact_candidates.until
     AND o.person_id <> contact_candidates.person_id
   ORDER BY o.person_id, o.place_id, o.scanned_at, 4;
END;
COMMENT ON FUNCTION contact_candidates(bigint, timestamptz, timestamptz, interval, double precision) IS
  'Persons who scanned at a venue of the index person''s scans in [since, until), or within radius_m metres of it, within time_window (edges included) of the index person''s scan';

-- ---------------------------------------------------------------------------
-- Access (conventions of 90_access.sql)
-- ---------------------------------------------------------------------------
REVOKE EXECUTE ON FUNCTION site_before_write(), scan_trail_maintenance() FROM PUBLIC;
-- scan_retention() keeps PUBLIC's EXECUTE: it reads no table, only the
-- setting quarantine.scan_retention_days that everybody may SHOW.
-- Reads tables: the working roles only (the table grants apply too).
REVOKE EXECUTE ON FUNCTION jurisdictions_at(geography),
  contact_candidates(bigint, timestamptz, timestamptz, interval, double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jurisdictions_at(geography),
  contact_candidates(bigint, timestamptz, timestamptz, interval, double precision)
  TO quarantine_admin, quarantine_operator;
-- Maintenance (partitions, retention) is the administrator's (and the
-- pg_cron job's).
GRANT EXECUTE ON FUNCTION scan_trail_maintenance() TO quarantine_admin;
GRANT SELECT ON place, checkin TO quarantine_admin, quarantine_operator;
-- The trail comes from the venues' feed, loaded by the administrator's ETL
-- role; a scan is never corrected, only dropped by retention.
GRANT INSERT, UPDATE, DELETE ON place TO quarantine_admin;
GRANT INSERT, DELETE ON checkin TO quarantine_admin;
-- The retention weakens (longer) or destroys (shorter) a privacy rule: the
-- administrator's, as the other SUSET settings (90_access.sql).
GRANT SET ON PARAMETER quarantine.scan_retention_days TO quarantine_admin;
-- quarantine_analytics: what analysts read (SPEC §12).
--
-- Analysts have no access to schema quarantine: no base table, no function
-- that returns a full document number or phone.  These views run with their
-- owner's rights (not security_invoker), so an analyst reads them without
-- reading the tables; every document, name and phone in them goes through
-- mask_doc, mask_name or mask_phone, and sql/88_analytics.sql searches every
-- row of every view for a full document number or phone.  They span every
-- district: the province's analysts see the whole picture, masked.
-- Also part of the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).

CREATE FUNCTION mask_doc(kind doc_kind, number text) RETURNS text
  AS 'MODULE_PATHNAME', 'mask_doc' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mask_doc(doc_kind, text) IS
  'A document number with its middle hidden: a resident ID keeps its first 6 and last 4 characters, other documents their first and last 2';
CREATE FUNCTION mask_name(name text) RETURNS text
  AS 'MODULE_PATHNAME', 'mask_name' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mask_name(text) IS 'A name with only the first character of each word shown (陈明 -> 陈*)';
CREATE FUNCTION mask_phone(phone text) RETURNS text
  AS 'MODULE_PATHNAME', 'mask_phone' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mask_phone(text) IS 'A phone with all digits but the first 3 and the last 2 hidden';

CREATE SCHEMA quarantine_analytics;
COMMENT ON SCHEMA quarantine_analytics IS
  'Masked, read-only views for analysts (SPEC §12); the base tables are in schema quarantine';

CREATE VIEW quarantine_analytics.persons AS
  SELECT p.person_id, p.doc_kind, quarantine.mask_doc(p.doc_kind, p.doc_no) AS doc_masked,
         quarantine.mask_name(p.name) AS name_masked, p.sex,
         extract(year FROM p.birth_date)::int AS birth_year, p.nationality, p.jurisdiction,
         quarantine.mask_phone(p.phone) AS phone_masked, p.phone_status, p.merged_into
    FROM quarantine.person p;
COMMENT ON VIEW quarantine_analytics.persons IS 'Persons with masked documents, names and phones and the birth year only';

CREATE VIEW quarantine_analytics.controls_by_day AS
  SELECT c.jurisdiction, c.status, quarantine.local_date(c.registered_at) AS day, count(*) AS controls
    FROM quarantine.control c
   GROUP BY 1, 2, 3;
COMMENT ON VIEW quarantine_analytics.controls_by_day IS
  'Controls by district, status and local day of registration';

CREATE VIEW quarantine_analytics.releases_due AS
  SELECT c.control_id, c.person_id, quarantine.mask_name(p.name) AS name_masked,
         coalesce(c.jurisdiction, p.jurisdiction) AS jurisdiction, c.site_id, c.plan, c.release_date,
         c.release_date - quarantine.local_date(now()) AS days_left
    FROM quarantine.control c JOIN quarantine.person p ON p.person_id = c.person_id
   WHERE quarantine.control_status_open(c.status)
     AND c.release_date >= quarantine.local_date(now());
COMMENT ON VIEW quarantine_analytics.releases_due IS
  'Open controls by release date (the first free day), from the local today on';

CREATE VIEW quarantine_analytics.overdue_tasks AS
  SELECT t.task_id, t.module, t.person_id, quarantine.mask_name(p.name) AS name_masked,
         p.jurisdiction, t.due_at, date_trunc('minute', now() - t.due_at) AS overdue_by,
         quarantine.duration_text(now() - t.due_at) AS late
    FROM quarantine.task t LEFT JOIN quarantine.person p ON p.person_id = t.person_id
   WHERE t.done_at IS NULL AND t.due_at < now();
COMMENT ON VIEW quarantine_analytics.overdue_tasks IS
  'Tasks not done by their deadline, with the person''s district; lateness to the minute (overdue_by) and as text (late, e.g. ''2 h 15 min'')';

CREATE VIEW quarantine_analytics.color_distribution AS
  SELECT p.jurisdiction, coalesce(l.color, 'green') AS color, coalesce(l.reason, 'clear') AS reason,
         count(*) AS persons
    FROM quarantine.person p
    LEFT JOIN LATERAL (SELECT a.color, a.reason FROM quarantine.code_assignment a
                        WHERE a.person_id = p.person_id
                        ORDER BY a.assignment_id DESC LIMIT 1) l ON true
   WHERE p.merged_into IS NULL
   GROUP BY 1, 2, 3;
COMMENT ON VIEW quarantine_analytics.color_distribution IS
  'Persons by district and current health-code colour and reason (no feed row: green, clear)';

CREATE VIEW quarantine_analytics.occupancy AS
  SELECT * FROM quarantine.site_occupancy;
COMMENT ON VIEW quarantine_analytics.occupancy IS
  'Isolation sites with the open controls in a centralized phase on the local today, and free beds (quarantine.site_occupancy)';
-- Column comments (issue #12): what each column of the extension's tables holds, for \d+.
-- Columns already commented beside their CREATE TABLE are left alone (a second COMMENT replaces the first).
-- Also part of the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).

-- ---------- person: maintained columns first ----------
COMMENT ON COLUMN person.doc_no IS
  'Document number; maintained by the trigger: normalize_doc(doc_kind, doc_no) (upper case, blanks and hyphens removed; a resident ID as its 18 characters, 15-digit numbers upgraded)';
COMMENT ON COLUMN person.sex IS
  'M or F; maintained by the trigger: from a resident ID (17th digit) when NULL, and must agree with it when given (rule person_document_agreement)';
COMMENT ON COLUMN person.birth_date IS
  'Date of birth; maintained by the trigger: from a resident ID (digits 7 to 14) when NULL, and must agree with it when given; years 1900-2100, not after the local today (rule person_birth_date)';
COMMENT ON COLUMN person.nationality IS
  'ISO 3166-1 alpha-3 code, as on the passport; maintained by the trigger: stored upper case; required for a passport (rule person_nationality)';
COMMENT ON COLUMN person.phone_status IS
  'placeholder, unverified, verified or invalid; maintained by the trigger: for a new or changed number, from phone_kind(phone) (placeholder, invalid, else unverified) unless a status is written with it; a placeholder or invalid number is never verified (rule person_phone_status)';
COMMENT ON COLUMN person.identity_scope IS
  'Maintained by the trigger: identity_scope(doc_kind, nationality), the normalized nationality for a passport and empty otherwise; part of the unique key person_identity (doc_kind, doc_no, identity_scope)';
COMMENT ON COLUMN person.name_key IS
  'Maintained by the trigger: name_key(name), the matching key of the name for the duplicate search';
COMMENT ON COLUMN person.phone_key IS
  'Maintained by the trigger: phone_key(phone), the comparable form of the phone (NULL for placeholders and invalid numbers); a verified phone matches duplicates on it';
COMMENT ON COLUMN person.person_id IS 'Identifier of the person (generated by default)';
COMMENT ON COLUMN person.doc_kind IS 'Kind of the identity document; part of the unique key person_identity';
COMMENT ON COLUMN person.name IS 'Full name as written on the document; not blank (rule person_name)';
COMMENT ON COLUMN person.phone IS 'Telephone number as written (any format; classified by phone_kind)';
COMMENT ON COLUMN person.home_address IS 'Home address, as written';
COMMENT ON COLUMN person.home_location IS 'Location of the home (point, WGS 84)';
COMMENT ON COLUMN person.jurisdiction IS
  'Jurisdiction the person belongs to (when NULL, filled from home_location: the smallest unit covering it); the anchor of row security: an operator sees the person and every record following it only within its scope';
COMMENT ON COLUMN person.merged_into IS
  'Set by merge_persons: the kept person this one was merged into (then it takes no new records, rule person_merged, and its document resolves to the kept person); NULL when not merged';
COMMENT ON COLUMN person.created_at IS 'Instant the row was inserted (transaction time)';

-- ---------- entry ----------
COMMENT ON COLUMN entry.category IS
  'Screening category; maintained by the trigger: when NULL, classify_arrival(temperature, symptoms, port_nat_result, close_contact), following later screening changes while derived; exempt whenever exempt_reason is set; a category a client names (a clinician''s suspected) is kept';
COMMENT ON COLUMN entry.exempt_reason IS 'Why the arrival is exempt from isolation; when set, the trigger forces category exempt';
COMMENT ON COLUMN entry.entry_id IS 'Identifier of the border crossing (generated by default)';
COMMENT ON COLUMN entry.person_id IS 'The traveller';
COMMENT ON COLUMN entry.entered_at IS
  'Instant of the border crossing; finite, its local date (quarantine.timezone) in the years 1900-2100; by default the local date of the entry is day 1 of the quarantine';
COMMENT ON COLUMN entry.port_kind IS 'Kind of port of entry: air, land or sea';
COMMENT ON COLUMN entry.port IS 'Port of entry, as written';
COMMENT ON COLUMN entry.illegal IS 'True for an illegal crossing (not through a port)';
COMMENT ON COLUMN entry.flight IS
  'Flight number; entries with the same flight on the same local day are one flight (flight_close_contacts)';
COMMENT ON COLUMN entry.seat IS 'Aircraft seat, e.g. 12A; the trigger refuses a seat that seat_row cannot read';
COMMENT ON COLUMN entry.origin_country IS 'Country the journey came from (ISO 3166-1 alpha-3)';
COMMENT ON COLUMN entry.travel_history IS 'Countries visited before arrival (ISO 3166-1 alpha-3 codes)';
COMMENT ON COLUMN entry.temperature IS
  'Body temperature measured at the port, in degrees Celsius (30-45); above quarantine.fever_threshold is fever; NULL: not measured';
COMMENT ON COLUMN entry.symptoms IS
  'Symptom codes reported at the port (fever, dry_cough, fatigue, sore_throat, loss_of_smell, loss_of_taste, diarrhea, dyspnea); NULL: none reported';
COMMENT ON COLUMN entry.port_nat_result IS 'Result of a NAT taken at the port, if any; positive makes the arrival confirmed';
COMMENT ON COLUMN entry.close_contact IS 'True when the traveller is a close contact of a case (e.g. seated near one on the flight)';
COMMENT ON COLUMN entry.created_at IS 'Instant the row was inserted (transaction time)';

-- ---------- control: maintained columns first ----------
COMMENT ON COLUMN control.quarantine_start IS
  'Day 1 of isolation anywhere, a local date in quarantine.timezone; maintained by the trigger when NULL: the local date of the entry, else of control_start, else today; kept by a plan change; not after the local date of control_start (rule control_dates)';
COMMENT ON COLUMN control.plan IS
  'Isolation plan of this control; maintained by the trigger when NULL on insert: plan_for(category of the entry, or general, quarantine_start); a change follows rule control_plan_change and is logged in control_event';
COMMENT ON COLUMN control.control_start IS
  'Instant this district took control; maintained by the trigger: the transaction start when the record first becomes under_control without one; fixed once set (rule control_start_fixed), corrected only by correct_control_start';
COMMENT ON COLUMN control.release_date IS
  'Maintained by the trigger: release_date(plan, quarantine_start) = quarantine_start + total_days(plan), the first free day (local date)';
COMMENT ON COLUMN control.ended_at IS
  'Instant the control ended; maintained by the trigger: the transaction start when the status becomes ended without one; its local date (at most today) is the end day rule control_end checks';
COMMENT ON COLUMN control.jurisdiction IS
  'District holding the control; maintained by the trigger when NULL: the site''s, else the person''s; row security matches it as well as the person''s';
COMMENT ON COLUMN control.control_id IS 'Identifier of the control record (generated by default)';
COMMENT ON COLUMN control.person_id IS 'The person under control; at most one open control per person (rule control_single_open)';
COMMENT ON COLUMN control.entry_id IS
  'The border crossing this control is for, of the same person (rule control_entry_person); NULL: no entry (the general plan applies)';
COMMENT ON COLUMN control.status IS
  'pending (待分配), under_control (纳入管控), medical (转医学处理), ended (结束管控) or returned (退回); changes follow rule control_status_transition';
COMMENT ON COLUMN control.site_id IS 'Isolation site or designated hospital where the person is';
COMMENT ON COLUMN control.transferred_from IS
  'Where the person was transferred in from (an isolation site elsewhere); when set, a verification of the entry must have return_date = local date of control_start';
COMMENT ON COLUMN control.home_verified_at IS
  'Instant the home was verified fit for home isolation (single room); needed for a home transfer; cleared by revert_to_centralized';
COMMENT ON COLUMN control.commitment_signed_at IS 'Instant the commitment letter was signed; needed for a home transfer';
COMMENT ON COLUMN control.return_reason IS 'Why the record was returned (退回); required with status returned (rule control_return_reason)';
COMMENT ON COLUMN control.return_note IS
  'Non-empty with status returned (for out_of_province: where the person is isolated)';
COMMENT ON COLUMN control.end_reason IS 'Why the control ended; required with status ended (rule control_end)';
COMMENT ON COLUMN control.responsible IS 'Who is responsible for the person, as written';
COMMENT ON COLUMN control.note IS 'Free-text note (load_manifest writes "manifest <batch>, row <n>")';
COMMENT ON COLUMN control.registered_at IS
  'Instant the record was created (transaction time); a later local day than control_start is a late registration';

-- ---------- lab_test ----------
COMMENT ON COLUMN lab_test.test_id IS 'Identifier of the test (generated by default)';
COMMENT ON COLUMN lab_test.person_id IS 'The person sampled';
COMMENT ON COLUMN lab_test.kind IS 'nat, igm, igg or antigen';
COMMENT ON COLUMN lab_test.sampled_at IS
  'Instant the sample was taken; finite, years 1900-2100; the rules count its local date (quarantine.timezone)';
COMMENT ON COLUMN lab_test.result IS 'pending until reported, then negative, positive or inconclusive';
COMMENT ON COLUMN lab_test.lab IS 'Laboratory, as written';
COMMENT ON COLUMN lab_test.reported_at IS 'Instant the result was reported; not before sampled_at; NULL: unknown';

-- ---------- control_event ----------
COMMENT ON COLUMN control_event.event_id IS 'Identifier of the event (generated by default)';
COMMENT ON COLUMN control_event.control_id IS 'The control that changed';
COMMENT ON COLUMN control_event.kind IS 'What changed: status, plan or control_start (a correction); merge is also allowed';
COMMENT ON COLUMN control_event.from_status IS 'Status of the control before the change';
COMMENT ON COLUMN control_event.to_status IS 'Status of the control after the change';
COMMENT ON COLUMN control_event.old_value IS 'For a plan or control_start event, the value before, as text; NULL for a status event';
COMMENT ON COLUMN control_event.new_value IS 'For a plan or control_start event, the value after, as text; NULL for a status event';
COMMENT ON COLUMN control_event.at IS 'Instant of the change (transaction time)';
COMMENT ON COLUMN control_event.by_role IS 'The role that made the change';
COMMENT ON COLUMN control_event.note IS
  'The reason given to correct_control_start or revert_to_centralized, else the setting quarantine.event_note';

-- ---------- verification ----------
COMMENT ON COLUMN verification.verification_id IS 'Identifier of the verification record (generated by default)';
COMMENT ON COLUMN verification.person_id IS 'The person reported by the national port list';
COMMENT ON COLUMN verification.entry_id IS 'The border crossing reported, if known';
COMMENT ON COLUMN verification.return_date IS
  'Local date the person returns to the province (返浙日期); not closed before it (rule verification_close_early)';
COMMENT ON COLUMN verification.status IS 'open or closed';
COMMENT ON COLUMN verification.health_status IS 'healthy, symptomatic, suspected, confirmed or asymptomatic';
COMMENT ON COLUMN verification.isolated_days_before_return IS
  'Days isolated at the entry point before the return; at most the days between entry and return (rule verification_isolation_claim)';
COMMENT ON COLUMN verification.followed_up_at IS 'Instant of the last follow-up; NULL: none yet';
COMMENT ON COLUMN verification.note IS
  'Free-text note; required when fewer than quarantine.observation_days were isolated at the entry point (rule verification_note_required)';
COMMENT ON COLUMN verification.created_at IS 'Instant the row was inserted (transaction time)';

-- ---------- task ----------
COMMENT ON COLUMN task.due_at IS
  'Maintained by the trigger: task_deadline(module, issued_at), local time in quarantine.timezone: control the first 17:00 strictly after issued_at, verification and phone_check 12:00 on the next day';
COMMENT ON COLUMN task.task_id IS 'Identifier of the task (generated by default)';
COMMENT ON COLUMN task.module IS 'control, verification or phone_check; sets the deadline';
COMMENT ON COLUMN task.person_id IS 'The person the task is about';
COMMENT ON COLUMN task.issued_at IS 'Instant the task was issued';
COMMENT ON COLUMN task.done_at IS 'Instant the task was done; NULL while open';
COMMENT ON COLUMN task.outcome IS 'What was done, as written';

-- ---------- duplicate_candidate ----------
COMMENT ON COLUMN duplicate_candidate.person_id IS 'The newer person of the pair';
COMMENT ON COLUMN duplicate_candidate.other_id IS 'The existing person it resembles';
COMMENT ON COLUMN duplicate_candidate.score IS 'name_similarity of the two names, in [0,1]';
COMMENT ON COLUMN duplicate_candidate.reason IS
  'birth_sex_name: same birth date and sex, similar name; phone_name: same verified phone, similar name';
COMMENT ON COLUMN duplicate_candidate.found_at IS 'Instant the pair was found (transaction time)';
COMMENT ON COLUMN duplicate_candidate.resolution IS
  'NULL until reviewed; merged (set by merge_persons) or distinct (set by quarantine_admin)';

-- ---------- person_merge ----------
COMMENT ON COLUMN person_merge.merge_id IS 'Identifier of the merge (generated by default)';
COMMENT ON COLUMN person_merge.keep_id IS 'The person kept';
COMMENT ON COLUMN person_merge.drop_id IS 'The person merged into keep_id (its merged_into)';
COMMENT ON COLUMN person_merge.moved IS 'Rows moved per table, e.g. {"entry": 1, "control": 1, "lab_test": 2, ...}';
COMMENT ON COLUMN person_merge.merged_at IS 'Instant of the merge (transaction time)';
COMMENT ON COLUMN person_merge.by_role IS 'The role that called merge_persons';

-- ---------- policy, staff, code_assignment, audit_log, operator_scope: the columns left ----------
COMMENT ON COLUMN policy.policy_id IS 'Identifier of the policy row (generated always)';
COMMENT ON COLUMN staff.person_id IS 'The staff member or family member; one row per person';
COMMENT ON COLUMN staff.employer IS 'Employer, as written';
COMMENT ON COLUMN staff.created_at IS 'Instant the row was inserted (transaction time)';
COMMENT ON COLUMN code_assignment.assignment_id IS
  'Order of the feed (generated always): a person''s latest row has the highest assignment_id';
COMMENT ON COLUMN code_assignment.person_id IS 'The person whose colour changed';
COMMENT ON COLUMN code_assignment.color IS 'The health-code colour from then on';
COMMENT ON COLUMN code_assignment.reason IS 'The rule that gave the colour (code_color''s reason)';
COMMENT ON COLUMN audit_log.audit_id IS 'Order of the log (generated always)';
COMMENT ON COLUMN audit_log.at IS 'Instant of the write (transaction time)';
COMMENT ON COLUMN audit_log.table_name IS 'The table written, unqualified';
COMMENT ON COLUMN audit_log.op IS 'INSERT, UPDATE or DELETE';
COMMENT ON COLUMN operator_scope.jurisdiction IS 'A jurisdiction the role works on, with all its children';

-- ---------- jurisdiction, site ----------
COMMENT ON COLUMN jurisdiction.code IS 'Code of the area (e.g. the GB/T 2260 code 330302)';
COMMENT ON COLUMN jurisdiction.name IS 'Name of the area';
COMMENT ON COLUMN jurisdiction.parent IS 'The enclosing area; a scope on an area covers its children';
COMMENT ON COLUMN jurisdiction.level IS 'province, city, district or street';
COMMENT ON COLUMN jurisdiction.boundary IS 'Boundary of the area (multipolygon, WGS 84)';
COMMENT ON COLUMN site.site_id IS 'Identifier of the site (generated by default)';
COMMENT ON COLUMN site.name IS 'Name of the site; load_manifest matches it ignoring case and surrounding blanks';
COMMENT ON COLUMN site.kind IS 'hotel (isolation hotel), hospital (designated hospital) or other';
COMMENT ON COLUMN site.location IS 'Location of the site (point, WGS 84); nearest_sites searches it';
COMMENT ON COLUMN site.capacity IS 'Beds for isolation; NULL: unknown';
COMMENT ON COLUMN site.jurisdiction IS 'Jurisdiction the site belongs to (when NULL, filled from location: the smallest unit covering it)';

-- ---------- manifest_staging: every field text as typed ----------
COMMENT ON COLUMN manifest_staging.batch IS 'Name of the batch, as given to load_manifest (e.g. CA9015-2020-04-26)';
COMMENT ON COLUMN manifest_staging.row_no IS
  'Number of the row in the batch, 1 or more; several different rows with one number are all refused (rule manifest_row_no)';
COMMENT ON COLUMN manifest_staging.name IS 'Full name, as typed';
COMMENT ON COLUMN manifest_staging.doc_kind IS
  'Kind of document as typed: an enum label in any case, or 身份证, 护照, 回乡证, 台胞证 and their long forms';
COMMENT ON COLUMN manifest_staging.doc_no IS 'Document number as typed (normalize_doc on load)';
COMMENT ON COLUMN manifest_staging.nationality IS 'Three letters (ISO 3166-1 alpha-3), any case; required for a passport';
COMMENT ON COLUMN manifest_staging.sex IS 'M, F, male, female, 男 or 女 in any case; blank, X or < for unknown';
COMMENT ON COLUMN manifest_staging.birth_date IS 'Date of birth, as typed';
COMMENT ON COLUMN manifest_staging.phone IS 'Telephone number as typed, at most 32 characters';
COMMENT ON COLUMN manifest_staging.flight IS 'Flight number as typed; stored upper case without blanks';
COMMENT ON COLUMN manifest_staging.seat IS 'Aircraft seat as typed, e.g. 12A';
COMMENT ON COLUMN manifest_staging.entered_at IS
  'Entry time: a date, optionally a time and a UTC offset; without an offset local in quarantine.timezone, a date alone is local midnight';
COMMENT ON COLUMN manifest_staging.port IS 'Port of entry as typed, at most 64 characters';
COMMENT ON COLUMN manifest_staging.site IS 'Name of the isolation site, matched with site.name ignoring case and surrounding blanks; blank: none yet';
COMMENT ON COLUMN manifest_staging.jurisdiction IS
  'Jurisdiction code, as typed; an operator stages and loads only rows of its scope';

-- ---------- import_reject ----------
COMMENT ON COLUMN import_reject.reject_id IS 'Identifier of the reject (generated by default)';
COMMENT ON COLUMN import_reject.batch IS 'The batch of the refused row';
COMMENT ON COLUMN import_reject.row_no IS 'The row_no of the refused row, as staged';
COMMENT ON COLUMN import_reject.rule IS 'The rule the row breaks: a manifest_* format rule or the rule name a trigger uses';
COMMENT ON COLUMN import_reject.message IS 'One-line message, as the error would read';
COMMENT ON COLUMN import_reject.detail IS 'The offending values';
COMMENT ON COLUMN import_reject.row IS 'The staged row, whole (to_jsonb of manifest_staging)';
COMMENT ON COLUMN import_reject.rejected_at IS 'Instant of the refusal (transaction time of the load)';

-- ---------- import_accept ----------
COMMENT ON COLUMN import_accept.batch IS 'The batch of the loaded row';
COMMENT ON COLUMN import_accept.row_no IS 'The row_no of the loaded row; (batch, row_no) is never loaded again';
COMMENT ON COLUMN import_accept.person_id IS 'The person the row became or was matched to (no foreign key)';
COMMENT ON COLUMN import_accept.entry_id IS 'The entry the row became or reused (no foreign key)';
COMMENT ON COLUMN import_accept.control_id IS 'The pending control the row became (no foreign key)';
COMMENT ON COLUMN import_accept.reused IS 'True when the person existed before the load';
COMMENT ON COLUMN import_accept.loaded_at IS 'Instant of the load (transaction time)';
-- Access (SPEC §12, seed 001: "在保证数据安全和保护个人隐私的基础上").
--
-- Every function and table of the extension has an explicit decision here;
-- sql/90_acl.sql lists them all, so a new object without one fails the suite.
--
-- The group roles are created in 02_roles.sql, before the row policies
-- that name them.

-- The schema: no PUBLIC access; the working roles may use it.  Analysts read
-- only the masked views of quarantine_analytics.
GRANT USAGE ON SCHEMA quarantine TO quarantine_admin, quarantine_operator;

-- Functions.  Pure computations on values (types, plans, rules, names) keep
-- PUBLIC's EXECUTE: they read no table.  Revoked from PUBLIC:
--  * trigger functions: firing needs no EXECUTE, and CREATE TRIGGER with one
--    on a client's own table is refused here before the function's own check;
--  * C functions that read tables through index scans, which no table
--    privilege guards: person_for_doc, code_color, nat_proof_valid;
--  * the audited operations.
REVOKE EXECUTE ON FUNCTION
  policy_after_change(), person_before_write(), person_after_write(),
  entry_before_write(), control_before_write(), control_after_update(),
  verification_before_write(), task_before_write(), code_feed_after_write(),
  audit_after_write()
  FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION
  person_for_doc(doc_kind, text, char), code_color(bigint, timestamptz),
  nat_proof_valid(bigint, timestamptz, integer)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  person_for_doc(doc_kind, text, char), code_color(bigint, timestamptz),
  nat_proof_valid(bigint, timestamptz, integer)
  TO quarantine_admin, quarantine_operator;
REVOKE EXECUTE ON FUNCTION
  merge_persons(bigint, bigint), correct_control_start(bigint, timestamptz, text),
  revert_to_centralized(bigint, text), refresh_codes(timestamptz), load_manifest(text)
  FROM PUBLIC;
-- A district corrects its own records and loads its own manifests; merging
-- persons and refreshing every code are the administrator's.
GRANT EXECUTE ON FUNCTION
  correct_control_start(bigint, timestamptz, text), revert_to_centralized(bigint, text),
  load_manifest(text)
  TO quarantine_admin, quarantine_operator;
GRANT EXECUTE ON FUNCTION merge_persons(bigint, bigint), refresh_codes(timestamptz)
  TO quarantine_admin;

-- Tables.  The log tables (control_event, code_assignment,
-- duplicate_candidate, person_merge, audit_log) are written only by the
-- extension's own code, with the owner's rights (src/query_context.c).  The
-- audit log holds whole rows of every district: the administrator's alone.
GRANT SELECT ON
  policy, jurisdiction, site, person, entry, control, lab_test, verification, task, staff,
  control_event, code_assignment, duplicate_candidate, person_merge,
  manifest_staging, import_reject, import_accept,
  overdue_tasks, late_registrations, verification_issues, staff_tests_due,
  health_code_current, import_summary, site_occupancy
  TO quarantine_admin, quarantine_operator;
GRANT SELECT ON audit_log TO quarantine_admin;
-- Scopes (86_scope.sql): the administrator assigns them; everybody who works
-- may see them.
GRANT SELECT ON operator_scope TO quarantine_admin, quarantine_operator;
GRANT INSERT, UPDATE, DELETE ON operator_scope TO quarantine_admin;
GRANT INSERT, UPDATE ON person, entry, control, lab_test, verification, task, staff
  TO quarantine_admin, quarantine_operator;
GRANT DELETE ON person, entry, control, lab_test, verification, task, staff
  TO quarantine_admin;
GRANT INSERT, UPDATE, DELETE ON policy, jurisdiction, site TO quarantine_admin;
-- Reviewing a duplicate candidate is an administrator's decision.
GRANT UPDATE (resolution) ON duplicate_candidate TO quarantine_admin;
-- The manifest path: staging is a scratch table; load_manifest writes its
-- ledgers as the caller.
GRANT INSERT, UPDATE, DELETE ON manifest_staging TO quarantine_admin, quarantine_operator;
GRANT INSERT ON import_reject, import_accept TO quarantine_admin, quarantine_operator;

-- Views read with the caller's rights, so table grants (and row security)
-- apply to them as to the tables.
ALTER VIEW overdue_tasks SET (security_invoker = true);
ALTER VIEW late_registrations SET (security_invoker = true);
ALTER VIEW verification_issues SET (security_invoker = true);
ALTER VIEW staff_tests_due SET (security_invoker = true);
ALTER VIEW health_code_current SET (security_invoker = true);
ALTER VIEW import_summary SET (security_invoker = true);

-- Settings that weaken a rule are PGC_SUSET (src/quarantine.c): only a
-- superuser, or a role granted SET on them, changes them.  Display settings
-- (timezone, event_note) stay user-settable.  Parameter grants are
-- cluster-wide, like the roles.
GRANT SET ON PARAMETER quarantine.fever_threshold, quarantine.release_test_days,
  quarantine.observation_days, quarantine.flight_contact_rows,
  quarantine.duplicate_detection
  TO quarantine_admin;

-- Analysts read the masked views of quarantine_analytics (88_analytics.sql)
-- and nothing of schema quarantine; administrators may read them too.
GRANT USAGE ON SCHEMA quarantine_analytics TO quarantine_analyst, quarantine_admin;
GRANT SELECT ON ALL TABLES IN SCHEMA quarantine_analytics TO quarantine_analyst, quarantine_admin;
-- Access to the keep-the-good-rows loader (72_loader.sql; doc/etl.md, "Who
-- may load"), after 90_access.sql and in its conventions.  Also part of the
-- 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).
--
-- load_staged runs as the caller: the INSERTs into person, entry, control and
-- lab_test check the caller's grants and row security, and the audit log
-- records the caller.  Only its ledger (load_accept) and its rejects are
-- written with the owner's rights, as log tables.
--
-- The staging tables hold staged rows of every district (documents, phones):
-- the administrator's.  They have no row security, so an administrator may
-- COPY into them without BYPASSRLS.  An operator stages into a temporary
-- table of its own (CREATE TEMP TABLE s (LIKE quarantine.person_staging)),
-- which it may COPY into, and loads it with load_staged(target, batch, s).
REVOKE ALL ON person_staging, entry_staging, control_staging, lab_test_staging, load_accept
  FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE
  ON person_staging, entry_staging, control_staging, lab_test_staging
  TO quarantine_admin;
-- The ledger holds row numbers and hashes, no values; a load reads it as the
-- caller to skip rows loaded before.
GRANT SELECT ON load_accept TO quarantine_admin, quarantine_operator;

REVOKE EXECUTE ON FUNCTION
  load_staged(regclass, text), load_staged(regclass, text, regclass), load_staged_mark(int, int)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  load_staged(regclass, text), load_staged(regclass, text, regclass), load_staged_mark(int, int)
  TO quarantine_admin, quarantine_operator;
-- The "today" surface (issue 14): what a district works through on one local
-- day, as views a district operator reads in psql or a case system selects
-- from.  "Today" is the local date of quarantine.timezone,
-- local_date(now()), whatever the session's TimeZone; "tonight" is the next
-- local midnight.  Also part of the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/
-- links this file).  doc/tour.md shows every view with its output.
--
-- Every view that shows a person's data reads with the caller's rights
-- (security_invoker): an operator sees the rows of its districts only, as in
-- the tables.  The masked variants for analysts are at the end.
--
-- No rule is restated here: phases, day numbers and dates come from the plan
-- functions, NAT days from nat_due_on (policy.nat_days), the 7+7 check from
-- home_transfer_eligibility, colours from the feed or code_color.
--
-- Cost.  Each view starts from an index and calls the per-row functions only
-- for the rows it keeps:
--   today_controls        open controls (control_open_status); per row the
--                         feed's latest row (code_assignment_latest), the
--                         next NAT day (nat_due_on, day by day from today,
--                         first hit), and the 7+7 check only in a
--                         centralized phase (lab_test_person)
--   releases_due          as today_controls, filtered on the release date
--                         before the per-row functions run.  (An index on
--                         the release date of the open controls was tried:
--                         the planner never takes it, because the column's
--                         statistics span every ended control, whose release
--                         dates are all past; scanning the open controls
--                         costs 10 ms for 15,000 of them.)
--   tests_due_today       open controls, nat_due_on once per row
--   color_changes_tonight candidates only, code_color twice per candidate:
--                         controls not yet released (control_release_date),
--                         staff, and entries whose observation window ends
--                         tonight (entry_entered_at)

-- Controls whose plan is not over (release_date > today), whatever their
-- status: a completed control still sets the phases of its monitoring days.
CREATE INDEX control_release_date ON control (release_date);
-- Entries by instant: the observation windows that end tonight (and
-- refresh_codes' recent entries).
CREATE INDEX entry_entered_at ON entry (entered_at);

-- ---------------------------------------------------------------------------
-- today_controls: one row per open control
-- ---------------------------------------------------------------------------
-- color is the feed's current colour (code_assignment, what the health-code
-- platform shows), one index probe; code_color(person_id) computes it live
-- from the records (several probes), and refresh_codes() brings the feed up
-- to date with what time alone changes (run at each local midnight).  The
-- 7+7 check is only asked in a centralized phase (NULL otherwise): it says
-- whether the person may move to home isolation today, and why not.
CREATE VIEW today_controls WITH (security_invoker = true) AS
  SELECT c.control_id, c.person_id, p.name,
         coalesce(c.jurisdiction, p.jurisdiction) AS jurisdiction, j.name AS district,
         c.site_id, s.name AS site, c.status, c.plan, c.quarantine_start,
         quarantine.day_number(c.quarantine_start, d.today) AS day,
         quarantine.phase_on(c.plan, c.quarantine_start, d.today) AS phase,
         quarantine.isolation_end(c.plan, c.quarantine_start) AS isolation_end,
         c.release_date,
         coalesce(f.color, 'green') AS color, coalesce(f.reason, 'clear') AS color_reason,
         f.assigned_at AS color_since,
         n.day AS next_nat_due,
         (h.e).eligible AS home_eligible, (h.e).earliest AS home_earliest, (h.e).unmet AS home_unmet
    FROM control c
   CROSS JOIN (SELECT quarantine.local_date(now()) AS today) d
    JOIN person p ON p.person_id = c.person_id
    LEFT JOIN jurisdiction j ON j.code = coalesce(c.jurisdiction, p.jurisdiction)
    LEFT JOIN site s ON s.site_id = c.site_id
    LEFT JOIN entry e ON e.entry_id = c.entry_id
    LEFT JOIN LATERAL (
      SELECT a.color, a.reason, a.assigned_at
        FROM code_assignment a
       WHERE a.person_id = c.person_id
       ORDER BY a.assignment_id DESC
       LIMIT 1) f ON true
    LEFT JOIN LATERAL (
      SELECT g.day::date AS day
        FROM pg_catalog.generate_series(d.today::timestamp, (c.release_date - 1)::timestamp,
                                        interval '1 day') AS g(day)
       WHERE quarantine.nat_due_on(coalesce(e.category, 'general'), c.quarantine_start, g.day::date)
       ORDER BY g.day
       LIMIT 1) n ON true
   CROSS JOIN LATERAL (
      SELECT CASE WHEN quarantine.phase_on(c.plan, c.quarantine_start, d.today) = 'centralized'
                  THEN quarantine.home_transfer_eligibility(c.control_id, d.today) END AS e) h
   WHERE quarantine.control_status_open(c.status);
COMMENT ON VIEW today_controls IS
  'Every open control on the local today: person, district, site, day number, phase, isolation end, release date, the feed''s current colour, the next NAT day of its policy, and in a centralized phase the 7+7 home transfer check with the unmet criteria';

-- ---------------------------------------------------------------------------
-- releases_due: released today or tomorrow (and open controls past it)
-- ---------------------------------------------------------------------------
-- The release date is control.release_date, the first free day of the plan
-- (release_date(plan, quarantine_start)).  An open control whose release date
-- has passed is listed as overdue: the district has not ended it yet.
CREATE VIEW releases_due WITH (security_invoker = true) AS
  SELECT CASE WHEN t.release_date < quarantine.local_date(now()) THEN 'overdue'
              WHEN t.release_date = quarantine.local_date(now()) THEN 'today'
              ELSE 'tomorrow' END AS due,
         t.release_date - quarantine.local_date(now()) AS days,
         t.jurisdiction, t.district, t.site_id, t.site, t.control_id, t.person_id, t.name,
         t.status, t.plan, t.quarantine_start, t.day, t.phase, t.isolation_end, t.release_date,
         t.color, t.color_reason
    FROM today_controls t
   WHERE t.release_date <= quarantine.local_date(now()) + 1;
COMMENT ON VIEW releases_due IS
  'Open controls whose release date (the first free day of the plan) is today or tomorrow (due, days = 0 or 1), or already past (overdue, days < 0), with district and site';

-- ---------------------------------------------------------------------------
-- tests_due_today: NAT samples due today under each control's policy
-- ---------------------------------------------------------------------------
-- Due on the days of policy.nat_days (nat_due_on, as nat_due).  site is the
-- hotel where the sample is taken in a centralized phase; NULL when the
-- person is at home (phase says which).  sampled: a NAT sampled on the local
-- today is already on record.
CREATE VIEW tests_due_today WITH (security_invoker = true) AS
  SELECT CASE WHEN x.phase = 'centralized' THEN x.site_id END AS site_id,
         CASE WHEN x.phase = 'centralized' THEN s.name END AS site,
         x.jurisdiction, j.name AS district, x.control_id, x.person_id, p.name,
         quarantine.day_number(x.quarantine_start, x.today) AS day, x.phase,
         EXISTS (SELECT 1 FROM lab_test lt
                  WHERE lt.person_id = x.person_id AND lt.kind = 'nat'
                    AND lt.sampled_at > now() - interval '2 days'
                    AND quarantine.local_date(lt.sampled_at) = x.today) AS sampled
    FROM (SELECT c.control_id, c.person_id, c.site_id, c.quarantine_start, c.jurisdiction, d.today,
                 quarantine.phase_on(c.plan, c.quarantine_start, d.today) AS phase
            FROM control c
           CROSS JOIN (SELECT quarantine.local_date(now()) AS today) d
            LEFT JOIN entry e ON e.entry_id = c.entry_id
           WHERE quarantine.control_status_open(c.status)
             AND quarantine.nat_due_on(coalesce(e.category, 'general'), c.quarantine_start, d.today)) x
    JOIN person p ON p.person_id = x.person_id
    LEFT JOIN jurisdiction j ON j.code = coalesce(x.jurisdiction, p.jurisdiction)
    LEFT JOIN site s ON s.site_id = x.site_id;
COMMENT ON VIEW tests_due_today IS
  'Open controls with a NAT sample due on the local today (policy.nat_days, as nat_due), by hotel (site NULL: at home) and district, and whether a NAT sampled today is on record';

-- ---------------------------------------------------------------------------
-- color_changes_tonight: whose colour changes at the next local midnight
-- ---------------------------------------------------------------------------
-- The colours are code_color's at now() and at the next local midnight, so
-- the decision stays the one of SPEC §8.  Only the persons time can move
-- overnight are asked (a superset, cheap to find): a control not yet released
-- whose phase differs between today and tomorrow, a staff member whose
-- rotation phase does or whose NAT falls due today, an entry whose
-- observation window (quarantine.observation_days) ends about tonight.
-- The two settings are read with missing_ok: the planner may estimate before
-- the library is loaded; by execution the view's C functions have loaded it.
CREATE VIEW color_changes_tonight WITH (security_invoker = true) AS
  WITH tonight AS (
    SELECT quarantine.local_date(now()) AS today,
           (quarantine.local_date(now()) + 1)::timestamp
             AT TIME ZONE pg_catalog.current_setting('quarantine.timezone', true) AS midnight,
           pg_catalog.current_setting('quarantine.observation_days', true)::int AS observation_days
  ), candidate AS (
    SELECT c.person_id
      FROM control c, tonight t
     WHERE c.release_date > t.today
       AND quarantine.phase_on(c.plan, c.quarantine_start, t.today)
           IS DISTINCT FROM quarantine.phase_on(c.plan, c.quarantine_start, t.today + 1)
    UNION
    SELECT s.person_id
      FROM staff s, tonight t
     WHERE quarantine.phase_on(s.plan, s.closed_loop_start, t.today)
           IS DISTINCT FROM quarantine.phase_on(s.plan, s.closed_loop_start, t.today + 1)
    UNION
    SELECT d.person_id
      FROM staff_tests_due d, tonight t
     WHERE d.next_due <= t.today + 1
    UNION
    SELECT e.person_id
      FROM entry e, tonight t
     WHERE e.entered_at > now() - pg_catalog.make_interval(days => t.observation_days + 2)
       AND e.entered_at <= now() - pg_catalog.make_interval(days => t.observation_days - 3)
       AND quarantine.local_date(e.entered_at) BETWEEN t.today - t.observation_days
                                                    AND t.today - t.observation_days + 2
  )
  SELECT k.person_id, p.name, p.jurisdiction, j.name AS district,
         (k.now_state).color AS from_color, (k.now_state).reason AS from_reason,
         (k.then_state).color AS to_color, (k.then_state).reason AS to_reason,
         k.midnight AS at
    FROM (SELECT c.person_id, t.midnight,
                 quarantine.code_color(c.person_id, now()) AS now_state,
                 quarantine.code_color(c.person_id, t.midnight) AS then_state
            FROM candidate c, tonight t) k
    JOIN person p ON p.person_id = k.person_id
    LEFT JOIN jurisdiction j ON j.code = p.jurisdiction
   WHERE k.now_state IS DISTINCT FROM k.then_state;
COMMENT ON VIEW color_changes_tonight IS
  'Persons whose health-code colour or its reason changes at the next local midnight by time alone (phase boundaries, observation windows ending, staff tests falling due): from and to as code_color gives them now and at that instant';

-- ---------------------------------------------------------------------------
-- Masked variants for analysts (SPEC §12; as src/sql/88_analytics.sql)
-- ---------------------------------------------------------------------------
-- A view with the owner's rights cannot read the views above for an analyst:
-- a security_invoker view checks its tables as the current user even under
-- another view, and code_color and the 7+7 check read the tables as the
-- caller.  So each masked view reads a function that runs with its owner's
-- rights (SECURITY DEFINER, names bound at creation by BEGIN ATOMIC) and
-- returns masked rows only.  The functions live in schema quarantine, which
-- analysts cannot use: they reach them only through the views.  Names are
-- masked (mask_name); no document or phone is returned.
CREATE FUNCTION analytics_today_controls()
RETURNS TABLE (control_id bigint, person_id bigint, name_masked text, jurisdiction text,
               district text, site text, status control_status, plan isolation_plan,
               day integer, phase phase, isolation_end date, release_date date,
               color health_code, color_reason text, next_nat_due date,
               home_eligible boolean, home_unmet text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, quarantine, pg_temp
BEGIN ATOMIC
  SELECT t.control_id, t.person_id, quarantine.mask_name(t.name), t.jurisdiction, t.district,
         t.site, t.status, t.plan, t.day, t.phase, t.isolation_end, t.release_date,
         t.color, t.color_reason, t.next_nat_due, t.home_eligible, t.home_unmet
    FROM quarantine.today_controls t;
END;
COMMENT ON FUNCTION analytics_today_controls() IS
  'quarantine.today_controls of every district with names masked, for quarantine_analytics.today_controls (runs as the owner)';

CREATE FUNCTION analytics_tests_due_today()
RETURNS TABLE (site_id bigint, site text, jurisdiction text, district text, control_id bigint,
               person_id bigint, name_masked text, day integer, phase phase, sampled boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, quarantine, pg_temp
BEGIN ATOMIC
  SELECT t.site_id, t.site, t.jurisdiction, t.district, t.control_id, t.person_id,
         quarantine.mask_name(t.name), t.day, t.phase, t.sampled
    FROM quarantine.tests_due_today t;
END;
COMMENT ON FUNCTION analytics_tests_due_today() IS
  'quarantine.tests_due_today of every district with names masked, for quarantine_analytics.tests_due_today (runs as the owner)';

CREATE FUNCTION analytics_color_changes_tonight()
RETURNS TABLE (person_id bigint, name_masked text, jurisdiction text, district text,
               from_color health_code, from_reason text, to_color health_code, to_reason text,
               at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, quarantine, pg_temp
BEGIN ATOMIC
  SELECT t.person_id, quarantine.mask_name(t.name), t.jurisdiction, t.district,
         t.from_color, t.from_reason, t.to_color, t.to_reason, t.at
    FROM quarantine.color_changes_tonight t;
END;
COMMENT ON FUNCTION analytics_color_changes_tonight() IS
  'quarantine.color_changes_tonight of every district with names masked, for quarantine_analytics.color_changes_tonight (runs as the owner)';

CREATE VIEW quarantine_analytics.today_controls AS
  SELECT * FROM quarantine.analytics_today_controls();
COMMENT ON VIEW quarantine_analytics.today_controls IS
  'Every open control on the local today, every district, names masked (quarantine.today_controls)';
CREATE VIEW quarantine_analytics.tests_due_today AS
  SELECT * FROM quarantine.analytics_tests_due_today();
COMMENT ON VIEW quarantine_analytics.tests_due_today IS
  'NAT samples due on the local today by hotel and district, names masked (quarantine.tests_due_today)';
CREATE VIEW quarantine_analytics.color_changes_tonight AS
  SELECT * FROM quarantine.analytics_color_changes_tonight();
COMMENT ON VIEW quarantine_analytics.color_changes_tonight IS
  'Colour changes at the next local midnight, every district, names masked (quarantine.color_changes_tonight)';

-- ---------------------------------------------------------------------------
-- Grants (after 90_access.sql, which knows nothing of these objects)
-- ---------------------------------------------------------------------------
-- The views: the working roles, under row security; analysts read the
-- masked ones only.  duration_text (57_overdue_tasks.sql) is a pure
-- computation and keeps PUBLIC's EXECUTE.
GRANT SELECT ON today_controls, releases_due, tests_due_today, color_changes_tonight
  TO quarantine_admin, quarantine_operator;
REVOKE EXECUTE ON FUNCTION analytics_today_controls(), analytics_tests_due_today(),
  analytics_color_changes_tonight() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION analytics_today_controls(), analytics_tests_due_today(),
  analytics_color_changes_tonight() TO quarantine_analyst, quarantine_admin;
GRANT SELECT ON quarantine_analytics.today_controls, quarantine_analytics.tests_due_today,
  quarantine_analytics.color_changes_tonight TO quarantine_analyst, quarantine_admin;
-- One extension on many servers (SPEC §13, seed 003: the province issues the
-- daily task lists and checks what the districts recorded; seed 000 一: one
-- provincial database).  Each city runs PostgreSQL with this extension; the
-- province runs one that sees them all, over PostgreSQL 15's own logical
-- replication.  doc/federation.md has the topology and every decision; this
-- file has the objects every node carries and the set-up functions.  The
-- publications and triggers a set-up creates are the node's, not the
-- extension's: pg_dump keeps them.
-- Also part of the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).

-- ---------------------------------------------------------------------------
-- What this node is.
-- ---------------------------------------------------------------------------
CREATE TABLE federation_node (
  node_no       integer PRIMARY KEY CONSTRAINT federation_node_no CHECK (node_no BETWEEN 1 AND 9000),
  role          text NOT NULL CONSTRAINT federation_node_role CHECK (role IN ('province', 'city')),
  jurisdiction  text NOT NULL REFERENCES jurisdiction,
  set_up_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX federation_node_one ON federation_node ((true));
COMMENT ON TABLE federation_node IS
  'This node of the federation (one row, written by federation_setup_province or federation_setup_city): its number, which keys it generates, its role and jurisdiction';
COMMENT ON COLUMN federation_node.node_no IS
  'Node number n: every key this node generates lies in [n * 10^12, (n + 1) * 10^12)';
COMMENT ON COLUMN federation_node.role IS 'province (subscribes to every city) or city (publishes its records)';
COMMENT ON COLUMN federation_node.jurisdiction IS 'The province or city this node serves';
COMMENT ON COLUMN federation_node.set_up_at IS 'Instant of the last set-up';
SELECT pg_catalog.pg_extension_config_dump('federation_node', '');

-- ---------------------------------------------------------------------------
-- Tasks travel province -> city by jurisdiction; outcomes city -> province.
-- ---------------------------------------------------------------------------
ALTER TABLE task ADD COLUMN jurisdiction text REFERENCES jurisdiction;
COMMENT ON COLUMN task.jurisdiction IS
  'The city or district the task is issued to; the province''s publication to a city carries the tasks of the city and its districts';
CREATE INDEX task_jurisdiction ON task (jurisdiction);

CREATE TABLE task_outcome (
  task_id      bigint PRIMARY KEY,
  done_at      timestamptz,
  outcome      text,
  reported_at  timestamptz NOT NULL DEFAULT now(),
  reported_by  text NOT NULL DEFAULT current_user
);
COMMENT ON TABLE task_outcome IS
  'A city''s answer to a task of the province (written by the extension when task.done_at or task.outcome change on a city; published back; closes the task on the province). A table of its own: PostgreSQL 15 would send the province''s own task rows back to it';
COMMENT ON COLUMN task_outcome.task_id IS 'The task (the province''s key; no foreign key, as the province may be behind)';
COMMENT ON COLUMN task_outcome.done_at IS 'task.done_at as the city wrote it';
COMMENT ON COLUMN task_outcome.outcome IS 'task.outcome as the city wrote it';
COMMENT ON COLUMN task_outcome.reported_at IS 'Instant the city recorded the outcome';
COMMENT ON COLUMN task_outcome.reported_by IS 'The role that wrote the outcome on the city';
SELECT pg_catalog.pg_extension_config_dump('task_outcome', '');

-- A province finds two cities' persons with one document (same_document).
ALTER TABLE duplicate_candidate DROP CONSTRAINT duplicate_candidate_reason,
  ADD CONSTRAINT duplicate_candidate_reason CHECK (reason IN ('birth_sex_name', 'phone_name', 'same_document'));
COMMENT ON COLUMN duplicate_candidate.reason IS
  'birth_sex_name: same birth date and sex, similar name; phone_name: same verified phone, similar name; same_document: two cities registered one document (found on the province, doc/federation.md)';

-- ---------------------------------------------------------------------------
-- The triggers a set-up creates (src/federation.c).
-- ---------------------------------------------------------------------------
CREATE FUNCTION federation_replay() RETURNS trigger
  AS 'MODULE_PATHNAME', 'federation_replay' LANGUAGE C;
COMMENT ON FUNCTION federation_replay() IS
  'Province, in the apply worker: runs the statement trigger function named by its argument over the applied row as a one-row statement (the apply worker fires no statement triggers)';
CREATE FUNCTION federation_person_rescope() RETURNS trigger
  AS 'MODULE_PATHNAME', 'federation_person_rescope' LANGUAGE C;
COMMENT ON FUNCTION federation_person_rescope() IS
  'Province, in the apply worker: a second city''s person with a document already held is kept under identity_scope ''<scope>@<node>'' and recorded in duplicate_candidate (same_document), instead of stopping replication on person_identity';
CREATE FUNCTION federation_task_outcome_record() RETURNS trigger
  AS 'MODULE_PATHNAME', 'federation_task_outcome_record' LANGUAGE C;
COMMENT ON FUNCTION federation_task_outcome_record() IS
  'City, on local updates of task: copies done_at and outcome to task_outcome, which the city publishes to the province';
CREATE FUNCTION federation_task_outcome_apply() RETURNS trigger
  AS 'MODULE_PATHNAME', 'federation_task_outcome_apply' LANGUAGE C;
COMMENT ON FUNCTION federation_task_outcome_apply() IS
  'Province, in the apply worker: a city''s task_outcome row closes the province''s task';
CREATE FUNCTION federation_task_address() RETURNS trigger
  AS 'MODULE_PATHNAME', 'federation_task_address' LANGUAGE C;
COMMENT ON FUNCTION federation_task_address() IS
  'Province, on its own inserts: a task without a jurisdiction goes to its person''s (the row filter of the city''s task publication reads task.jurisdiction)';

-- ---------------------------------------------------------------------------
-- Set-up (superuser: publications, subscriptions and trigger firing are the
-- server's administration).  Re-runnable.
-- ---------------------------------------------------------------------------

-- A node's key range, stated once (src/federation.c).
CREATE FUNCTION federation_node_keys(node integer, OUT first_key bigint, OUT last_key bigint)
  AS 'MODULE_PATHNAME', 'federation_node_keys' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION federation_node_keys(integer) IS
  'The keys node number node (1 to 9000) generates: [node * 10^12, (node + 1) * 10^12 - 1]';

-- The node's number, and every identity column of the extension's tables
-- restricted to the node's key range, so that keys of two nodes never meet
-- on the province.  A re-run keeps the keys already generated in the range.
CREATE FUNCTION federation_set_node(node integer, role text, jurisdiction text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, quarantine
AS $$
#variable_conflict use_column
DECLARE
  lo bigint := (quarantine.federation_node_keys(node)).first_key;
  hi bigint := (quarantine.federation_node_keys(node)).last_key;
  c record;
  top bigint;
BEGIN
  IF node IS NULL THEN
    RAISE EXCEPTION 'node number is missing'
      USING ERRCODE = '22023', HINT = 'Number the nodes 1 to 9000, each once.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM quarantine.jurisdiction j
                  WHERE j.code = federation_set_node.jurisdiction AND j.level = federation_set_node.role) THEN
    RAISE EXCEPTION 'no % jurisdiction %', role, jurisdiction
      USING ERRCODE = '23503', HINT = 'Insert the jurisdictions (the same on every node) first.';
  END IF;
  IF EXISTS (SELECT 1 FROM quarantine.federation_node f
              WHERE f.node_no <> node OR f.role <> federation_set_node.role) THEN
    RAISE EXCEPTION 'this node is already set up as another node'
      USING ERRCODE = '55000',
            DETAIL = (SELECT format('node %s, %s %s', f.node_no, f.role, f.jurisdiction) FROM quarantine.federation_node f),
            HINT = 'A node keeps its number and role: its keys and its subscribers depend on them.';
  END IF;
  FOR c IN
    SELECT cl.relname, a.attname
      FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class cl ON cl.oid = a.attrelid
     WHERE cl.relnamespace = 'quarantine'::regnamespace AND cl.relkind = 'r'
       AND a.attidentity <> '' AND NOT a.attisdropped
     ORDER BY 1
  LOOP
    EXECUTE format('SELECT max(%1$I) FROM quarantine.%2$I WHERE %1$I BETWEEN $1 AND $2', c.attname, c.relname)
      INTO top USING lo, hi;
    EXECUTE format('ALTER TABLE quarantine.%I ALTER COLUMN %I SET MINVALUE %s SET MAXVALUE %s SET START %s RESTART %s',
                   c.relname, c.attname, lo, hi, lo + 1, coalesce(top + 1, lo + 1));
  END LOOP;
  INSERT INTO quarantine.federation_node AS f (node_no, role, jurisdiction)
  VALUES (node, role, jurisdiction)
  ON CONFLICT (node_no) DO UPDATE SET jurisdiction = excluded.jurisdiction, set_up_at = now();
END;
$$;
COMMENT ON FUNCTION federation_set_node(integer, text, text) IS
  'Records this node and confines every identity column of the extension to the node''s key range [node * 10^12, (node + 1) * 10^12); used by the set-up functions';

-- A city: its number and key range, its publications, and the trigger that
-- reports task outcomes.  The subscription to the province's tasks is made
-- after federation_add_city on the province (doc/federation.md).
CREATE FUNCTION federation_setup_city(node integer, city text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, quarantine
AS $$
DECLARE
  -- What the provincial health commission is entitled to: everything a rule
  -- or the colour needs (with the isolation sites and the high-risk staff,
  -- whose tests the colour follows), without the person's phone number and
  -- home address (the district's door-to-door work; the province matches
  -- phones by phone_key).  A column added to person later does not leave the
  -- city until it is listed here.
  to_province text := 'quarantine.person (person_id, doc_kind, doc_no, name, sex, birth_date, nationality, '
    'phone_status, jurisdiction, merged_into, identity_scope, name_key, phone_key, created_at), '
    'quarantine.entry, quarantine.control, quarantine.lab_test, quarantine.verification, '
    'quarantine.control_event, quarantine.task_outcome, quarantine.site, quarantine.staff';
  -- A statistics node: counts by area, date, category and status; no
  -- document, name, phone, address, free text or responsible person.
  to_statistics text := 'quarantine.person (person_id, sex, birth_date, nationality, jurisdiction, merged_into, created_at), '
    'quarantine.entry (entry_id, person_id, entered_at, port_kind, port, illegal, origin_country, temperature, '
    'port_nat_result, close_contact, category, exempt_reason, created_at), '
    'quarantine.control (control_id, person_id, entry_id, jurisdiction, status, plan, quarantine_start, control_start, '
    'site_id, end_reason, ended_at, release_date, registered_at), '
    'quarantine.lab_test (test_id, person_id, kind, sampled_at, result, reported_at)';
BEGIN
  PERFORM quarantine.federation_set_node(node, 'city', city);
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = 'quarantine_to_province') THEN
    EXECUTE 'ALTER PUBLICATION quarantine_to_province SET TABLE ' || to_province;
  ELSE
    EXECUTE 'CREATE PUBLICATION quarantine_to_province FOR TABLE ' || to_province;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = 'quarantine_to_statistics') THEN
    EXECUTE 'ALTER PUBLICATION quarantine_to_statistics SET TABLE ' || to_statistics;
  ELSE
    EXECUTE 'CREATE PUBLICATION quarantine_to_statistics FOR TABLE ' || to_statistics;
  END IF;
  -- Local writes only (ENABLE ORIGIN, the default): the province's tasks
  -- arrive through the apply worker and fire nothing here.
  CREATE OR REPLACE TRIGGER federation_task_outcome AFTER UPDATE OF done_at, outcome ON quarantine.task
    FOR EACH ROW EXECUTE FUNCTION quarantine.federation_task_outcome_record();
END;
$$;
COMMENT ON FUNCTION federation_setup_city(integer, text) IS
  'Sets this node up as city node serving jurisdiction city: key range, publications quarantine_to_province (the health commission''s columns) and quarantine_to_statistics (no identifiers), task outcomes reported back';

-- The province: its number, and which triggers fire on what the cities send.
CREATE FUNCTION federation_setup_province(node integer, province text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, quarantine
AS $$
DECLARE
  t record;
BEGIN
  PERFORM quarantine.federation_set_node(node, 'province', province);
  -- Re-derived on the province from what it sees of every city, replayed
  -- row by row (the apply worker fires no statement trigger): the duplicate
  -- search and the colour feed.  Trusted as the city wrote it: the rule
  -- checks (BEFORE ROW triggers) and control_event.  doc/federation.md.
  FOR t IN
    SELECT * FROM (VALUES
      ('person', 'INSERT', 'person_after_write'), ('person', 'UPDATE', 'person_after_write'),
      ('control', 'INSERT', 'code_feed_after_write'), ('control', 'UPDATE', 'code_feed_after_write'),
      ('control', 'DELETE', 'code_feed_after_write'),
      ('lab_test', 'INSERT', 'code_feed_after_write'), ('lab_test', 'UPDATE', 'code_feed_after_write'),
      ('lab_test', 'DELETE', 'code_feed_after_write'),
      ('entry', 'INSERT', 'code_feed_after_write'), ('entry', 'UPDATE', 'code_feed_after_write'),
      ('entry', 'DELETE', 'code_feed_after_write'),
      ('staff', 'INSERT', 'code_feed_after_write'), ('staff', 'UPDATE', 'code_feed_after_write'),
      ('staff', 'DELETE', 'code_feed_after_write')) v(tbl, ev, fn)
  LOOP
    EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER %s ON quarantine.%I FOR EACH ROW '
                   'EXECUTE FUNCTION quarantine.federation_replay(%L)',
                   'federation_' || t.tbl || '_' || lower(t.ev), t.ev, t.tbl, t.fn);
    EXECUTE format('ALTER TABLE quarantine.%I ENABLE REPLICA TRIGGER %I',
                   t.tbl, 'federation_' || t.tbl || '_' || lower(t.ev));
  END LOOP;
  CREATE OR REPLACE TRIGGER federation_person_rescope BEFORE INSERT OR UPDATE ON quarantine.person
    FOR EACH ROW EXECUTE FUNCTION quarantine.federation_person_rescope();
  ALTER TABLE quarantine.person ENABLE REPLICA TRIGGER federation_person_rescope;
  -- The province's own writes (ENABLE ORIGIN): where a task goes.
  CREATE OR REPLACE TRIGGER federation_task_address BEFORE INSERT ON quarantine.task
    FOR EACH ROW EXECUTE FUNCTION quarantine.federation_task_address();
  CREATE OR REPLACE TRIGGER federation_task_outcome AFTER INSERT OR UPDATE ON quarantine.task_outcome
    FOR EACH ROW EXECUTE FUNCTION quarantine.federation_task_outcome_apply();
  ALTER TABLE quarantine.task_outcome ENABLE REPLICA TRIGGER federation_task_outcome;
END;
$$;
COMMENT ON FUNCTION federation_setup_province(integer, text) IS
  'Sets this node up as the province: key range, and the triggers that fire on what the cities send (duplicate search and colour feed replayed, person_identity across cities, task outcomes)';

-- On the province, for each city: the publication of the city's tasks.
-- Only INSERTs travel: a task is issued once, and the province's own
-- update from the city's outcome must not travel back.  The row filter
-- lists the city and its districts as they are now: run again after adding
-- a district.
CREATE FUNCTION federation_add_city(city text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, quarantine
AS $$
DECLARE
  pub text := 'quarantine_tasks_' || city;
  codes text[];
  tbl text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM quarantine.federation_node WHERE role = 'province') THEN
    RAISE EXCEPTION 'this node is not the province'
      USING ERRCODE = '55000', HINT = 'Run federation_setup_province first.';
  END IF;
  IF city !~ '^[A-Za-z0-9_]+$'
     OR NOT EXISTS (SELECT 1 FROM quarantine.jurisdiction j WHERE j.code = city AND j.level = 'city') THEN
    RAISE EXCEPTION 'no city jurisdiction %', city USING ERRCODE = '23503';
  END IF;
  WITH RECURSIVE s(code) AS (
    SELECT city
    UNION
    SELECT j.code FROM quarantine.jurisdiction j JOIN s ON j.parent = s.code
  )
  SELECT array_agg(code ORDER BY code) INTO codes FROM s;
  tbl := format('quarantine.task WHERE (jurisdiction = ANY (%L::text[]))', codes);
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = pub) THEN
    EXECUTE format('ALTER PUBLICATION %I SET TABLE %s', pub, tbl);
  ELSE
    EXECUTE format('CREATE PUBLICATION %I FOR TABLE %s WITH (publish = %L)', pub, tbl, 'insert');
  END IF;
  RETURN pub;
END;
$$;
COMMENT ON FUNCTION federation_add_city(text) IS
  'Province: creates (or refreshes) publication quarantine_tasks_<city>, the tasks issued to the city and its districts (INSERTs only); returns its name';

-- ---------------------------------------------------------------------------
-- Access.  Setting up a node is the superuser's (publications and
-- subscriptions are); the trigger functions are fired, never called.
-- ---------------------------------------------------------------------------
REVOKE EXECUTE ON FUNCTION
  federation_replay(), federation_person_rescope(), federation_task_outcome_record(),
  federation_task_outcome_apply(), federation_task_address(), federation_set_node(integer, text, text),
  federation_setup_city(integer, text), federation_setup_province(integer, text),
  federation_add_city(text)
  FROM PUBLIC;
-- federation_node_keys keeps PUBLIC's EXECUTE: a computation on a number.
GRANT SELECT ON federation_node TO quarantine_admin, quarantine_operator;
-- Written by the extension only (the city's trigger, as the owner).
GRANT SELECT ON task_outcome TO quarantine_admin;
-- Scheduled work without an application (doc/schedule.md): the changes that
-- time alone causes run inside PostgreSQL with pg_cron, when it is there.
-- Also part of the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).
--
-- pg_cron lives in one database of the cluster (cron.database_name, default
-- postgres) and schedules into the others with cron.schedule_in_database.
-- The extension does not require it: job_schedule() says what should run,
-- schedule_sql() writes the statements for the cron database, and
-- schedule_jobs() runs them itself when pg_cron is installed in this database.
--
-- pg_cron 1.4 reads schedules in UTC (no cron.timezone before 1.5), so local
-- midnight in quarantine.timezone is found by asking local_date itself where
-- the date changes, over a year ahead: a zone with summer time gets both UTC
-- hours (refresh_codes run twice is harmless: the second run adds nothing).
-- Overdue tasks need no job: overdue_tasks compares due_at with now() when it
-- is read, so nothing is stored that time could make stale.

CREATE FUNCTION job_schedule(OUT jobname text, OUT schedule text, OUT command text)
RETURNS SETOF record
LANGUAGE sql STABLE
BEGIN ATOMIC
  WITH midnight AS (
    -- every local midnight of the first day of the next 12 months, in UTC
    SELECT DISTINCT (extract(minute FROM g.t AT TIME ZONE 'UTC'))::int AS mi,
                    (extract(hour FROM g.t AT TIME ZONE 'UTC'))::int AS hr
      FROM generate_series(0, 11) AS m(n),
           LATERAL generate_series(
             date_trunc('month', now()) + m.n * interval '1 month' - interval '1 day',
             date_trunc('month', now()) + m.n * interval '1 month' + interval '1 day',
             interval '15 minutes') AS g(t)
     WHERE quarantine.local_date(g.t) <> quarantine.local_date(g.t - interval '15 minutes')
  ), cron_midnight AS (
    SELECT format('%s %s * * *', mi, string_agg(hr::text, ',' ORDER BY hr)) AS schedule,
           row_number() OVER (ORDER BY mi) AS k
      FROM midnight GROUP BY mi
  ), jobs(name, schedule, command, ord) AS (
    SELECT 'refresh-codes-midnight' || CASE WHEN k > 1 THEN '-' || k ELSE '' END, schedule,
           'SELECT quarantine.refresh_codes()', k
      FROM cron_midnight
    UNION ALL
    SELECT 'refresh-codes', '*/5 * * * *', 'SELECT quarantine.refresh_codes()', 100
    UNION ALL
    SELECT 'scan-trail-maintenance', '7 * * * *', 'SELECT quarantine.scan_trail_maintenance()', 200
     WHERE to_regprocedure('quarantine.scan_trail_maintenance()') IS NOT NULL
  )
  SELECT 'quarantine:' || current_database() || ':' || j.name, j.schedule, j.command
    FROM jobs j ORDER BY j.ord;
END;
COMMENT ON FUNCTION job_schedule() IS
  'The jobs that time alone needs, for pg_cron (schedules in UTC): refresh_codes at each local midnight of quarantine.timezone and every 5 minutes, scan_trail_maintenance hourly when it exists; job names carry the database';

CREATE FUNCTION schedule_sql() RETURNS SETOF text
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT format('SELECT cron.schedule_in_database(%L, %L, %L, %L);',
                s.jobname, s.schedule, s.command, current_database())
    FROM quarantine.job_schedule() s;
END;
COMMENT ON FUNCTION schedule_sql() IS
  'The statements that install job_schedule() with pg_cron, to run in the cron database (cron.database_name) as a role allowed to call cron.schedule_in_database; running them again updates the jobs';

CREATE FUNCTION schedule_jobs()
RETURNS TABLE (jobname text, schedule text, command text, jobid bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $body$
DECLARE
  job record;
BEGIN
  IF to_regprocedure('cron.schedule_in_database(text,text,text,text,text,boolean)') IS NULL THEN
    RAISE NOTICE 'pg_cron is not installed in database %', current_database()
      USING DETAIL = CASE WHEN current_setting('cron.database_name', true) IS NULL
                          THEN 'pg_cron is not loaded (shared_preload_libraries).'
                          ELSE format('pg_cron runs in database %s.', current_setting('cron.database_name')) END,
            HINT = 'Run the statements of quarantine.schedule_sql() in the cron database.';
    RETURN QUERY SELECT s.jobname, s.schedule, s.command, NULL::bigint FROM quarantine.job_schedule() s;
    RETURN;
  END IF;
  FOR job IN SELECT s.jobname AS n, s.schedule AS sch, s.command AS cmd FROM quarantine.job_schedule() s LOOP
    jobname := job.n;
    schedule := job.sch;
    command := job.cmd;
    EXECUTE 'SELECT cron.schedule_in_database($1, $2, $3, $4)'
      INTO jobid USING job.n, job.sch, job.cmd, current_database();
    RETURN NEXT;
  END LOOP;
END
$body$;
COMMENT ON FUNCTION schedule_jobs() IS
  'Installs job_schedule() with pg_cron when pg_cron is installed in this database (it is the cron database) and returns the jobs with their ids; otherwise returns them with a NULL jobid and a NOTICE pointing to schedule_sql()';

-- Scheduling is the administrator's; the jobs run as the role that schedules
-- them, which needs refresh_codes (quarantine_admin).
REVOKE EXECUTE ON FUNCTION job_schedule(), schedule_sql(), schedule_jobs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION job_schedule(), schedule_sql(), schedule_jobs() TO quarantine_admin;
-- The feed as a stream (doc/health.md, "The feed as a stream").  Also part of
-- the 0.1.0 -> 0.2.0 upgrade (src/sql/upgrade/ links this file).
--
-- Live clients LISTEN on channel quarantine_code: the feed's own C code
-- (src/health_feed.c) notifies once per statement that appends.  The
-- health-code platform subscribes to a publication instead, which misses
-- nothing.  The publication is made by a function, not by the extension
-- script: publishing is a deployment's decision (wal_level = logical, a
-- replication role, the platform's subscription), and a publication is not a
-- member of the extension, so pg_dump would dump it beside CREATE EXTENSION
-- and a restore would then create it twice.

CREATE FUNCTION create_feed_publication(name text DEFAULT 'quarantine_code_feed') RETURNS text
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $body$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_publication p WHERE p.pubname = create_feed_publication.name) THEN
    -- code_assignment is append-only; person carries the document a colour is
    -- shown against, without name, phone or address.
    EXECUTE format('CREATE PUBLICATION %I FOR TABLE quarantine.code_assignment, '
                   'quarantine.person (person_id, doc_kind, doc_no, identity_scope, merged_into) '
                   'WITH (publish = %L)', create_feed_publication.name, 'insert, update');
  END IF;
  RETURN create_feed_publication.name;
END
$body$;
COMMENT ON FUNCTION create_feed_publication(text) IS
  'Creates, unless it exists, the publication for the health-code platform: every code_assignment row, and person''s identity columns (person_id, doc_kind, doc_no, identity_scope, merged_into); returns its name';

-- Publishing is the administrator's (it also needs ownership of the tables,
-- so in practice the extension's owner runs it).
REVOKE EXECUTE ON FUNCTION create_feed_publication(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION create_feed_publication(text) TO quarantine_admin;
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
