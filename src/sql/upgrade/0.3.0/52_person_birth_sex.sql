-- The duplicate search reads a block's persons and name keys from
-- person_birth_sex alone (50_records.sql): the index gets them as INCLUDE
-- columns.
DROP INDEX person_birth_sex;
CREATE INDEX person_birth_sex ON person (birth_date, sex) INCLUDE (person_id, name_key);
