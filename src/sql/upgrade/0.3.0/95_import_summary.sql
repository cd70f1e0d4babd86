-- import_summary counts load_staged batches apart from manifests (column
-- target): replaced by 73_import_summary.sql, listed before this file.
-- CREATE OR REPLACE VIEW resets the view's options: row security applies to
-- the caller again, as 90_access.sql sets it on a fresh install.
ALTER VIEW import_summary SET (security_invoker = true);

-- load_staged from a staging table without batch and row_no (doc/etl.md).
COMMENT ON FUNCTION load_staged(regclass, text, regclass) IS
  'load_staged from another staging table with columns of target, and batch and row_no (e.g. an operator''s temporary copy of <target>_staging, which it may COPY into) or neither: then the whole table is the batch named, its rows numbered in physical order';
