-- The C enums index the labels of the SQL enums by position (the QE_*_LABELS
-- lists of quarantine.h, the one C copy of the labels): at first use in a
-- session the library checks that each SQL enum begins with exactly those
-- labels, in their order.  A label added after them is allowed (the rules
-- refuse a row that carries it, sql/95_enum_labels); one added in between
-- would shift every index, and is refused.  Runs in a fresh session, so the
-- checks below are the first uses of these enums; the ALTERs roll back.
BEGIN;
SELECT plan(3);

ALTER TYPE quarantine.arrival_category ADD VALUE 'order_test_last';
SELECT is(classify_arrival(36.6, NULL)::text, 'general',
          'a label added after the last one the rules know: the enum still loads');

ALTER TYPE quarantine.test_result ADD VALUE 'order_test_between' BEFORE 'positive';
SELECT throws_ok($$SELECT classify_arrival(36.6, NULL, 'negative')$$, '55000',
                 'enum quarantine.test_result does not start with the labels the rules were written for',
                 'a label added between two the rules know is refused at first use');
SELECT throws_ok($$SELECT classify_arrival(36.6, NULL, 'negative')$$, '55000', NULL,
                 'and again: the enum is not cached half-checked');

SELECT * FROM finish();
ROLLBACK;
