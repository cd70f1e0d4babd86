-- register_arrival (doc/application.md, "Registering an arrival"): one call,
-- one round trip, the caller's rights: the person found by document
-- (person_for_doc) or created, an entry, a pending control.  Every value is
-- checked by the triggers of the table it goes to; another district's
-- person follows rule control_scope (doc/security.md).
CREATE OR REPLACE FUNCTION register_arrival(
  doc_kind doc_kind, doc_no text, name text,
  nationality char(3) DEFAULT NULL, jurisdiction text DEFAULT NULL,
  entered_at timestamptz DEFAULT now(), port_kind text DEFAULT 'air',
  site_id bigint DEFAULT NULL, requested_plan text DEFAULT NULL,
  OUT person_id bigint, OUT entry_id bigint, OUT control_id bigint,
  OUT plan isolation_plan, OUT person_created boolean)
  AS 'MODULE_PATHNAME', 'register_arrival'
  LANGUAGE C VOLATILE;
COMMENT ON FUNCTION register_arrival(doc_kind, text, text, char, text, timestamptz, text, bigint, text) IS
  'Register an arrival in one call: the person found by document or created, an entry, a pending control; returns the ids and the plan';
-- It probes person_identity's index for another district's document (no
-- table privilege guards that): the working roles only.
REVOKE EXECUTE ON FUNCTION
  register_arrival(doc_kind, text, text, char, text, timestamptz, text, bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  register_arrival(doc_kind, text, text, char, text, timestamptz, text, bigint, text)
  TO quarantine_admin, quarantine_operator;
