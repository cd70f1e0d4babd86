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
