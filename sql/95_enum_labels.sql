-- Enum labels the rules do not know, and the policy cache after a failed
-- load (issue #11 items 11 and 12).  Runs last: ALTER TYPE ... ADD VALUE
-- cannot be undone, and the new label must be committed before use.
SET search_path = quarantine, public;
SET datestyle = 'ISO, YMD';
SET client_min_messages = notice;
CREATE FUNCTION pg_temp.error_of(sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE sql;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

ALTER TYPE arrival_category ADD VALUE 'quarantined_elsewhere';
SELECT plan_for('general', '2021-01-01');   -- fills the policy cache
INSERT INTO policy (category, plan, effective, nat_days, note)
VALUES ('quarantined_elsewhere', '14c', '[2030-01-01,2031-01-01)', '{1}', 'a provincial category');

-- The reload meets a label the rules do not know: an error with a SQLSTATE
-- (not XX000), and the cache stays invalid, so a second call fails the same
-- way instead of reading a half-built cache.
SELECT pg_temp.error_of($$SELECT plan_for('general', '2021-01-01')$$) AS first_call;
SELECT pg_temp.error_of($$SELECT plan_for('general', '2021-01-01')$$) AS second_call;
DELETE FROM policy WHERE category = 'quarantined_elsewhere';
SELECT plan_for('general', '2021-01-01') AS after_delete,
       plan_for('general', '2021-06-01') AS later;

-- A row with the new label: the trigger names the label and its enum.
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
VALUES (950001, 'passport', 'E95000001', 'LU XIN', 'CHN');
SELECT pg_temp.error_of($$INSERT INTO entry (person_id, entered_at, category)
                          VALUES (950001, '2021-06-01 10:00+08', 'quarantined_elsewhere')$$) AS entry;
