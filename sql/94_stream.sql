-- The feed as a stream (src/sql/94_stream.sql): the publication for the
-- health-code platform.  (The notifications are specs/feed_notify.spec.)
-- A publication can be made before the server publishes (wal_level =
-- logical): the server then warns, and whether it does depends on the test
-- cluster's settings, so the warning is kept out of this file.
SET client_min_messages = error;
SELECT quarantine.create_feed_publication();
-- What it publishes: every feed row, and person's identity columns only.
SELECT pubname, pubinsert, pubupdate, pubdelete, pubtruncate
  FROM pg_publication WHERE pubname = 'quarantine_code_feed';
SELECT schemaname, tablename, attnames
  FROM pg_publication_tables WHERE pubname = 'quarantine_code_feed' ORDER BY tablename;
-- A second call leaves it as it is.
SELECT quarantine.create_feed_publication();
SELECT count(*) AS publications FROM pg_publication WHERE pubname = 'quarantine_code_feed';
-- Another name, for a second subscriber.
SELECT quarantine.create_feed_publication('platform_b');
SELECT pubname FROM pg_publication ORDER BY pubname;
-- A different publication under the name is not taken for the feed's:
-- another table, another column, other actions.
\set VERBOSITY default
CREATE PUBLICATION qr_other FOR TABLE quarantine.code_assignment;
SELECT quarantine.create_feed_publication('qr_other');
ALTER PUBLICATION platform_b SET TABLE quarantine.code_assignment,
  quarantine.person (person_id, doc_kind, doc_no, identity_scope, merged_into, phone);
SELECT quarantine.create_feed_publication('platform_b');
ALTER PUBLICATION platform_b SET TABLE quarantine.code_assignment,
  quarantine.person (person_id, doc_kind, doc_no, identity_scope, merged_into);
ALTER PUBLICATION platform_b SET (publish = 'insert, update, delete');
SELECT quarantine.create_feed_publication('platform_b');
ALTER PUBLICATION platform_b SET (publish = 'insert, update');
SELECT quarantine.create_feed_publication('platform_b');
DROP PUBLICATION qr_other;
-- Only the administrator publishes.
SELECT has_function_privilege('quarantine_operator', 'quarantine.create_feed_publication(text)', 'EXECUTE') AS operator,
       has_function_privilege('quarantine_admin', 'quarantine.create_feed_publication(text)', 'EXECUTE') AS admin;
RESET client_min_messages;
DROP PUBLICATION quarantine_code_feed, platform_b;
