-- doc/identity.md — identity and documents: the cnid type and document numbers.

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
