-- The inbound verification service (入境人员核查 数据服务接口, the national plan (四)1
-- and (五)1; doc/ports.md, "Inbound verification service"): hotels,
-- employers and communities ask whether a person is still within the
-- observation after entry.  The role quarantine_verifier may call
-- inbound_status() and nothing else about a person.  New in 0.3.0: the
-- upgrade list names this file.

DO $role$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'quarantine_verifier') THEN
    CREATE ROLE quarantine_verifier NOLOGIN;
  END IF;
END
$role$;
COMMENT ON ROLE quarantine_verifier IS
  'quarantine: the inbound verification service; may call inbound_status() only';

CREATE FUNCTION hmac_sha256(key bytea, message bytea) RETURNS bytea
  AS 'MODULE_PATHNAME', 'inbound_hmac_sha256' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hmac_sha256(bytea, bytea) IS
  'HMAC-SHA-256 of a message under a key (RFC 2104), with PostgreSQL''s own implementation';

-- The secret of the call record: one row, the owner's alone (no grant),
-- made by the first call of inbound_status() (not at CREATE EXTENSION, so
-- that a restore brings back the same secret and the HMACs of old calls
-- still match new ones; the dump holds it, as it holds the persons).
CREATE TABLE inbound_secret (
  id      int PRIMARY KEY CONSTRAINT inbound_secret_one CHECK (id = 1),
  secret  bytea NOT NULL
);
COMMENT ON TABLE inbound_secret IS 'The HMAC key of inbound_status_call.doc_hmac; readable by the extension owner only';
COMMENT ON COLUMN inbound_secret.id IS 'Always 1: one secret';
COMMENT ON COLUMN inbound_secret.secret IS '32 bytes from two random UUIDs (gen_random_uuid, 244 random bits), made by the first call of inbound_status()';
SELECT pg_catalog.pg_extension_config_dump('inbound_secret', '');

CREATE TABLE inbound_status_call (
  call_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT now(),
  by_role         text NOT NULL,
  doc_kind        doc_kind NOT NULL,
  doc_hmac        bytea NOT NULL,
  in_observation  boolean NOT NULL
);
COMMENT ON TABLE inbound_status_call IS
  'Every call of inbound_status(): who asked, when, the document as an HMAC, and the answer; administrators read it';
COMMENT ON COLUMN inbound_status_call.at IS 'When the call was made (the transaction time)';
COMMENT ON COLUMN inbound_status_call.by_role IS 'The login that called (session_user)';
COMMENT ON COLUMN inbound_status_call.doc_kind IS 'The kind of document asked about';
COMMENT ON COLUMN inbound_status_call.doc_hmac IS
  'HMAC-SHA-256 of kind:number:nationality (the number as normalize_doc writes it) under inbound_secret: the same document gives the same value, the number cannot be found by enumeration without the secret';
COMMENT ON COLUMN inbound_status_call.in_observation IS 'The answer given';
CREATE INDEX inbound_status_call_doc ON inbound_status_call (doc_hmac);
SELECT pg_catalog.pg_extension_config_dump('inbound_status_call', '');
SELECT pg_catalog.pg_extension_config_dump('inbound_status_call_call_id_seq', '');

CREATE TYPE inbound_answer AS (in_observation boolean, observation_until date, color health_code);
COMMENT ON TYPE inbound_answer IS 'What inbound_status() tells: in observation, until when, the health-code colour';

-- Owner's rights: the verifier reads no table.  The body is bound at
-- creation (BEGIN ATOMIC): no name in it resolves through the caller's
-- search_path, and its arguments are values of the extension's types and
-- text, so the caller chooses no object it evaluates.  observation_until is
-- given only while the person is in observation: for anybody else the
-- answer is that of an unknown document, (false, NULL, colour), which a
-- health-code scan shows anyway.
CREATE FUNCTION inbound_status(doc_kind doc_kind, doc_no text, nationality char(3) DEFAULT NULL)
RETURNS inbound_answer
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, quarantine, pg_temp
BEGIN ATOMIC
  WITH p AS (
    SELECT quarantine.person_for_doc(inbound_status.doc_kind, inbound_status.doc_no, inbound_status.nationality) AS person_id
  ), e AS (
    SELECT p.person_id,
           (SELECT quarantine.local_date(max(x.entered_at)) FROM quarantine.entry x WHERE x.person_id = p.person_id)
             + pg_catalog.current_setting('quarantine.observation_days')::int AS until
      FROM p
  ), a AS (
    SELECT coalesce(e.until > quarantine.local_date(pg_catalog.now()), false) AS in_observation,
           CASE WHEN e.until > quarantine.local_date(pg_catalog.now()) THEN e.until END AS observation_until,
           CASE WHEN e.person_id IS NULL THEN 'green'::quarantine.health_code
                ELSE (quarantine.code_color(e.person_id, pg_catalog.now())).color END AS color
      FROM e
  ), made AS (
    -- the first call makes the secret; two first calls at once: the second
    -- waits and gets the first one's (DO UPDATE returns the committed row)
    INSERT INTO quarantine.inbound_secret (id, secret)
    SELECT 1, pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.gen_random_uuid()::text
                                                      || pg_catalog.gen_random_uuid()::text, 'UTF8'))
     WHERE NOT EXISTS (SELECT 1 FROM quarantine.inbound_secret s WHERE s.id = 1)
    ON CONFLICT (id) DO UPDATE SET secret = quarantine.inbound_secret.secret
    RETURNING secret
  ), rec AS (
    INSERT INTO quarantine.inbound_status_call (by_role, doc_kind, doc_hmac, in_observation)
    SELECT pg_catalog."session_user"(), inbound_status.doc_kind,
           quarantine.hmac_sha256(coalesce((SELECT m.secret FROM made m),
                                           (SELECT s.secret FROM quarantine.inbound_secret s WHERE s.id = 1)),
                                  pg_catalog.convert_to(inbound_status.doc_kind::text || ':'
                                    || quarantine.normalize_doc(inbound_status.doc_kind, inbound_status.doc_no) || ':'
                                    || coalesce(pg_catalog.upper(inbound_status.nationality::text), ''), 'UTF8')),
           a.in_observation
      FROM a
  )
  SELECT ROW(a.in_observation, a.observation_until, a.color)::quarantine.inbound_answer FROM a;
END;
COMMENT ON FUNCTION inbound_status(doc_kind, text, char) IS
  'Whether the holder of a document is within the observation after entry (observation_until: the first day after it, given only while in it) and the health-code colour; an unknown document answers (false, NULL, green); every call is recorded in inbound_status_call';

-- Grants (as 90_access.sql decides for its kind).
GRANT USAGE ON SCHEMA quarantine TO quarantine_verifier;
REVOKE EXECUTE ON FUNCTION inbound_status(doc_kind, text, char) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbound_status(doc_kind, text, char) TO quarantine_verifier, quarantine_admin;
GRANT SELECT ON inbound_status_call TO quarantine_admin;
