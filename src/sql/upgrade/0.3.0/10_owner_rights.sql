-- import_reject gets the district of each reject (row security), and a
-- refused row is recorded once per batch (unique indexes, 93_owner_rights.sql):
-- the column, its value for the rejects of 0.2.0, and the removal of rejects
-- recorded twice by loads that ran side by side under REPEATABLE READ.
-- Rejects of 0.2.0 do not record whose view their messages were written
-- for (caller_scope NULL): from 0.3.0 they are the administrators' to read.
ALTER TABLE import_reject ADD COLUMN IF NOT EXISTS jurisdiction text;
ALTER TABLE import_reject ADD COLUMN IF NOT EXISTS caller_scope text[];
UPDATE import_reject r
   SET jurisdiction = coalesce(
         CASE WHEN r.target IS NULL OR r.target IN ('person', 'control')
              THEN nullif(btrim(r.row ->> 'jurisdiction'), '') END,
         (SELECT p.jurisdiction FROM person p
           WHERE p.person_id = CASE WHEN (r.row ->> 'person_id') ~ '^[0-9]{1,18}$'
                                    THEN (r.row ->> 'person_id')::bigint END))
 WHERE r.jurisdiction IS NULL;
DELETE FROM import_reject r
 USING import_reject k
 WHERE k.reject_id < r.reject_id
   AND k.batch = r.batch
   AND k.row_no IS NOT DISTINCT FROM r.row_no
   AND k.target IS NOT DISTINCT FROM r.target
   AND (r.target IS NULL OR k.rule = r.rule)
   AND k.row = r.row;
