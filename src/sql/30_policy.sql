
-- ---------------------------------------------------------------------------
-- policy: which plan applies to whom and when (doc/plans.md)
-- ---------------------------------------------------------------------------

CREATE FUNCTION check_nat_days(plan isolation_plan, nat_days integer[]) RETURNS boolean
  AS 'MODULE_PATHNAME', 'plan_check_nat_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION check_nat_days(isolation_plan, integer[]) IS
  'True when every NAT day is a day number of the plan (1..total_days), once; otherwise raises 23514 policy_nat_days';

CREATE TABLE policy (
  policy_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  category  arrival_category NOT NULL,
  plan      isolation_plan NOT NULL,
  effective daterange NOT NULL,
  nat_days  integer[] NOT NULL DEFAULT '{}',
  note      text,
  shipped   boolean NOT NULL DEFAULT false,
  CONSTRAINT policy_no_overlap EXCLUDE USING gist (category WITH =, effective WITH &&),
  CONSTRAINT policy_nat_days CHECK (check_nat_days(plan, nat_days)),
  CONSTRAINT policy_effective CHECK (NOT isempty(effective) AND NOT lower_inf(effective))
);
COMMENT ON TABLE policy IS
  'Isolation plan per arrival category and period; ranges of one category do not overlap. Shipped rows follow the national timeline; admins add provincial rows';
COMMENT ON COLUMN policy.category IS 'Arrival category the row applies to; a category with no row falls back to general (see plan_for)';
COMMENT ON COLUMN policy.plan IS 'Plan for persons whose quarantine starts within effective';
COMMENT ON COLUMN policy.effective IS 'Quarantine start dates the row applies to, half-open';
COMMENT ON COLUMN policy.nat_days IS 'Day numbers (day 1 = quarantine start) on which a NAT sample is due';
COMMENT ON COLUMN policy.note IS 'The instrument the row follows';
COMMENT ON COLUMN policy.shipped IS 'Row shipped with the extension (pg_dump leaves it out; CREATE EXTENSION recreates it)';

-- Rows shipped with the extension: test/data/quarantine_timeline.tsv.  From
-- 2021-05-14 the national protocols set one regime for inbound arrivals and
-- close contacts alike; from 2023-01-08 there is no isolation (the ranges end
-- there, so plan_for is NULL).  NAT days count from day 1 of the quarantine:
-- "day 2 of home monitoring" after 14c is day 16.
INSERT INTO policy (category, plan, effective, nat_days, note, shipped) VALUES
  ('general', '14c', '[2020-03-16,2021-05-14)', '{1,14}',
   'Inbound arrivals: 14 days centralized isolation from 2020-03-16 (local, then national practice, Beijing first; the Fujian guideline (五), the national plan part 三); release NAT (the Fujian guideline (九))', true),
  ('close_contact', '14c', '[2020-03-16,2021-05-14)', '{1,14}',
   'Close contacts: 14 days centralized medical observation (COVID-19 Prevention and Control Protocol v5-v7, close-contact annex; the national plan (三)4)', true),
  ('discharged', '14c', '[2020-03-16,2023-01-08)', '{1,14}',
   'Discharged cases: 14 days isolation management and health monitoring after discharge (Health Management Plan for Discharged Patients (trial), 新冠肺炎出院患者健康管理方案; the national plan (三)1), until the class B management plan (乙类乙管) took effect on 2023-01-08', true),
  ('general', '14c+7m', '[2021-05-14,2022-06-28)', '{1,4,7,14,16,21}',
   'Protocol v8 (2021-05-14): 14 days centralized + 7 days home health monitoring (居家健康监测); NAT on centralized days 1, 4, 7, 14 and on days 2 and 7 after release', true),
  ('close_contact', '14c+7m', '[2021-05-14,2022-06-28)', '{1,4,7,14,16,21}',
   'Protocol v8 (2021-05-14), close contacts: 14 days centralized + 7 days home health monitoring; NAT on centralized days 1, 4, 7, 14 and on days 2 and 7 after release', true),
  ('general', '7c+3m', '[2022-06-28,2022-11-11)', '{1,2,3,5,7,10}',
   'Protocol v9 (2022-06-28): 7 days centralized + 3 days home health monitoring (不外出); NAT on centralized days 1, 2, 3, 5, 7 and on day 3 at home', true),
  ('close_contact', '7c+3m', '[2022-06-28,2022-11-11)', '{1,2,3,5,7,10}',
   'Protocol v9 (2022-06-28), close contacts: 7 days centralized + 3 days home health monitoring; NAT on centralized days 1, 2, 3, 5, 7 and on day 3 at home', true),
  ('general', '5c+3h', '[2022-11-11,2023-01-08)', '{1,2,3,5,6,8}',
   'State Council JPC notice of 2022-11-11 ("twenty measures", 二十条): 5 days centralized + 3 days home isolation (居家隔离, 不得外出); NAT on centralized days 1, 2, 3, 5 and home days 1, 3; no repeated isolation at the destination. Ended 2023-01-08 (乙类乙管 plan of 2022-12-26)', true),
  ('close_contact', '5c+3h', '[2022-11-11,2023-01-08)', '{1,2,3,5,6,8}',
   'State Council JPC notice of 2022-11-11 ("twenty measures", 二十条), close contacts: 5 days centralized + 3 days home isolation; NAT on centralized days 1, 2, 3, 5 and home days 1, 3. Ended 2023-01-08 (乙类乙管 plan of 2022-12-26)', true);

-- pg_dump keeps rows admins add (and the identity counter), not shipped rows.
SELECT pg_catalog.pg_extension_config_dump('policy', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('policy_policy_id_seq', '');

-- plan_for reads the rows through a per-backend cache (src/records/policy_cache.c):
-- the control trigger needs it once per row of a COPY.  The statement
-- trigger below sends a relcache invalidation on every change, which empties
-- the cache in every backend at commit (and in this one at once).
CREATE FUNCTION plan_for(category arrival_category, on_date date) RETURNS isolation_plan
  AS 'MODULE_PATHNAME', 'policy_plan_for'
  LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION plan_for(arrival_category, date) IS
  'Plan for a quarantine of this category starting on on_date: the policy row covering the date; a category with no row of its own falls back to general (exempt does not); NULL when no policy covers the date';

CREATE FUNCTION policy_after_change() RETURNS trigger
  AS 'MODULE_PATHNAME', 'policy_after_change' LANGUAGE C;
COMMENT ON FUNCTION policy_after_change() IS
  'Invalidates the cached policy rows in every backend after a change';
CREATE TRIGGER policy_after_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON policy
  FOR EACH STATEMENT EXECUTE FUNCTION policy_after_change();

CREATE FUNCTION nat_due_on(category arrival_category, start date, on_date date) RETURNS boolean
  AS 'MODULE_PATHNAME', 'policy_nat_due_on'
  LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION nat_due_on(arrival_category, date, date) IS
  'Whether the policy for a quarantine of this category starting on start has a NAT sample due on on_date (its nat_days)';
