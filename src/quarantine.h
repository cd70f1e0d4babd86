/*
 * quarantine.h
 *		What the C files of the quarantine extension share: the GUCs, the
 *		local-time helpers, the enum-label registry and the error helpers.
 *
 * Each .c file owns one type or one rule family; only what another file needs
 * is declared here.
 */
#ifndef QUARANTINE_H
#define QUARANTINE_H

#include "postgres.h"

#include "messages.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/date.h"

/* ---------- GUCs (quarantine.c) ---------- */
extern char	 *quarantine_timezone;
extern double quarantine_fever_threshold;
extern int	  quarantine_release_test_days;
extern int	  quarantine_observation_days;
extern int	  quarantine_flight_contact_rows;

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

/* ---------- errors (README, Conventions) ----------
 *
 * Every rule violation carries the rule name in the CONSTRAINT field so that
 * case systems can switch on it: ereport(ERROR, (...,
 * errrule("control_end"))).
 */
#define errrule(name) err_generic_string(PG_DIAG_CONSTRAINT_NAME, (name))

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

/* plan_for() from the in-memory policy cache (policy_cache.c); false when
 * no policy covers the day. */
extern bool PolicyPlanFor(ArrivalCategory category, DateADT day,
						  IsolationPlan *plan);

/* ---------- arrival screening and the 7+7 check (arrival.c, transfer.c) ---------- */

/*
 * Classify an arrival (doc/arrival.md). temperature is ignored unless
 * has_temp; symptoms (a text[]) may be NULL (none reported) and its NULL
 * elements are skipped; nat_result is a TestResult or -1. Fever is a
 * temperature above quarantine.fever_threshold, compared to 1e-9 °C so float
 * noise cannot make 37.3 a fever. Unknown symptom codes and temperatures
 * outside 30-45 °C raise 22023.
 */
extern ArrivalCategory ClassifyArrival(bool has_temp, double temperature,
									   ArrayType *symptoms, int nat_result,
									   bool close_contact);
/* Row number (1-999) of a seat such as "12A"; 22P02 when malformed. */
extern int SeatRow(const char *seat);

typedef struct LabResult
{
	TestKind   kind;
	DateADT	   sampled_on;
	TestResult result;
} LabResult;

/* Unmet criteria of the home transfer, as bits; names in HomeTransferCode(). */
typedef enum HomeTransferUnmet
{
	UNMET_CATEGORY = 1 << 0,
	UNMET_NAT_DAY3 = 1 << 1,
	UNMET_NAT_DAY5 = 1 << 2,
	UNMET_IGM_DAY5 = 1 << 3,
	UNMET_POSITIVE_TEST = 1 << 4,
	UNMET_HOME_NOT_VERIFIED = 1 << 5,
	UNMET_NO_COMMITMENT = 1 << 6,
	UNMET_TOO_EARLY = 1 << 7
} HomeTransferUnmet;

typedef struct Eligibility
{
	bool	eligible;
	bool	has_earliest;
	DateADT earliest;
	uint32	unmet; /* HomeTransferUnmet bits */
} Eligibility;

/*
 * The 7+7 check on on_date (doc/arrival.md). Tests sampled after on_date or
 * before day 1 are ignored, as are kinds other than NAT and IgM. A non-finite
 * start or on_date raises 22008. earliest is valid only when has_earliest.
 */
extern void HomeTransferCheck(DateADT start, ArrivalCategory category,
							  const LabResult *tests, int ntests,
							  bool home_verified, bool commitment_signed,
							  DateADT on_date, Eligibility *result);
/* Text of the first set bit's code ("category", "nat_day3", ...); NULL if
 * no bit is set. */
extern const char *HomeTransferCode(HomeTransferUnmet bit);

/* ---------- tasks, phones and names (deadline.c, phone.c, names.c) ---------- */

/*
 * Deadline of a task issued at issued_at (doc/tasks-phones-names.md); 22023
 * for an unknown module.
 */
extern TimestampTz TaskDeadline(const char *module, TimestampTz issued_at);

typedef enum PhoneKind
{
	PHONE_MOBILE,
	PHONE_FOREIGN,
	PHONE_PLACEHOLDER,
	PHONE_INVALID
} PhoneKind;

extern PhoneKind PhoneKindOf(const char *phone);
/* Comparable form of a mobile or foreign number; NULL for others. */
extern char		  *PhoneKey(const char *phone);
extern const char *PhoneKindName(PhoneKind kind);

/* Matching key of a personal name: blanks removed, full-width folded, Latin
 * words lower-cased and sorted (doc/tasks-phones-names.md). */
extern char *NameKey(const char *name);

/* Similarity of two names in [0,1]: 1 exactly when the keys are equal and
 * not empty; names are "probably the same person" from the threshold on. */
#define NAME_SIMILAR_THRESHOLD 0.6f
extern float4 NameSimilarity(const char *a, const char *b);
extern bool	  NamesSimilar(const char *a, const char *b);

#endif /* QUARANTINE_H */
