/*
 * transfer.c
 *		The "7+7" check: may a person move from centralized to home isolation
 *		after 7 days (doc/arrival.md)?
 *
 * The Fujian guideline 四(五): 14 days centralized, or 7 centralized then 7 at
 * home when (1) two NATs and one serum antibody test were negative during
 * centralized isolation, (2) the home was verified to offer a single room
 * (单人单间), (3) the person signed the commitment letter.  The national
 * plan 二(三)6 fixes the days: "第3天和第5天两次核酸检测阴性且第5天血清特异性
 * IgM抗体阴性", and only for non-"four category" arrivals.  The Fujian
 * guideline 四(八): the transfer happens after day 7, so on day 8 at the
 * earliest.
 */
#include "rules/rules.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

PG_FUNCTION_INFO_V1(home_transfer_check);

/*
 * Day numbers of the criteria (day 1 is the start date: README, Conventions).
 */
#define NAT_FIRST_FROM	3
#define NAT_SECOND_FROM 5
#define IGM_FROM		5
#define TESTS_UNTIL		7
#define TRANSFER_DAY	8

/*
 * Codes in the order of the HomeTransferUnmet bits, which is the order of
 * doc/arrival.md.
 */
static const char *const unmet_codes[] = {
	"category",		 "nat_day3",		  "nat_day5",	   "igm_day5",
	"positive_test", "home_not_verified", "no_commitment", "too_early",
};

#define N_UNMET lengthof(unmet_codes)

/* Text of the lowest set bit's code, NULL when no bit is set. */
const char *
HomeTransferCode(HomeTransferUnmet bit)
{
	for (int i = 0; i < (int) N_UNMET; i++)
		if ((uint32) bit & (1U << i))
			return unmet_codes[i];
	return NULL;
}

/*
 * Raise 22008 unless day is a finite date; a start date must also have its
 * day 8 inside the date range.
 */
static void
CheckDate(DateADT day, const char *what, bool is_start)
{
	if (DATE_NOT_FINITE(day) ||
		(is_start && !IS_VALID_DATE((int64) day + TRANSFER_DAY)))
		ereport(
			ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("%s is out of range for the home transfer check", what),
			 errdetail("The %s is %s.", what,
					   DatumGetCString(DirectFunctionCall1(
						   date_out, DateADTGetDatum(day)))),
			 errhint("Give a finite date.")));
}

/*
 * Check the 7+7 criteria on on_date. Tests sampled after on_date are ignored
 * (their results cannot be known yet), and so are tests sampled before day 1
 * (doc/arrival.md: positives count "since day 1"; the negatives must fall on
 * days 3-7 anyway). Only NAT and IgM count; IgG and antigen results neither
 * qualify nor disqualify. Pending and inconclusive are not negative.
 */
void
HomeTransferCheck(DateADT start, ArrivalCategory category,
				  const LabResult *tests, int ntests, bool home_verified,
				  bool commitment_signed, DateADT on_date, Eligibility *result)
{
	uint32 nat_days = 0; /* bit d: a negative NAT sampled on day d */
	bool   igm_negative = false;
	bool   positive = false;
	bool   nat_second = false;
	uint32 unmet = 0;

	CheckDate(start, "quarantine start", true);
	CheckDate(on_date, "check date", false);

	for (int i = 0; i < ntests; i++)
	{
		const LabResult *t = &tests[i];
		int64			 day = (int64) t->sampled_on - start + 1;

		if (t->sampled_on > on_date || day < 1)
			continue;
		if (t->kind != TEST_NAT && t->kind != TEST_IGM)
			continue;
		if (t->result == RESULT_POSITIVE)
			positive = true;
		else if (t->result == RESULT_NEGATIVE && day <= TESTS_UNTIL)
		{
			if (t->kind == TEST_NAT && day >= NAT_FIRST_FROM)
				nat_days |= 1U << day;
			else if (t->kind == TEST_IGM && day >= IGM_FROM)
				igm_negative = true;
		}
	}

	/*
	 * Two negative NATs on distinct days d1 < d2, d1 in 3-7 and d2 in 5-7
	 * (the national plan: "第3天和第5天两次"); samples of one day count once.
	 */
	for (int d2 = NAT_SECOND_FROM; d2 <= TESTS_UNTIL; d2++)
		if ((nat_days & (1U << d2)) &&
			(nat_days & ((1U << d2) - (1U << NAT_FIRST_FROM))))
			nat_second = true;

	/*
	 * The national plan 二(三)6: only non-"four category" arrivals may go
	 * home.
	 */
	if (category != CAT_GENERAL)
		unmet |= UNMET_CATEGORY;
	if (nat_days == 0)
		unmet |= UNMET_NAT_DAY3;
	if (!nat_second)
		unmet |= UNMET_NAT_DAY5;
	if (!igm_negative)
		unmet |= UNMET_IGM_DAY5;
	if (positive)
		unmet |= UNMET_POSITIVE_TEST;
	/*
	 * The Fujian guideline 四(五)(2)(3): a verified single room and a signed
	 * letter.
	 */
	if (!home_verified)
		unmet |= UNMET_HOME_NOT_VERIFIED;
	if (!commitment_signed)
		unmet |= UNMET_NO_COMMITMENT;
	if (on_date < start + (TRANSFER_DAY - 1))
		unmet |= UNMET_TOO_EARLY;

	result->unmet = unmet;
	result->eligible = unmet == 0;
	/* Only time is missing: the day it stops missing is day 8. */
	result->has_earliest = unmet == 0 || unmet == UNMET_TOO_EARLY;
	result->earliest = result->has_earliest ? start + (TRANSFER_DAY - 1) : 0;
}

/* ---------- SQL interface ---------- */

/*
 * Per-call-site cache: how to read a lab_result array element and how to
 * build an eligibility row.  Lives in fn_mcxt, so it lasts for the query.
 */
typedef struct TransferCache
{
	Oid		  elemtype;
	int16	  elemlen;
	bool	  elembyval;
	char	  elemalign;
	TupleDesc elemdesc;	  /* lab_result */
	TupleDesc resultdesc; /* eligibility, blessed */
} TransferCache;

static TransferCache *
GetTransferCache(FunctionCallInfo fcinfo, Oid elemtype)
{
	TransferCache *cache = (TransferCache *) fcinfo->flinfo->fn_extra;
	MemoryContext  old;
	TupleDesc	   desc;

	if (cache != NULL && cache->elemtype == elemtype)
		return cache;

	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	cache = palloc0(sizeof(TransferCache));
	cache->elemtype = elemtype;
	get_typlenbyvalalign(elemtype, &cache->elemlen, &cache->elembyval,
						 &cache->elemalign);
	cache->elemdesc = lookup_rowtype_tupdesc_copy(elemtype, -1);
	if (cache->elemdesc->natts != 3 ||
		TupleDescAttr(cache->elemdesc, 1)->atttypid != DATEOID)
		elog(ERROR, "tests must be an array of quarantine.lab_result");
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "home_transfer_check must return a composite type");
	cache->resultdesc = BlessTupleDesc(CreateTupleDescCopy(desc));
	MemoryContextSwitchTo(old);

	fcinfo->flinfo->fn_extra = cache;
	return cache;
}

/*
 * Unpack a lab_result[] into LabResults.  NULL elements and elements with a
 * NULL field are skipped: a test without a kind, a date or a result says
 * nothing about any criterion (a NULL result is a result not yet known).
 */
static LabResult *
ReadLabResults(TransferCache *cache, ArrayType *arr, int *ntests)
{
	Datum	  *elems;
	bool	  *nulls;
	int		   n;
	int		   k = 0;
	LabResult *tests;

	deconstruct_array(arr, cache->elemtype, cache->elemlen, cache->elembyval,
					  cache->elemalign, &elems, &nulls, &n);
	tests = palloc(sizeof(LabResult) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		HeapTupleHeader th;
		HeapTupleData	tuple;
		Datum			values[3];
		bool			isnull[3];

		if (nulls[i])
			continue;
		th = DatumGetHeapTupleHeader(elems[i]);
		tuple.t_len = HeapTupleHeaderGetDatumLength(th);
		ItemPointerSetInvalid(&tuple.t_self);
		tuple.t_tableOid = InvalidOid;
		tuple.t_data = th;
		heap_deform_tuple(&tuple, cache->elemdesc, values, isnull);
		if (isnull[0] || isnull[1] || isnull[2])
			continue;

		tests[k].kind =
			EnumLabelIndex(QE_TEST_KIND, DatumGetObjectId(values[0]));
		tests[k].sampled_on = DatumGetDateADT(values[1]);
		tests[k].result =
			EnumLabelIndex(QE_TEST_RESULT, DatumGetObjectId(values[2]));
		k++;
	}
	*ntests = k;
	return tests;
}

/*
 * home_transfer_check(start, category, tests, home_verified,
 * commitment_signed, on_date) → eligibility (eligible, earliest, unmet).
 */
Datum
home_transfer_check(PG_FUNCTION_ARGS)
{
	DateADT			start = PG_GETARG_DATEADT(0);
	ArrivalCategory category =
		EnumLabelIndex(QE_ARRIVAL_CATEGORY, PG_GETARG_OID(1));
	ArrayType	  *arr = PG_GETARG_ARRAYTYPE_P(2);
	bool		   home_verified = PG_GETARG_BOOL(3);
	bool		   commitment_signed = PG_GETARG_BOOL(4);
	DateADT		   on_date = PG_GETARG_DATEADT(5);
	TransferCache *cache = GetTransferCache(fcinfo, ARR_ELEMTYPE(arr));
	LabResult	  *tests;
	int			   ntests;
	Eligibility	   elig;
	Datum		   codes[N_UNMET];
	int			   ncodes = 0;
	Datum		   values[3];
	bool		   isnull[3] = {false, false, false};

	tests = ReadLabResults(cache, arr, &ntests);
	HomeTransferCheck(start, category, tests, ntests, home_verified,
					  commitment_signed, on_date, &elig);

	for (int i = 0; i < (int) N_UNMET; i++)
		if (elig.unmet & (1U << i))
			codes[ncodes++] = CStringGetTextDatum(unmet_codes[i]);

	values[0] = BoolGetDatum(elig.eligible);
	values[1] = DateADTGetDatum(elig.earliest);
	isnull[1] = !elig.has_earliest;
	values[2] = PointerGetDatum(
		construct_array(codes, ncodes, TEXTOID, -1, false, TYPALIGN_INT));
	PG_RETURN_DATUM(
		HeapTupleGetDatum(heap_form_tuple(cache->resultdesc, values, isnull)));
}
