/*
 * staged_rows.c
 *		What the loader (staged_load.c) and the recording of a refused row
 *		(staged_reject.c) share: the SQL that reads a staged row back whole,
 *		and running a step in a subtransaction that catches only data errors.
 */
#include "load/staged_load.h"

#include "access/xact.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

/*
 * The staged row of work row w, whole, as jsonb: read again from the
 * staging table (only for the rows refused, so that the work table carries
 * no copy of every row), by its ctid, or, should a concurrent update have
 * moved it, by batch, row_no and hash (by hash alone for a staging table
 * without batch and row_no).
 */
char *
StagedRowSql(const StagedLoad *load)
{
	return psprintf(
		"COALESCE("
		" (SELECT pg_catalog.to_jsonb(s) FROM %s s "
		"   WHERE s.ctid OPERATOR(pg_catalog.=) w.load_ctid "
		"     AND pg_catalog.md5(s::pg_catalog.text)::pg_catalog.uuid "
		"         OPERATOR(pg_catalog.=) w.load_hash), "
		" (SELECT pg_catalog.to_jsonb(s) FROM %s s "
		"   WHERE %s pg_catalog.md5(s::pg_catalog.text)::pg_catalog.uuid "
		"         OPERATOR(pg_catalog.=) w.load_hash LIMIT 1))",
		load->staging, load->staging,
		load->numbered ? "s.batch OPERATOR(pg_catalog.=) $1 "
						 "AND s.row_no IS NOT DISTINCT FROM w.row_no AND"
					   : "");
}

static bool
IsDataError(int sqlerrcode)
{
	return ERRCODE_TO_CATEGORY(sqlerrcode) == ERRCODE_DATA_EXCEPTION ||
		   ERRCODE_TO_CATEGORY(sqlerrcode) ==
			   ERRCODE_INTEGRITY_CONSTRAINT_VIOLATION;
}

ErrorData *
CatchDataError(void (*fn)(void *), void *arg)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	ErrorData *volatile caught = NULL;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		fn(arg);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		if (!IsDataError(edata->sqlerrcode))
			ReThrowError(edata);
		caught = edata;
	}
	PG_END_TRY();
	return caught;
}
