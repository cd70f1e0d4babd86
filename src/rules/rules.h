/*
 * rules.h
 *		The rules as pure functions over facts: arrival screening, the 7+7
 *		check, task deadlines, phones and names, and the error helpers.
 *		The record rules are in rule.h, control_rules.h and person_rules.h.
 */
#ifndef QUARANTINE_RULES_RULES_H
#define QUARANTINE_RULES_RULES_H

#include "types/types.h"

#include "mb/pg_wchar.h"

/* ---------- settings (rules_settings.c) ---------- */
extern double quarantine_fever_threshold;
extern int	  quarantine_release_test_days;
extern int	  quarantine_flight_contact_rows;
extern int	  quarantine_observation_days;
extern void	  RulesInit(void);

/* ---------- errors (README, Conventions) ----------
 *
 * Every rule violation carries the rule name in the CONSTRAINT field so that
 * case systems can switch on it: ereport(ERROR, (...,
 * errrule("control_end"))).
 */
#define errrule(name) err_generic_string(PG_DIAG_CONSTRAINT_NAME, (name))

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

/*
 * A name key (name_key) prepared for name_keys_may_match's bound: its
 * characters sorted, whether it is Latin.  SortKey fills k (zeroed first;
 * kept when the key is the same as last time) in cxt; SortedKeysMayMatch is
 * false only when no two names with these keys score threshold or more.
 */
typedef struct SortedKey
{
	char	 *bytes; /* the key as given (UTF-8) */
	int		  nbytes;
	pg_wchar *chars; /* sorted */
	int		  nchars;
	bool	  latin;
} SortedKey;

extern void SortKey(SortedKey *k, const char *key, int len, MemoryContext cxt);
extern bool SortedKeysMayMatch(const SortedKey *a, const SortedKey *b,
							   float4 threshold);

#endif /* QUARANTINE_RULES_RULES_H */
