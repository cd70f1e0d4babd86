/*
 * policy_cache.c
 *		The policy table (doc/plans.md) held in backend memory for the control
 *		trigger, which needs plan_for() once per inserted row.
 *
 * The table is tiny (a handful of rows per category) but read on every row
 * of a COPY into control, so it is loaded once and scanned in memory.  Data
 * changes do not invalidate relcache entries by themselves, so a statement
 * trigger on policy (policy_after_change) sends a relcache invalidation for
 * the table, which reaches every backend at commit and empties this cache.
 */
#include "records/records.h"
#include "records/policy_cache.h"
#include "records/query_context.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "executor/spi.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

PG_FUNCTION_INFO_V1(policy_after_change);
PG_FUNCTION_INFO_V1(policy_plan_for);
PG_FUNCTION_INFO_V1(policy_nat_due_on);

typedef struct PolicyRow
{
	ArrivalCategory category;
	DateADT			lower; /* inclusive; DATEVAL_NOBEGIN if unbounded */
	DateADT			upper; /* exclusive; DATEVAL_NOEND if unbounded */
	IsolationPlan	plan;
	int				n_nat_days;
	int			   *nat_days; /* day numbers a NAT sample is due */
} PolicyRow;

static MemoryContext policy_cxt = NULL;
static PolicyRow	*policy_rows = NULL;
static int			 n_policy_rows = 0;
static bool			 policy_valid = false;
static Oid			 policy_relid = InvalidOid;
static bool			 policy_callback = false;
/* Counts invalidations, so a load can tell whether one arrived meanwhile. */
static uint64 policy_generation = 0;

static void
ForgetPolicies(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == policy_relid)
	{
		policy_valid = false;
		policy_generation++;
	}
}

static void
LoadPolicies(void)
{
	int			  rc;
	MemoryContext oldcxt;
	QueryContext  qc;
	uint64		  generation;
	int			  nrows;

	if (!policy_callback)
	{
		CacheRegisterRelcacheCallback(ForgetPolicies, (Datum) 0);
		policy_callback = true;
	}
	policy_relid =
		get_relname_relid("policy", get_namespace_oid("quarantine", false));

	/*
	 * Invalid and empty while loading (as temporal_tables marks a cache
	 * entry): an error halfway, e.g. a row of an enum label this library
	 * does not know, leaves no half-built cache behind.  Valid only after a
	 * complete load, and only if no invalidation arrived during the read.
	 * Read with the latest snapshot, not the caller's, so a REPEATABLE READ
	 * transaction cannot cache rows older than the commit that invalidated
	 * them for the rest of the session.
	 */
	policy_valid = false;
	n_policy_rows = 0;
	generation = policy_generation;
	QuerySpiConnect(&qc, OWNER_POLICY_CACHE);
	PushActiveSnapshot(GetLatestSnapshot());
	rc = SPI_execute("SELECT category, "
					 "       coalesce(lower(effective), '-infinity'), "
					 "       coalesce(upper(effective), 'infinity'), plan, "
					 "       nat_days "
					 "  FROM quarantine.policy",
					 true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading quarantine.policy failed: %s",
			 SPI_result_code_string(rc));

	/* The rows live in a context of their own, replaced on every reload. */
	if (policy_cxt == NULL)
		policy_cxt = AllocSetContextCreate(
			TopMemoryContext, "quarantine policy cache", ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(policy_cxt);
	policy_rows = MemoryContextAllocZero(
		policy_cxt, sizeof(PolicyRow) * Max(SPI_processed, 1));

	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple tup = SPI_tuptable->vals[i];
		TupleDesc desc = SPI_tuptable->tupdesc;
		bool	  isnull;

		policy_rows[i].category = EnumLabelIndex(
			QE_ARRIVAL_CATEGORY,
			DatumGetObjectId(SPI_getbinval(tup, desc, 1, &isnull)));
		policy_rows[i].lower =
			DatumGetDateADT(SPI_getbinval(tup, desc, 2, &isnull));
		policy_rows[i].upper =
			DatumGetDateADT(SPI_getbinval(tup, desc, 3, &isnull));
		policy_rows[i].plan =
			DatumGetIsolationPlan(SPI_getbinval(tup, desc, 4, &isnull));
		{
			ArrayType *days =
				DatumGetArrayTypeP(SPI_getbinval(tup, desc, 5, &isnull));
			Datum *elems;
			bool  *nulls;
			int	   n;

			deconstruct_array(days, INT4OID, 4, true, TYPALIGN_INT, &elems,
							  &nulls, &n);
			oldcxt = MemoryContextSwitchTo(policy_cxt);
			policy_rows[i].nat_days = palloc(sizeof(int) * Max(n, 1));
			MemoryContextSwitchTo(oldcxt);
			for (int d = 0; d < n; d++)
				policy_rows[i].nat_days[policy_rows[i].n_nat_days++] =
					nulls[d] ? 0 : DatumGetInt32(elems[d]);
		}
	}
	nrows = (int) SPI_processed;
	PopActiveSnapshot();
	QuerySpiFinish(&qc);
	n_policy_rows = nrows;
	policy_valid = (generation == policy_generation);
}

/*
 * The policy row of a category covering day; a category with no row of its
 * own falls back to general (exempt does not).  NULL when none covers it.
 */
static PolicyRow *
PolicyRowFor(ArrivalCategory category, DateADT day)
{
	bool category_has_rows = false;

	if (!policy_valid)
		LoadPolicies();
	for (int pass = 0; pass < 2; pass++)
	{
		for (int i = 0; i < n_policy_rows; i++)
		{
			PolicyRow *row = &policy_rows[i];

			if (row->category != category)
				continue;
			category_has_rows = true;
			if (row->lower <= day && day < row->upper)
				return row;
		}
		/* Exempt arrivals have no plan unless an admin adds one. */
		if (category_has_rows || category == CAT_GENERAL ||
			category == CAT_EXEMPT)
			return NULL;
		category = CAT_GENERAL;
	}
	return NULL;
}

/* plan_for(category, day) in C; false when no policy covers the day. */
bool
PolicyPlanFor(ArrivalCategory category, DateADT day, IsolationPlan *plan)
{
	PolicyRow *row = PolicyRowFor(category, day);

	if (row == NULL)
		return false;
	*plan = row->plan;
	return true;
}

/* plan_for(category, on_date): SQL face of PolicyPlanFor. */
Datum
policy_plan_for(PG_FUNCTION_ARGS)
{
	ArrivalCategory category =
		EnumLabelIndex(QE_ARRIVAL_CATEGORY, PG_GETARG_OID(0));
	IsolationPlan plan;

	if (!PolicyPlanFor(category, PG_GETARG_DATEADT(1), &plan))
		PG_RETURN_NULL();
	return IsolationPlanGetDatum(plan);
}

/*
 * nat_due_on(category, start, on_date): whether the policy that set the plan
 * of a quarantine of this category starting on start has a NAT sample due on
 * on_date (its nat_days, counted from day 1 = start).
 */
Datum
policy_nat_due_on(PG_FUNCTION_ARGS)
{
	ArrivalCategory category =
		EnumLabelIndex(QE_ARRIVAL_CATEGORY, PG_GETARG_OID(0));
	DateADT	   start = PG_GETARG_DATEADT(1);
	DateADT	   on_date = PG_GETARG_DATEADT(2);
	PolicyRow *row = PolicyRowFor(category, start);
	int64	   day;

	if (row == NULL || DATE_NOT_FINITE(start) || DATE_NOT_FINITE(on_date))
		PG_RETURN_BOOL(false);
	day = (int64) on_date - start + 1;
	for (int i = 0; i < row->n_nat_days; i++)
		if (row->nat_days[i] == day)
			PG_RETURN_BOOL(true);
	PG_RETURN_BOOL(false);
}

/* AFTER ... FOR EACH STATEMENT on policy: make every backend reload it. */
Datum
policy_after_change(PG_FUNCTION_ARGS)
{
	static const char *const tables[] = {"policy", NULL};
	TriggerData				*td =
		StatementTriggerData(fcinfo, "policy_after_change", tables);

	CacheInvalidateRelcache(td->tg_relation);
	ForgetPolicies((Datum) 0, InvalidOid);
	return PointerGetDatum(NULL);
}
