/*
 * plan_range.c
 *		Isolation plans laid over the calendar: phases, ranges, end dates.
 *
 * README, Conventions: day 1 is the quarantine start date and periods are
 * half-open, so a plan of N days started on S covers [S, S+N) and S+N is the
 * first free day (14 days from 2020-04-01: free from 2020-04-15).
 *
 * Infinite dates: a quarantine start must be a real day, so an infinite start
 * raises 22008. The day asked about may be infinite: -infinity is before any
 * start (not_started), infinity after any release (released).
 */
#include "rule.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/rangetypes.h"

#include "pg_compat.h"

/* 22008 unless start is a finite date. */
static void
CheckStart(DateADT start)
{
	if (DATE_NOT_FINITE(start))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("quarantine start date must be finite"),
				 errdetail("The start date is %s.",
						   DATE_IS_NOBEGIN(start) ? "-infinity" : "infinity"),
				 errhint("Pass day 1 of the quarantine.")));
}

/* start + days for a finite start; 22008 past the end of the date range. */
static DateADT
AddDays(DateADT start, int days)
{
	/* finite dates stay far enough from INT_MAX for days <= 396 */
	DateADT result = start + days;

	if (!IS_VALID_DATE(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date out of range"),
				 errdetail("%d days after the start date lie past the last "
						   "date PostgreSQL can store.",
						   days)));
	return result;
}

/* ---------- C API (quarantine.h) ---------- */

/* The phase of a plan started on start, on day. */
Phase
PlanPhaseOn(IsolationPlan plan, DateADT start, DateADT day)
{
	PlanSegment segs[PLAN_MAX_SEGMENTS];
	int			n = PlanSegments(plan, segs);
	int			offset;

	CheckStart(start);
	if (day < start) /* includes -infinity */
		return PHASE_NOT_STARTED;
	if (DATE_IS_NOEND(day))
		return PHASE_RELEASED;
	offset = day - start; /* 0 on day 1 */
	for (int i = 0; i < n; i++)
	{
		if (offset < segs[i].days)
			return segs[i].phase;
		offset -= segs[i].days;
	}
	return PHASE_RELEASED;
}

/* First day after the last centralized or home segment (start if none). */
DateADT
PlanIsolationEnd(IsolationPlan plan, DateADT start)
{
	PlanSegment segs[PLAN_MAX_SEGMENTS];
	int			n = PlanSegments(plan, segs);
	int			elapsed = 0;
	int			end = 0;

	CheckStart(start);
	for (int i = 0; i < n; i++)
	{
		elapsed += segs[i].days;
		if (segs[i].phase == PHASE_CENTRALIZED || segs[i].phase == PHASE_HOME)
			end = elapsed;
	}
	return AddDays(start, end);
}

/*
 * The days [*from, *until) of a segment kind (centralized, home, monitoring,
 * work) of a plan started on start; false when the plan has none.  A kind
 * that occurs twice spans its first start to its last end.
 */
bool
PlanPhaseSpan(IsolationPlan plan, DateADT start, Phase phase, DateADT *from,
			  DateADT *until)
{
	PlanSegment segs[PLAN_MAX_SEGMENTS];
	int			n = PlanSegments(plan, segs);
	int			elapsed = 0;
	int			first = -1;
	int			last = -1;

	CheckStart(start);
	for (int i = 0; i < n; i++)
	{
		if (segs[i].phase == phase)
		{
			if (first < 0)
				first = elapsed;
			last = elapsed + segs[i].days;
		}
		elapsed += segs[i].days;
	}
	if (first < 0)
		return false;
	*from = AddDays(start, first);
	*until = AddDays(start, last);
	return true;
}

/* start + total days: the first free day. */
DateADT
PlanReleaseDate(IsolationPlan plan, DateADT start)
{
	CheckStart(start);
	return AddDays(start, PlanTotalDays(plan));
}

/* ---------- SQL-callable functions ---------- */

PG_FUNCTION_INFO_V1(plan_total_days);
/* total_days(plan): sum of the segments' days. */
Datum
plan_total_days(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PlanTotalDays(PG_GETARG_ISOLATION_PLAN(0)));
}

PG_FUNCTION_INFO_V1(plan_phase_on);
/* phase_on(plan, start, day): the phase on day. */
Datum
plan_phase_on(PG_FUNCTION_ARGS)
{
	Phase phase = PlanPhaseOn(PG_GETARG_ISOLATION_PLAN(0),
							  PG_GETARG_DATEADT(1), PG_GETARG_DATEADT(2));

	PG_RETURN_OID(EnumLabelOid(QE_PHASE, phase));
}

PG_FUNCTION_INFO_V1(plan_has_phase);
/* has_phase(plan, phase): whether the plan passes through the phase. */
Datum
plan_has_phase(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PlanHasPhase(PG_GETARG_ISOLATION_PLAN(0),
								EnumLabelIndex(QE_PHASE, PG_GETARG_OID(1))));
}

PG_FUNCTION_INFO_V1(plan_phase_range);
/*
 * phase_range(plan, start, phase): the days spent in a phase, as a
 * daterange; NULL when the plan has no such segment.  A kind that occurs
 * twice spans its first start to its last end.
 */
Datum
plan_phase_range(PG_FUNCTION_ARGS)
{
	IsolationPlan	plan = PG_GETARG_ISOLATION_PLAN(0);
	DateADT			start = PG_GETARG_DATEADT(1);
	Phase			phase = EnumLabelIndex(QE_PHASE, PG_GETARG_OID(2));
	TypeCacheEntry *typcache = range_get_typcache(fcinfo, DATERANGEOID);
	RangeBound		lower = {.infinite = false, .lower = true};
	RangeBound		upper = {.infinite = false, .lower = false};

	CheckStart(start);
	if (phase == PHASE_NOT_STARTED)
	{
		/* (-infinity, start), as doc/plans.md writes it */
		lower.val = DateADTGetDatum(DATEVAL_NOBEGIN);
		lower.inclusive = false;
		upper.val = DateADTGetDatum(start);
		upper.inclusive = false;
	}
	else if (phase == PHASE_RELEASED)
	{
		/* [release_date, infinity) */
		lower.val = DateADTGetDatum(PlanReleaseDate(plan, start));
		lower.inclusive = true;
		upper.val = DateADTGetDatum(DATEVAL_NOEND);
		upper.inclusive = false;
	}
	else
	{
		DateADT from;
		DateADT until;

		if (!PlanPhaseSpan(plan, start, phase, &from, &until))
			PG_RETURN_NULL();
		lower.val = DateADTGetDatum(from);
		lower.inclusive = true;
		upper.val = DateADTGetDatum(until);
		upper.inclusive = false;
	}
	PG_RETURN_RANGE_P(make_range_compat(typcache, &lower, &upper, false));
}

PG_FUNCTION_INFO_V1(plan_isolation_end);
/* isolation_end(plan, start): first day after the last c/h segment. */
Datum
plan_isolation_end(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(
		PlanIsolationEnd(PG_GETARG_ISOLATION_PLAN(0), PG_GETARG_DATEADT(1)));
}

PG_FUNCTION_INFO_V1(plan_release_date);
/* release_date(plan, start): start + total days. */
Datum
plan_release_date(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(
		PlanReleaseDate(PG_GETARG_ISOLATION_PLAN(0), PG_GETARG_DATEADT(1)));
}

PG_FUNCTION_INFO_V1(plan_day_number);
/* day_number(start, day): day - start + 1, so the start date is day 1. */
Datum
plan_day_number(PG_FUNCTION_ARGS)
{
	DateADT start = PG_GETARG_DATEADT(0);
	DateADT day = PG_GETARG_DATEADT(1);

	/* core's wording (date_mi); finite differences always fit in int4 */
	if (DATE_NOT_FINITE(start) || DATE_NOT_FINITE(day))
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						errmsg("cannot subtract infinite dates")));
	PG_RETURN_INT32(day - start + 1);
}

PG_FUNCTION_INFO_V1(plan_check_nat_days);
/*
 * check_nat_days(plan, nat_days): true, or 23514 policy_nat_days naming the
 * first day that is not a day number of the plan (1..total_days), a NULL or
 * a repeated day.  The CHECK of policy calls it so that the error says which
 * day is wrong rather than just "violates check constraint".
 */
static bool
PolicyNatDays(IsolationPlan plan, ArrayType *days, Problem *p)
{
	int			total = PlanTotalDays(plan);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	bool		seen[PLAN_MAX_SEGMENTS * PLAN_MAX_DAYS + 1] = {false};
	const char *hint = "List day numbers of the plan, each once; day 1 is "
					   "the quarantine start date.";

	if (ARR_NDIM(days) > 1)
		return Flag(
			p, "policy_nat_days", ERRCODE_CHECK_VIOLATION,
			pstrdup(_Q("NAT days must be a one-dimensional array")),
			psprintf(_Q("The array has %d dimensions."), ARR_NDIM(days)),
			pstrdup(hint));
	deconstruct_array(days, INT4OID, sizeof(int32), true, TYPALIGN_INT, &elems,
					  &nulls, &n);
	for (int i = 0; i < n; i++)
	{
		int day;

		if (nulls[i])
			return Flag(
				p, "policy_nat_days", ERRCODE_CHECK_VIOLATION,
				psprintf(_Q("NAT days of plan %s contain a NULL"),
						 PlanFormat(plan)),
				psprintf(_Q("Element %d of the NAT days is NULL."), i + 1),
				pstrdup(hint));
		day = DatumGetInt32(elems[i]);
		if (day < 1 || day > total)
			return Flag(p, "policy_nat_days", ERRCODE_CHECK_VIOLATION,
						psprintf(_Q("NAT day %d is not a day of plan %s"), day,
								 PlanFormat(plan)),
						psprintf(_Q("Plan %s has days 1 to %d; NAT day %d is "
									"outside them."),
								 PlanFormat(plan), total, day),
						pstrdup(hint));
		if (seen[day])
			return Flag(p, "policy_nat_days", ERRCODE_CHECK_VIOLATION,
						psprintf(_Q("NAT day %d is listed twice"), day),
						psprintf(_Q("The NAT days of plan %s list day %d more "
									"than once."),
								 PlanFormat(plan), day),
						pstrdup(hint));
		seen[day] = true;
	}
	return true;
}

Datum
plan_check_nat_days(PG_FUNCTION_ARGS)
{
	Problem p = {0};

	if (!PolicyNatDays(PG_GETARG_ISOLATION_PLAN(0), PG_GETARG_ARRAYTYPE_P(1),
					   &p))
		RaiseProblem(&p, NULL);
	PG_RETURN_BOOL(true);
}
