/*
 * manifest_record.c
 *		Helpers of the manifest import: composite arguments read by field
 *		name, and the non-raising calls of the document and seat checks.
 */
#include "load/manifest.h"

#include "access/htup_details.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

/* The reader kept in fn_extra, allocated in fn_mcxt on the first call. */
FieldReader *
FieldReaderFor(FunctionCallInfo fcinfo, int nfields)
{
	FieldReader *reader = (FieldReader *) fcinfo->flinfo->fn_extra;

	if (reader == NULL)
	{
		reader = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
										sizeof(FieldReader));
		reader->nfields = nfields;
		reader->attidx =
			MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(int) * nfields);
		reader->typid = InvalidOid;
		fcinfo->flinfo->fn_extra = reader;
	}
	return reader;
}

/*
 * Find each wanted field in desc.  A field of another type is refused (the
 * functions read Datums by type), as a caller's mistake or a bug.
 */
static void
MapFields(FieldReader *reader, TupleDesc desc, const FieldSpec *specs)
{
	for (int i = 0; i < reader->nfields; i++)
	{
		Oid expected = specs[i].typname ? QuarantineTypeOid(specs[i].typname)
										: specs[i].type;

		reader->attidx[i] = -1;
		for (int a = 0; a < desc->natts; a++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, a);

			if (att->attisdropped ||
				strcmp(NameStr(att->attname), specs[i].name) != 0)
				continue;
			if (att->atttypid != expected)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("field \"%s\" has type %s, expected %s",
								specs[i].name, format_type_be(att->atttypid),
								format_type_be(expected)),
						 errhint("Reinstall the extension: the import "
								 "functions and their row types disagree.")));
			reader->attidx[i] = a;
			break;
		}
	}
}

/*
 * Deform composite argument argno into values/nulls ordered as specs.  A
 * field the row type lacks reads as NULL.
 */
void
ReadFields(FunctionCallInfo fcinfo, FieldReader *reader, int argno,
		   const FieldSpec *specs, Datum *values, bool *nulls)
{
	HeapTupleHeader th = PG_GETARG_HEAPTUPLEHEADER(argno);
	Oid				typid = HeapTupleHeaderGetTypeId(th);
	int32			typmod = HeapTupleHeaderGetTypMod(th);
	TupleDesc		desc = lookup_rowtype_tupdesc(typid, typmod);
	HeapTupleData	tuple;
	Datum		   *all;
	bool		   *allnulls;

	if (reader->typid != typid || reader->typmod != typmod)
	{
		reader->typid = InvalidOid; /* until the map is complete */
		MapFields(reader, desc, specs);
		reader->typid = typid;
		reader->typmod = typmod;
	}

	tuple.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = th;
	all = palloc(sizeof(Datum) * desc->natts);
	allnulls = palloc(sizeof(bool) * desc->natts);
	heap_deform_tuple(&tuple, desc, all, allnulls);

	for (int i = 0; i < reader->nfields; i++)
	{
		int a = reader->attidx[i];

		nulls[i] = (a < 0) || allnulls[a];
		values[i] = nulls[i] ? (Datum) 0 : all[a];
	}
	ReleaseTupleDesc(desc);
}

/*
 * Keep a data exception raised inside PG_TRY as *err and clear it; re-throw
 * anything else (out of memory, query cancel, internal errors).
 */
static void
KeepDataError(MemoryContext cxt, CaughtError *err)
{
	ErrorData *edata;

	MemoryContextSwitchTo(cxt);
	edata = CopyErrorData();
	if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) != ERRCODE_DATA_EXCEPTION)
	{
		FreeErrorData(edata);
		PG_RE_THROW();
	}
	FlushErrorState();
	err->message = edata->message;
	err->detail = edata->detail;
}

/* NormalizeDoc(kind, number) without raising: NULL and *err when malformed. */
char *
TryNormalizeDoc(DocKind kind, const char *number, CaughtError *err)
{
	MemoryContext cxt = CurrentMemoryContext;
	char *volatile result = NULL;

	PG_TRY();
	{
		result = NormalizeDoc(kind, number);
	}
	PG_CATCH();
	{
		KeepDataError(cxt, err);
		result = NULL;
	}
	PG_END_TRY();
	return result;
}

/* SeatRow(seat) without raising: 0 and *err when malformed. */
int
TrySeatRow(const char *seat, CaughtError *err)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile int  row = 0;

	PG_TRY();
	{
		row = SeatRow(seat);
	}
	PG_CATCH();
	{
		KeepDataError(cxt, err);
		row = 0;
	}
	PG_END_TRY();
	return row;
}
