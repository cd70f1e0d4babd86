-- The extension installs with its dependencies and is not relocatable.
LOAD 'quarantine';
SELECT extname, extversion, extrelocatable, extnamespace::regnamespace
  FROM pg_extension WHERE extname = 'quarantine';
SHOW quarantine.timezone;
SHOW quarantine.fever_threshold;
SET quarantine.timezone = 'Mars/Olympus';
