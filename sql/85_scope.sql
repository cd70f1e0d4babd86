-- Row-level security by jurisdiction (doc/security.md), as real login roles:
--   qt_lucheng   operator of district 330302 鹿城区
--   qt_wenzhou   operator of city 3303 温州市 (sees its districts)
--   qt_hangzhou  operator of district 330106 西湖区, another city
--   qt_analyst   a member of quarantine_analyst
\set VERBOSITY default
SET client_min_messages = warning;
SET search_path = quarantine, public;
INSERT INTO jurisdiction (code, name, parent, level) VALUES
  ('33', '浙江省', NULL, 'province'),
  ('3303', '温州市', '33', 'city'),
  ('330303', '龙湾区 Longwan', '3303', 'district'),
  ('3301', '杭州市', '33', 'city'),
  ('330106', '西湖区 Xihu', '3301', 'district')
ON CONFLICT (code) DO UPDATE SET parent = excluded.parent;
UPDATE jurisdiction SET parent = '3303' WHERE code IN ('330302', '330303');
CREATE ROLE qt_lucheng LOGIN IN ROLE quarantine_operator;
CREATE ROLE qt_wenzhou LOGIN IN ROLE quarantine_operator;
CREATE ROLE qt_hangzhou LOGIN IN ROLE quarantine_operator;
CREATE ROLE qt_analyst LOGIN IN ROLE quarantine_analyst;
INSERT INTO operator_scope VALUES ('qt_lucheng', '330302'), ('qt_wenzhou', '3303'), ('qt_hangzhou', '330106');
-- One person a district, each with an entry, an open control and a test.
INSERT INTO person (person_id, doc_kind, doc_no, name, sex, birth_date, nationality, phone, jurisdiction) VALUES
  (85001, 'passport', 'EA8500001', 'CHEN MING', 'M', '1985-03-02', 'CHN', '13812340001', '330302'),
  (85002, 'passport', 'EA8500002', 'WU FANG', 'F', '1990-07-01', 'CHN', '13812340002', '330303'),
  (85003, 'passport', 'EA8500003', 'ZHAO LEI', 'M', '1979-11-11', 'CHN', '13812340003', '330106');
INSERT INTO entry (entry_id, person_id, entered_at, port)
SELECT person_id + 100, person_id, '2021-07-10 06:20+08', 'PVG' FROM person WHERE person_id BETWEEN 85001 AND 85003;
INSERT INTO control (control_id, person_id, entry_id, jurisdiction)
SELECT person_id + 200, person_id, person_id + 100, jurisdiction FROM person WHERE person_id BETWEEN 85001 AND 85003;
INSERT INTO lab_test (person_id, kind, sampled_at, result)
SELECT person_id, 'nat', '2021-07-10 08:00+08', 'negative' FROM person WHERE person_id BETWEEN 85001 AND 85003;
UPDATE control SET status = 'under_control', control_start = '2021-07-10 14:00+08'
 WHERE control_id BETWEEN 85201 AND 85203;
-- What each role sees, one query kept in a psql variable (it survives \c).
\set seen 'SELECT ''person'' AS t, array_agg(person_id ORDER BY person_id) AS ids FROM quarantine.person WHERE person_id BETWEEN 85001 AND 85099 UNION ALL SELECT ''entry'', array_agg(person_id ORDER BY person_id) FROM quarantine.entry WHERE person_id BETWEEN 85001 AND 85099 UNION ALL SELECT ''control'', array_agg(person_id ORDER BY person_id) FROM quarantine.control WHERE person_id BETWEEN 85001 AND 85099 UNION ALL SELECT ''lab_test'', array_agg(person_id ORDER BY person_id) FROM quarantine.lab_test WHERE person_id BETWEEN 85001 AND 85099 UNION ALL SELECT ''control_event'', array_agg(c.person_id ORDER BY c.person_id) FROM quarantine.control_event e JOIN quarantine.control c USING (control_id) WHERE c.person_id BETWEEN 85001 AND 85099 UNION ALL SELECT ''code_assignment'', array_agg(DISTINCT person_id) FROM quarantine.code_assignment WHERE person_id BETWEEN 85001 AND 85099'
:seen;

-- 1. Reads: a district sees its own rows, a city its districts', another
-- city nothing of them.
\c - qt_lucheng
SET search_path = quarantine, public;
SELECT scope_jurisdictions();
:seen;
\c - qt_wenzhou
SET search_path = quarantine, public;
SELECT scope_jurisdictions();
SELECT count(*) AS persons, array_agg(person_id ORDER BY person_id) FROM person WHERE person_id BETWEEN 85001 AND 85099;
SELECT count(*) AS controls FROM control WHERE person_id BETWEEN 85001 AND 85099;
\c - qt_hangzhou
SET search_path = quarantine, public;
SELECT array_agg(person_id ORDER BY person_id) AS persons FROM person WHERE person_id BETWEEN 85001 AND 85099;
SELECT count(*) AS entries_of_wenzhou FROM entry WHERE person_id IN (85001, 85002);

-- 2. Writes outside the scope fail with 42501 and write nothing.
\c - qt_lucheng
SET search_path = quarantine, public;
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, jurisdiction)
VALUES (85011, 'passport', 'EA8500011', 'SUN LI', 'CHN', '330303');
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality)
VALUES (85012, 'passport', 'EA8500012', 'SUN LI', 'CHN');
INSERT INTO entry (person_id, entered_at, port) VALUES (85003, '2021-07-12 06:20+08', 'PVG');
INSERT INTO lab_test (person_id, kind, sampled_at, result) VALUES (85002, 'nat', '2021-07-12 08:00+08', 'positive');
-- moving a row out of the scope
UPDATE person SET jurisdiction = '330106' WHERE person_id = 85001;
UPDATE control SET jurisdiction = '330106' WHERE person_id = 85001;
-- a row outside the scope is not found
UPDATE person SET name = 'X' WHERE person_id = 85003;
UPDATE control SET note = 'X' WHERE person_id = 85003;
-- an operator deletes nothing, in scope or not
DELETE FROM lab_test WHERE person_id = 85001;
-- PostgreSQL refuses COPY FROM under row security: operators INSERT.  (The
-- rows come from a file psql writes first, not from lines after the command:
-- what psql does with data lines after a refused COPY differs between its
-- releases.)
\copy (SELECT 85013, 'passport', 'EA8500013', 'SUN LI', 'CHN', '330302') TO 'results/85_scope_operator.csv' WITH (FORMAT csv)
\copy person (person_id, doc_kind, doc_no, name, nationality, jurisdiction) FROM 'results/85_scope_operator.csv' WITH (FORMAT csv)
-- in scope, all of it works
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, jurisdiction)
VALUES (85014, 'passport', 'EA8500014', 'SUN LI', 'CHN', '330302');
INSERT INTO entry (entry_id, person_id, entered_at, port) VALUES (85114, 85014, '2021-07-12 06:20+08', 'PVG');
INSERT INTO control (control_id, person_id, entry_id) VALUES (85214, 85014, 85114);
-- the control takes its person's jurisdiction (no site given)
SELECT control_id, jurisdiction FROM control WHERE person_id = 85014;

-- 3. The rules see every district whatever the caller's scope.
-- person_identity: another city's document is taken
INSERT INTO person (doc_kind, doc_no, name, nationality, jurisdiction)
VALUES ('passport', 'EA8500003', 'ZHAO LEI', 'CHN', '330302');
-- control_single_open: a person of this district under control elsewhere
\c - postgres
SET search_path = quarantine, public;
SET client_min_messages = warning;
INSERT INTO person (person_id, doc_kind, doc_no, name, nationality, jurisdiction)
VALUES (85020, 'passport', 'EA8500020', 'QIAN YU', 'CHN', '330302');
INSERT INTO entry (entry_id, person_id, entered_at, port) VALUES (85120, 85020, '2021-07-12 06:20+08', 'PVG');
INSERT INTO control (control_id, person_id, entry_id, jurisdiction) VALUES (85220, 85020, 85120, '330106');
\c - qt_lucheng
SET search_path = quarantine, public;
SELECT count(*) AS visible_controls_of_85020 FROM control WHERE person_id = 85020;
INSERT INTO control (person_id, entry_id, jurisdiction) VALUES (85020, 85120, '330302');
-- the duplicate search spans districts: a new Lucheng person resembling
-- Hangzhou's ZHAO LEI is a candidate; Lucheng sees the pair, not his record
INSERT INTO person (person_id, doc_kind, doc_no, name, sex, birth_date, nationality, jurisdiction)
VALUES (85030, 'passport', 'EB8500030', 'ZHAO LEI', 'M', '1979-11-11', 'CHN', '330302');
SELECT person_id, other_id, reason FROM duplicate_candidate WHERE person_id = 85030;
SELECT count(*) AS other_persons_record FROM person WHERE person_id = 85003;

-- Staged manifest rows are the district's own too.
INSERT INTO manifest_staging (batch, row_no, name, doc_kind, doc_no, nationality, jurisdiction)
VALUES ('SCOPE', 1, 'LIN FEI', 'passport', 'EA8500050', 'CHN', '330302');
INSERT INTO manifest_staging (batch, row_no, name, doc_kind, doc_no, nationality, jurisdiction)
VALUES ('SCOPE', 2, 'LIN FEI', 'passport', 'EA8500051', 'CHN', '330106');
-- and so are health codes: another city's person's colour is not told
SELECT code_color(85001) IS NOT NULL AS own_person_color;
SELECT code_color(85003);
\c - qt_hangzhou
SELECT count(*) AS lucheng_rows_staged FROM quarantine.manifest_staging WHERE batch = 'SCOPE';

-- 4. Bulk loads: COPY FROM is refused under row security even for an
-- administrator, whose policy passes every row; an ETL login role is given
-- BYPASSRLS by a superuser (doc/etl.md).  The rules still apply to it.
\c - postgres
CREATE ROLE qt_admin_copy LOGIN IN ROLE quarantine_admin;
CREATE ROLE qt_etl LOGIN BYPASSRLS IN ROLE quarantine_admin;
\c - qt_admin_copy
\copy (SELECT 85040, 'passport', 'EA8500040', 'SUN LI', 'CHN', '330106') TO 'results/85_scope_admin.csv' WITH (FORMAT csv)
\copy quarantine.person (person_id, doc_kind, doc_no, name, nationality, jurisdiction) FROM 'results/85_scope_admin.csv' WITH (FORMAT csv)
\c - qt_etl
COPY quarantine.person (person_id, doc_kind, doc_no, name, nationality, jurisdiction) FROM stdin;
85041	passport	EA8500041	SUN LI	CHN	330106
\.
COPY quarantine.person (person_id, doc_kind, doc_no, name, nationality, jurisdiction) FROM stdin;
85042	passport	EA8500041	SUN LI	CHN	330106
\.
SELECT row_key, by_role FROM quarantine.audit_log
 WHERE table_name = 'person' AND row_key IN ('85040', '85041', '85042');

-- 5. Analysts read no base table.
\c - qt_analyst
SELECT count(*) FROM quarantine.person;
SELECT count(*) FROM quarantine.control;

\c - postgres
SET client_min_messages = warning;
DROP OWNED BY qt_lucheng, qt_wenzhou, qt_hangzhou, qt_analyst, qt_admin_copy, qt_etl;
DROP ROLE qt_lucheng, qt_wenzhou, qt_hangzhou, qt_analyst, qt_admin_copy, qt_etl;
