-- Enums shared by SQL and C.  The C side indexes these labels by position:
-- its one copy of them is the QE_*_LABELS lists of src/types/types.h, and
-- src/types/enums.c checks at first use that each enum here begins with exactly
-- those labels in their order.  Only ever add labels at the end in a later
-- version.

CREATE TYPE doc_kind AS ENUM (
  'resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit',
  'foreign_permanent_id', 'local_code', 'other');
COMMENT ON TYPE doc_kind IS 'Kind of identity document; local_code is a district-assigned code for a person without a valid document (the district notes)';

CREATE TYPE phase AS ENUM (
  'not_started', 'work', 'centralized', 'home', 'monitoring', 'released');
COMMENT ON TYPE phase IS 'Where a person stands in an isolation plan on a given day';

CREATE TYPE arrival_category AS ENUM (
  'confirmed', 'suspected', 'symptomatic', 'close_contact', 'general',
  'discharged', 'exempt');
COMMENT ON TYPE arrival_category IS 'Screening category at the port: the four categories (confirmed, suspected, symptomatic, close_contact), general, discharged, exempt (the Fujian guideline, the national plan)';

CREATE TYPE exempt_reason AS ENUM (
  'diplomat', 'foreign_air_crew', 'essential_business', 'other');
COMMENT ON TYPE exempt_reason IS 'Why an arrival is exempt from isolation (the Fujian guideline, the national plan)';

CREATE TYPE test_kind AS ENUM ('nat', 'igm', 'igg', 'antigen');
COMMENT ON TYPE test_kind IS 'Laboratory test: nucleic acid (NAT), IgM/IgG antibody, antigen';

CREATE TYPE test_result AS ENUM ('pending', 'negative', 'positive', 'inconclusive');
COMMENT ON TYPE test_result IS 'Result of a laboratory test';

CREATE TYPE control_status AS ENUM (
  'pending', 'under_control', 'medical', 'ended', 'returned');
COMMENT ON TYPE control_status IS 'Status of a control record (管控库, the district notes): 待分配, 纳入管控, 转医学处理, 结束管控, 退回';

CREATE TYPE return_reason AS ENUM ('out_of_province', 'unreachable', 'other');
COMMENT ON TYPE return_reason IS 'Why a control record was returned (退回)';

CREATE TYPE end_reason AS ENUM (
  'completed', 'completed_elsewhere', 'confirmed_case', 'transferred_out', 'exempted');
COMMENT ON TYPE end_reason IS 'Why a control ended (结束管控)';

CREATE TYPE health_code AS ENUM ('green', 'yellow', 'orange', 'red');
COMMENT ON TYPE health_code IS 'Health-code colour, ordered so that max() is the worst';
