-- quarantine_analytics.releases_due becomes the masked copy of
-- quarantine.releases_due (93_analytics_questions.sql, listed after this
-- file): its columns change, which CREATE OR REPLACE VIEW cannot do.
DROP VIEW quarantine_analytics.releases_due;
