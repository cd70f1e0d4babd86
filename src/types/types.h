/*
 * types.h
 *		The types of the extension and what they stand on: local dates in
 *		quarantine.timezone, the enum labels C knows, cnid, document
 *		numbers and isolation_plan.  Below every other family.
 */
#ifndef QUARANTINE_TYPES_TYPES_H
#define QUARANTINE_TYPES_TYPES_H

#include "postgres.h"
#include "messages.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/date.h"

/* ---------- settings (types_settings.c) ---------- */
extern char *quarantine_timezone;
extern void	 TypesInit(void);

/* ---------- local dates in quarantine.timezone (localtime.c) ---------- */
extern DateADT	   LocalDateOf(TimestampTz ts);
extern TimestampTz LocalTimestampOf(DateADT day, int hour, int minute);
extern int		   LocalHourOf(TimestampTz ts);
/* A date as date_out prints it, for messages. */
extern char *DateText(DateADT day);

/* ---------- enum labels known to C (enums.c) ----------
 *
 * The SQL enums are declared in src/sql/01_enums.sql; the C enums below
 * index their labels by position.
 */
typedef enum QuarantineEnum
{
	QE_DOC_KIND,
	QE_PHASE,
	QE_ARRIVAL_CATEGORY,
	QE_EXEMPT_REASON,
	QE_TEST_KIND,
	QE_TEST_RESULT,
	QE_CONTROL_STATUS,
	QE_RETURN_REASON,
	QE_END_REASON,
	QE_HEALTH_CODE,
	QE_COUNT
} QuarantineEnum;

/*
 * Each list below is the one C copy of an enum's labels, in the order of
 * src/sql/01_enums.sql: X(member, label) per label.  It makes both the C enum
 * and enums.c's label table, and enums.c checks at first use that the SQL
 * enum starts with exactly these labels in this order.
 */
#define QE_ENUM_MEMBER(member, label) member,
#define QE_ENUM_LABEL(member, label)  label,

#define QE_DOC_KIND_LABELS(X)                           \
	X(DOC_RESIDENT_ID, "resident_id")                   \
	X(DOC_PASSPORT, "passport")                         \
	X(DOC_HK_MACAO_PERMIT, "hk_macao_permit")           \
	X(DOC_TAIWAN_PERMIT, "taiwan_permit")               \
	X(DOC_FOREIGN_PERMANENT_ID, "foreign_permanent_id") \
	X(DOC_LOCAL_CODE, "local_code")                     \
	X(DOC_OTHER, "other")

typedef enum DocKind
{
	QE_DOC_KIND_LABELS(QE_ENUM_MEMBER)
} DocKind;

#define QE_PHASE_LABELS(X)              \
	X(PHASE_NOT_STARTED, "not_started") \
	X(PHASE_WORK, "work")               \
	X(PHASE_CENTRALIZED, "centralized") \
	X(PHASE_HOME, "home")               \
	X(PHASE_MONITORING, "monitoring")   \
	X(PHASE_RELEASED, "released")

typedef enum Phase
{
	QE_PHASE_LABELS(QE_ENUM_MEMBER)
} Phase;

#define QE_ARRIVAL_CATEGORY_LABELS(X)     \
	X(CAT_CONFIRMED, "confirmed")         \
	X(CAT_SUSPECTED, "suspected")         \
	X(CAT_SYMPTOMATIC, "symptomatic")     \
	X(CAT_CLOSE_CONTACT, "close_contact") \
	X(CAT_GENERAL, "general")             \
	X(CAT_DISCHARGED, "discharged")       \
	X(CAT_EXEMPT, "exempt")

typedef enum ArrivalCategory
{
	QE_ARRIVAL_CATEGORY_LABELS(QE_ENUM_MEMBER)
} ArrivalCategory;

#define QE_EXEMPT_REASON_LABELS(X)                     \
	X(EXEMPT_DIPLOMAT, "diplomat")                     \
	X(EXEMPT_FOREIGN_AIR_CREW, "foreign_air_crew")     \
	X(EXEMPT_ESSENTIAL_BUSINESS, "essential_business") \
	X(EXEMPT_OTHER, "other")

typedef enum ExemptReason
{
	QE_EXEMPT_REASON_LABELS(QE_ENUM_MEMBER)
} ExemptReason;

#define QE_TEST_KIND_LABELS(X) \
	X(TEST_NAT, "nat")         \
	X(TEST_IGM, "igm")         \
	X(TEST_IGG, "igg")         \
	X(TEST_ANTIGEN, "antigen")

typedef enum TestKind
{
	QE_TEST_KIND_LABELS(QE_ENUM_MEMBER)
} TestKind;

#define QE_TEST_RESULT_LABELS(X)   \
	X(RESULT_PENDING, "pending")   \
	X(RESULT_NEGATIVE, "negative") \
	X(RESULT_POSITIVE, "positive") \
	X(RESULT_INCONCLUSIVE, "inconclusive")

typedef enum TestResult
{
	QE_TEST_RESULT_LABELS(QE_ENUM_MEMBER)
} TestResult;

#define QE_CONTROL_STATUS_LABELS(X)          \
	X(STATUS_PENDING, "pending")             \
	X(STATUS_UNDER_CONTROL, "under_control") \
	X(STATUS_MEDICAL, "medical")             \
	X(STATUS_ENDED, "ended")                 \
	X(STATUS_RETURNED, "returned")

typedef enum ControlStatus
{
	QE_CONTROL_STATUS_LABELS(QE_ENUM_MEMBER)
} ControlStatus;

#define QE_RETURN_REASON_LABELS(X)               \
	X(RETURN_OUT_OF_PROVINCE, "out_of_province") \
	X(RETURN_UNREACHABLE, "unreachable")         \
	X(RETURN_OTHER, "other")

typedef enum ReturnReason
{
	QE_RETURN_REASON_LABELS(QE_ENUM_MEMBER)
} ReturnReason;

#define QE_END_REASON_LABELS(X)                       \
	X(END_COMPLETED, "completed")                     \
	X(END_COMPLETED_ELSEWHERE, "completed_elsewhere") \
	X(END_CONFIRMED_CASE, "confirmed_case")           \
	X(END_TRANSFERRED_OUT, "transferred_out")         \
	X(END_EXEMPTED, "exempted")

typedef enum EndReason
{
	QE_END_REASON_LABELS(QE_ENUM_MEMBER)
} EndReason;

#define QE_HEALTH_CODE_LABELS(X) \
	X(CODE_GREEN, "green")       \
	X(CODE_YELLOW, "yellow")     \
	X(CODE_ORANGE, "orange")     \
	X(CODE_RED, "red")

typedef enum HealthCode
{
	QE_HEALTH_CODE_LABELS(QE_ENUM_MEMBER)
} HealthCode;

extern Oid		   EnumLabelOid(QuarantineEnum which, int index);
extern int		   EnumLabelIndex(QuarantineEnum which, Oid label);
extern const char *EnumLabelName(QuarantineEnum which, int index);
extern Oid		   QuarantineTypeOid(const char *typname);

/* ---------- cnid: resident identity number (cnid.c) ----------
 *
 * Stored as the 17-digit body; the check character is derived (GB 11643-1999).
 */
typedef int64 Cnid;

#define DatumGetCnid(X) ((Cnid) DatumGetInt64(X))
#define CnidGetDatum(X) Int64GetDatum(X)
#define CNID_TEXT_LEN	18

/* Parse 18- or 15-digit input; on error raise 22P02 (raise) or return false. */
extern bool CnidParse(const char *str, Cnid *result, bool raise);
/* Canonical 18 characters into buf (CNID_TEXT_LEN + 1 bytes). */
extern void	   CnidFormat(Cnid id, char *buf);
extern DateADT CnidBirthDate(Cnid id);
extern char	   CnidSex(Cnid id);
/* Like CnidParse without raising: false with a palloc'd DETAIL and HINT
 * (either pointer may be NULL) for callers that raise their own message. */
extern bool CnidCheck(const char *str, Cnid *result, char **detail,
					  char **hint);
/* Building blocks shared with docs.c: the ISO 7064 MOD 11-2 check character
 * of 17 digits, the province-level prefixes, calendar and clock checks. */
extern char Iso7064Mod11_2(const char *digits);
extern bool CnidProvinceKnown(int code);
extern bool CnidDateExists(int year, int month, int day);
extern bool CnidBirthDateInFuture(DateADT birth);

/* ---------- document numbers (docs.c, mrz.c) ---------- */

/* Canonical form of a document number of a kind; 22P02 when malformed. */
extern char *NormalizeDoc(DocKind kind, const char *number);
/* ICAO 9303-3 §4.9 check digit (weights 7,3,1) of len MRZ characters, or -1
 * when a character is not 0-9, A-Z or '<'. */
extern int Icao9303CheckDigit(const char *s, int len);

/* ---------- isolation_plan (plan.c, plan_range.c) ----------
 *
 * A plan of 1-4 segments <days><kind>, packed into 64 bits (pass by value).
 * The packing is canonical (one value per plan as written), so equality and
 * hashing are those of int8.  Segment i occupies bits 16i..16i+15 as
 * (days << 8) | kind code (c 1, h 2, m 3, w 4); unused segments are zero.
 * Adjacent segments of one kind are kept as written: '7c+7c' <> '14c'.
 */
typedef uint64 IsolationPlan;

#define DatumGetIsolationPlan(X)	((IsolationPlan) DatumGetInt64(X))
#define IsolationPlanGetDatum(X)	Int64GetDatum((int64) (X))
#define PG_GETARG_ISOLATION_PLAN(n) DatumGetIsolationPlan(PG_GETARG_DATUM(n))
#define PG_RETURN_ISOLATION_PLAN(x) return IsolationPlanGetDatum(x)
#define PLAN_MAX_SEGMENTS			4
#define PLAN_MAX_DAYS				99 /* per segment */

typedef struct PlanSegment
{
	int	  days;	 /* 1..99 */
	Phase phase; /* PHASE_CENTRALIZED, _HOME, _MONITORING, _WORK */
} PlanSegment;

/* Parse the text form; on error raise 22P02 (raise) or return false. */
extern bool PlanParse(const char *str, IsolationPlan *result, bool raise);
/* Canonical text form, palloc'd ("14w+7c+7m"). */
extern char *PlanFormat(IsolationPlan plan);
/* Unpack into segs (PLAN_MAX_SEGMENTS entries); returns the segment count. */
extern int PlanSegments(IsolationPlan plan, PlanSegment *segs);
/* The inverse: pack 1-4 segments; false when they make no plan. */
extern bool PlanFromSegments(const PlanSegment *segs, int n,
							 IsolationPlan *plan);
extern int	PlanTotalDays(IsolationPlan plan);

/*
 * Dates: start must be finite (22008 otherwise); day may be +-infinity
 * (not_started before any start, released after any end).  Results past the
 * end of the date range raise 22008.
 */
extern Phase PlanPhaseOn(IsolationPlan plan, DateADT start, DateADT day);
/* First day after the last centralized or home segment (start if none). */
extern DateADT PlanIsolationEnd(IsolationPlan plan, DateADT start);
/* start + total days: the first free day. */
extern DateADT PlanReleaseDate(IsolationPlan plan, DateADT start);
/* The days [from, until) of a segment kind; false when the plan has none. */
extern bool PlanPhaseSpan(IsolationPlan plan, DateADT start, Phase phase,
						  DateADT *from, DateADT *until);
/* Whether the plan has a segment of this kind; not_started and released
 * belong to every plan. */
extern bool PlanHasPhase(IsolationPlan plan, Phase phase);

#endif /* QUARANTINE_TYPES_TYPES_H */
