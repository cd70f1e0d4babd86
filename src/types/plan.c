/*
 * plan.c
 *		The isolation_plan type: parsing, canonical packing, I/O functions.
 *
 * A plan is the regime a person goes through, written as up to four segments
 * <days><kind> joined by "+": "14c" (the national plan: 14 days centralized),
 * "7c+7h" (the Fujian guideline (五): 7 days centralized then 7 at home),
 * "14w+7c+7m" (the port-city notice: 14 days closed-loop work, 7 centralized,
 * 7 home health monitoring). The value is packed into 64 bits so that it is
 * pass-by-value and equality and hashing are those of int8 (see types/types.h
 * for the layout). Date arithmetic over plans lives in plan_range.c.
 */
#include "types/types.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "pg_compat.h"

/* ---------- kinds ---------- */

/*
 * The four kinds of segment.  The storage code of a kind is its index here
 * plus one, fixed on disk: never reorder this table, only append.
 */
typedef struct PlanKind
{
	char  letter;
	Phase phase;
} PlanKind;

static const PlanKind plan_kinds[] = {
	{'c', PHASE_CENTRALIZED}, /* 集中隔离 */
	{'h', PHASE_HOME},		  /* 居家隔离 */
	{'m', PHASE_MONITORING},  /* 居家健康监测 */
	{'w', PHASE_WORK},		  /* 闭环作业 (the port-city notice) */
};

#define PLAN_NKINDS ((int) lengthof(plan_kinds))
#define SEG_BITS	16
#define SEG_MASK	UINT64CONST(0xFFFF)

#define PLAN_HINT                                                       \
	"Write 1 to 4 segments <days><kind> joined by \"+\", each of 1 to " \
	"99 days, kinds c (centralized), h (home isolation), m (home "      \
	"health monitoring), w (closed-loop work), e.g. \"7c+7h\" or "      \
	"\"14w+7c+7m\"."

/* Storage code (1..4) of a kind letter, 0 when the letter is no kind. */
static int
KindCode(char c)
{
	c = pg_ascii_tolower((unsigned char) c);
	for (int i = 0; i < PLAN_NKINDS; i++)
		if (plan_kinds[i].letter == c)
			return i + 1;
	return 0;
}

/* ---------- packing ---------- */

static inline IsolationPlan
PackSegment(IsolationPlan plan, int index, int days, int code)
{
	return plan | ((IsolationPlan) ((days << 8) | code) << (SEG_BITS * index));
}

/*
 * Whether a 64-bit value is the packing of some plan: 1-4 leading segments
 * with 1..99 days and a known kind, then only zero bits.  This is what recv
 * checks, so that binary input accepts exactly what text input produces.
 */
static bool
PlanPackingValid(IsolationPlan plan)
{
	int n = 0;

	for (; n < PLAN_MAX_SEGMENTS; n++)
	{
		int seg = (int) ((plan >> (SEG_BITS * n)) & SEG_MASK);
		int days = seg >> 8;
		int code = seg & 0xFF;

		if (seg == 0)
			break;
		if (days < 1 || days > PLAN_MAX_DAYS || code < 1 || code > PLAN_NKINDS)
			return false;
	}
	if (n == 0)
		return false;
	/* n == PLAN_MAX_SEGMENTS uses all 64 bits; otherwise the rest is zero */
	return n == PLAN_MAX_SEGMENTS || (plan >> (SEG_BITS * n)) == 0;
}

/* Unpack into segs (PLAN_MAX_SEGMENTS entries); returns the segment count. */
int
PlanSegments(IsolationPlan plan, PlanSegment *segs)
{
	int n;

	for (n = 0; n < PLAN_MAX_SEGMENTS; n++)
	{
		int seg = (int) ((plan >> (SEG_BITS * n)) & SEG_MASK);
		int code = seg & 0xFF;

		if (seg == 0)
			break;
		/* only in and recv make plans, and both validate */
		if (code < 1 || code > PLAN_NKINDS)
			elog(ERROR, "corrupt isolation_plan value %016llX",
				 (unsigned long long) plan);
		segs[n].days = seg >> 8;
		segs[n].phase = plan_kinds[code - 1].phase;
	}
	if (n == 0)
		elog(ERROR, "corrupt isolation_plan value 0");
	return n;
}

/*
 * Pack segs (1..PLAN_MAX_SEGMENTS, each 1..99 days of a plan phase) into a
 * plan: the inverse of PlanSegments, for plans computed from another one
 * (revert_to_centralized) without printing and parsing text.  false when the
 * segments make no plan.
 */
bool
PlanFromSegments(const PlanSegment *segs, int n, IsolationPlan *plan)
{
	*plan = 0;
	if (n < 1 || n > PLAN_MAX_SEGMENTS)
		return false;
	for (int i = 0; i < n; i++)
	{
		int code = 0;

		for (int k = 0; k < PLAN_NKINDS; k++)
			if (plan_kinds[k].phase == segs[i].phase)
				code = k + 1;
		if (code == 0 || segs[i].days < 1 || segs[i].days > PLAN_MAX_DAYS)
			return false;
		*plan = PackSegment(*plan, i, segs[i].days, code);
	}
	return true;
}

/* Sum of the segments' days (1..396). */
int
PlanTotalDays(IsolationPlan plan)
{
	PlanSegment segs[PLAN_MAX_SEGMENTS];
	int			n = PlanSegments(plan, segs);
	int			total = 0;

	for (int i = 0; i < n; i++)
		total += segs[i].days;
	return total;
}

/* Whether the plan has a segment of this kind (not_started/released: yes). */
bool
PlanHasPhase(IsolationPlan plan, Phase phase)
{
	PlanSegment segs[PLAN_MAX_SEGMENTS];
	int			n;

	if (phase == PHASE_NOT_STARTED || phase == PHASE_RELEASED)
		return true;
	n = PlanSegments(plan, segs);
	for (int i = 0; i < n; i++)
		if (segs[i].phase == phase)
			return true;
	return false;
}

/* ---------- text form ---------- */

/* ASCII digits only: locale digits are no day counts. */
static inline bool
IsDigit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool
IsBlank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
		   c == '\f';
}

/* Length of the (possibly multibyte) character at p, never past the end. */
static int
CharLen(const char *p)
{
	return strnlen(p, pg_mblen(p));
}

static bool PlanParseSafe(const char *str, IsolationPlan *result, bool raise,
						  Node *escontext);

/* The character at p, for messages. */
static char *
CharAt(const char *p)
{
	return pnstrdup(p, CharLen(p));
}

/* Raise 22P02 for str with a DETAIL, or return false when not raising. */
#define PLAN_SYNTAX_ERROR(...)                                           \
	do                                                                   \
	{                                                                    \
		if (!raise)                                                      \
			return false;                                                \
		errsave(escontext, errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
				errmsg("invalid input syntax for type %s: \"%s\"",       \
					   "isolation_plan", str),                           \
				errdetail(__VA_ARGS__), errhint(PLAN_HINT));             \
		return false;                                                    \
	} while (0)

/*
 * Parse the text form.  Letters are case-insensitive and blanks may surround
 * any token (a day count, a kind letter, "+"), but may not split a day count:
 * "1 4c" is more likely a typo than 14 days.  Leading zeros are accepted
 * ("07c" is 7c).  Positions in messages count characters from 1.
 */
bool
PlanParse(const char *str, IsolationPlan *result, bool raise)
{
	return PlanParseSafe(str, result, raise, NULL);
}

/*
 * PlanParse reporting a malformed plan, when raise, through escontext
 * (doc/platforms.md, soft input errors): raised when escontext is NULL, else
 * saved there and false returned.
 */
static bool
PlanParseSafe(const char *str, IsolationPlan *result, bool raise,
			  Node *escontext)
{
	const char	 *p = str;
	int			  pos = 1; /* character position of *p */
	int			  nsegs = 1;
	IsolationPlan plan = 0;

#define ADVANCE()        \
	do                   \
	{                    \
		p += CharLen(p); \
		pos++;           \
	} while (0)
#define SKIP_BLANKS()       \
	do                      \
	{                       \
		while (IsBlank(*p)) \
			ADVANCE();      \
	} while (0)

	SKIP_BLANKS();
	if (*p == '\0')
		PLAN_SYNTAX_ERROR("The plan is empty.");

	/* Count segments up front so that "too many" is reported as such. */
	for (const char *q = str; *q; q++)
		if (*q == '+')
			nsegs++;
	if (nsegs > PLAN_MAX_SEGMENTS)
		PLAN_SYNTAX_ERROR("The plan has %d segments; a plan has 1 to %d.",
						  nsegs, PLAN_MAX_SEGMENTS);

	for (int seg = 0;; seg++)
	{
		const char *digits;
		int			ndigits;
		int			days = 0;
		int			code;

		SKIP_BLANKS();
		if (*p == '\0')
			PLAN_SYNTAX_ERROR("Segment %d is empty: the plan ends with \"+\".",
							  seg + 1);
		if (*p == '+' && seg == 0)
			PLAN_SYNTAX_ERROR(
				"Segment 1 is empty: the plan starts with \"+\".");
		if (*p == '+')
			PLAN_SYNTAX_ERROR("Segment %d is empty: \"+\" at position %d "
							  "follows another \"+\".",
							  seg + 1, pos);
		if (!IsDigit(*p))
			PLAN_SYNTAX_ERROR("Segment %d must start with a day count, found "
							  "\"%s\" at position %d.",
							  seg + 1, CharAt(p), pos);

		digits = p;
		while (IsDigit(*p))
		{
			/* saturate: any count above 99 is out of range anyway */
			if (days <= PLAN_MAX_DAYS)
				days = days * 10 + (*p - '0');
			ADVANCE();
		}
		ndigits = p - digits;
		if (days < 1 || days > PLAN_MAX_DAYS)
			PLAN_SYNTAX_ERROR("Segment %d lasts %.*s days; a segment lasts 1 "
							  "to %d days.",
							  seg + 1, ndigits, digits, PLAN_MAX_DAYS);

		SKIP_BLANKS();
		if (IsDigit(*p))
			PLAN_SYNTAX_ERROR("The day count of segment %d is split by a "
							  "blank before position %d.",
							  seg + 1, pos);
		if (*p == '\0' || *p == '+')
			PLAN_SYNTAX_ERROR("Segment %d (\"%.*s\") has no kind letter at "
							  "position %d.",
							  seg + 1, ndigits, digits, pos);
		code = KindCode(*p);
		if (code == 0)
			PLAN_SYNTAX_ERROR("Unknown kind letter \"%s\" at position %d; the "
							  "kinds are c, h, m and w.",
							  CharAt(p), pos);
		ADVANCE();
		plan = PackSegment(plan, seg, days, code);

		SKIP_BLANKS();
		if (*p == '\0')
			break;
		if (*p != '+')
			PLAN_SYNTAX_ERROR("Expected \"+\" or the end of the plan at "
							  "position %d, found \"%s\".",
							  pos, CharAt(p));
		ADVANCE();
	}
#undef ADVANCE
#undef SKIP_BLANKS

	Assert(PlanPackingValid(plan));
	*result = plan;
	return true;
}

/* Canonical text form, palloc'd: "14w+7c+7m". */
char *
PlanFormat(IsolationPlan plan)
{
	PlanSegment segs[PLAN_MAX_SEGMENTS];
	int			n = PlanSegments(plan, segs);
	char	   *buf = palloc(PLAN_MAX_SEGMENTS * 4);
	char	   *p = buf;

	for (int i = 0; i < n; i++)
	{
		char letter = '?';

		for (int k = 0; k < PLAN_NKINDS; k++)
			if (plan_kinds[k].phase == segs[i].phase)
				letter = plan_kinds[k].letter;
		p += sprintf(p, "%s%d%c", i > 0 ? "+" : "", segs[i].days, letter);
	}
	return buf;
}

/* ---------- SQL-callable I/O ---------- */

PG_FUNCTION_INFO_V1(isolation_plan_in);
/* Text input: "7c+7h" and the like; 22P02 with a DETAIL when malformed. */
Datum
isolation_plan_in(PG_FUNCTION_ARGS)
{
	IsolationPlan plan;

	if (!PlanParseSafe(PG_GETARG_CSTRING(0), &plan, true, fcinfo->context))
		PG_RETURN_NULL();
	PG_RETURN_ISOLATION_PLAN(plan);
}

PG_FUNCTION_INFO_V1(isolation_plan_out);
/* Text output: the canonical form. */
Datum
isolation_plan_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(PlanFormat(PG_GETARG_ISOLATION_PLAN(0)));
}

PG_FUNCTION_INFO_V1(isolation_plan_recv);
/* Binary input: the packed int8, accepted only when text input makes it. */
Datum
isolation_plan_recv(PG_FUNCTION_ARGS)
{
	StringInfo	  buf = (StringInfo) PG_GETARG_POINTER(0);
	IsolationPlan plan = (IsolationPlan) pq_getmsgint64(buf);

	if (!PlanPackingValid(plan))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary representation for type "
						"isolation_plan"),
				 errdetail("The value %016llX is not the packing of any plan.",
						   (unsigned long long) plan),
				 errhint("Send plans as produced by isolation_plan_send, or "
						 "in text form.")));
	PG_RETURN_ISOLATION_PLAN(plan);
}

PG_FUNCTION_INFO_V1(isolation_plan_send);
/* Binary output: the packed int8. */
Datum
isolation_plan_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, (int64) PG_GETARG_ISOLATION_PLAN(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(plan_to_isolation_plan);
/* to_isolation_plan(text): the text input as a function. */
Datum
plan_to_isolation_plan(PG_FUNCTION_ARGS)
{
	IsolationPlan plan;

	PlanParse(text_to_cstring(PG_GETARG_TEXT_PP(0)), &plan, true);
	PG_RETURN_ISOLATION_PLAN(plan);
}
