/*
 * rule.h
 *		The rule core: a rule is a pure C function that describes what is
 *		wrong with some values as a Problem, without raising.  Its callers
 *		share it: a trigger raises the problem (RaiseProblem), the manifest
 *		loader records it in import_reject, an SQL function returns it.
 *		health_code.c is the model: a pure decision apart from gathering
 *		the facts.
 */
#ifndef QUARANTINE_RULE_H
#define QUARANTINE_RULE_H

#include "quarantine.h"

#include "utils/elog.h"
#include "utils/rel.h"

/*
 * One broken rule: the rule name (the CONSTRAINT field of the error: README,
 * Conventions), its SQLSTATE, and the one-line message, the DETAIL with the
 * values and the HINT saying how to fix it. column is the attribute of a
 * malformed value (class 22) when the problem is about one column of a row,
 * else 0.
 */
typedef struct Problem
{
	const char *rule; /* NULL while nothing is wrong */
	int			sqlstate;
	char	   *message;
	char	   *detail;
	char	   *hint;
	AttrNumber	column;
} Problem;

/* Record a problem in *p; false, so that a check can `return Flag(...)`. */
extern bool Flag(Problem *p, const char *rule, int sqlstate, char *message,
				 char *detail, char *hint);

/* Name the column of the problem, by its attribute number in the table. */
static inline void
ProblemColumn(Problem *p, AttrNumber column)
{
	p->column = column;
}

/*
 * ereport(ERROR) of a problem found while writing a row of rel: errcode,
 * errmsg, errdetail, errhint, and errtableconstraint(rel, rule) (schema,
 * table and constraint, as core constraint errors fill them) or, for a
 * malformed value, errtablecol(rel, column) with the rule name too.  rel
 * may be NULL outside a trigger (an SQL function).
 */
extern void RaiseProblem(const Problem *p, Relation rel)
	pg_attribute_noreturn();

/* RaiseProblem when a check returned false. */
static inline void
Require(bool ok, const Problem *p, Relation rel)
{
	if (!ok)
		RaiseProblem(p, rel);
}

/*
 * Plausible dates and instants of a record: finite and within the years
 * below (a typing error otherwise; decision: README, "Dates").  The
 * manifest refuses others, and so do the triggers on direct writes.
 */
#define RECORD_MIN_YEAR 1900
#define RECORD_MAX_YEAR 2100

/* NULL when plausible, else a DETAIL sentence saying why not. */
extern char *ImplausibleYear(int year);
extern char *ImplausibleDate(DateADT day);
extern char *ImplausibleInstant(TimestampTz ts);

/*
 * The rule `rule` on a date or instant of column `what` (22008 when it is
 * implausible).  A birth date is also not after today (23514).
 */
extern bool PlausibleDate(DateADT day, const char *rule, const char *what,
						  Problem *p);
extern bool PlausibleInstant(TimestampTz ts, const char *rule,
							 const char *what, Problem *p);
extern bool PlausibleBirthDate(DateADT birth, DateADT today, const char *rule,
							   Problem *p);

/* entry_temperature: a body temperature in degrees Celsius (arrival.c). */
extern bool BodyTemperature(double t, const char *shown, Problem *p);

/*
 * The rules of a daily health check (arrival.c, monitoring.c; doc/monitoring.md):
 * health_check_temperature (23514), health_check_symptoms (22023),
 * health_check_time (23514: outside the record years or more than
 * HEALTH_CHECK_AHEAD_SECONDS after now).
 */
#define HEALTH_CHECK_AHEAD_SECONDS 300
extern bool HealthCheckTemperature(double t, const char *shown, Problem *p);
extern bool HealthCheckSymptoms(ArrayType *symptoms, Problem *p);
extern bool HealthCheckTime(TimestampTz at, TimestampTz now, Problem *p);
/* A fever or a symptom: a medical referral is due (not for NULL, NULL). */
extern bool HealthCheckAlarming(bool has_temp, double temperature,
								ArrayType *symptoms);

/*
 * Malformed values raised by shared input code (NormalizeDoc, SeatRow,
 * CnidParse ...) while a trigger reads one column of its row: an error
 * context callback adds errtablecol(rel, column) to errors of class 22, so a
 * client learns which field failed, and the rule <table>_<column> (the name
 * load_staged records for the same value).  Set column before such a call and
 * clear it (0) after.
 */
typedef struct ColumnContext
{
	ErrorContextCallback callback;
	Relation			 rel;
	AttrNumber			 column;
} ColumnContext;

extern void ColumnContextPush(ColumnContext *c, Relation rel);
extern void ColumnContextPop(ColumnContext *c);

#endif /* QUARANTINE_RULE_H */
