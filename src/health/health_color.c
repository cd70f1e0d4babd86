/*
 * health_color.c
 *		code_color(person_id, at): the health-code colour of a person read
 *		from the tables (doc/health.md), from the same facts as the feed.
 */
#include "health/health_facts.h"

#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(code_color);

typedef struct ColorCache
{
	TupleDesc desc;
} ColorCache;

static bool
PersonExists(int64 person_id, Snapshot snapshot)
{
	PersonScan s;
	bool	   found;

	PersonScanOpen(&s, "person", "person_pkey", snapshot);
	PersonScanRequireSelect(&s);
	PersonScanStart(&s, person_id);
	found = PersonScanNext(&s);
	PersonScanClose(&s);
	return found;
}

/*
 * code_color(person_id, at) → code_state (color, reason): the colour of a
 * person at an instant, from the records as they are now; tests and entries
 * later than at are left out.
 */
Datum
code_color(PG_FUNCTION_ARGS)
{
	int64		person_id = PG_GETARG_INT64(0);
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(1);
	ColorCache *cache = (ColorCache *) fcinfo->flinfo->fn_extra;
	Snapshot	snapshot = ReadingSnapshot();
	FactReader	r;
	CodeFacts	f;
	CodeReason	reason;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	RequirePersonInScope(person_id);

	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range for a health code"),
				 errdetail("The colour is computed for a finite instant; "
						   "got %s.",
						   timestamptz_to_str(at)),
				 errhint("Pass a finite timestamptz, e.g. now().")));
	if (cache == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	  desc;

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "code_color must return a composite type");
		cache = palloc(sizeof(ColorCache));
		cache->desc = BlessTupleDesc(CreateTupleDescCopy(desc));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = cache;
	}

	if (!PersonExists(person_id, snapshot))
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("person %lld does not exist", (long long) person_id),
				 errhint("Check the person_id.")));

	FactReaderOpen(&r, snapshot, false, true);
	GatherFacts(&r, person_id, at, &f);
	reason = HealthCodeDecide(&f);
	FactReaderClose(&r);

	values[0] = ObjectIdGetDatum(
		EnumLabelOid(QE_HEALTH_CODE, CodeReasonColor(reason)));
	values[1] = CStringGetTextDatum(CodeReasonName(reason));
	PG_RETURN_DATUM(
		HeapTupleGetDatum(heap_form_tuple(cache->desc, values, nulls)));
}
