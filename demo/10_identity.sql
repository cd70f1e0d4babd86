-- make demo, step 10 (doc/identity.md): identity numbers and document numbers, as an analyst meets them.
\echo
\echo '== 10 Resident ID numbers (cnid) — legacy 15 digits upgraded, birth date and sex read, masked'
SELECT raw AS as_typed, id, birth_date(id), sex(id), region_code(id), mask(id)
  FROM (VALUES ('110101781027002'), (' 33010219200403064x '), ('440308199901101512'), ('810000199408230021')) v(raw),
       LATERAL to_cnid(raw) id;

\echo
\echo '== 10 The same person written as 15 and as 18 digits is one value'
SELECT '110101781027002'::cnid = '110101197810270029'::cnid AS same_person;

\echo
\echo '== 10 Which numbers of a manifest are valid (cnid_is_valid never raises)'
SELECT n AS number, cnid_is_valid(n) AS valid
  FROM (VALUES ('330105197810270025'), ('330105197810270026'), ('440308199902301512'), ('99042619911201007X')) v(n);

\echo
\echo '== 10 A mistyped number is rejected with what is wrong and how to fix it'
\set ON_ERROR_STOP 0
\set VERBOSITY default
SELECT '330105197810270026'::cnid;
SELECT '440308199902301512'::cnid;
\set ON_ERROR_STOP 1

\echo
\echo '== 10 Document numbers normalized per kind (same document, same person)'
SELECT kind, number AS as_typed, normalize_doc(kind, number) AS stored
  FROM (VALUES ('resident_id'::doc_kind, '1101-0178-1027-002'), ('passport', 'e 1234 5678'),
               ('hk_macao_permit', 'h12345678 01'), ('taiwan_permit', '１２３４５６７８'),
               ('foreign_permanent_id', '911398199012310021'), ('local_code', 'wz-2020-0007')) v(kind, number);

\echo
\echo '== 10 A passport machine-readable zone, check digits verified'
SELECT * FROM mrz_parse(E'POCHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\nG489476464CHN7304279M210126619203301<<<<<<16');
