-- Local dates in quarantine.timezone (README, Conventions).
CREATE FUNCTION local_date(at timestamptz) RETURNS date
  AS 'MODULE_PATHNAME', 'quarantine_local_date'
  LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION local_date(timestamptz) IS
  'The date of an instant in the zone quarantine.timezone (default Asia/Shanghai), whatever the session TimeZone';
