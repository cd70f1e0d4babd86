/*
 * lab_tests.c
 *		The one reader of lab_test rows: the control trigger (release NAT,
 *		the 7+7 check), the health-code facts, the NAT proof of staff and
 *		SQL's home_transfer_eligibility() all read a person's tests here,
 *		by the index lab_test_person (in sample order).
 */
#include "records/records.h"
#include "records/lab_tests.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/typcache.h"

PG_FUNCTION_INFO_V1(person_lab_results);

enum
{
	L_KIND,
	L_SAMPLED_AT,
	L_RESULT,
	L_REPORTED_AT
};
static const char *const lab_columns[] = {"kind", "sampled_at", "result",
										  "reported_at", NULL};
static ColumnMap		 lab_map = {.names = lab_columns};

void
LabTestScanOpen(PersonScan *s, Snapshot snapshot)
{
	PersonScanOpen(s, "lab_test", "lab_test_person", snapshot);
	ColumnMapFor(&lab_map, s->heap);
}

bool
LabTestNext(PersonScan *s, LabTest *t)
{
	if (!PersonScanNext(s))
		return false;
	LabTestFromSlot(s->slot, t);
	return true;
}

/* The test in slot, a row of lab_test read by a scan LabTestScanOpen made. */
void
LabTestFromSlot(TupleTableSlot *slot, LabTest *t)
{
	const int *att = lab_map.attnum;
	bool	   isnull;
	Datum	   d;

	t->kind = EnumLabelIndex(QE_TEST_KIND, DatumGetObjectId(slot_getattr(
											   slot, att[L_KIND], &isnull)));
	t->sampled_at =
		DatumGetTimestampTz(slot_getattr(slot, att[L_SAMPLED_AT], &isnull));
	t->result = EnumLabelIndex(
		QE_TEST_RESULT,
		DatumGetObjectId(slot_getattr(slot, att[L_RESULT], &isnull)));
	d = slot_getattr(slot, att[L_REPORTED_AT], &isnull);
	t->has_reported = !isnull;
	t->reported_at = isnull ? 0 : DatumGetTimestampTz(d);
}

/* Every test of a person as the 7+7 check and control_end read them. */
static LabResult *
LabResultsUnder(int64 person_id, Snapshot snapshot, int *ntests)
{
	PersonScan s;
	LabTest	   t;
	int		   size = 8;
	int		   n = 0;
	LabResult *tests = palloc(sizeof(LabResult) * size);

	LabTestScanOpen(&s, snapshot);
	PersonScanStart(&s, person_id);
	while (LabTestNext(&s, &t))
	{
		if (n == size)
		{
			size *= 2;
			tests = repalloc(tests, sizeof(LabResult) * size);
		}
		tests[n].kind = t.kind;
		tests[n].sampled_on = LocalDateOf(t.sampled_at);
		tests[n].result = t.result;
		n++;
	}
	PersonScanClose(&s);
	*ntests = n;
	return tests;
}

/*
 * For the triggers: SnapshotSelf sees the rows of the writing statement
 * too (a COPY of lab tests and controls in one transaction).
 */
LabResult *
PersonLabResults(int64 person_id, int *ntests)
{
	return LabResultsUnder(person_id, SnapshotSelf, ntests);
}

/*
 * person_lab_results(person_id) → lab_result[]: the person's tests with
 * local sample dates, in sample order, for home_transfer_eligibility().
 * Checks SELECT on lab_test as the query it replaces would need; under
 * row-level security, which an index scan bypasses, it answers only when
 * the caller may see the person (RequirePersonInScope: lab_test's policy
 * follows the person's).
 */
Datum
person_lab_results(PG_FUNCTION_ARGS)
{
	int64	   person_id = PG_GETARG_INT64(0);
	Oid		   typid = QuarantineTypeOid("lab_result");
	TupleDesc  desc = lookup_rowtype_tupdesc_copy(typid, -1);
	PersonScan s;
	LabTest	   t;
	Datum	  *elems;
	int		   size = 8;
	int		   n = 0;
	int16	   typlen;
	bool	   typbyval;
	char	   typalign;

	desc = BlessTupleDesc(desc);
	elems = palloc(sizeof(Datum) * size);
	LabTestScanOpen(&s, ActiveSnapshotSet() ? GetActiveSnapshot()
											: GetTransactionSnapshot());
	PersonScanRequireSelect(&s);
	RequirePersonInScope(person_id);
	PersonScanStart(&s, person_id);
	while (LabTestNext(&s, &t))
	{
		Datum values[3];
		bool  nulls[3] = {false, false, false};

		values[0] = ObjectIdGetDatum(EnumLabelOid(QE_TEST_KIND, t.kind));
		values[1] = DateADTGetDatum(LocalDateOf(t.sampled_at));
		values[2] = ObjectIdGetDatum(EnumLabelOid(QE_TEST_RESULT, t.result));
		if (n == size)
		{
			size *= 2;
			elems = repalloc(elems, sizeof(Datum) * size);
		}
		elems[n++] = HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
	}
	PersonScanClose(&s);
	get_typlenbyvalalign(typid, &typlen, &typbyval, &typalign);
	PG_RETURN_ARRAYTYPE_P(
		construct_array(elems, n, typid, typlen, typbyval, typalign));
}
