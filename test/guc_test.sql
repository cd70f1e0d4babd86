BEGIN;
LOAD 'quarantine';
SELECT plan(6);

SELECT is(current_setting('quarantine.timezone'), 'Asia/Shanghai', 'timezone defaults to Asia/Shanghai');
SELECT is(current_setting('quarantine.fever_threshold'), '37.3', 'fever threshold defaults to 37.3');
SELECT is(current_setting('quarantine.release_test_days'), '2', 'release test window defaults to 2 days');
SELECT is(current_setting('quarantine.observation_days'), '14', 'observation defaults to 14 days');
SELECT is(current_setting('quarantine.flight_contact_rows'), '3', 'flight contact rows default to 3');
SELECT throws_ok($$SET quarantine.timezone = 'Mars/Olympus'$$, '22023', NULL, 'an unknown time zone is rejected');

SELECT * FROM finish();
ROLLBACK;
