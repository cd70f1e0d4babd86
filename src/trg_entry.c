/*
 * trg_entry.c
 *		Trigger on entry: the arrival category (doc/arrival.md).
 *
 * A NULL category is filled by classify_arrival() from the port screening; an
 * exempt_reason forces the category exempt (the Fujian guideline and the
 * national plan: diplomats, foreign air crew and essential business are not
 * isolated). A category the client names (a clinician's `suspected`) is kept.
 * A seat must be one seat_row() can read, so flight_close_contacts() never
 * meets a bad one.
 */
#include "records.h"
#include "rule.h"

#include "utils/builtins.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(entry_before_write);

enum
{
	E_TEMPERATURE,
	E_SYMPTOMS,
	E_PORT_NAT_RESULT,
	E_CLOSE_CONTACT,
	E_CATEGORY,
	E_EXEMPT_REASON,
	E_SEAT,
	E_ENTERED_AT
};

static const char *const entry_columns[] = {
	"temperature",	 "symptoms",   "port_nat_result",
	"close_contact", "category",   "exempt_reason",
	"seat",			 "entered_at", NULL};

static ColumnMap entry_map = {.names = entry_columns};

/* classify_arrival() over the screening columns of an entry row. */
static ArrivalCategory
ClassifyRow(HeapTuple row, TupleDesc desc)
{
	const int *att = entry_map.attnum;
	bool	   isnull;
	Datum	   temp = heap_getattr(row, att[E_TEMPERATURE], desc, &isnull);
	bool	   has_temp = !isnull;
	double	   temperature = 0;
	Datum	   symptoms;
	bool	   no_symptoms;
	Datum	   nat;
	bool	   no_nat;
	Datum	   contact;

	if (has_temp)
		temperature =
			DatumGetFloat8(DirectFunctionCall1(numeric_float8, temp));
	symptoms = heap_getattr(row, att[E_SYMPTOMS], desc, &no_symptoms);
	nat = heap_getattr(row, att[E_PORT_NAT_RESULT], desc, &no_nat);
	contact = heap_getattr(row, att[E_CLOSE_CONTACT], desc, &isnull);
	return ClassifyArrival(
		has_temp, temperature,
		no_symptoms ? NULL : DatumGetArrayTypeP(symptoms),
		no_nat ? -1 : EnumLabelIndex(QE_TEST_RESULT, DatumGetObjectId(nat)),
		!isnull && DatumGetBool(contact));
}

static int
CategoryOf(HeapTuple row, TupleDesc desc, bool *isnull)
{
	Datum d = heap_getattr(row, entry_map.attnum[E_CATEGORY], desc, isnull);

	return *isnull ? -1
				   : EnumLabelIndex(QE_ARRIVAL_CATEGORY, DatumGetObjectId(d));
}

/*
 * The category the row gets: true with *category when the trigger derives
 * one (see below), false when the row keeps its own.
 */
static bool
NewCategory(TriggerData *td, HeapTuple row, TupleDesc desc, int *category,
			int *current)
{
	const int *att = entry_map.attnum;
	bool	   isnull;
	bool	   no_exempt;

	*current = CategoryOf(row, desc, &isnull);
	heap_getattr(row, att[E_EXEMPT_REASON], desc, &no_exempt);
	if (!no_exempt)
		*category = CAT_EXEMPT;
	else if (isnull)
		*category = ClassifyRow(row, desc);
	else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		bool old_null;
		int	 old = CategoryOf(td->tg_trigtuple, desc, &old_null);

		if (old_null || *current != old ||
			old != (int) ClassifyRow(td->tg_trigtuple, desc))
			return false;
		*category = ClassifyRow(row, desc);
	}
	else
		return false;
	return true;
}

/*
 * BEFORE INSERT OR UPDATE FOR EACH ROW on entry.  On UPDATE a category the
 * trigger derived follows the screening columns (a port NAT reported later
 * turns general into confirmed); one a client set (a clinician's suspected)
 * stays until the client changes it.
 */
Datum
entry_before_write(PG_FUNCTION_ARGS)
{
	TriggerData *td =
		RowTriggerData(fcinfo, "entry_before_write", "entry", true);
	Relation	  rel = td->tg_relation;
	TupleDesc	  desc = RelationGetDescr(rel);
	HeapTuple	  row = TriggerRow(td);
	const int	 *att;
	bool		  isnull;
	int			  category;
	int			  current;
	int			  col;
	Datum		  value;
	bool		  null_flag = false;
	bool		  changed;
	Problem		  p = {0};
	ColumnContext column;

	if (RestoringInto(td->tg_relation))
		return PointerGetDatum(TriggerRow(td));
	/* person_scope first: no later rule tells of another district's person */
	RequireWrittenPersonInScope(td);
	ColumnMapFor(&entry_map, rel);
	att = entry_map.attnum;

	/* Refuse what the manifest refuses: an implausible entry time. */
	value = heap_getattr(row, att[E_ENTERED_AT], desc, &isnull);
	if (!isnull && !PlausibleInstant(DatumGetTimestampTz(value),
									 "entry_entered_at", "entry time", &p))
	{
		ProblemColumn(&p, att[E_ENTERED_AT]);
		RaiseProblem(&p, rel);
	}

	/* entry_temperature, whether or not the category is given: one value,
	 * one error (the CHECK of the same name is only the backstop). */
	value = heap_getattr(row, att[E_TEMPERATURE], desc, &isnull);
	if (!isnull)
	{
		char *shown = DatumGetCString(DirectFunctionCall1(numeric_out, value));

		Require(BodyTemperature(strtod(shown, NULL), shown, &p), &p, rel);
	}

	/* A seat is stored only if seat_row() can read it (close contacts). */
	value = heap_getattr(row, att[E_SEAT], desc, &isnull);
	if (!isnull)
	{
		ColumnContextPush(&column, rel);
		column.column = att[E_SEAT];
		(void) SeatRow(TextDatumGetCString(value));
		ColumnContextPop(&column);
	}

	/* An unknown symptom code raises 22023 naming the column symptoms. */
	ColumnContextPush(&column, rel);
	column.column = att[E_SYMPTOMS];
	changed = NewCategory(td, row, desc, &category, &current);
	ColumnContextPop(&column);
	if (!changed)
		return PointerGetDatum(row);

	if (category == current)
		return PointerGetDatum(row);
	null_flag = false;
	col = att[E_CATEGORY];
	value = ObjectIdGetDatum(EnumLabelOid(QE_ARRIVAL_CATEGORY, category));
	row = heap_modify_tuple_by_cols(row, desc, 1, &col, &value, &null_flag);
	return PointerGetDatum(row);
}
