/*
 * staff.c
 *		High-risk staff of a port city (doc/health.md, the port-city notice):
 *		how often each role is tested, when the next NAT is due, and the
 *		48-hour negative NAT a person leaving a land-border port city must
 *		carry.
 *
 * The port-city notice 二 (and answers 5, 6):
 * "对入境口岸通道、隔离场所、定点医院、冷链相关企业等
 * 高风险岗位人员每隔1天开展1次核酸检测，对其他工作人员每周开展2次核酸检测，对工作人员
 * 家属每周开展1次核酸检测" — port channels, isolation sites, designated
 * hospitals and cold-chain firms every other day; other staff twice a week;
 * staff families once a week. The port-city notice 五:
 * "离开陆地边境口岸城市……人员需持有48小时 内核酸检测阴性证明".
 */
#include "health/health.h"
#include "records/lab_tests.h"
#include "records/records.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(staff_next_test_due);
PG_FUNCTION_INFO_V1(staff_test_overdue);
PG_FUNCTION_INFO_V1(staff_nat_proof_valid);

typedef enum TestFrequency
{
	EVERY_OTHER_DAY, /* 每隔1天开展1次 */
	TWICE_A_WEEK,	 /* 每周开展2次 */
	ONCE_A_WEEK		 /* 每周开展1次 */
} TestFrequency;

static const struct
{
	const char	 *name;
	TestFrequency frequency;
} staff_roles[ROLE_COUNT] = {
	[ROLE_PORT_FRONTLINE] = {"port_frontline", EVERY_OTHER_DAY},
	[ROLE_QUARANTINE_SITE] = {"quarantine_site", EVERY_OTHER_DAY},
	[ROLE_DESIGNATED_HOSPITAL] = {"designated_hospital", EVERY_OTHER_DAY},
	[ROLE_COLD_CHAIN] = {"cold_chain", EVERY_OTHER_DAY},
	[ROLE_OTHER_STAFF] = {"other_staff", TWICE_A_WEEK},
	[ROLE_FAMILY] = {"family", ONCE_A_WEEK},
};

/* The role called name (exact, lower case); false when there is none. */
bool
StaffRoleParse(const char *name, StaffRole *role)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(staff_roles[i].name, name) == 0)
		{
			*role = (StaffRole) i;
			return true;
		}
	return false;
}

const char *
StaffRoleName(StaffRole role)
{
	Assert(role >= 0 && role < ROLE_COUNT);
	return staff_roles[role].name;
}

static int
CompareDateDesc(const void *a, const void *b)
{
	DateADT x = *(const DateADT *) a;
	DateADT y = *(const DateADT *) b;

	return (x < y) - (x > y);
}

/* Distinct sample days, latest first, none later than until; count. */
static int
DistinctLatestFirst(const DateADT *samples, int n, DateADT until, DateADT *out)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		if (samples[i] <= until)
			out[k++] = samples[i];
	qsort(out, k, sizeof(DateADT), CompareDateDesc);
	n = k;
	k = 0;
	for (int i = 0; i < n; i++)
		if (k == 0 || out[i] != out[k - 1])
			out[k++] = out[i];
	return k;
}

static DateADT
AddDays(DateADT day, int days)
{
	int64 result = (int64) day + days;

	if (!IS_VALID_DATE(result))
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						errmsg("date out of range for the next test"),
						errdetail("A sample on the last days of the date "
								  "range has no due day after it.")));
	return (DateADT) result;
}

/*
 * Next due day from samples taken up to until (DATEVAL_NOEND: all).  Two
 * samples on one day are one test.  Every other day: the last sample + 2.
 * Twice a week: every 7 days hold two samples, so the second most recent +
 * 7; with a single sample, the last + 4 (two tests a week are 3½ days
 * apart; the longer gap counts).  Once a week: the last + 7.  false when
 * there is no sample: due now.
 */
static bool
NextTestDueUntil(StaffRole role, const DateADT *samples, int n, DateADT until,
				 DateADT *due)
{
	DateADT *days = palloc(sizeof(DateADT) * Max(n, 1));
	int		 k = DistinctLatestFirst(samples, n, until, days);
	bool	 found = k > 0;

	if (found)
	{
		switch (staff_roles[role].frequency)
		{
			case EVERY_OTHER_DAY:
				*due = AddDays(days[0], 2);
				break;
			case TWICE_A_WEEK:
				*due = k >= 2 ? AddDays(days[1], 7) : AddDays(days[0], 4);
				break;
			case ONCE_A_WEEK:
				*due = AddDays(days[0], 7);
				break;
		}
	}
	pfree(days);
	return found;
}

bool
NextTestDue(StaffRole role, const DateADT *samples, int n, DateADT *due)
{
	return NextTestDueUntil(role, samples, n, DATEVAL_NOEND, due);
}

/*
 * Overdue on today: no sample up to today (due now, and a high-risk post is
 * tested from its first shift), or the due day is before today.  Samples
 * after today are not counted: they had not been taken yet.
 */
bool
StaffTestOverdue(StaffRole role, const DateADT *samples, int n, DateADT today)
{
	DateADT due;

	if (!NextTestDueUntil(role, samples, n, today, &due))
		return true;
	return due < today;
}

/* ---------- SQL wrappers ---------- */

/* The role named by a text argument; 22023 when unknown. */
static StaffRole
RoleArg(text *arg)
{
	char	 *name = text_to_cstring(arg);
	StaffRole role;

	if (!StaffRoleParse(name, &role))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown staff role"),
				 errdetail("Role \"%s\" has no testing rule.", name),
				 errhint("Use one of port_frontline, quarantine_site, "
						 "designated_hospital, cold_chain, other_staff, "
						 "family.")));
	return role;
}

/* The non-NULL dates of a date[]; 22008 for infinite ones. */
static DateADT *
SampleDays(ArrayType *arr, int *n)
{
	Datum	*elems;
	bool	*nulls;
	int		 count;
	int		 k = 0;
	DateADT *days;

	if (ARR_ELEMTYPE(arr) != DATEOID)
		elog(ERROR, "samples must be a date[]");
	deconstruct_array(arr, DATEOID, sizeof(DateADT), true, TYPALIGN_INT,
					  &elems, &nulls, &count);
	days = palloc(sizeof(DateADT) * Max(count, 1));
	for (int i = 0; i < count; i++)
	{
		if (nulls[i])
			continue;
		days[k] = DatumGetDateADT(elems[i]);
		if (DATE_NOT_FINITE(days[k]))
			ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
							errmsg("sample date out of range"),
							errdetail("Sample %d is %s.", i + 1,
									  DATE_IS_NOBEGIN(days[k]) ? "-infinity"
															   : "infinity"),
							errhint("Pass the local dates the samples were "
									"taken.")));
		k++;
	}
	*n = k;
	return days;
}

/* next_test_due(role text, samples date[]) → date; NULL: due now. */
Datum
staff_next_test_due(PG_FUNCTION_ARGS)
{
	StaffRole role = RoleArg(PG_GETARG_TEXT_PP(0));
	int		  n;
	DateADT	 *days = SampleDays(PG_GETARG_ARRAYTYPE_P(1), &n);
	DateADT	  due;

	if (!NextTestDue(role, days, n, &due))
		PG_RETURN_NULL();
	PG_RETURN_DATEADT(due);
}

/* test_overdue(role text, samples date[], on_date date) → boolean. */
Datum
staff_test_overdue(PG_FUNCTION_ARGS)
{
	StaffRole role = RoleArg(PG_GETARG_TEXT_PP(0));
	int		  n;
	DateADT	 *days = SampleDays(PG_GETARG_ARRAYTYPE_P(1), &n);
	DateADT	  on_date = PG_GETARG_DATEADT(2);

	if (DATE_NOT_FINITE(on_date))
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						errmsg("date out of range for a test check"),
						errdetail("on_date is infinite."),
						errhint("Pass the local date to check.")));
	PG_RETURN_BOOL(StaffTestOverdue(role, days, n, on_date));
}

/* ---------- nat_proof_valid ---------- */

/*
 * nat_proof_valid(person_id, at, hours) → boolean: at instant at the person
 * holds a negative NAT sampled within the hours before it (both ends
 * included).  A result reported after at was not yet in hand; a result with
 * no report time is taken as in hand.
 */
Datum
staff_nat_proof_valid(PG_FUNCTION_ARGS)
{
	int64		person_id = PG_GETARG_INT64(0);
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(1);
	int32		hours = PG_GETARG_INT32(2);
	TimestampTz from;
	PersonScan	s;
	LabTest		t;
	bool		valid = false;

	RequirePersonInScope(person_id);

	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						errmsg("timestamp out of range for a NAT proof"),
						errdetail("at is infinite."),
						errhint("Pass the instant the proof is shown.")));
	if (hours < 1)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("hours must be positive"),
						errdetail("hours is %d.", hours),
						errhint("The port-city staff notice asks for a NAT "
								"within 48 hours.")));
	from = at - (int64) hours * USECS_PER_HOUR;

	LabTestScanOpen(&s, ActiveSnapshotSet() ? GetActiveSnapshot()
											: GetTransactionSnapshot());
	PersonScanRequireSelect(&s);
	PersonScanStart(&s, person_id);
	while (!valid && LabTestNext(&s, &t))
		valid = t.kind == TEST_NAT && t.result == RESULT_NEGATIVE &&
				t.sampled_at >= from && t.sampled_at <= at &&
				!(t.has_reported && t.reported_at > at);
	PersonScanClose(&s);
	PG_RETURN_BOOL(valid);
}
