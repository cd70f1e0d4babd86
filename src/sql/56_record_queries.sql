-- SQL functions that read the record tables.
--
-- Written with SQL-standard bodies (BEGIN ATOMIC): the body is parsed when
-- the function is created, so every name and operator in it is bound then to
-- pg_catalog and quarantine objects, and no caller's search_path can redirect
-- it later (README, Conventions; the CVE-2018-1058 pattern).  They stay inlinable, which a
-- SET search_path clause would prevent.  CREATE OR REPLACE: this file is also
-- part of the 0.1.0 -> 0.2.0 upgrade, which replaced the string bodies.

-- C helpers the functions below share with the triggers.
CREATE OR REPLACE FUNCTION identity_scope(kind doc_kind, nationality text)
  RETURNS text AS 'MODULE_PATHNAME', 'person_identity_scope'
  LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION identity_scope(doc_kind, text) IS
  'person.identity_scope of a document: its nationality normalized as the person trigger does (passports), else empty';

-- The one reader of a person's lab tests (src/records/lab_tests.c), shared with the
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
