-- The inbound verification service (doc/ports.md), as a real login role:
-- qt_verifier is a member of quarantine_verifier and nothing else.
\set VERBOSITY default
SET client_min_messages = warning;
CREATE ROLE qt_verifier LOGIN IN ROLE quarantine_verifier;
SET quarantine.duplicate_detection = off;
INSERT INTO quarantine.person (person_id, doc_kind, doc_no, name, nationality) VALUES
  (88001, 'passport', 'E88000001', 'IN OBSERVATION', 'CHN'),
  (88002, 'passport', 'E88000002', 'LONG AGO', 'CHN'),
  (88003, 'resident_id', '330302199204178836', '陈明', 'CHN');
INSERT INTO quarantine.entry (person_id, entered_at, flight) VALUES
  (88001, now() - interval '3 days', 'CA939'),
  (88002, now() - interval '40 days', 'CA939'),
  (88003, now() - interval '1 day', 'MU552');

\c - qt_verifier
-- in observation: until the first day after it (entry day + 14)
SELECT in_observation, observation_until = quarantine.local_date(now()) - 3 + 14 AS until_day_15, color
  FROM quarantine.inbound_status('passport', 'e 8800 0001', 'chn');
-- observation over: answered as an unknown document is
SELECT * FROM quarantine.inbound_status('passport', 'E88000002', 'CHN');
SELECT * FROM quarantine.inbound_status('passport', 'E99999999', 'CHN');
SELECT in_observation, color FROM quarantine.inbound_status('resident_id', '330302199204178836');
SELECT in_observation FROM quarantine.inbound_status('passport', 'E88000001', 'CHN');
-- nothing else: no table, no record of the calls, no secret
SELECT count(*) FROM quarantine.person;
SELECT count(*) FROM quarantine.inbound_status_call;
SELECT count(*) FROM quarantine.inbound_secret;
SELECT quarantine.code_color(88001);

\c - postgres
SET client_min_messages = warning;
-- The verifier's reach, from the catalogue: no relation of the schemas, and
-- no function beyond inbound_status but those PUBLIC may execute.
SELECT c.oid::regclass AS readable
  FROM pg_class c WHERE c.relnamespace IN ('quarantine'::regnamespace, 'quarantine_analytics'::regnamespace)
   AND c.relkind IN ('r', 'v', 'm', 'p', 'S')
   AND (has_table_privilege('qt_verifier', c.oid, 'SELECT') OR has_table_privilege('qt_verifier', c.oid, 'INSERT')
        OR has_table_privilege('qt_verifier', c.oid, 'UPDATE') OR has_table_privilege('qt_verifier', c.oid, 'DELETE'));
SELECT p.oid::regprocedure AS executable
  FROM pg_proc p WHERE p.pronamespace = 'quarantine'::regnamespace
   AND has_function_privilege('qt_verifier', p.oid, 'EXECUTE')
   AND NOT coalesce(p.proacl IS NULL OR aclcontains(p.proacl, makeaclitem(0, p.proowner, 'EXECUTE', false)), false);
-- The record: one row a call, the document as an HMAC (32 bytes), the same
-- for the same document however it was typed, never the number itself.
SELECT by_role, doc_kind, length(doc_hmac) AS hmac_bytes, in_observation FROM quarantine.inbound_status_call ORDER BY call_id;
SELECT count(DISTINCT doc_hmac) AS documents FROM quarantine.inbound_status_call;
SELECT count(*) AS plain_numbers FROM quarantine.inbound_status_call c
 WHERE c::text LIKE '%88000001%' OR c::text LIKE '%330302199204178836%';
SELECT has_table_privilege('quarantine_admin', 'quarantine.inbound_status_call', 'SELECT') AS admin_reads,
       has_table_privilege('quarantine_operator', 'quarantine.inbound_status_call', 'SELECT') AS operator_reads,
       has_table_privilege('quarantine_admin', 'quarantine.inbound_secret', 'SELECT') AS admin_reads_secret;
-- hmac_sha256: RFC 4231, test case 2
SELECT encode(quarantine.hmac_sha256('Jefe', 'what do ya want for nothing?'), 'hex') AS rfc4231_case2;
DELETE FROM quarantine.inbound_status_call;
DROP OWNED BY qt_verifier;
DROP ROLE qt_verifier;
