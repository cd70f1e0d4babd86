/*
 * rule.c
 *		The one way a rule's problem becomes an error (see rule.h).
 */
#include "rules/rule.h"

#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

bool
Flag(Problem *p, const char *rule, int sqlstate, char *message, char *detail,
	 char *hint)
{
	p->rule = rule;
	p->sqlstate = sqlstate;
	p->message = message;
	p->detail = detail;
	p->hint = hint;
	return false;
}

/*
 * README, Conventions: SQLSTATE, one-line message, DETAIL, HINT and the rule
 * name in CONSTRAINT; schema and table (and the column of a malformed value)
 * as PostgreSQL's own constraint errors carry them (errtableconstraint,
 * errtablecol), so a form can tell which field failed.
 */
void
RaiseProblem(const Problem *p, Relation rel)
{
	Assert(p->rule != NULL);
	ereport(ERROR,
			(errcode(p->sqlstate), errmsg_internal("%s", p->message),
			 p->detail ? errdetail_internal("%s", p->detail) : 0,
			 p->hint ? errhint("%s", p->hint) : 0,
			 rel == NULL	 ? errrule(p->rule)
			 : p->column > 0 ? (errtablecol(rel, p->column), errrule(p->rule))
							 : errtableconstraint(rel, p->rule)));
	pg_unreachable();
}

static void
ColumnContextCallback(void *arg)
{
	ColumnContext *c = (ColumnContext *) arg;

	if (c->column > 0 &&
		ERRCODE_TO_CATEGORY(geterrcode()) == ERRCODE_DATA_EXCEPTION)
	{
		/*
		 * The rule is <table>_<column>, the name load_staged gives the same
		 * value (and the name of the column's CHECK where it has one, as
		 * task_module): doc/records.md, "Rule names".
		 */
		errtablecol(c->rel, c->column);
		errrule(psprintf(
			"%s_%s", RelationGetRelationName(c->rel),
			NameStr(TupleDescAttr(RelationGetDescr(c->rel), c->column - 1)
						->attname)));
	}
}

void
ColumnContextPush(ColumnContext *c, Relation rel)
{
	c->rel = rel;
	c->column = 0;
	c->callback.callback = ColumnContextCallback;
	c->callback.arg = c;
	c->callback.previous = error_context_stack;
	error_context_stack = &c->callback;
}

void
ColumnContextPop(ColumnContext *c)
{
	error_context_stack = c->callback.previous;
}

/* ---------- plausible dates (shared by the manifest and the triggers) ---------- */

char *
ImplausibleYear(int year)
{
	if (year >= RECORD_MIN_YEAR && year <= RECORD_MAX_YEAR)
		return NULL;
	return psprintf(_Q("The year %d is outside %d-%d."), year, RECORD_MIN_YEAR,
					RECORD_MAX_YEAR);
}

char *
ImplausibleDate(DateADT day)
{
	int y, m, d;

	if (DATE_NOT_FINITE(day))
		return psprintf(_Q("The date is %s."),
						DATE_IS_NOBEGIN(day) ? "-infinity" : "infinity");
	j2date(day + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	return ImplausibleYear(y);
}

/* The local date of an instant decides its year, as the manifest reads it. */
char *
ImplausibleInstant(TimestampTz ts)
{
	struct pg_tm tm;
	fsec_t		 fsec;

	/*
	 * Two days inside the years in UTC, the local date lies inside them in
	 * every time zone: no conversion (a COPY checks every row's times).
	 */
	if (ts >= (TimestampTz) (date2j(RECORD_MIN_YEAR, 1, 3) -
							 POSTGRES_EPOCH_JDATE) *
				  USECS_PER_DAY &&
		ts < (TimestampTz) (date2j(RECORD_MAX_YEAR, 12, 30) -
							POSTGRES_EPOCH_JDATE) *
				 USECS_PER_DAY)
		return NULL;
	if (TIMESTAMP_NOT_FINITE(ts))
		return psprintf(_Q("The time is %s."),
						TIMESTAMP_IS_NOBEGIN(ts) ? "-infinity" : "infinity");
	/* Far outside the years, the local date may not even be computable. */
	if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
		return pstrdup(_Q("The time is out of range."));
	if (tm.tm_year < RECORD_MIN_YEAR - 1 || tm.tm_year > RECORD_MAX_YEAR + 1)
		return ImplausibleYear(tm.tm_year);
	return ImplausibleDate(LocalDateOf(ts));
}

bool
PlausibleDate(DateADT day, const char *rule, const char *what, Problem *p)
{
	char *why = ImplausibleDate(day);

	if (why == NULL)
		return true;
	return Flag(
		p, rule, ERRCODE_DATETIME_VALUE_OUT_OF_RANGE,
		psprintf(_Q("%s %s is out of range"), what, DateText(day)), why,
		psprintf(_Q("Dates of records lie in the years %d to %d; check "
					"the %s."),
				 RECORD_MIN_YEAR, RECORD_MAX_YEAR, what));
}

bool
PlausibleInstant(TimestampTz ts, const char *rule, const char *what,
				 Problem *p)
{
	char *why = ImplausibleInstant(ts);

	if (why == NULL)
		return true;
	return Flag(
		p, rule, ERRCODE_DATETIME_VALUE_OUT_OF_RANGE,
		psprintf(_Q("%s %s is out of range"), what, timestamptz_to_str(ts)),
		why,
		psprintf(_Q("Times of records lie in the years %d to %d; check "
					"the %s."),
				 RECORD_MIN_YEAR, RECORD_MAX_YEAR, what));
}

bool
PlausibleBirthDate(DateADT birth, DateADT today, const char *rule, Problem *p)
{
	if (!PlausibleDate(birth, rule, "birth date", p))
		return false;
	if (birth <= today)
		return true;
	return Flag(
		p, rule, ERRCODE_CHECK_VIOLATION,
		psprintf(_Q("birth date %s is in the future"), DateText(birth)),
		psprintf(_Q("Today is %s in %s."), DateText(today),
				 quarantine_timezone),
		pstrdup(_Q("Correct the birth date, or leave it empty.")));
}
