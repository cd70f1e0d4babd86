/*
 * trg_lab_test.c
 *		Trigger on lab_test: sample and report times a record can hold.
 *
 * A test sampled in the year 294276 would sort after every real one and make
 * any release NAT or staff test look current; the manifest refuses such
 * instants, and so does a direct write (one source: PlausibleInstant).
 */
#include "records.h"
#include "rule.h"

PG_FUNCTION_INFO_V1(lab_test_before_write);

enum
{
	L_SAMPLED_AT,
	L_REPORTED_AT
};
static const char *const lab_columns[] = {"sampled_at", "reported_at", NULL};
static ColumnMap		 lab_map = {.names = lab_columns};

/* BEFORE INSERT OR UPDATE FOR EACH ROW on lab_test. */
Datum
lab_test_before_write(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		RowTriggerData(fcinfo, "lab_test_before_write", "lab_test", true);
	Relation				 rel = td->tg_relation;
	TupleDesc				 desc = RelationGetDescr(rel);
	HeapTuple				 row = TriggerRow(td);
	static const char *const what[] = {"sample time", "report time"};
	/* named as the CHECK constraints on the same columns */
	static const char *const rule[] = {"lab_test_sampled_at",
									   "lab_test_reported_at"};
	Problem					 p = {0};

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(TriggerRow(td));
	/* person_scope first: no later rule tells of another district's person */
	RequireWrittenPersonInScope(td);
	ColumnMapFor(&lab_map, rel);
	for (int col = L_SAMPLED_AT; col <= L_REPORTED_AT; col++)
	{
		bool  isnull;
		Datum d = heap_getattr(row, lab_map.attnum[col], desc, &isnull);

		if (!isnull && !PlausibleInstant(DatumGetTimestampTz(d), rule[col],
										 what[col], &p))
		{
			ProblemColumn(&p, lab_map.attnum[col]);
			RaiseProblem(&p, rel);
		}
	}
	return PointerGetDatum(row);
}
