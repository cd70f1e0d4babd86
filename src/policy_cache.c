/*
 * policy_cache.c
 *		The policy table (SPEC §2) held in backend memory for the control
 *		trigger, which needs plan_for() once per inserted row.
 *
 * The table is tiny (a handful of rows per category) but read on every row
 * of a COPY into control, so it is loaded once and scanned in memory.  Data
 * changes do not invalidate relcache entries by themselves, so a statement
 * trigger on policy (policy_after_change) sends a relcache invalidation for
 * the table, which reaches every backend at commit and empties this cache.
 */
#include "records.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "executor/spi.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(policy_after_change);
PG_FUNCTION_INFO_V1(policy_plan_for);

typedef struct PolicyRow
{
	ArrivalCategory category;
	DateADT			lower; /* inclusive; DATEVAL_NOBEGIN if unbounded */
	DateADT			upper; /* exclusive; DATEVAL_NOEND if unbounded */
	IsolationPlan	plan;
} PolicyRow;

static PolicyRow *policy_rows = NULL;
static int		  n_policy_rows = 0;
static bool		  policy_valid = false;
static Oid		  policy_relid = InvalidOid;
static bool		  policy_callback = false;

static void
ForgetPolicies(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == policy_relid)
		policy_valid = false;
}

static void
LoadPolicies(void)
{
	int			  rc;
	MemoryContext oldcxt;

	if (!policy_callback)
	{
		CacheRegisterRelcacheCallback(ForgetPolicies, (Datum) 0);
		policy_callback = true;
	}
	policy_relid =
		get_relname_relid("policy", get_namespace_oid("quarantine", false));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rc = SPI_execute("SELECT category, "
					 "       coalesce(lower(effective), '-infinity'), "
					 "       coalesce(upper(effective), 'infinity'), plan "
					 "  FROM quarantine.policy",
					 true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "reading quarantine.policy failed: %s",
			 SPI_result_code_string(rc));

	oldcxt = MemoryContextSwitchTo(TopMemoryContext);
	if (policy_rows != NULL)
		pfree(policy_rows);
	policy_rows = palloc0(sizeof(PolicyRow) * Max(SPI_processed, 1));
	MemoryContextSwitchTo(oldcxt);

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
	}
	n_policy_rows = (int) SPI_processed;
	SPI_finish();
	policy_valid = true;
}

/*
 * plan_for(category, day): the policy of the category covering day; a
 * category with no row of its own falls back to general (exempt does not).  False when no
 * policy covers the day.
 */
bool
PolicyPlanFor(ArrivalCategory category, DateADT day, IsolationPlan *plan)
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
			{
				*plan = row->plan;
				return true;
			}
		}
		/* Exempt arrivals have no plan unless an admin adds one. */
		if (category_has_rows || category == CAT_GENERAL ||
			category == CAT_EXEMPT)
			return false;
		category = CAT_GENERAL;
	}
	return false;
}

/* plan_for(category, on_date): SQL face of PolicyPlanFor. */
Datum
policy_plan_for(PG_FUNCTION_ARGS)
{
	ArrivalCategory category = EnumLabelIndex(QE_ARRIVAL_CATEGORY,
											  PG_GETARG_OID(0));
	IsolationPlan plan;

	if (!PolicyPlanFor(category, PG_GETARG_DATEADT(1), &plan))
		PG_RETURN_NULL();
	return IsolationPlanGetDatum(plan);
}

/* AFTER ... FOR EACH STATEMENT on policy: make every backend reload it. */
Datum
policy_after_change(PG_FUNCTION_ARGS)
{
	TriggerData *td = StatementTriggerData(fcinfo, "policy_after_change");

	CacheInvalidateRelcache(td->tg_relation);
	policy_valid = false;
	return PointerGetDatum(NULL);
}
