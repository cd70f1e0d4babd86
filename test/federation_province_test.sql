-- Federation (doc/federation.md) on one server, the province: the set-up
-- functions, and the province's triggers driven as the apply worker drives
-- them (session_replication_role = replica).  federation_city_test.sql is
-- the city.  Three real clusters replicating are
-- t/001_province.pl.  Everything here is rolled back (key ranges too).
BEGIN;
SELECT plan(21);
-- (no wal_level warning: this cluster does not replicate)
SET LOCAL client_min_messages = error;

INSERT INTO jurisdiction (code, name, parent, level) VALUES
  ('FD0000', 'Fed province', NULL, 'province'),
  ('FD0300', 'Fed city', 'FD0000', 'city'), ('FD0302', 'Fed district', 'FD0300', 'district'),
  ('FD0100', 'Fed other city', 'FD0000', 'city');

-- ---------------------------------------------------------------------------
-- Set-up errors
-- ---------------------------------------------------------------------------
SELECT throws_ok($$SELECT federation_setup_province(0, 'FD0000')$$, '22023', NULL,
                 'a node number out of 1..9000 is refused (22023)');
SELECT throws_ok($$SELECT federation_setup_province(9001, 'FD0000')$$, '22023', NULL,
                 'node 9001 is refused too (22023)');
SELECT is((SELECT array[first_key, last_key] FROM federation_node_keys(2)),
          array[2000000000000, 2999999999999]::bigint[],
          'node 2 generates keys 2 * 10^12 .. 3 * 10^12 - 1');
SELECT throws_ok($$SELECT federation_setup_province(1, 'FD0300')$$, '23503', NULL,
                 'the province must be set up with a province jurisdiction (23503)');
SELECT throws_ok($$SELECT federation_add_city('FD0300')$$, '55000', NULL,
                 'only the province adds cities (55000)');

-- ---------------------------------------------------------------------------
-- The province
-- ---------------------------------------------------------------------------
SELECT lives_ok($$SELECT federation_setup_province(1, 'FD0000')$$, 'the province is set up');
SELECT lives_ok($$SELECT federation_setup_province(1, 'FD0000')$$, 'and set up again (re-runnable)');
SELECT throws_ok($$SELECT federation_setup_city(1, 'FD0300')$$, '55000', NULL,
                 'a node keeps its role (55000)');
SELECT is(federation_add_city('FD0300'), 'quarantine_tasks_FD0300', 'a city''s task publication');
SELECT is((SELECT pg_get_expr(pr.prqual, pr.prrelid) || ' ' || p.pubinsert || p.pubupdate || p.pubdelete
             FROM pg_publication p JOIN pg_publication_rel pr ON pr.prpubid = p.oid
            WHERE p.pubname = 'quarantine_tasks_FD0300'),
          '(jurisdiction = ANY (''{FD0300,FD0302}''::text[])) truefalsefalse',
          'it carries the INSERTs of the tasks of the city and its districts only');
INSERT INTO task (module, issued_at, jurisdiction) VALUES ('control', '2021-07-10 14:00+08', 'FD0302');
SELECT cmp_ok((SELECT max(task_id) FROM task), '>', 1000000000000::bigint,
              'the province''s keys are in its range');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, jurisdiction)
VALUES (1000000000777, 'passport', 'ETSK00777', 'SUN LI', 'CHN', 'FD0302'),
       (1000000000778, 'passport', 'ETSK00778', 'SUN LU', 'CHN', NULL);
INSERT INTO task (module, person_id, issued_at) VALUES
  ('phone_check', 1000000000777, '2021-07-10 14:00+08'),
  ('phone_check', 1000000000778, '2021-07-10 14:00+08');
SELECT is((SELECT array_agg(coalesce(jurisdiction, '-') ORDER BY person_id) FROM task
            WHERE person_id IN (1000000000777, 1000000000778)),
          '{FD0302,-}', 'a task issued without a jurisdiction goes to its person''s (none: it stays)');

-- What the apply worker does: only ENABLE REPLICA/ALWAYS triggers fire, so
-- the rows come with their maintained columns as the city computed them.
SET LOCAL session_replication_role = replica;
INSERT INTO person (person_id, doc_kind, doc_no, name, sex, birth_date, nationality, identity_scope, jurisdiction)
VALUES (2000000000001, 'passport', 'EFED00001', 'LI HUA', 'F', '1980-05-05', 'CHN', 'CHN', 'FD0302'),
       (3000000000001, 'passport', 'EFED00001', 'LI HUA', 'F', '1980-05-05', 'CHN', 'CHN', NULL),
       (3000000000002, 'passport', 'EFED00002', 'LI  HUA', 'F', '1980-05-05', 'CHN', 'CHN', NULL),
       (2000000000005, 'passport', 'EZHA00005', 'ZHAO MIN', 'M', '1981-01-01', 'CHN', 'CHN', 'FD0302');
-- Rows of a subtransaction that rolls back are forgotten, those of one that
-- commits are kept (streamed transactions apply their subtransactions so).
SAVEPOINT undone;
INSERT INTO person (person_id, doc_kind, doc_no, name, sex, birth_date, nationality, identity_scope)
VALUES (3000000000005, 'passport', 'EZHA00015', 'ZHAO MIN', 'M', '1981-01-01', 'CHN', 'CHN');
ROLLBACK TO SAVEPOINT undone;
SAVEPOINT kept;
INSERT INTO person (person_id, doc_kind, doc_no, name, sex, birth_date, nationality, identity_scope)
VALUES (3000000000006, 'passport', 'EZHA00016', 'ZHAO  MIN', 'M', '1981-01-01', 'CHN', 'CHN');
RELEASE SAVEPOINT kept;
-- The duplicate search runs once for the applied transaction, when it
-- commits (the deferred federation_person_xact); made IMMEDIATE here, it
-- runs now for all rows queued so far, and after each row from here on.
SELECT is((SELECT array_agg(reason) FROM duplicate_candidate WHERE other_id IN (2000000000001, 2000000000005)),
          '{same_document}', 'before the applied transaction ends, only the document''s pair (the search is batched)');
SET CONSTRAINTS ALL IMMEDIATE;
SELECT is((SELECT array_agg(person_id ORDER BY person_id) FROM duplicate_candidate WHERE other_id = 2000000000005),
          '{3000000000006}', 'the batch had the rows of the subtransaction kept, not those of the one rolled back');
SELECT is((SELECT array_agg(identity_scope ORDER BY person_id) FROM person WHERE doc_no LIKE 'EFED%'),
          '{CHN,CHN@3,CHN}', 'a second city''s person with a taken document is kept, scoped to its node');
SELECT is((SELECT array_agg(person_id || ' ' || other_id || ' ' || reason ORDER BY person_id)
             FROM duplicate_candidate WHERE other_id = 2000000000001),
          '{"3000000000001 2000000000001 same_document","3000000000002 2000000000001 birth_sex_name"}',
          'both pairs are candidates: the shared document, and the replayed duplicate search');
UPDATE person SET name = 'LI HUA' WHERE person_id = 3000000000001;
SELECT is((SELECT identity_scope FROM person WHERE person_id = 3000000000001), 'CHN@3',
          'a city''s later update keeps the province''s scope (no unique violation)');
INSERT INTO lab_test (test_id, person_id, kind, sampled_at, result)
VALUES (2000000000001, 2000000000001, 'nat', now() - interval '1 hour', 'positive');
SELECT is((SELECT color || ' ' || reason FROM code_assignment WHERE person_id = 2000000000001),
          'red positive_test', 'the colour feed is derived on the province (replayed)');
INSERT INTO task_outcome (task_id, done_at, outcome)
SELECT task_id, '2021-07-10 16:00+08', 'done' FROM task WHERE jurisdiction = 'FD0302' AND module = 'control';
SELECT is((SELECT outcome FROM task WHERE jurisdiction = 'FD0302' AND module = 'control'), 'done',
          'a city''s outcome closes the province''s task');
SET LOCAL session_replication_role = origin;

-- The trigger functions refuse misuse.
CREATE TEMP TABLE fed_other (person_id bigint);
CREATE TRIGGER fed_replay AFTER INSERT ON fed_other FOR EACH ROW
  EXECUTE FUNCTION federation_replay('person_after_write');
SELECT throws_ok($$INSERT INTO fed_other VALUES (1)$$, '39P01', NULL,
                 'federation_replay fires only on the extension''s tables');
DROP TRIGGER fed_replay ON fed_other;
CREATE TRIGGER fed_replay_bad AFTER INSERT ON person FOR EACH ROW
  EXECUTE FUNCTION federation_replay('code_color');
SELECT throws_ok($$INSERT INTO person (doc_kind, doc_no, name, nationality) VALUES ('passport', 'EFED00009', 'X', 'CHN')$$,
                 '39P01', NULL, 'federation_replay replays only trigger functions');
DROP TRIGGER fed_replay_bad ON person;
SELECT * FROM finish();
ROLLBACK;

