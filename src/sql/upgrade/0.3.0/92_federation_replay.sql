-- The province replays once per applied transaction (doc/federation.md,
-- "How the province re-derives"): a province set up by 0.2.0 gets the
-- deferred federation_<table>_xact triggers now.  Until then its replay
-- triggers go on deriving row by row (federation_replay does so where the
-- table has no flush), so nothing is lost while the library is newer than
-- the schema.
DO $$
BEGIN
  PERFORM quarantine.federation_setup_province(node_no, jurisdiction)
     FROM quarantine.federation_node WHERE role = 'province';
END
$$;
